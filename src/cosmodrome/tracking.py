"""Satellites on the map: two-line element sets, ground tracks and passes
over a place, through skyfield (its timescale, EarthSatellite/SGP4 and
find_events), fully offline.

Time comes from skyfield's built-in leap-second and Delta-T tables
(``load.timescale(builtin=True)``); nothing is downloaded.

Sources: Rhodes, *Skyfield* documentation, "Earth Satellites"; Vallado,
Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3", AIAA 2006-6753
(SGP4 and its verification vectors); CelesTrak "NORAD Two-Line Element Set
Format" for the checksum rule.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _check, earth
from ._data import data_dir, load_toml
from .constants import WGS84_A_M

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from datetime import datetime

    from numpy.typing import NDArray
    from skyfield.jpllib import SpiceKernel
    from skyfield.sgp4lib import EarthSatellite
    from skyfield.timelib import Time, Timescale

    from .ascent import AscentResult
    from .orbits import Elements


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """skyfield's timescale from its built-in tables (no download)."""
    from skyfield.api import load

    return load.timescale(builtin=True)


@lru_cache(maxsize=1)
def ephemeris() -> SpiceKernel:
    """JPL DE421 (Sun, Moon, planets; 1900-2050) from the skyfield-data package, loaded
    by path (importing skyfield_data's loader would print a stale-data warning)."""
    import importlib.util
    from pathlib import Path

    from skyfield.api import load_file

    spec = importlib.util.find_spec("skyfield_data")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the skyfield-data package (DE421 ephemeris) is not installed")
    return load_file(str(Path(spec.submodule_search_locations[0]) / "data" / "de421.bsp"))


