"""Lesson 5 (Ascent: from the pad to orbit): its exercises, each computing its reference answer with the library."""

import math
from functools import cache

import numpy as np

from .. import orbits, sites, vehicles
from ..constants import WGS84_A_M
from ._shared import _reasoning, _s
from .core import Exercise, Judged, Lesson, Misconception, Number, _shown

# the pitch-over kick, graded by flying it. Each case carries a payload close to the most its rocket
# can put into that orbit, so that the kick matters at both ends: only a window of kicks about 3 deg
# wide reaches orbit, in every case (tests/test_exercise_validity.py flies them all). With a light
# payload any kick from 0.01 deg to the steep limit would do, and nothing would be measured.

_KICK_CASES = (
    # vehicle, site, perigee km, apogee km, inclination deg, payload kg
    ("soyuz-2-1b", "vostochny", 200, 240, 51.9, 9850),
    ("soyuz-2-1b", "vostochny", 400, 420, 51.9, 8150),
    ("soyuz-2-1b", "plesetsk", 200, 240, 62.9, 9450),
    ("soyuz-2-1a", "vostochny", 200, 240, 51.9, 8550),
    ("unha-3", "sohae", 493, 512, 97.4, 130),
    ("unha-3", "sohae", 493, 512, 97.4, 135),
)

#: a failed flight that never climbed above this (km) turned over too early and fell back in the air
_FELL_IN_THE_AIR_KM = 100.0

_TOO_STEEP = ("The rocket turned over too early: its path flattened while it was still low and slow, in thick "
              "air, and gravity and drag brought it down before it could climb out.")
_SHORT_OF_SPEED = ("Near this rocket's limit the kick costs delta-v at both ends: a gentle one keeps the path "
                   "steep and pays gravity for longer; a steep one flies flat through thick air, pays drag, and "
                   "leaves the guidance a climb to make up later. Fly a few kicks and compare what each leaves "
                   "in orbit.")


def _gen_kick(rng):
    veh, site, hp, ha, inc, payload = _KICK_CASES[int(rng.integers(len(_KICK_CASES)))]
    return {"vehicle": vehicles.get_vehicle(veh).name, "key": veh, "site": sites.get_site(site).name.split(" (")[0],
            "site_key": site, "hp": hp, "ha": ha, "inc": inc, "payload": payload}


def _fly_kick(p, kick_deg):
    from .. import ascent

    return ascent.fly(p["key"], p["site_key"], perigee_km=p["hp"], apogee_km=p["ha"], inclination_deg=p["inc"],
                      payload_kg=p["payload"], kick_deg=kick_deg)


def _parse_kick(answer):
    from .. import ascent
    from .core import _as_number

    x = _as_number(answer, "deg")
    if not 0.0 < x <= ascent.KICK_MAX_DEG:
        raise ValueError(f"kick must be more than 0 and at most {ascent.KICK_MAX_DEG:g} deg (got {x:g})")
    return x


def _judge_kick(p, kick_deg):
    r = _fly_kick(p, kick_deg)
    if r.reached_orbit:
        hp = float(r.elements.perigee_altitude_m) / 1000
        ha = float(r.elements.apogee_altitude_m) / 1000
        return 1.0, (f"Orbit: the simulator flew your {kick_deg:g}° kick to {hp:.0f} × {ha:.0f} km at "
                     f"{float(r.elements.inclination_deg):.1f}°, with {r.mass_kg[-1]:.0f} kg left in orbit."), ""
    top = float(np.max(r.altitude_m)) / 1000
    if top < _FELL_IN_THE_AIR_KM:
        return 0.0, (f"No orbit: with a {kick_deg:g}° kick the flight peaked at {top:.0f} km and fell back "
                     f"(impact at T+{r.impact[2]:.0f} s)."), _TOO_STEEP
    h_end = float(r.altitude_m[-1])
    v_need = float(orbits.circular_speed_m_s(WGS84_A_M + h_end))
    return 0.0, (f"No orbit: with a {kick_deg:g}° kick the rocket burnt all it had at {h_end / 1000:.0f} km "
                 f"moving at {float(r.inertial_speed_m_s[-1]):.0f} m/s, where a circular orbit needs "
                 f"{v_need:.0f} m/s, and fell back (impact at T+{r.impact[2]:.0f} s)."), _SHORT_OF_SPEED


