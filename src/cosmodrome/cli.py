"""The ``cosmodrome`` command: a thin layer over the library.

Every sub-command has ``--help``; ``cosmodrome --version`` names the version, and
``python -m cosmodrome`` is the same command. The exit statuses (EXIT_STATUS, also
printed by ``--help``):

- 0: success;
- 1: the command ran and its answer is a failure (``launch``: no orbit reached;
  ``course build``: a part failed), or cosmodrome itself failed (a traceback: a bug);
- 2: bad input or usage, from argparse or from the values given (a number out of
  range, an unknown name, an output folder that is a file, an unreachable Dask
  scheduler): one line on stderr naming the field, the value and what is allowed,
  never a traceback;
- 3: cannot, and here is the fix: the question was fair but the answer is "not from
  here" (an inclination below the site's latitude, no range-safety corridor for the
  launch azimuth); stdout holds what was computed, stderr says why not and what to
  do instead, so ``set -e`` scripts stop and can tell this from bad input;
- 141: the output's reader went away (``cosmodrome track ... | head -1``): the
  command stops quietly, as one killed by SIGPIPE would (128 + 13).
"""

import argparse
import os
import sys
from collections.abc import Sequence

import numpy as np

from . import _check

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_UNREACHABLE, EXIT_PIPE_CLOSED = 0, 1, 2, 3, 141

EXIT_STATUS = """exit status:
  0    success
  1    the answer is a failure (launch: no orbit reached; course build: a part failed),
       or cosmodrome itself failed (a traceback: please report it)
  2    bad input or usage: one line on stderr names the field, the value and what is allowed
  3    cannot, and here is the fix: e.g. an inclination below the site's latitude; stderr says
       why not and what to do instead (site --inclination, launch --inclination)
  141  the output's reader went away (e.g. | head -1): stopped quietly"""


class Unreachable(Exception):
    """A fair question whose answer is "not from here": ``reason`` says why, ``fix`` what
    to do instead. Exit status 3 (EXIT_UNREACHABLE), both on stderr."""

    def __init__(self, reason, fix=None):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


SCHEDULER_CONNECT_TIMEOUT_S = 10.0
"""Longest wait for a Dask scheduler to answer before ``grade --scheduler`` gives up, s."""


