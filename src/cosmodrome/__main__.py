"""``python -m cosmodrome``: the ``cosmodrome`` command (see :mod:`cosmodrome.cli`)."""

import sys

from .cli import main

sys.exit(main())