@cache
def _kick_window(key, site_key, hp, ha, inc, payload):
    """(lowest, highest) kick in deg that reaches orbit: flown on a 0.5 deg grid up to 20 deg, each
    edge then found by bisection to 1/32 deg."""
    p = {"key": key, "site_key": site_key, "hp": hp, "ha": ha, "inc": inc, "payload": payload}
    grid = [0.5 * k for k in range(1, 41)]
    ok = [bool(_fly_kick(p, k).reached_orbit) for k in grid]
    if not any(ok):
        raise RuntimeError(f"no kick takes {key} with {payload} kg to its orbit")
    first, last = ok.index(True), len(ok) - 1 - ok[::-1].index(True)

    def edge(good, bad):
        for _ in range(4):
            mid = (good + bad) / 2
            good, bad = (mid, bad) if _fly_kick(p, mid).reached_orbit else (good, mid)
        return (good + bad) / 2
    lo = edge(grid[first], grid[first - 1]) if first > 0 else grid[0]
    hi = edge(grid[last], grid[last + 1]) if last < len(grid) - 1 else grid[-1]
    return lo, hi


def _middle_kick(p):
    lo, hi = _kick_window(p["key"], p["site_key"], p["hp"], p["ha"], p["inc"], p["payload"])
    return round((lo + hi) / 2, 1)


KICK = Exercise(
    id="ascent-1", version=2, lesson="ascent", title="Your own pitch programme", paper=False,
    prompt="Fly {vehicle} from {site} with a {payload} kg payload, close to the most it can put into a "
           "{hp}×{ha} km orbit at {inc}°. The rocket rises vertically, then tips over by a *kick* angle and "
           "follows a gravity turn; above the air the guidance takes over. With this much payload the kick must "
           "be chosen: too gentle and the rocket climbs steeply and pays gravity for too long, too steep and it "
           "flattens out low in thick air. Only a window of kicks about 3° wide reaches orbit. Find it with the "
           "simulator (`ascent.fly(..., kick_deg=...)`, 0 < kick ≤ 45°) and give a kick inside it, in degrees: "
           "your answer is graded by flying it.",
    generate=_gen_kick,
    solve=_middle_kick,
    answer=Judged(judge=_judge_kick, parse_fn=_parse_kick, unit="deg", accepts="any kick (deg) with which "
                  "the simulated flight reaches orbit"),
    misconceptions=(
        Misconception("too-steep", _TOO_STEEP, lambda p: 30.0),
        Misconception("too-gentle", _SHORT_OF_SPEED, lambda p: 0.1),
    ),
)


def _gen_q(rng):
    from .. import atmosphere

    h = round(float(rng.uniform(6.0, 16.0)), 1)
    return {"h": h, "v": round(float(rng.uniform(250.0, 650.0))),
            "rho": float(f"{float(atmosphere.density_kg_m3(h * 1000.0)):.4g}")}


def _q_kpa(p):
    return 0.5 * p["rho"] * p["v"] ** 2 / 1000.0


MAX_Q = Exercise(
    id="ascent-2", version=2, lesson="ascent", title="Dynamic pressure",
    prompt="A rocket passes {h:.1f} km altitude at {v} m/s relative to the air. The air's density there is "
           "{rho:.4g} kg/m³ (US Standard Atmosphere 1976; 1.225 kg/m³ at sea level). What dynamic pressure "
           "q = ½ρv² does it feel, in kPa? (±2 %)",
    generate=_gen_q, solve=_q_kpa, answer=Number("kPa", rel_tol=0.02),
    misconceptions=(
        Misconception("no-half", "Dynamic pressure is *half* of ρv².", lambda p: 2 * _q_kpa(p)),
        Misconception("sea-level", "Use the density at the rocket's altitude, not at sea level (1.225 kg/m³).",
                      lambda p: 0.5 * 1.225 * p["v"] ** 2 / 1000.0),
        Misconception("pascals", "½ρv² comes out in pascals; the question asks for kilopascals.",
                      lambda p: _q_kpa(p) * 1000.0),
    ),
)