def _table(headers, rows, align=None):
    """Format rows as a plain-text table with a header rule."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    align = align or ["<"] * len(headers)
    def fmt(cells):
        return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=False)).rstrip()
    out = [fmt(headers), "  ".join("-" * w for w in widths)]
    out += [fmt(r) for r in rows]
    return "\n".join(out)


def cmd_sites(args):
    from . import sites

    rows = []
    for s in sorted(sites.all_sites().values(), key=lambda s: -s.latitude_deg):
        reach = ", ".join(f"{lo:.1f}-{hi:.1f}" for lo, hi in sites.reachable_inclinations_deg(s))
        rows.append([s.key, s.name.split(" (")[0], s.country.split(" (")[0], f"{s.latitude_deg:.2f}",
                     f"{s.longitude_deg:.2f}", f"{float(s.lowest_inclination_deg):.1f}",
                     f"{s.surface_speed_m_s:.0f}", reach + (" *" if s.corridor_estimate else "")])
    print(_table(["key", "name", "country", "lat deg", "lon deg", "min incl deg", "east m/s",
                  "reachable incl. deg (direct ascent)"], rows, ["<", "<", "<", ">", ">", ">", ">", "<"]))
    print("\n* corridor bounds estimated from flown inclinations (see data/sites.toml)")


def cmd_site(args):
    from . import orbits, sites
    from .constants import WGS84_A_M

    s = sites.get_site(args.name)
    if args.inclination is not None:                   # bad input is refused before anything is printed
        _check.in_range("--inclination", args.inclination, 0.0, 180.0, unit="deg")
    alt_m = args.altitude_km * 1000.0
    print(f"{s.name} ({s.country})")
    print(_table(["quantity", "value"], [
        ["latitude, longitude", f"{s.latitude_deg:.4f} N, {s.longitude_deg:.4f} E"],
        ["lowest inclination (direct ascent)", f"{float(s.lowest_inclination_deg):.2f} deg"],
        ["eastward speed of the pad", f"{s.surface_speed_m_s:.1f} m/s"],
        ["plane change to the equator at 200 km",
         f"{float(sites.equatorial_plane_change_dv_m_s(s.latitude_deg)):.0f} m/s"],
        ["LEO (200 km) to GEO", f"{float(sites.geo_delta_v_m_s(s.latitude_deg)['total']):.0f} m/s"],
    ]))
    print("\nRange-safety corridors (ground azimuth, clockwise from north)"
          + (" [estimated]" if s.corridor_estimate else "") + ":")
    for c in s.corridors:
        print(f"  {c}: {c.reason}")
    reach = ", ".join(f"{lo:.1f}-{hi:.1f}" for lo, hi in sites.reachable_inclinations_deg(s, alt_m))
    print(f"Inclinations reachable by direct ascent: {reach} deg")
    if args.inclination is None:
        return
    inc = args.inclination
    print(f"\nTo reach {inc:g} deg (circular orbit at {args.altitude_km:g} km):")
    try:
        az = sites.launch_azimuths_deg(s.latitude_deg, inc, alt_m)
    except ValueError as exc:
        print("  not possible from here (why, and the fix: on stderr)")
        raise Unreachable(str(exc), _plane_change_fix(s, inc, args.altitude_km)) from None
    v = float(orbits.circular_speed_m_s(WGS84_A_M + alt_m))
    rows = []
    for branch in ("ascending", "descending"):
        gi = float(az[f"ground_{branch}"])
        ok = any(bool(c.contains(gi)) for c in s.corridors)
        gain = float(sites.rotation_speed_along_azimuth_m_s(s.latitude_deg, float(az[f"inertial_{branch}"])))
        rows.append([branch + (" (northbound)" if branch == "ascending" else " (southbound)"),
                     f"{float(az[f'inertial_{branch}']):.2f}", f"{gi:.2f}", f"{gain:+.0f}",
                     "yes" if ok else "no"])
    print(_table(["solution", "inertial az deg", "ground az deg", "rotation gives m/s", "in a corridor"],
                 rows, ["<", ">", ">", ">", "<"]))
    print(f"Orbital speed needed: {v:.0f} m/s")
    try:
        a, c = sites.plan_direct_ascent(s, inc, alt_m)
    except ValueError as exc:
        print("No allowed direct ascent (why, and the fix: on stderr)")
        raise Unreachable(str(exc), _CORRIDOR_FIX) from None
    print(f"Fly ground azimuth {a:.2f} deg, inside corridor {c}.")


_CORRIDOR_FIX = ("launch into an inclination inside a corridor (the reachable ones above) and change plane "
                 "in orbit, or launch from another site (cosmodrome sites lists what each reaches)")


def _plane_change_fix(site, inc, altitude_km):
    """The cheapest way to an inclination a site cannot reach directly: launch to the nearest
    reachable one and turn the plane in orbit (2 v sin(di/2) at the orbit's speed)."""
    from . import orbits
    from .constants import WGS84_A_M

    low = float(site.lowest_inclination_deg)
    nearest = low if inc < low else 180.0 - low
    how = "due east" if inc < low else "due west"
    v = float(orbits.circular_speed_m_s(WGS84_A_M + altitude_km * 1000.0))
    dv = float(orbits.plane_change_dv_m_s(v, np.radians(abs(nearest - inc))))
    return (f"launch {how} to {nearest:.2f} deg, then turn the plane by {abs(nearest - inc):.2f} deg in orbit: "
            f"2 v sin(di/2) = {dv:.0f} m/s at {altitude_km:g} km (or fly a dog-leg during ascent: "
            f"cosmodrome launch --dogleg)")


def cmd_vehicles(args):
    from . import vehicles

    rows = []
    for v in vehicles.all_vehicles().values():
        rows.append([v.key, v.name, len(v.stages), f"{v.liftoff_mass_kg(v.payload_leo_kg) / 1000:.1f}",
                     f"{v.liftoff_thrust_n / 1e6:.2f}", f"{v.payload_leo_kg:.0f}",
                     ", ".join(v.launch_sites), "yes" if v.estimate else ""])
    print(_table(["key", "name", "stages", "lift-off t", "thrust MN", "LEO payload kg", "sites", "estimates"],
                 rows, ["<", "<", ">", ">", ">", ">", "<", "<"]))


def cmd_vehicle(args):
    from . import vehicles

    v = vehicles.get_vehicle(args.name)
    payload = v.payload_leo_kg if args.payload_kg is None else v.checked_payload_kg(args.payload_kg)
    print(f"{v.name}" + ("  [contains cosmodrome estimates: see data/vehicles.toml]" if v.estimate else ""))
    rows = []
    for s in v.stages:
        rows.append([s.name + (" (parallel)" if s.parallel else ""), s.engine, s.count,
                     f"{s.dry_mass_kg / 1000:.2f}", f"{s.propellant_mass_kg / 1000:.1f}",
                     f"{s.thrust_sl_n / 1e3:.0f}" if s.thrust_sl_n else "-", f"{s.thrust_vac_n / 1e3:.1f}",
                     f"{s.isp_sl_s:.0f}" if s.isp_sl_s else "-", f"{s.isp_vac_s:.1f}", f"{s.burn_time_s:.0f}",
                     f"{s.diameter_m:.2f}", f"±{100 * s.uncertainty:.0f}%" + (" est" if s.estimate else "")])
    print(_table(["stage", "engine", "n", "dry t", "prop t", "F sl kN", "F vac kN", "Isp sl s", "Isp vac s",
                  "burn s", "diam m", "uncert."], rows,
                 ["<", "<", ">", ">", ">", ">", ">", ">", ">", ">", ">", "<"]))
    print()
    summary = [
        ["payload", f"{payload:.0f} kg"],
        ["lift-off mass (no fairing)", f"{v.liftoff_mass_kg(payload) / 1000:.1f} t"
         + (f" (published {v.liftoff_mass_published_kg / 1000:.0f} t)" if v.liftoff_mass_published_kg else "")],
        ["lift-off thrust (sea level)", f"{v.liftoff_thrust_n / 1e6:.2f} MN"],
        ["lift-off thrust-to-weight", f"{v.liftoff_thrust_to_weight(payload):.2f}"],
        ["ideal delta-v (vacuum Isp, no losses)", f"{v.ideal_delta_v_m_s(payload):.0f} m/s"],
        ["width across boosters (modules touching)" if v.stages[0].parallel else "core diameter",
         f"{v.span_m:.2f} m" + (f" (published {v.published_span_m:.2f} m)" if v.published_span_m else "")],
    ]
    print(_table(["quantity", "value"], summary))
    print("\nIdeal burn phases:")
    rows = [[p.name, f"{p.duration_s:.0f}", f"{p.start_mass_kg / 1000:.1f}", f"{p.end_mass_kg / 1000:.1f}",
             f"{p.isp_vac_s:.1f}", f"{p.delta_v_m_s:.0f}"] for p in v.phases(payload)]
    print(_table(["phase", "s", "start t", "end t", "Isp s", "dv m/s"], rows, ["<", ">", ">", ">", ">", ">"]))


def _parse_orbit(text):
    try:
        parts = [float(x) for x in text.lower().replace("km", "").split("x")]
    except ValueError:
        raise ValueError(f"--orbit must look like PERIGEExAPOGEE in km, e.g. 200x240 (got {text!r})") from None
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise ValueError(f"--orbit must look like PERIGEExAPOGEE in km, e.g. 200x240 (got {text!r})")
    return min(parts), max(parts)


def _parse_fault(text):
    """KIND:ARGS, e.g. no_ignition:2, thrust_shortfall:2:130:0.5, termination:85, wrong_site:baikonur,
    attitude_loss:8:7.2[:90], case:proton-m-2013-07. Returns a tuple of faults (a case may need several)."""
    from . import failures

    kind, _, rest = text.partition(":")
    parts = [p for p in rest.split(":") if p]
    try:
        if kind == "case":
            return failures.faults_for(parts[0])
        return (_one_fault(failures, kind, parts),)
    except (IndexError, ValueError) as exc:
        if isinstance(exc, ValueError) and ("must" in str(exc) or "unknown" in str(exc)):
            raise
        raise ValueError(f"--fault {text!r}: wrong arguments for {kind} (see cosmodrome launch --help)") from None


def _one_fault(failures, kind, parts):
    """One fault from its kind and the colon-separated arguments after it."""
    if kind in ("thrust_shortfall",):
        return failures.thrust_shortfall(int(parts[0]), float(parts[1]), float(parts[2]))
    if kind in ("no_ignition", "separation_failure"):
        return getattr(failures, kind)(int(parts[0]))
    if kind == "early_cutoff":
        return failures.early_cutoff(int(parts[0]), float(parts[1]))
    if kind == "wrong_azimuth":
        return failures.wrong_azimuth(float(parts[0]))
    if kind == "wrong_site":
        return failures.wrong_site(parts[0])
    if kind == "overweight_payload":
        return failures.overweight_payload(float(parts[0]))
    if kind == "termination":
        return failures.termination(float(parts[0]))
    if kind == "attitude_loss":
        return failures.attitude_loss(float(parts[0]), float(parts[1]), *(float(p) for p in parts[2:3]))
    raise ValueError(f"--fault kind must be one of {', '.join(failures.KINDS)} or case (got {kind!r})")


def cmd_launch(args):
    from . import ascent, sites

    hp, ha = _parse_orbit(args.orbit)
    site = sites.get_site(args.site)
    low = float(site.lowest_inclination_deg)
    if args.inclination is not None:
        _check.in_range("--inclination", args.inclination, 0.0, 180.0, unit="deg")
        if not args.dogleg and 80.0 <= hp <= 40000.0:  # (a perigee out of range is bad input: fly() says so)
            if not low <= args.inclination <= 180.0 - low:
                raise Unreachable(
                    f"--inclination {args.inclination:g} is beyond {site.name}'s geocentric latitude {low:.2f} deg: "
                    f"a direct ascent cannot reach it", _plane_change_fix(site, args.inclination, hp))
            try:
                sites.plan_direct_ascent(site, args.inclination, hp * 1000.0)
            except ValueError as exc:
                raise Unreachable(str(exc), _CORRIDOR_FIX) from None
    faults = [f for text in (args.fault or []) for f in _parse_fault(text)]
    r = ascent.fly(args.vehicle, args.site, perigee_km=hp, apogee_km=ha, inclination_deg=args.inclination,
                   payload_kg=args.payload_kg, kick_deg=args.kick, faults=faults, dogleg=args.dogleg)
    tgt = r.target
    print(f"Target {hp:g} x {ha:g} km at {tgt['inclination_deg']:.2f} deg with {tgt['payload_kg']:.0f} kg; "
          f"ground azimuth {tgt['ground_azimuth_deg']:.2f} deg (corridor {tgt['corridor']}), "
          f"pitch-over kick {tgt['kick_deg']:g} deg")
    print(r.summary())
    if tgt.get("dogleg"):
        ref = ascent.fly(args.vehicle, args.site, perigee_km=hp, apogee_km=ha, inclination_deg=low,
                         payload_kg=tgt["payload_kg"], kick_deg=tgt["kick_deg"])
        if ref.reached_orbit and r.reached_orbit:
            print(f"Dog-leg cost: {ref.mass_kg[-1] - r.mass_kg[-1]:.0f} kg less left in orbit (unburned propellant "
                  f"and payload margin) than a direct ascent to {low:.2f} deg with the same pitch-over")
    if args.plot:
        from . import plot

        plot.ascent_dashboard(r).savefig(args.plot, dpi=100)
        print(f"Dashboard written to {args.plot}")
    return EXIT_OK if r.reached_orbit else EXIT_FAILED


def _get_sat(args):
    from . import tracking

    if args.tle:
        return tracking.satellite_from_file(args.tle, args.satellite)
    if not args.satellite:
        raise ValueError("name a bundled satellite (e.g. malligyong-1) or give --tle FILE")
    return tracking.satellite(args.satellite)


def _start_time(sat, text):
    """--start YYYY-MM-DD[THH:MM] or, by default, the element set's epoch."""
    from datetime import datetime

    if not text:
        return sat.epoch.utc_datetime().replace(tzinfo=None)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--start must be a date like 2024-06-06 or 2024-06-06T12:00 (got {text!r})") from None


def cmd_track(args):
    from datetime import UTC, timedelta

    from . import tracking

    sat = _get_sat(args)
    place, lat, lon = tracking.get_place(args.over)
    start = _start_time(sat, args.start)
    days = float(args.days)
    if not 0 < days <= 30:
        raise ValueError(f"--days must be in (0, 30] (got {days:g})")
    ts = tracking.timescale()
    t0 = ts.from_datetime(start.replace(tzinfo=UTC))
    t1 = ts.from_datetime((start + timedelta(days=days)).replace(tzinfo=UTC))
    age = abs((start - sat.epoch.utc_datetime().replace(tzinfo=None)).total_seconds()) / 86400
    print(f"{sat.name} over {place} ({lat:.2f} N, {lon:.2f} E), {days:g} days from {start:%Y-%m-%d %H:%M} UTC;"
          f" element set epoch {tracking.epoch_utc(sat)}")
    if age > 14:
        print(f"  warning: {age:.0f} days from the element set's epoch; SGP4 predictions drift by kilometres per day")
    rows = []
    for p in tracking.passes(sat, lat, lon, t0, t1, min_elevation_deg=args.min_elevation):
        rows.append([p.get("rise", "-")[:19].replace("T", " "), p.get("culmination", "-")[11:19],
                     p.get("set", "-")[11:19], f"{p['max_elevation_deg']:.1f}" if "max_elevation_deg" in p else "-",
                     f"{p['azimuth_at_max_deg']:.0f}" if "azimuth_at_max_deg" in p else "-"])
    if not rows:
        print(f"  no passes above {args.min_elevation:g} deg")
        return 0
    print(_table(["rise (UTC)", "highest", "set", "max elev deg", "az at max deg"], rows, ["<", "<", "<", ">", ">"]))


def cmd_groundtrack(args):
    from . import tracking

    sat = _get_sat(args)
    start = _start_time(sat, args.start)
    n = float(args.orbits)
    if not 0 < n <= 50:
        raise ValueError(f"--orbits must be in (0, 50] (got {n:g})")
    period = 86400.0 / (sat.model.no_kozai * 1440.0 / (2 * np.pi))
    t = tracking.times(start, n * period, args.step)
    lat, lon, h = tracking.ground_track(sat, t)
    print(f"{sat.name}: {n:g} orbits ({n * period / 3600:.2f} h) from {start:%Y-%m-%d %H:%M} UTC, period "
          f"{period / 60:.1f} min, height {h.min() / 1000:.0f}-{h.max() / 1000:.0f} km, "
          f"latitude reach +/-{np.max(np.abs(lat)):.1f} deg")
    every = max(1, int(600 / args.step))
    rows = [[t[i].utc_strftime("%H:%M:%S"), f"{lat[i]:7.2f}", f"{lon[i]:8.2f}", f"{h[i] / 1000:.0f}"]
            for i in range(0, len(lat), every)]
    print(_table(["UTC", "lat deg", "lon deg", "height km"], rows, ["<", ">", ">", ">"]))
    if args.plot:
        from . import plot

        places = [tracking.get_place(p) for p in (args.place or [])]
        plot.satellite_ground_track(lat, lon, f"{sat.name}: {n:g} orbits from {start:%Y-%m-%d %H:%M} UTC",
                                    places=places).savefig(args.plot, dpi=100)
        print(f"Map written to {args.plot}")


def cmd_variant(args):
    from . import exercises

    ex, params, prompt = exercises.variant(args.student, args.exercise)
    print(f"{ex.id} (version {ex.version}, lesson {ex.lesson}) for student {args.student!r}:\n")
    print(prompt)
    print("\nParameters: " + ", ".join(f"{k} = {v}" for k, v in params.items()))
    if args.answer:
        print(f"Reference answer (teacher's view): {ex.reference_text(params)}")


def cmd_exercises(args):
    from . import exercises

    rows = [[e.id, e.version, e.lesson, e.title, type(e.answer).__name__.lower(), len(e.misconceptions)]
            for e in exercises.EXERCISES.values()]
    print(_table(["id", "version", "lesson", "title", "answer", "misconceptions"], rows,
                 ["<", ">", "<", "<", "<", ">"]))


def _scheduler_timeout(address):
    """A context in which Dask gives up connecting to ``address`` after at most
    SCHEDULER_CONNECT_TIMEOUT_S seconds (a shorter configured timeout is kept)."""
    import contextlib

    if not address:
        return contextlib.nullcontext()
    try:
        import dask.config
        from dask.utils import parse_timedelta
    except ImportError:  # grade_class says how to install Dask distributed
        return contextlib.nullcontext()
    configured_s = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect", "30s"), default="seconds")
    timeout_s = min(configured_s, SCHEDULER_CONNECT_TIMEOUT_S)
    return dask.config.set({"distributed.comm.timeouts.connect": f"{timeout_s:g}s"})


def _raised_within(exc, package):
    """True if ``exc`` was raised inside ``package`` (a frame of its traceback is one of its modules)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").split(".")[0] == package:
            return True
        tb = tb.tb_next
    return False


def cmd_grade(args):
    from .exercises import attempts
    from .grading import Limits, grade_class

    if args.jobs is not None:
        _check.in_range("--jobs", args.jobs, 1, 256)
    _roster_note(args.roster)
    limits = Limits(cell_timeout_s=args.cell_timeout, notebook_timeout_s=args.notebook_timeout,
                    memory_bytes=int(args.memory_mb * 2**20))
    try:
        with _scheduler_timeout(args.scheduler):
            summary = grade_class(args.submissions, args.lesson, args.roster, args.out, jobs=args.jobs,
                                  isolation=args.isolation, limits=limits, scheduler=args.scheduler,
                                  progress=not args.no_progress, mode="graded" if args.graded else None,
                                  policy=attempts.Policy.parse(args.attempts) if args.attempts else None)
    except RuntimeError as exc:
        print(f"cosmodrome: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # also TimeoutError
        if not (args.scheduler and _raised_within(exc, "distributed")):
            raise
        raise ValueError(f"--scheduler must be the address of a running Dask scheduler "
                         f"(got {args.scheduler!r}: {exc})") from None
    rows = []
    for r in summary["records"]:
        why = r["reasons"][0] if r["reasons"] else ""
        rows.append([r["student_id"], f"{r['total']:g} / {r['max']:g}", r["status"],
                     why[:70] + ("..." if len(why) > 70 else "")])
    print(_table(["student", "score", "status", "first note"], rows))
    print(f"\n{summary['graded']} submission(s) graded, {summary['reused']} unchanged and re-used, "
          f"isolation {summary['isolation']}, {summary['seconds']:g} s.")
    if summary["unmatched"]:
        print("Not on the roster (not graded): " + ", ".join(summary["unmatched"]))
    for name, owners in summary.get("ambiguous", {}).items():
        print(f"Not graded: {name} could be the work of {' or '.join(owners)}; rename it ID.ipynb")
    print(f"Gradebook: {args.out.rstrip('/')}/gradebook.csv, gradebook.json, feedback/")


def _roster_note(path):
    """Read the roster (refusing a bad one before any work) and say which column gave the ids."""
    from .grading.submission import read_roster

    print(read_roster(path).note)


def cmd_worksheet(args):
    from .grading.submission import read_roster
    from .worksheets import make_worksheets

    students = read_roster(args.roster)
    print(students.note)
    w = make_worksheets(args.lesson, students, args.out, paper=args.paper, date=args.date)
    print(f"{len(w['worksheets'])} worksheet(s) and answer key(s) for lesson {args.lesson!r} in {args.out}:")
    print(f"  one per student: ID.pdf, ID-key.pdf; for one print job: {w['class_pack'].name}; "
          f"the class key: {w['class_key'].name}")


def cmd_grade_paper(args):
    from .grading.paper import grade_paper

    if args.roster:
        _roster_note(args.roster)
    summary = grade_paper(args.answers, args.out, roster=args.roster)
    rows = [[r["student_id"], f"{r['total']:g} / {r['max']:g}", r["status"]] for r in summary["records"]]
    print(_table(["student", "score", "status"], rows))
    for n in summary["notes"]:
        print("note: " + n)
    print(f"Gradebook (lesson {summary['lesson']}): {args.out.rstrip('/')}/gradebook.csv, gradebook.json, feedback/")


def cmd_course(args):
    from ._data import lessons_dir
    from .course.build import build_course

    parts, failures = build_course(args.out, lessons_dir=args.lessons or lessons_dir(required=True),
                                   roster=args.roster, submissions=args.submissions, isolation=args.isolation,
                                   progress=not args.no_progress)
    for name in parts:
        print(f"built: {name}")
    for name, msg in failures:
        print(f"FAILED: {name}: {msg}", file=sys.stderr)
    print(f"Open {args.out.rstrip('/')}/index.html")
    return EXIT_FAILED if failures else EXIT_OK


def cmd_release(args):
    from ._data import lessons_dir
    from .course.release import release

    paths = release(args.lessons or lessons_dir(required=True), args.out, graded=args.graded)
    for p in paths:
        print(f"student copy: {p}")
    print(f"{len(paths)} lesson(s) released without their solutions"
          + (", as graded assignments (check() keeps answers without marking them)." if args.graded else "."))


def cmd_lessons(args):
    from pathlib import Path

    from ._data import lessons_dir
    from .course.release import hand_out

    source = Path(args.lessons) if args.lessons else lessons_dir(required=True)
    written, kept = hand_out(source, args.out, teacher=args.teacher, graded=args.graded, replace=args.replace)
    what = "teacher copies (with solutions)" if args.teacher else "student copies (no solutions)"
    for p in written:
        print(f"written: {p}")
    for p in kept:
        print(f"kept (already there, maybe with your work; --replace writes it anew): {p}")
    print(f"{len(written)} lesson(s) written as {what} to {args.out}"
          + (f", {len(kept)} kept as they were" if kept else "") + ".")
    print(f"Open them in JupyterLab:  jupyter lab {args.out}")


def cmd_tour(args):
    from . import tour

    paths = tour.write_tour(args.out)
    print(open(paths[0], encoding="utf-8").read())
    print("Written: " + ", ".join(str(p) for p in paths))


def _add_satellite_args(s):
    """The satellite, --tle and --start arguments shared by track and groundtrack."""
    s.add_argument("satellite", nargs="?", help="e.g. malligyong-1, iss, meteor-m2-2 (or a name in --tle FILE)")
    s.add_argument("--tle", metavar="FILE", help="read the element set from your own TLE file")
    s.add_argument("--start", help="UTC start, YYYY-MM-DD[THH:MM] (default: the element set's epoch)")


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one line: what is wrong and where the help is
    (argparse prints the whole usage first, which buries the message). Exit status 2."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _version():
    """The installed distribution's version (the package's own when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cosmodrome")
    except PackageNotFoundError:
        from . import __version__

        return __version__


def build_parser():
    p = _Parser(
        prog="cosmodrome",
        description="Orbital mechanics and rocket launch, taught through Vostochny and Sohae.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"cosmodrome {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("sites", help="table of every launch site",
                       description="Every bundled launch site: latitude, lowest inclination, eastward speed, "
                                   "reachable inclinations.")
    s.set_defaults(func=cmd_sites)

    s = sub.add_parser("site", help="one site; with --inclination, the launch azimuths",
                       description="One launch site in detail; --inclination shows the launch azimuths and whether "
                                   "range safety allows them.")
    s.add_argument("name", help="site key or name, e.g. vostochny, sohae, kourou")
    s.add_argument("--inclination", type=float, metavar="DEG", help="target inclination, degrees")
    s.add_argument("--altitude-km", type=float, default=200.0, metavar="KM",
                   help="circular orbit altitude for the azimuth correction (default 200)")
    s.set_defaults(func=cmd_site)

    s = sub.add_parser("vehicles", help="table of every vehicle", description="Every bundled launch vehicle.")
    s.set_defaults(func=cmd_vehicles)

    s = sub.add_parser("vehicle", help="one vehicle's stages and performance",
                       description="One launch vehicle: stages, lift-off thrust and T/W, ideal delta-v.")
    s.add_argument("name", help="vehicle key or name, e.g. angara-a5, soyuz-2.1b, chollima-1")
    s.add_argument("--payload-kg", type=float, metavar="KG", help="payload mass (default: the published LEO payload)")
    s.set_defaults(func=cmd_vehicle)

    s = sub.add_parser("launch", help="simulate a launch to orbit",
                       description="Fly a vehicle from a site to an orbit with the 3-DOF ascent simulator; prints "
                                   "the event timeline, the delta-v loss budget and the orbit reached (exit 1 if it "
                                   "did not reach orbit).")
    s.add_argument("--vehicle", required=True, help="e.g. soyuz-2.1b, angara-a5, chollima-1")
    s.add_argument("--site", required=True, help="e.g. vostochny, sohae")
    s.add_argument("--orbit", default="200x200", help="PERIGEExAPOGEE altitudes in km (default 200x200)")
    s.add_argument("--inclination", type=float, metavar="DEG", help="target inclination (default: the site's lowest)")
    s.add_argument("--payload-kg", type=float, metavar="KG", help="payload (default: half the published LEO payload)")
    s.add_argument("--kick", type=float, metavar="DEG", help="pitch-over kick (default: chosen per mission)")
    s.add_argument("--plot", metavar="PNG", help="write the ascent dashboard to this file")
    s.add_argument("--dogleg", action="store_true",
                   help="reach an inclination below the site's latitude by yawing during ascent, and report its cost")
    s.add_argument("--fault", action="append", metavar="KIND:ARGS",
                   help="inject a fault (repeatable): no_ignition:STAGE, thrust_shortfall:STAGE:T:FRACTION, "
                        "early_cutoff:STAGE:T, separation_failure:STAGE, wrong_azimuth:DEG, wrong_site:SITE, "
                        "overweight_payload:KG, termination:T, attitude_loss:T:DEG_PER_S[:DIRECTION_DEG], "
                        "or case:KEY from data/failures.toml")
    s.set_defaults(func=cmd_launch)

    s = sub.add_parser("track", help="passes of a satellite over a place",
                       description="List the passes of a bundled satellite (data/tle/) over a place "
                                   "(data/places.toml or a launch site).")
    _add_satellite_args(s)
    s.add_argument("--over", required=True, help="place, e.g. pyongyang, seoul, vostochny")
    s.add_argument("--days", type=float, default=2.0, help="length of the window, days (default 2)")
    s.add_argument("--min-elevation", type=float, default=10.0, metavar="DEG",
                   help="lowest elevation that counts (default 10)")
    s.set_defaults(func=cmd_track)

    s = sub.add_parser("groundtrack", help="a satellite's ground track, printed and drawn",
                       description="Ground track of a bundled satellite over a number of orbits; --plot draws it "
                                   "on a world map.")
    _add_satellite_args(s)
    s.add_argument("--orbits", type=float, default=1.0, help="number of orbits (default 1)")
    s.add_argument("--step", type=float, default=30.0, metavar="S", help="time step, s (default 30)")
    s.add_argument("--place", action="append", help="mark a place on the map (repeatable)")
    s.add_argument("--plot", metavar="PNG", help="write the map to this file")
    s.set_defaults(func=cmd_groundtrack)

    s = sub.add_parser("exercises", help="list the exercises",
                       description="Every exercise: id, version, lesson, title.")
    s.set_defaults(func=cmd_exercises)

    s = sub.add_parser("variant", help="replay one student's exact variant of an exercise",
                       description="Show the prompt and numbers a student got (from the course secret in "
                                   "COSMODROME_COURSE_SECRET, or the demo course's); --answer adds the reference.")
    s.add_argument("student", help="student id as in the roster")
    s.add_argument("exercise", help="exercise id, e.g. rocket-1")
    s.add_argument("--answer", action="store_true", help="also print the reference answer (teachers)")
    s.set_defaults(func=cmd_variant)

    s = sub.add_parser("grade", help="grade a class's submitted notebooks, each in a sandbox",
                       description="Run every submitted notebook (SUBMISSIONS/ID.ipynb or SUBMISSIONS/ID/*.ipynb, "
                                   "ID from the roster) in its own sandbox with a fresh kernel and limits, mark "
                                   "the answers it checked, and write gradebook.csv, gradebook.json and "
                                   "feedback/ID.md to OUT. Re-running re-uses unchanged submissions.")
    s.add_argument("submissions", help="folder of submitted notebooks")
    s.add_argument("--lesson", required=True, help="lesson whose exercises are graded, e.g. staging")
    s.add_argument("--roster", required=True, help="CSV with a student_id column (and name), or a Canvas or Moodle "
                                                    "gradebook export (see README, 'Rosters')")
    s.add_argument("--out", required=True, help="gradebook folder")
    s.add_argument("--jobs", type=int, help="notebooks run at once, 1 to 256 (default: number of cores)")
    s.add_argument("--isolation", default="auto", choices=["auto", "bwrap", "rlimits"],
                   help="auto/bwrap: bubblewrap namespaces (required unless you choose rlimits: "
                        "resource limits only, student code can read your files)")
    s.add_argument("--cell-timeout", type=float, default=60.0, help="seconds per cell (default 60)")
    s.add_argument("--notebook-timeout", type=float, default=300.0, help="seconds per notebook (default 300)")
    s.add_argument("--memory-mb", type=float, default=3072, help="memory per notebook in MB (default 3072)")
    s.add_argument("--graded", action="store_true",
                   help="the notebooks are graded assignments (release --graded): the last answer to each "
                        "exercise counts (default: the course's COSMODROME_MODE, else practice: the best try "
                        "counts under the tries policy)")
    s.add_argument("--attempts", metavar="N,STEP,FLOOR",
                   help="practice mode's tries policy: full marks within N tries, then STEP off per try, down "
                        "to FLOOR (default: COSMODROME_ATTEMPTS, else 3,0.25,0.25)")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help=f"run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (gives up if it does not answer "
                        f"within {SCHEDULER_CONNECT_TIMEOUT_S:g} s)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_grade)

    s = sub.add_parser("worksheet", help="printable worksheets and answer keys (PDF) for a class",
                       description="One PDF per student with their own numbers and a code (and QR code) for "
                                   "grading paper answers, an answer key per student, the class pack and the "
                                   "class key, typeset with Typst.")
    s.add_argument("--lesson", required=True, help="lesson, e.g. staging")
    s.add_argument("--roster", required=True, help="CSV with a student_id column (and name), or a Canvas or Moodle "
                                                    "gradebook export (see README, 'Rosters')")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--paper", default="a4", choices=["a4", "letter"], help="paper size (default a4)")
    s.add_argument("--date", help="date printed on the sheets (default today)")
    s.set_defaults(func=cmd_worksheet)

    s = sub.add_parser("grade-paper", help="grade answers written on worksheets and typed into a CSV",
                       description="Mark a CSV with columns code, exercise, answer (the code is printed on each "
                                   "worksheet) with the same checker and gradebook as notebooks.")
    s.add_argument("answers", help="CSV of typed-in answers")
    s.add_argument("--out", required=True, help="gradebook folder")
    s.add_argument("--roster", help="roster CSV, for names and to list students with no answers")
    s.set_defaults(func=cmd_grade_paper)

    s = sub.add_parser("course", help="build the whole course into a folder (the main job)",
                       description="'cosmodrome course build': run every lesson (teacher and student copies) to "
                                   "HTML, make the demo roster's worksheets and keys, grade the demo submissions, "
                                   "and link it all from OUT/index.html.")
    s.add_argument("action", choices=["build"], help="what to do (build)")
    s.add_argument("--out", default="build/", help="output folder (default build/)")
    s.add_argument("--lessons", metavar="DIR",
                   help="folder of teacher's lessons to build (default: the lessons cosmodrome comes with)")
    s.add_argument("--roster", metavar="CSV",
                   help="roster for the worksheets and the gradebook (default: the demo class)")
    s.add_argument("--submissions", metavar="DIR",
                   help="submitted notebooks to grade, one folder per lesson (default: the demo class's)")
    s.add_argument("--isolation", default="auto", choices=["auto", "bwrap", "rlimits"],
                   help="sandbox for grading the demo submissions (default auto: bubblewrap)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_course)

    s = sub.add_parser("release", help="write the student copies of the lessons (no solutions)",
                       description="Copy every lesson (NN-name.ipynb) without its solutions: code between "
                                   "'### BEGIN SOLUTION' and '### END SOLUTION' becomes 'answer = None', cells "
                                   "tagged 'solution' or 'teacher' are removed, outputs are cleared.")
    s.add_argument("--lessons", metavar="DIR",
                   help="folder of the teacher's lessons (default: the lessons cosmodrome comes with)")
    s.add_argument("--out", default="build/student/", help="output folder (default build/student/)")
    s.add_argument("--graded", action="store_true",
                   help="assignments: check() keeps each answer for the class grader without marking it "
                        "(grade them with `cosmodrome grade --graded`)")
    s.set_defaults(func=cmd_release)

    s = sub.add_parser("lessons", help="hand out the lessons: student copies (or --teacher copies) to a folder",
                       description="Write the lesson notebooks that come with cosmodrome to OUT: the student "
                                   "copies (no solutions, as 'cosmodrome release' writes them) or, with --teacher, "
                                   "the teacher's copies with solutions, the lessons' README and images. A "
                                   "notebook already in OUT is kept (it may hold a student's work) unless "
                                   "--replace. Then: jupyter lab OUT.")
    s.add_argument("--out", required=True, help="folder to write the notebooks to (made if missing)")
    s.add_argument("--teacher", action="store_true", help="the teacher copies, solutions included")
    s.add_argument("--graded", action="store_true",
                   help="student copies as graded assignments (see 'cosmodrome release --graded')")
    s.add_argument("--replace", action="store_true", help="overwrite notebooks already in OUT")
    s.add_argument("--lessons", metavar="DIR",
                   help="hand out these lessons instead (default: the lessons cosmodrome comes with)")
    s.set_defaults(func=cmd_lessons)

    s = sub.add_parser("tour", help="write the short tour to a folder (the main job)",
                       description="Answer the visit's two questions, tabulate the sites and draw the figure into OUT.")
    s.add_argument("--out", default="build/", help="output folder (default build/)")
    s.set_defaults(func=cmd_tour)
    return p


def _check_out_folder(text):
    """``--out`` must name a folder, or a path that does not exist yet (it is made)."""
    from pathlib import Path

    path = Path(text)
    for p in (path, *path.parents):
        if not (p.exists() or p.is_symlink()):
            continue
        if p.is_dir():
            return
        what = "a file" if p.is_file() else "not a folder"
        why = f"which is {what}" if p == path else f"and {str(p)!r} is {what}, so no folder can be made in it"
        raise ValueError(f"--out must be a folder or a path that does not exist yet (got {text!r}, {why})")


def _run(argv):
    """Parse the arguments and run the sub-command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    for name in ("inclination", "altitude_km", "payload_kg", "kick", "days", "orbits", "step", "min_elevation",
                 "cell_timeout", "notebook_timeout", "memory_mb"):
        val = getattr(args, name, None)
        if val is not None and not np.isfinite(val):
            print(f"cosmodrome: error: --{name.replace('_', '-')} must be a finite number (got {val})", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        if getattr(args, "out", None) is not None:
            _check_out_folder(args.out)
        return args.func(args) or EXIT_OK
    except Unreachable as exc:
        sys.stdout.flush()                             # what was computed first, then why not
        print(f"cosmodrome: cannot: {exc.reason}" + (f"\n  the fix: {exc.fix}" if exc.fix else ""), file=sys.stderr)
        return EXIT_UNREACHABLE
    except (ValueError, FileNotFoundError) as exc:
        print(f"cosmodrome: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    """The ``cosmodrome`` command; returns the exit status (see EXIT_STATUS).

    If whoever reads the output goes away (``| head``), stop quietly: point
    stdout at /dev/null so the final flush cannot fail again, and return 141
    (128 + SIGPIPE), as a command killed by the signal would (Python docs,
    "Note on SIGPIPE").
    """
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED


if __name__ == "__main__":
    sys.exit(main())
