"""Where the bundled data files live.

The data are the project's top-level ``data/`` folder (sourced facts, not code).
``COSMODROME_DATA`` overrides the location, e.g. for an installed copy.
"""

import os
import tomllib
from functools import lru_cache
from pathlib import Path


def data_dir():
    """The folder holding sites.toml, vehicles.toml and the other data files."""
    env = os.environ.get("COSMODROME_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def lessons_dir():
    """The folder of the teacher's lesson notebooks (``NN-name.ipynb``) beside the data,
    or None where there is none."""
    path = data_dir().resolve().parent / "lessons"
    return path if path.is_dir() else None


def data_path(name):
    """Path of one bundled data file; a clear error if it is missing."""
    path = data_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"cosmodrome data file {name!r} not found at {path}; "
            "set COSMODROME_DATA to the project's data/ folder"
        )
    return path


@lru_cache(maxsize=None)
def load_toml(name):
    """Parse one bundled TOML file (cached; treat the result as read-only)."""
    with open(data_path(name), "rb") as f:
        return tomllib.load(f)