_WHY_TURN = (
    ("To gain horizontal speed: orbit is mostly sideways speed (7.8 km/s), and every second spent climbing "
     "straight up pays about 9.8 m/s to gravity for nothing sideways.", ""),
    ("To leave the atmosphere sooner: a tilted path crosses the air faster than a vertical one.",
     "A tilted path spends *longer* in the air than a vertical one; rockets go up first to leave the dense "
     "air, and turn for a different reason."),
    ("Because the Earth's rotation pushes the rocket sideways after lift-off.",
     "The Earth's rotation gives the rocket sideways speed from the pad, but no sideways force in flight."),
    ("To keep the engines pointing at the drop zone for the spent stages.",
     "The drop zones follow from the trajectory, not the other way round."),
)

WHY_TURN = _reasoning(
    "ascent-3", "ascent", "Why turn at all?",
    "A rocket to orbit climbs vertically for only a few seconds, then tips over and flies an ever flatter "
    "path. Why not climb straight up to the orbit's altitude first?", _WHY_TURN)


# the capstone: choose vehicle, azimuth and pitch-over, graded by flying the mission

_CAPSTONE = (
    ("sohae", "sun-synchronous", (480, 520), (200, 400, 50)),
    ("vostochny", "low-Earth", (230, 280), (4000, 6500, 500)),
)


