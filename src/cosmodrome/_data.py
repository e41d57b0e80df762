"""Where cosmodrome finds its data files and its lessons: the one place that decides.

The data (sourced facts, not code) and the lesson notebooks are kept at the top of
the project's checkout, in ``data/`` and ``lessons/``. A built wheel (and the sdist
it is built from) carries copies of both inside the package, in
``cosmodrome/_bundled/data`` and ``cosmodrome/_bundled/lessons``: ``setup.py``
copies them there when the wheel is built, so ``pip install cosmodrome`` works with
no checkout. Each folder is found by the same rule, first match wins:

1. an environment variable naming the folder: ``COSMODROME_DATA`` for the data,
   ``COSMODROME_LESSONS`` for the lessons (an override, e.g. a teacher's own copy);
2. the copy inside the installed package (``cosmodrome/_bundled/...``): a wheel install;
3. the checkout's top-level folder, two levels above ``src/cosmodrome``: an editable
   install (``make``, ``pip install -e .``), which reads the folders in place, so an
   edit to ``data/`` or ``lessons/`` counts at once.

Only one of 2 and 3 exists in practice: the bundled copy is written into the wheel's
build folder, never into ``src/``.
"""

import os
import tomllib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
BUNDLED = _PACKAGE / "_bundled"
"""Where a built wheel keeps its copies of ``data/`` and ``lessons/``."""
CHECKOUT = _PACKAGE.parents[1]
"""The checkout's top level when cosmodrome runs from ``src/`` (an editable install)."""


def _find(name, variable):
    """The folder ``name`` ('data' or 'lessons') by the module's rule, and how it was found."""
    env = os.environ.get(variable)
    if env:
        return Path(env), f"${variable}"
    for path, how in ((BUNDLED / name, "the installed package"), (CHECKOUT / name, "the checkout")):
        if path.is_dir():
            return path, how
    return None, None


def data_dir():
    """The folder holding sites.toml, vehicles.toml and the other data files
    (``$COSMODROME_DATA``, else the installed package's copy, else the checkout's ``data/``)."""
    path, _ = _find("data", "COSMODROME_DATA")
    return path if path is not None else BUNDLED / "data"


def lessons_dir(required=False):
    """The folder of the teacher's lesson notebooks (``NN-name.ipynb``, with ``images/``
    and ``README.md``): ``$COSMODROME_LESSONS``, else the installed package's copy, else
    the checkout's ``lessons/``. None where there is none, or with ``required`` a
    FileNotFoundError that says where it looked and what to do."""
    path, how = _find("lessons", "COSMODROME_LESSONS")
    if path is not None and (how != "$COSMODROME_LESSONS" or path.is_dir()):
        return path
    if not required:
        return None
    if path is not None:
        raise FileNotFoundError(f"COSMODROME_LESSONS names {str(path)!r}, which is not a folder")
    raise FileNotFoundError(
        f"no lessons found: neither {str(BUNDLED / 'lessons')!r} (an installed cosmodrome) nor "
        f"{str(CHECKOUT / 'lessons')!r} (a checkout) exists; reinstall cosmodrome, set "
        "COSMODROME_LESSONS to a folder of lessons, or name one with --lessons")


def data_path(name):
    """Path of one bundled data file; a clear error if it is missing."""
    path = data_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"cosmodrome data file {name!r} not found at {path}; "
            "set COSMODROME_DATA to the project's data/ folder"
        )
    return path


@cache
def load_toml(name):
    """Parse one bundled TOML file (cached; treat the result as read-only)."""
    with open(data_path(name), "rb") as f:
        return tomllib.load(f)
