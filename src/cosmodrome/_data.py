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
    """Parse one bundled TOML file (cached; treat the result as read-only). A file with a format in
    :data:`FORMATS` is checked against it: an unknown or misspelt key is an error naming the file, the
    table and the key, never silently dropped."""
    with open(data_path(name), "rb") as f:
        data = tomllib.load(f)
    if name in FORMATS:
        check_keys(name, data, FORMATS[name])
    return data


_STAGE = {"name", "dry_mass_kg", "propellant_mass_kg", "thrust_vac_n", "isp_vac_s", "burn_time_s", "thrust_sl_n",
          "isp_sl_s", "count", "parallel", "engine", "diameter_m", "length_m", "uncertainty", "estimate", "source",
          "basis"}
_FAULT = {"kind", "stage", "time_s", "fraction", "azimuth_error_deg", "site", "extra_mass_kg", "rate_deg_s",
          "direction_deg", "capsule_mass_kg", "capsule_drag_area_m2"}
_PLACE = {"latitude_deg", "longitude_deg", "source", "basis", "uncertainty_km"}

#: What each data file's tables may hold: ``keys`` for every top-level table, and for a key holding a
#: table or a list of tables the keys those may hold (None: any, e.g. a timeline's event names).
FORMATS = {
    "vehicles.toml": {
        "keys": {"name", "family", "based_on", "launch_sites", "height_m", "core_diameter_m", "published_span_m",
                 "published_span_source", "liftoff_mass_published_kg", "liftoff_mass_source", "payload_leo_kg",
                 "payload_leo_note", "fairing_mass_kg", "fairing_source", "frontal_area_m2", "frontal_area_basis",
                 "source", "stages", "extra_stages", "replace_stage"},
        "tables": {"stages": _STAGE, "extra_stages": _STAGE},
    },
    "sites.toml": {
        "keys": {"name", "country", "latitude_deg", "longitude_deg", "elevation_m", "coord_source",
                 "coord_uncertainty_km", "corridors", "corridor_estimate", "corridor_basis", "notes"},
        "tables": {"corridors": {"from_deg", "to_deg", "reason"}},
    },
    "missions.toml": {
        "keys": {"name", "vehicle", "site", "perigee_km", "apogee_km", "inclination_deg", "orbit_published",
                 "orbit_source", "payload_kg", "payload_uncertainty", "payload_source", "launch_utc", "launch_source",
                 "timeline_s", "timeline_source"},
        "tables": {"timeline_s": None},
    },
    "failures.toml": {
        "keys": {"date", "vehicle", "site", "payload", "what_failed", "certainty", "sources", "model", "model_note",
                 "target", "target_note", "reported_fall", "reported_impact", "reported_landing",
                 "why_not_simulated"},
        "tables": {"model": _FAULT, "target": {"perigee_km", "apogee_km", "inclination_deg", "payload_kg"},
                   "reported_fall": _PLACE | {"along_track_km", "cross_track_km"}, "reported_landing": _PLACE},
    },
    "places.toml": {"keys": {"name", "latitude_deg", "longitude_deg", "uncertainty_km", "source"}, "tables": {}},
    "aero.toml": {"keys": {"mach", "cd", "source", "uncertainty"}, "tables": {}},
}


def check_keys(name, data, fmt):
    """Raise ValueError for the first key of ``data`` (a parsed data file) that ``fmt`` (see
    :data:`FORMATS`) does not allow, naming the file, the table and the key, and the closest allowed key."""
    import difflib

    def refuse(table, key, allowed):
        close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(sorted(allowed))}"
        raise ValueError(f"data/{name}: table [{table}] has an unknown key {key!r}{hint}")

    for table, body in data.items():
        if not isinstance(body, dict):
            raise ValueError(f"data/{name}: {table!r} must be a table ([{table}]), not a bare value")
        for key, value in body.items():
            if key not in fmt["keys"]:
                refuse(table, key, fmt["keys"])
            allowed = fmt["tables"].get(key)
            if allowed is None:
                continue
            for k, sub in enumerate(value if isinstance(value, list) else [value]):
                where = f"{table}.{key}" + (f"[{k}]" if isinstance(value, list) else "")
                for subkey in sub if isinstance(sub, dict) else ():
                    if subkey not in allowed:
                        refuse(where, subkey, allowed)