def tle_checksum(line: str) -> int:
    """The TLE checksum of a line's first 68 characters: digits summed, '-' counts 1, mod 10."""
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _tle_number(text, what, where):
    """A number from a TLE field, or a ValueError naming the line and the field."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{where}: {what} must be a number (got {text.strip()!r})") from None


def _check_perigee_above_ground(line2, where):
    """Refuse an element set whose orbit dips below the Earth's surface (its equatorial radius).

    The semi-major axis a comes from the mean motion (Kepler's third law, WGS72 GM as
    in SGP4); the mean motion must be below that of an orbit grazing the equator,
    and the perigee a (1 - e) must clear the equatorial radius: e < 1 - R / a.
    """
    ecc_text = "0." + line2[26:33].replace(" ", "0")       # columns 27-33, decimal point assumed
    e = _tle_number(ecc_text, "the eccentricity (columns 27-33)", where)
    rev_day = _tle_number(line2[52:63], "the mean motion (columns 53-63)", where)
    grazing_rev_day = np.sqrt(WGS72_MU_M3_S2 / WGS84_A_M**3) * 86400.0 / (2 * np.pi)
    if not 0.0 < rev_day < grazing_rev_day:
        raise ValueError(f"{where}: the mean motion must be in (0, {grazing_rev_day:.4f}) rev/day, slower than an "
                         f"orbit grazing the equator (got {rev_day:g})")
    a_m = (WGS72_MU_M3_S2 / (rev_day * 2 * np.pi / 86400.0) ** 2) ** (1 / 3)
    e_max = 1.0 - WGS84_A_M / a_m
    if e >= e_max:
        below_km = (WGS84_A_M - a_m * (1 - e)) / 1000
        raise ValueError(
            f"{where}: eccentricity {ecc_text} puts the perigee {below_km:.0f} km below the Earth's surface: "
            f"with a mean motion of {line2[52:63].strip()} rev/day it must be in [0, {e_max:.6g}) for the "
            f"perigee to clear the equatorial radius ({WGS84_A_M / 1000:.0f} km)"
        )


def parse_tle(text: str, source: str = "<text>") -> list[tuple[str, str, str, list[str]]]:
    """Parse TLE text (optional name lines, '#' comments) into ``[(name, line1, line2, notes)]``.

    Raises ValueError naming the source and line for a wrong length, line
    number, checksum or mismatched catalogue numbers, or an orbit whose
    perigee is below the Earth's surface (eccentricity too large for the
    mean motion).
    """
    out, notes, name = [], [], None
    lines = [ln.rstrip("\r\n") for ln in str(text).splitlines()]
    i = 0
    while i < len(lines):
        ln = lines[i].rstrip()
        if not ln.strip():
            i += 1
            continue
        if ln.startswith("#"):
            notes.append(ln[1:].strip())
            i += 1
            continue
        if not ln.startswith("1 "):
            name = ln.strip()
            i += 1
            continue
        if i + 1 >= len(lines):
            raise ValueError(f"{source}, line {i + 1}: TLE line 1 has no line 2 after it")
        l1, l2 = ln, lines[i + 1].rstrip()
        for k, (text, num) in enumerate(((l1, "1"), (l2, "2"))):
            where = f"{source}, line {i + 1 + k}"
            if len(text) != 69:
                raise ValueError(f"{where}: a TLE line must be 69 characters long (got {len(text)})")
            if text[0] != num:
                raise ValueError(f"{where}: expected TLE line {num} (got line starting {text[0]!r})")
            if not text[68].isdigit() or int(text[68]) != tle_checksum(text):
                raise ValueError(f"{where}: checksum digit {text[68]!r} does not match the computed "
                                 f"{tle_checksum(text)}")
        if l1[2:7] != l2[2:7]:
            raise ValueError(f"{source}, line {i + 2}: catalogue numbers differ ({l1[2:7]!r} vs {l2[2:7]!r})")
        _check_perigee_above_ground(l2, f"{source}, line {i + 2}")
        out.append((name or l1[2:7].strip(), l1, l2, list(notes)))
        notes, name = [], None
        i += 2
    if not out:
        raise ValueError(f"{source}: no two-line element set found")
    return out


@lru_cache(maxsize=1)
def _catalogue():
    cat: dict[str, tuple[str, str, str, list[str]]] = {}
    for path in sorted((data_dir() / "tle").glob("*.tle")):
        for name, l1, l2, notes in parse_tle(path.read_text(encoding="utf-8"), source=str(path.name)):
            cat.setdefault(path.stem, (name, l1, l2, notes))
    return cat


def known_satellites() -> list[str]:
    """Keys of the bundled element sets (data/tle/*.tle), e.g. ``"malligyong-1"``."""
    return sorted(_catalogue())


def satellite(name: str) -> EarthSatellite:
    """A skyfield ``EarthSatellite`` from data/tle/ (did-you-mean on a typo)."""
    from skyfield.api import EarthSatellite

    sat_name, l1, l2, _ = _check.lookup("satellite", name, _catalogue())
    return EarthSatellite(l1, l2, sat_name, timescale())


def satellite_from_file(path: str | os.PathLike[str], name: str | None = None) -> EarthSatellite:
    """An EarthSatellite from a TLE file of your own; ``name`` picks one set if it holds several."""
    from pathlib import Path

    from skyfield.api import EarthSatellite

    p = Path(path)
    if not p.is_file():
        raise ValueError(f"TLE file {str(path)!r} not found")
    if p.stat().st_size > 50_000_000:
        raise ValueError(f"TLE file {str(path)!r} is larger than 50 MB")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"TLE file {str(path)!r} is not text") from None
    sets = parse_tle(text, source=p.name)
    if name is None:
        chosen = sets[0]
    else:
        table = {s[0]: s for s in sets}
        chosen = _check.lookup(f"satellite in {p.name}", name, table)
    return EarthSatellite(chosen[1], chosen[2], chosen[0], timescale())


def satellite_source(name: str) -> list[str]:
    """The provenance lines stored with a bundled element set."""
    return _check.lookup("satellite", name, _catalogue())[3]


def times(start_utc: datetime | str | tuple[Any, ...] | list[Any], duration_s: float, step_s: float) -> Time:
    """A skyfield Time array from ``start_utc`` (a datetime, an ISO string such as
    "2024-06-06T12:00:00Z", or (y, m, d, h, mi, s)) every ``step_s``."""
    from datetime import datetime

    if isinstance(start_utc, str):
        try:
            start_utc = datetime.fromisoformat(start_utc.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"start_utc must be an ISO date-time such as 2024-06-06T12:00:00Z "
                             f"(got {start_utc!r})") from None
    elif not isinstance(start_utc, (datetime, tuple, list)):
        raise ValueError(f"start_utc must be a datetime, an ISO string or a (y, m, d, h, mi, s) tuple "
                         f"(got {start_utc!r})")
    ts = timescale()
    step = float(_check.positive("step_s", step_s, unit="s"))
    dur = float(_check.positive("duration_s", duration_s, unit="s"))
    n = int(dur // step) + 1
    if n > 5_000_000:
        raise ValueError(f"duration_s / step_s must give at most 5,000,000 points (got {n})")
    if isinstance(start_utc, datetime):
        y, mo, d, h, mi, s = (start_utc.year, start_utc.month, start_utc.day, start_utc.hour, start_utc.minute,
                              start_utc.second + start_utc.microsecond / 1e6)
    else:
        y, mo, d, h, mi, s = (tuple(start_utc) + (0, 0, 0, 0, 0))[:6]
    return ts.utc(y, mo, d, h, mi, s + np.arange(n) * step)


def ground_track(sat: EarthSatellite, t: Time) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Sub-satellite latitude (deg), longitude (deg, -180..180) and height (m) above WGS84 at times ``t``.

    SGP4 gives positions in its own TEME frame (true equator, mean equinox); turning them by Greenwich
    mean sidereal time (GMST 1982) gives the pseudo-Earth-fixed frame, which is where a ground track
    lives (AIAA 2006-6753, Vallado et al., "Revisiting Spacetrack Report #3", appendix C). Polar motion
    (metres) is left out. This skips the precession and nutation that skyfield's full TEME -> GCRS ->
    ITRS chain computes for every new Time array, and agrees with it within 50 m
    (tests/test_tracking.py). A time SGP4 cannot reach (the orbit has decayed) is a ValueError naming it.
    """
    scalar = np.ndim(t.whole) == 0
    lat, lon, h = earth.ecef_to_geodetic(_earth_fixed_m(sat, t))
    return (lat[0], lon[0], h[0]) if scalar else (lat, lon, h)


def _earth_fixed_m(sat: EarthSatellite, t: Time) -> NDArray[np.float64]:
    """SGP4's TEME positions at ``t`` (one time or an array) turned by GMST 1982 into the pseudo-Earth-fixed
    frame, m, shape (3, N) (AIAA 2006-6753, appendix C)."""
    from skyfield.sgp4lib import theta_GMST1982

    whole = np.atleast_1d(np.asarray(t.whole, dtype=float))
    ut1 = np.atleast_1d(np.asarray(t.ut1_fraction, dtype=float))
    utc = ut1 - np.atleast_1d(np.asarray(t.dut1, dtype=float)) / 86400.0   # SGP4 runs on UTC (AIAA 2006-6753)
    err, r_km, _ = sat.model.sgp4_array(whole, utc)
    if np.any(err):
        from sgp4.api import SGP4_ERRORS

        k = int(np.flatnonzero(err)[0])
        when = t.utc_iso() if np.ndim(t.whole) == 0 else t[k].utc_iso()
        raise ValueError(f"SGP4 cannot propagate {sat.name} from its element set of {epoch_utc(sat)} to {when}: "
                         f"{SGP4_ERRORS[int(err[k])]}")
    theta, _ = theta_GMST1982(whole, ut1)
    c, s = np.cos(theta), np.sin(theta)
    x, y, z = r_km.T * 1000.0
    return np.array([c * x + s * y, -s * x + c * y, z])


def epoch_utc(sat: EarthSatellite) -> str:
    """The element set's epoch as an ISO UTC string."""
    return sat.epoch.utc_iso()


#: The step at which the elevation is first sampled (s). Elevation has one maximum per orbit, so the
#: samples always straddle it; each maximum is then refined by golden-section search and each crossing
#: of the threshold by bisection, to well under a second.
_PASS_STEP_S = 60.0
#: How far below its true peak the best sample of a pass can be, for a pass that could still reach the
#: threshold (deg): a low pass, seen from far off, changes elevation by about half a degree within half a
#: step of its top (a high pass changes much faster, but is far above any threshold anyway).
_PEAK_MARGIN_DEG = 5.0


def passes(sat: EarthSatellite, latitude_deg: float, longitude_deg: float, t0: Time, t1: Time,
           min_elevation_deg: float = 10.0, elevation_m: float = 0.0) -> list[dict[str, Any]]:
    """Passes of ``sat`` over a place between skyfield Times ``t0`` and ``t1``.

    Returns a list of dicts: ``rise``, ``culmination``, ``set`` (UTC ISO
    strings), ``max_elevation_deg``, ``azimuth_at_max_deg``, and at the
    highest point ``sunlit`` (the satellite in sunlight), ``sun_elevation_deg``
    at the place and ``visible`` (sunlit while the sky is dark: Sun below
    -6 deg, civil twilight); passes cut by the window's ends keep what they
    have. The elevation is sampled every 60 s from the same Earth-fixed SGP4
    positions as :func:`ground_track`, each local maximum refined by golden-section
    search and each crossing of ``min_elevation_deg`` by bisection; the Sun (DE421)
    is computed only at the culminations. Checked against skyfield's
    ``EarthSatellite.find_events`` (tests/test_tracking.py).
    """
    _check.latitude("latitude_deg", latitude_deg)
    el_min = float(_check.in_range("min_elevation_deg", min_elevation_deg, -5.0, 89.0, unit="deg"))
    lon_deg = float(_check.as_array("longitude_deg", longitude_deg))
    span_d = float(t1.tt - t0.tt)
    if span_d <= 0:
        raise ValueError(f"t1 must be after t0 (got {t0.utc_iso()} to {t1.utc_iso()})")
    ts = t0.ts
    site = earth.geodetic_to_ecef(float(latitude_deg), lon_deg, float(elevation_m))
    la, lo = np.radians(float(latitude_deg)), np.radians(lon_deg)
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    east = np.array([-np.sin(lo), np.cos(lo), 0.0])
    north = np.cross(up, east)

    def look(tt):
        rho = _earth_fixed_m(sat, ts.tt_jd(np.asarray(tt, dtype=float))) - site[:, None]
        dist = np.linalg.norm(rho, axis=0)
        el = np.degrees(np.arcsin(np.clip(up @ rho / dist, -1.0, 1.0)))
        return el, np.degrees(np.arctan2(east @ rho, north @ rho)) % 360.0

    n = int(np.ceil(span_d * 86400.0 / _PASS_STEP_S)) + 1
    grid = t0.tt + np.linspace(0.0, span_d, n)
    el = look(grid)[0]
    f = lambda x: look(x)[0] - el_min                      # noqa: E731
    # culminations: interior local maxima of the samples, refined between their neighbours
    k = np.flatnonzero((el[1:-1] >= el[:-2]) & (el[1:-1] > el[2:])) + 1
    k = k[el[k] >= el_min - _PEAK_MARGIN_DEG]             # a lower sampled peak cannot rise above the threshold
    tops = _golden_max(lambda x: look(x)[0], grid[k - 1], grid[k + 1])
    high = look(tops)[0] >= el_min if k.size else np.zeros(0, dtype=bool)
    k, tops = k[high], tops[high]
    # crossings of the threshold between samples, refined; and around a peak no sample caught above it
    up_i = el >= el_min
    cross = np.flatnonzero(up_i[1:] != up_i[:-1])
    lone = ~up_i[k]                                         # a peak above the threshold between two samples below
    lo = np.concatenate([grid[cross], grid[k[lone] - 1], tops[lone]])
    hi = np.concatenate([grid[cross + 1], tops[lone], grid[k[lone] + 1]])
    kinds = np.concatenate([np.where(up_i[cross + 1], 0, 2), np.zeros(lone.sum(), int), np.full(lone.sum(), 2)])
    events = [(float(tc), 1) for tc in tops] + list(zip(_bisect(f, lo, hi).tolist(), kinds.tolist(), strict=True))
    # the event stream read as skyfield's find_events reads it: rise, culmination(s), set
    out: list[dict[str, Any]] = []
    cur: dict[str, Any] = {}
    for when, kind in sorted(events):
        if kind == 0:
            cur = {"rise": when}
        elif kind == 1:
            if "culmination" not in cur or look(np.array([when]))[0][0] > look(np.array([cur["culmination"]]))[0][0]:
                cur["culmination"] = when                  # two peaks in one pass: the higher one
        else:
            cur["set"] = when
            out.append(cur)
            cur = {}
    if cur:
        out.append(cur)
    _describe_culminations(sat, out, look, float(latitude_deg), lon_deg, float(elevation_m), ts)
    for p in out:
        for key in ("rise", "culmination", "set"):
            if key in p:
                p[key] = ts.tt_jd(p[key]).utc_iso()
    order = ("rise", "culmination", "max_elevation_deg", "azimuth_at_max_deg", "sunlit", "sun_elevation_deg",
             "visible", "set")
    return [{key: p[key] for key in order if key in p} for p in out]


def _golden_max(f, lo, hi, iters=24):
    """Where ``f`` (vectorised over arrays of TT Julian dates) peaks in each [lo, hi] (arrays)."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    if lo.size == 0:
        return lo
    g = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = f(a), f(b)
    for _ in range(iters):
        left = fa > fb
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
        a_new, b_new = hi - g * (hi - lo), lo + g * (hi - lo)
        a, b = a_new, b_new
        fa, fb = f(a), f(b)
    return (lo + hi) / 2.0


def _bisect(f, lo, hi, iters=24):
    """The TT Julian dates in each [lo, hi] (arrays) where ``f`` (vectorised) changes sign; 24 halvings of
    a 60 s step leave about 4 microseconds."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    if lo.size == 0:
        return lo
    below = f(lo) < 0
    for _ in range(iters):
        mid = (lo + hi) / 2.0
        same = (f(mid) < 0) == below
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    return (lo + hi) / 2.0


def _describe_culminations(sat, out, look, lat, lon, elevation_m, ts):
    """Add the elevation and azimuth at each culmination, and the Sun: is the satellite sunlit, how high
    is the Sun at the place (skyfield and DE421, at these few times only)."""
    tops = [p for p in out if "culmination" in p]
    if not tops:
        return
    from skyfield.api import wgs84

    tc = np.array([p["culmination"] for p in tops])
    el, az = look(tc)
    t = ts.tt_jd(tc)
    eph = ephemeris()
    place = wgs84.latlon(lat, lon, elevation_m)
    sun_alt = (eph["earth"] + place).at(t).observe(eph["sun"]).apparent().altaz()[0].degrees
    sunlit = np.atleast_1d(sat.at(t).is_sunlit(eph))
    for p, e, a, s, lit in zip(tops, el, az, np.atleast_1d(sun_alt), sunlit, strict=True):
        p.update(max_elevation_deg=float(e), azimuth_at_max_deg=float(a), sunlit=bool(lit),
                 sun_elevation_deg=float(s), visible=bool(lit) and float(s) < -6.0)


def get_place(name: str) -> tuple[str, float, float]:
    """A place from data/places.toml as ``(name, latitude_deg, longitude_deg)``; launch sites work too."""
    places = load_toml("places.toml")
    try:
        p = _check.lookup("place", name, places)
        return p["name"], float(p["latitude_deg"]), float(p["longitude_deg"])
    except ValueError as exc:
        from .sites import all_sites

        sites = all_sites()
        if _check.normalize_key(name) in {_check.normalize_key(k) for k in sites}:
            s = _check.lookup("site", name, sites)
            return s.name, s.latitude_deg, s.longitude_deg
        raise exc



WGS72_MU_M3_S2 = 398600.8e9
"""Earth's GM in the WGS72 constants that SGP4 is defined with (Vallado et al. 2006)."""


def mean_elements(sat: EarthSatellite) -> Elements:
    """SGP4's own mean elements of an EarthSatellite, as :class:`cosmodrome.orbits.Elements` (TEME, WGS72 GM)."""
    from . import orbits

    m = sat.model
    nu = orbits.mean_to_true_anomaly_rad(m.mo, m.ecco)
    return orbits.Elements(m.a * 6378135.0, m.ecco, m.inclo, m.nodeo, m.argpo, nu, WGS72_MU_M3_S2)


def satellite_from_elements(elements: Elements, epoch_utc: datetime, name: str = "CONSTRUCTED", satnum: int = 99999,
                            bstar: float = 0.0) -> EarthSatellite:
    """An EarthSatellite built from classical elements in the TEME frame at ``epoch_utc`` (a datetime).

    The elements are used as SGP4 mean elements (``sgp4init``). Osculating
    elements differ from mean ones by J2's short-period terms (~10 km in LEO),
    which is the accuracy of a set built this way: mark it as constructed.
    """
    from datetime import UTC

    from sgp4.api import WGS72, Satrec
    from skyfield.api import EarthSatellite

    from . import orbits

    el = elements
    a = float(_check.positive("semi_major_axis_m", el.semi_major_axis_m, unit="m"))
    e = float(_check.in_range("eccentricity", el.eccentricity, 0.0, 1.0, high_open=True))
    ts = timescale()
    t = ts.from_datetime(epoch_utc if epoch_utc.tzinfo else epoch_utc.replace(tzinfo=UTC))
    n_rad_min = float(np.sqrt(WGS72_MU_M3_S2 / a**3) * 60.0)
    m0 = float(orbits.true_to_mean_anomaly_rad(el.true_anomaly_rad, e)) % (2 * np.pi)
    rec = Satrec()
    rec.sgp4init(WGS72, "i", int(_check.in_range("satnum", satnum, 1, 99999)), t.ut1 - 2433281.5, float(bstar),
                 0.0, 0.0, e, float(el.arg_perigee_rad), float(el.inclination_rad), m0, n_rad_min, float(el.raan_rad))
    return EarthSatellite.from_satrec(rec, ts)


def satellite_from_ascent(result: AscentResult, launch_utc: datetime, name: str | None = None,
                          satnum: int = 99999) -> EarthSatellite:
    """Track a simulated launch like a real satellite: the insertion orbit of an
    :class:`cosmodrome.ascent.AscentResult` as an EarthSatellite.

    The simulator's inertial frame is the Earth-fixed frame frozen at lift-off;
    turning it by the Greenwich mean sidereal angle at lift-off gives SGP4's
    TEME frame (polar motion and the equation of the equinoxes, < 1 arcsecond
    and ~1 arcsecond, ignored).
    """
    from datetime import UTC, timedelta

    from . import orbits

    if not result.reached_orbit:
        raise ValueError("the flight did not reach orbit: there is nothing to track (see result.impact)")
    ts = timescale()
    t0 = ts.from_datetime(launch_utc if launch_utc.tzinfo else launch_utc.replace(tzinfo=UTC))
    theta = np.radians(t0.gmst * 15.0)
    el = result.elements
    assert el is not None  # set whenever the flight reached orbit
    el_teme = orbits.Elements(el.semi_major_axis_m, el.eccentricity, el.inclination_rad,
                              (el.raan_rad + theta) % (2 * np.pi), el.arg_perigee_rad, el.true_anomaly_rad, el.mu_m3_s2)
    epoch = (launch_utc if launch_utc.tzinfo else launch_utc.replace(tzinfo=UTC)) + timedelta(
        seconds=float(result.time_s[-1]))
    return satellite_from_elements(el_teme, epoch, name=name or f"{result.vehicle} (simulated)", satnum=satnum)


def local_time_of_ascending_node_h(sat: EarthSatellite, t: Time | None = None) -> float:
    """Local mean solar time at the ascending node, hours: 12 + (RAAN - RA of the mean Sun) / 15, with the
    RAAN carried from the element set's epoch to ``t`` at SGP4's secular node rate.

    For a sun-synchronous orbit this stays fixed (its node follows the mean Sun); it says at what time
    of day the satellite crosses the equator northbound (and so what light its camera gets).
    """
    from .launch_geometry import mean_sun_right_ascension_deg

    t = t or sat.epoch
    minutes = float(t.tt - sat.epoch.tt) * 1440.0
    raan_deg = np.degrees(sat.model.nodeo + sat.model.nodedot * minutes)
    return float((12.0 + (raan_deg - mean_sun_right_ascension_deg(t.utc_datetime())) / 15.0) % 24.0)


def tle_text(sat: EarthSatellite, name: str, comments: Iterable[str] = ()) -> str:
    """Three-line TLE text (name, line 1, line 2) for a satellite, with '#' comment lines first."""
    from sgp4.exporter import export_tle

    l1, l2 = export_tle(sat.model)
    return "".join(f"# {c}\n" for c in comments) + f"{name}\n{l1}\n{l2}\n"


def constructed_tle_from_mission(key: str, satnum: int) -> str:
    """Fly a reference mission at its published launch time and write its insertion orbit
    as TLE text, clearly marked as constructed (no published element set exists)."""
    from datetime import datetime

    from . import ascent

    m = ascent.missions()[key]
    r = ascent.fly_mission(key)
    sat = satellite_from_ascent(r, datetime.fromisoformat(m["launch_utc"]), satnum=satnum)
    notes = [
        f"CONSTRUCTED, not observed: {m['name']}.",
        "No published two-line element set was available offline; this set is the insertion orbit of",
        f"cosmodrome's simulated {m['vehicle']} flight from {m['site']} launched at {m['launch_utc']} UTC "
        "to the published orbit",
        f"({m['perigee_km']} x {m['apogee_km']} km, {m['inclination_deg']} deg: {m['orbit_source']}).",
        f"Made by cosmodrome.tracking.constructed_tle_from_mission({key!r}, {satnum}); drag term zero;",
        "expect tens of km of error within hours and worse after days.",
    ]
    return tle_text(sat, m["name"].split(",")[0].upper(), notes)