def _gen_capstone(rng):
    site, kind, (hlo, hhi), (plo, phi, step) = _CAPSTONE[int(rng.integers(len(_CAPSTONE)))]
    h = int(rng.integers(hlo, hhi + 1))
    if kind == "sun-synchronous":
        inc = round(math.degrees(float(orbits.sun_synchronous_inclination_rad(WGS84_A_M + h * 1000.0))), 2)
    else:
        inc = round(float(rng.uniform(55.0, 65.0)), 2)  # at least 3° above Vostochny's 51.9° N
    payload = int(plo + step * rng.integers(0, (phi - plo) // step + 1))
    s_ = sites.get_site(site)
    return {"site_key": site, "site": s_.name.split(" (")[0], "lat": s_.latitude_deg, "kind": kind, "h": h,
            "inc": inc, "payload": payload,
            "vehicles": ", ".join(k for k, v in vehicles.all_vehicles().items() if site in v.launch_sites)}


def _parse_plan(answer):
    names = ("vehicle", "azimuth_deg", "kick_deg")
    if isinstance(answer, dict):
        missing = [n for n in names if n not in answer]
        if missing:
            raise ValueError(f"answer is missing {', '.join(missing)}")
        vals = [answer[n] for n in names]
    elif isinstance(answer, (list, tuple)) and len(answer) == 3:
        vals = list(answer)
    else:
        raise ValueError(f"answer must give vehicle, azimuth_deg and kick_deg (got {_shown(answer)})")
    from .core import _as_number

    return str(vals[0]).strip().lower(), _as_number(vals[1], "deg") % 360.0, _parse_kick(vals[2])


def _judge_plan(p, plan):
    from .. import ascent

    key, az, kick = plan
    try:
        v = vehicles.get_vehicle(key)
    except ValueError:
        return 0.0, f"There is no vehicle {key!r} in the data (from {p['site']}: {p['vehicles']}).", ""
    if p["site_key"] not in v.launch_sites:
        return 0.0, f"{v.name} does not fly from {p['site']} (it flies from {', '.join(v.launch_sites)}).", ""
    s_ = sites.get_site(p["site_key"])
    ground = float(sites.ground_azimuth_deg(s_.latitude_deg, az))
    if not any(bool(c.contains(ground)) for c in s_.corridors):
        return 0.0, (f"Range safety says no: an inertial azimuth of {az:.1f}° means flying {ground:.1f}° over the "
                     f"ground, outside {p['site']}'s corridors "
                     f"({', '.join(str(c).split(' (')[0] for c in s_.corridors)})."), ""
    inc = float(sites.inclination_deg(s_.latitude_deg, az))
    r = ascent.fly(key, p["site_key"], perigee_km=p["h"], apogee_km=p["h"] + 20, inclination_deg=inc,
                   payload_kg=p["payload"], kick_deg=kick)
    if not r.reached_orbit:
        assert r.impact is not None  # set whenever the flight did not reach orbit
        return 0.0, (f"No orbit: {v.name} with {p['payload']} kg and a {kick:g}° kick fell back (impact at "
                     f"T+{r.impact[2]:.0f} s)."), "Try a gentler kick, or a vehicle with more margin."
    assert r.elements is not None  # set whenever the flight reached orbit
    got_i = float(r.elements.inclination_deg)
    hp = float(r.elements.perigee_altitude_m) / 1000
    msg = f"Orbit: {hp:.0f} × {float(r.elements.apogee_altitude_m) / 1000:.0f} km at {got_i:.2f}°"
    if abs(got_i - p["inc"]) > 0.5:
        return 0.5, msg + f", but the plane is {got_i - p['inc']:+.2f}° off the {p['inc']}° wanted.", (
            "The azimuth sets the plane: cos i = cos(latitude) sin(azimuth), with the inertial azimuth "
            "(lesson 2); the heading over the ground differs by a few degrees.")
    return 1.0, msg + f": mission accomplished, with {r.mass_kg[-1]:.0f} kg in orbit.", ""


def _capstone_route(p):
    """A vehicle and inertial azimuth that serve the mission (southbound for SSO from Sohae)."""
    s_ = sites.get_site(p["site_key"])
    asc, desc = sites.inertial_azimuth_deg(s_.latitude_deg, p["inc"])
    az = float(desc) if p["kind"] == "sun-synchronous" else float(asc)
    return ("chollima-1" if p["site_key"] == "sohae" else "soyuz-2-1b"), az


def _capstone_plan_without_kick(p):
    key, az = _capstone_route(p)
    return [key, round(az, 2)]


def _capstone_plan(p):
    from .. import ascent

    key, az = _capstone_route(p)
    kick = ascent.choose_kick_deg(key, p["site_key"], p["payload"], p["h"], p["h"] + 20,
                                  float(sites.inclination_deg(sites.get_site(p["site_key"]).latitude_deg, az)))
    return [key, round(az, 2), kick]


CAPSTONE = Exercise(
    id="ascent-4", version=1, lesson="ascent", title="Capstone: your own launch", paper=False,
    prompt="Put a {payload} kg satellite into a {kind} orbit about {h} km up at {inc}° inclination, launching "
           "from {site} (latitude {lat:.2f}° N). Choose the vehicle (one of: {vehicles}), the *inertial* launch "
           "azimuth in degrees, and the pitch-over kick in degrees, as `[vehicle, azimuth_deg, kick_deg]`. The "
           "checker flies your plan: the azimuth must be inside the site's range-safety corridors, the flight must "
           "reach orbit, and the plane must be within 0.5° of the one wanted.",
    generate=_gen_capstone, solve=_capstone_plan,
    answer=Judged(judge=_judge_plan, parse_fn=_parse_plan, unit="vehicle, azimuth deg, kick deg",
                  accepts="any plan whose simulated flight reaches orbit within 0.5° of the plane"),
    misconceptions=(
        Misconception("too-steep", "Try a gentler kick, or a vehicle with more margin.",
                      lambda p: [*_capstone_plan_without_kick(p), 30.0]),
    ),
)


def _w_max_q(p):
    return (f"q = ½ρv² = 0.5 × {p['rho']:.4g} kg/m³ × ({p['v']} m/s)² = {_q_kpa(p) * 1000:.0f} Pa "
            f"= {_s(_q_kpa(p))} kPa")


MAX_Q.working = _w_max_q

LESSON = Lesson(
    name="ascent",
    title='Ascent: from the pad to orbit',
    question=(
        'How does a Soyuz get from the pad to orbit: when is max-Q, when do the stages separate, '
        'and how does it turn over?'),
    formulas=(
        'q = 1/2 rho v^2 " (dynamic pressure)"',
    ),
    exercises=(KICK, MAX_Q, WHY_TURN, CAPSTONE,),
)
