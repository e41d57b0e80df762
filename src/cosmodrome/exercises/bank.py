"""The exercises, grouped by lesson. Each computes its reference answer with the library."""

import math
from functools import lru_cache

import numpy as np

from .. import orbits, propulsion, sites
from ..constants import G0_M_S2, WGS84_A_M
from .core import Choice, Exercise, Misconception, Number, Record, Selection

SITE_CHOICES = ("vostochny", "baikonur", "plesetsk", "sohae", "kourou", "cape-canaveral", "jiuquan", "tanegashima")


# --- lesson: latitude ------------------------------------------------------------------

def _gen_lowest(rng):
    s = sites.get_site(SITE_CHOICES[int(rng.integers(len(SITE_CHOICES)))])
    return {"site": s.name, "lat": s.latitude_deg}


LOWEST = Exercise(
    id="latitude-1", version=1, lesson="latitude", title="The lowest inclination",
    prompt="A rocket launches from **{site}** at latitude {lat:.2f}° N and flies straight to orbit "
           "(no dog-leg, no plane change). What is the lowest orbital inclination it can reach, in degrees?",
    generate=_gen_lowest,
    solve=lambda p: float(sites.lowest_inclination_deg(p["lat"])),
    answer=Number("deg", abs_tol=0.25),
    misconceptions=(
        Misconception("pole-angle", "Inclination is measured from the equator: a due-east launch gives an "
                      "orbit tilted by the site's latitude, not by 90° minus it.", lambda p: 90.0 - p["lat"]),
        Misconception("zero", "A rocket cannot reach the equatorial plane directly from off the equator: the orbit "
                      "plane must pass through both the launch site and Earth's centre.", lambda p: 0.0),
    ),
)


def _gen_speed(rng):
    return {"lat": round(float(rng.uniform(0.0, 65.0)), 1)}


PAD_SPEED = Exercise(
    id="latitude-2", version=1, lesson="latitude", title="Free speed from Earth's rotation",
    prompt="Earth turns once per sidereal day (ω = 7.292115×10⁻⁵ rad/s) and its equatorial radius is "
           "6,378.137 km. How fast, in m/s, does a launch pad at latitude {lat:.1f}° move eastward? "
           "(Treat the Earth as a sphere of the equatorial radius; answers within 1 % are accepted.)",
    generate=_gen_speed,
    solve=lambda p: 7.292115e-5 * WGS84_A_M * math.cos(math.radians(p["lat"])),
    answer=Number("m/s", rel_tol=0.01, abs_tol=2.0),
    misconceptions=(
        Misconception("no-cos", "That is the speed at the equator. At latitude φ the pad is only R·cos φ from the "
                      "spin axis.", lambda p: 7.292115e-5 * WGS84_A_M),
        Misconception("sin", "Use cos φ, not sin φ: the distance from the spin axis shrinks towards the poles.",
                      lambda p: 7.292115e-5 * WGS84_A_M * math.sin(math.radians(p["lat"]))),
        Misconception("degrees-as-radians", "The latitude went into cos() in degrees; convert it to radians first.",
                      lambda p: 7.292115e-5 * WGS84_A_M * math.cos(p["lat"])),
    ),
)


def _gen_azimuth(rng):
    lat = round(float(rng.uniform(28.0, 63.0)), 1)
    inc = round(float(rng.uniform(lat + 3.0, 85.0)), 1)
    return {"lat": lat, "inc": inc}


def _ground_az(p):
    asc, _ = sites.inertial_azimuth_deg(p["lat"], p["inc"])
    return float(sites.ground_azimuth_deg(p["lat"], asc, 200e3))


AZIMUTH = Exercise(
    id="latitude-3", version=1, lesson="latitude", title="Launch azimuth on a turning Earth",
    prompt="From latitude {lat:.1f}° N a rocket must reach a {inc:.1f}° circular orbit at 200 km (orbital speed "
           "7.78 km/s) heading north-east. Allowing for the eastward speed the pad already has, along which "
           "azimuth (degrees clockwise from north) must it fly over the ground? (±0.3°)",
    generate=_gen_azimuth,
    solve=_ground_az,
    answer=Number("deg", abs_tol=0.3),
    misconceptions=(
        Misconception("forgot-rotation", "That is the inertial azimuth, sin β = cos i / cos φ. The pad already moves "
                      "east, so the rocket must aim further from east to end up on the right heading.",
                      lambda p: float(sites.inertial_azimuth_deg(p["lat"], p["inc"])[0])),
        Misconception("descending", "That is the south-going solution; the question asks for the north-east one.",
                      lambda p: float(sites.ground_azimuth_deg(p["lat"], sites.inertial_azimuth_deg(p["lat"], p["inc"])[1], 200e3))),
    ),
)


_SOUTH_OPTIONS = (
    ("To the south lies open sea between China and Korea: spent stages fall in water and no neighbour is overflown "
     "early in flight, while the southbound track leads to the polar orbits it wants.", None),
    ("Southward launches gain more speed from Earth's rotation.",
     "Earth's rotation gives speed towards the east only; a southbound launch gets none of it (and a slightly "
     "retrograde one loses some)."),
    ("The Coriolis force pushes rockets south, so less thrust is needed.",
     "In the inertial frame there is no Coriolis force, and it would not replace thrust: orbit needs ~7.8 km/s."),
    ("Launching south puts the satellite into a geostationary orbit over Korea.",
     "A geostationary orbit lies over the equator and is reached by launching east, not south."),
)


def _gen_why_south(rng):
    return {"order": [int(i) for i in rng.permutation(len(_SOUTH_OPTIONS))]}


def _why_south_options(p):
    texts = [_SOUTH_OPTIONS[i][0] for i in p["order"]]
    return texts, p["order"].index(0)


WHY_SOUTH = Exercise(
    id="latitude-4", version=1, lesson="latitude", title="Why Sohae launches south",
    prompt="North Korea's Sohae station launches its satellite rockets to the south, over the Yellow Sea. Why?",
    generate=_gen_why_south, solve=None, answer=Choice(), options=_why_south_options,
    misconceptions=tuple(
        Misconception(f"option-{k}", _SOUTH_OPTIONS[k][1], (lambda k: lambda p: p["order"].index(k))(k))
        for k in range(1, len(_SOUTH_OPTIONS))
    ),
)


def _gen_reach(rng):
    keys = sorted(sites.all_sites())
    for _ in range(50):
        inc = round(float(rng.choice([55.0, 63.0, 70.0, 82.5, 97.5]) + rng.uniform(-1.0, 1.0)), 1)
        pick = [keys[i] for i in rng.choice(len(keys), size=5, replace=False)]
        ok = [_direct_ok(k, inc) for k in pick]
        if 0 < sum(ok) < 5:
            return {"inc": inc, "sites": pick}
    raise RuntimeError("no sensible variant found")


@lru_cache(maxsize=4096)
def _direct_ok(key, inc):
    try:
        sites.plan_direct_ascent(key, inc)
        return True
    except ValueError:
        return False


def _reach_options(p):
    texts = [f"{sites.get_site(k).name} ({sites.get_site(k).latitude_deg:.1f}° N)" for k in p["sites"]]
    return texts, [i for i, k in enumerate(p["sites"]) if _direct_ok(k, p["inc"])]


def _reach_ignoring_corridors(p):
    return frozenset(i for i, k in enumerate(p["sites"])
                     if float(sites.get_site(k).lowest_inclination_deg) <= p["inc"] <= 180 - float(sites.get_site(k).lowest_inclination_deg))


REACH = Exercise(
    id="latitude-5", version=1, lesson="latitude", title="Which sites can reach the orbit?",
    prompt="A {inc:.1f}° orbit is wanted. Which of these sites can reach it by a direct ascent *within their "
           "range-safety corridors* (use `cosmodrome site NAME --inclination {inc:.1f}` or the library)? "
           "Give every right letter, e.g. `\"A, C\"`.",
    generate=_gen_reach, solve=None, answer=Selection(), options=_reach_options,
    misconceptions=(
        Misconception("ignored-corridors", "Latitude allows it there, but range safety does not: check each "
                      "site's corridors (where the spent stages may fall).", _reach_ignoring_corridors),
    ),
)


# --- lesson: rocket equation ------------------------------------------------------------

def _gen_rocket(rng):
    isp_vac = round(float(rng.uniform(300.0, 360.0)))
    isp_sl = round(isp_vac * float(rng.uniform(0.80, 0.88)))
    m0 = round(float(rng.uniform(20.0, 200.0)), 1)
    frac = float(rng.uniform(0.12, 0.35))
    return {"isp_vac": isp_vac, "isp_sl": isp_sl, "m0": m0, "mf": round(m0 * frac, 1)}


ROCKET_DV = Exercise(
    id="rocket-1", version=1, lesson="rocket", title="The rocket equation in vacuum",
    prompt="An upper stage and its payload weigh {m0:.1f} t when its engine starts in vacuum and {mf:.1f} t at "
           "burnout. Its engine's specific impulse is {isp_sl} s at sea level and {isp_vac} s in vacuum "
           "(g₀ = 9.80665 m/s²). What delta-v does it give, in m/s? (±1 %)",
    generate=_gen_rocket,
    solve=lambda p: float(propulsion.delta_v_m_s(p["isp_vac"], p["m0"], p["mf"])),
    answer=Number("m/s", rel_tol=0.01),
    misconceptions=(
        Misconception("sea-level-isp", "The stage burns in vacuum: use the vacuum specific impulse.",
                      lambda p: p["isp_sl"] * G0_M_S2 * math.log(p["m0"] / p["mf"])),
        Misconception("no-g0", "Specific impulse in seconds must be multiplied by g₀ to give an exhaust speed in m/s.",
                      lambda p: p["isp_vac"] * math.log(p["m0"] / p["mf"])),
        Misconception("log10", "The rocket equation uses the natural logarithm (ln), not log₁₀.",
                      lambda p: p["isp_vac"] * G0_M_S2 * math.log10(p["m0"] / p["mf"])),
        Misconception("inverted", "The mass ratio is start over end, m₀/m_f, which is larger than 1.",
                      lambda p: abs(p["isp_vac"] * G0_M_S2 * math.log(p["mf"] / p["m0"])) * -1),
    ),
)


# --- lesson: staging ----------------------------------------------------------------------

def _gen_staging(rng):
    isp1, isp2 = round(float(rng.uniform(290, 320))), round(float(rng.uniform(330, 360)))
    d1, p1 = round(float(rng.uniform(6, 12)), 1), round(float(rng.uniform(80, 140)), 0)
    d2, p2 = round(float(rng.uniform(1.5, 3.0)), 1), round(float(rng.uniform(15, 30)), 0)
    pay = round(float(rng.uniform(1.0, 5.0)), 1)
    return {"isp1": isp1, "isp2": isp2, "d1": d1, "p1": p1, "d2": d2, "p2": p2, "pay": pay}


def _stage1_dv(p):
    m0 = p["d1"] + p["p1"] + p["d2"] + p["p2"] + p["pay"]
    return p["isp1"] * G0_M_S2 * math.log(m0 / (m0 - p["p1"]))


def _two_stage(p):
    m1 = p["d2"] + p["p2"] + p["pay"]
    return _stage1_dv(p) + p["isp2"] * G0_M_S2 * math.log(m1 / (m1 - p["p2"]))


def _two_stage_keeping_stage1(p):
    """The wrong way: stage 1's empty tanks ride along through stage 2's burn."""
    m1 = p["d1"] + p["d2"] + p["p2"] + p["pay"]
    return _stage1_dv(p) + p["isp2"] * G0_M_S2 * math.log(m1 / (m1 - p["p2"]))


STAGING_DV = Exercise(
    id="staging-1", version=1, lesson="staging", title="Two stages",
    prompt="A two-stage rocket: stage 1 has {d1:.1f} t dry mass and {p1:.0f} t of propellant (Isp {isp1} s), "
           "stage 2 has {d2:.1f} t dry and {p2:.0f} t of propellant (Isp {isp2} s); the payload is {pay:.1f} t. "
           "Stage 1 is dropped when empty. What is the ideal delta-v of the whole rocket, in m/s? (±1 %)",
    generate=_gen_staging, solve=_two_stage, answer=Number("m/s", rel_tol=0.01),
    misconceptions=(
        Misconception("no-drop", "You kept stage 1's empty tanks: after burnout they are dropped, so stage 2 "
                      "starts from its own mass plus the payload.", _two_stage_keeping_stage1),
        Misconception("stage1-only", "That is only stage 1's share; add stage 2's delta-v.", _stage1_dv),
    ),
)


# --- lesson: ascent ----------------------------------------------------------------------

_ASCENT_CASES = (
    # vehicle, site, perigee km, apogee km, inclination deg, payload range kg (step)
    ("soyuz-2.1b", "vostochny", 200, 240, 51.9, (4000, 7500, 500)),
    ("chollima-1", "sohae", 493, 512, 97.4, (200, 400, 50)),
)


def _gen_loss_budget(rng):
    from .. import ascent

    veh, site, hp, ha, inc, (lo, hi, step) = _ASCENT_CASES[int(rng.integers(len(_ASCENT_CASES)))]
    payload = int(lo + step * rng.integers(0, (hi - lo) // step + 1))
    inc = round(inc + float(rng.uniform(0.0, 0.6)), 1)
    r = ascent.fly(veh, site, perigee_km=hp, apogee_km=ha, inclination_deg=inc, payload_kg=payload)
    b = {k: round(float(v)) for k, v in r.budget.items()}
    return {"vehicle": veh, "site": sites.get_site(site).name, "hp": hp, "ha": ha, "inc": inc,
            "payload": payload, "reached": bool(r.reached_orbit), **b}


def _gravity_loss(p):
    return p["ideal"] - p["delivered"] - p["drag"] - p["steering"] - p["back_pressure"]


LOSS_BUDGET = Exercise(
    id="ascent-1", version=1, lesson="ascent", title="Where did the delta-v go?",
    prompt="The simulator flew a {vehicle} from {site} with {payload} kg of payload to a {hp}×{ha} km orbit at "
           "{inc}°. Its engines could give an ideal (rocket-equation) delta-v of {ideal} m/s. The flight reports: "
           "delivered {delivered} m/s (final inertial speed minus the {earth_rotation} m/s the pad already had "
           "from Earth's rotation), "
           "drag loss {drag} m/s, steering loss {steering} m/s, back-pressure loss (thrust lost to the air "
           "pressure at the nozzle) {back_pressure} m/s. What was the "
           "gravity loss, in m/s? (±1 %)",
    generate=_gen_loss_budget, solve=_gravity_loss, answer=Number("m/s", rel_tol=0.01),
    misconceptions=(
        Misconception("no-steering", "Steering is a loss too: thrust pointed away from the velocity does not "
                      "add speed. Subtract it as well.", lambda p: _gravity_loss(p) + p["steering"]),
        Misconception("rotation-as-loss", "Earth's rotation is a gift, not a loss, and it is already outside the "
                      "delivered figure: do not subtract it.", lambda p: _gravity_loss(p) - p["earth_rotation"]),
        Misconception("no-back-pressure", "The back-pressure loss is part of the budget: the ideal delta-v uses the "
                      "vacuum Isp.", lambda p: _gravity_loss(p) + p["back_pressure"]),
    ),
)


# --- lesson: orbits -----------------------------------------------------------------------

def _gen_period(rng):
    return {"h": round(float(rng.uniform(200.0, 2000.0)), 0)}


PERIOD = Exercise(
    id="orbits-1", version=1, lesson="orbits", title="How long is one orbit?",
    prompt="A satellite circles the Earth at {h:.0f} km altitude (GM = 3.986004418×10¹⁴ m³/s², equatorial radius "
           "6,378.137 km). What is its orbital period, in minutes? (±0.5 %)",
    generate=_gen_period,
    solve=lambda p: float(orbits.period_s(WGS84_A_M + p["h"] * 1000.0)) / 60.0,
    answer=Number("min", rel_tol=0.005),
    misconceptions=(
        Misconception("no-radius", "The orbit's radius is measured from Earth's centre: add Earth's radius to the altitude.",
                      lambda p: float(orbits.period_s(p["h"] * 1000.0)) / 60.0),
        Misconception("seconds", "That is the period in seconds; the question asks for minutes.",
                      lambda p: float(orbits.period_s(WGS84_A_M + p["h"] * 1000.0))),
    ),
)


# --- lesson: failures -----------------------------------------------------------------------

_FAULT_KINDS = ("no_ignition", "thrust_shortfall", "early_cutoff", "termination")
_CHOLLIMA = dict(perigee_km=493, apogee_km=512, inclination_deg=97.4, payload_kg=300, kick_deg=6.5)


@lru_cache(maxsize=1)
def _nominal_timeline():
    from .. import ascent

    r = ascent.fly("chollima-1", "sohae", **_CHOLLIMA)
    ign = {1: 0.0}
    end = {}
    for e in r.events:
        if "burnout" in e.name:
            end[int(e.name.split()[1])] = e.time_s
        if "ignition" in e.name:
            ign[int(e.name.split()[1])] = e.time_s
        if "cutoff" in e.name:
            end[3] = e.time_s
    return ign, end


def _gen_diagnose(rng):
    from .. import ascent, failures

    ign, end = _nominal_timeline()
    kind = _FAULT_KINDS[int(rng.integers(len(_FAULT_KINDS)))]
    if kind == "no_ignition":
        stage = int(rng.integers(2, 4))
        t, fault = ign[stage], failures.no_ignition(stage)
    elif kind == "thrust_shortfall":
        stage = int(rng.integers(1, 4))
        t = round(float(rng.uniform(ign[stage] + 15, end[stage] - 25)))
        fault = failures.thrust_shortfall(stage, t, round(float(rng.uniform(0.3, 0.7)), 2))
    elif kind == "early_cutoff":
        stage = int(rng.integers(2, 4))
        t = round(float(rng.uniform(ign[stage] + 15, end[stage] - 25)))
        fault = failures.early_cutoff(stage, t)
    else:
        t = round(float(rng.uniform(20.0, end[3] - 30)))
        stage = max(k for k, v in ign.items() if v <= t)
        fault = failures.termination(t)
    r = ascent.fly("chollima-1", "sohae", faults=[fault], **_CHOLLIMA)
    rows = []
    for tt in np.arange(0.0, min(r.time_s[-1], 700.0) + 1e-6, 10.0):
        i = min(int(np.searchsorted(r.time_s, tt)), r.time_s.size - 1)
        rows.append(f"| {tt:4.0f} | {r.altitude_m[i] / 1000:6.1f} | {r.inertial_speed_m_s[i]:6.0f} | "
                    f"{r.thrust_n[i] / 1000:6.0f} | {r.mass_kg[i] / 1000:6.2f} |")
    table = "| T+ s | altitude km | speed m/s | thrust kN | mass t |\n|---:|---:|---:|---:|---:|\n" + "\n".join(rows)
    return {"stage": stage, "time": float(t), "kind": kind, "telemetry": table}


DIAGNOSE = Exercise(
    id="failures-1", version=1, lesson="failures", title="Diagnose the telemetry",
    prompt="A Chollima-1 (three stages, from Sohae to a 97.4° orbit) did not fly as planned. Here is its "
           "telemetry, every 10 s:\n\n{telemetry}\n\nWhich stage failed, at what time (±12 s), and how? Answer as "
           "`[stage, time_s, kind]` with kind one of `no_ignition`, `thrust_shortfall`, `early_cutoff`, `termination`.",
    generate=_gen_diagnose,
    solve=lambda p: (p["stage"], p["time"], p["kind"]),
    answer=Record((("stage", "int", 0), ("time_s", "number", 12.0), ("kind", "word", None))),
    misconceptions=(
        Misconception("next-stage", "The stage that failed is the one whose thrust changed, not the one that "
                      "lit (or should have lit) after it.", lambda p: (p["stage"] + 1, p["time"], p["kind"])),
        Misconception("cutoff-vs-termination", "After an early cutoff the next stage still lights; after a "
                      "termination nothing thrusts again. Look at the thrust column after the event.",
                      lambda p: (p["stage"], p["time"], {"early_cutoff": "termination", "termination": "early_cutoff"}.get(p["kind"], p["kind"]))),
    ),
)


ALL = [LOWEST, PAD_SPEED, AZIMUTH, WHY_SOUTH, REACH, ROCKET_DV, STAGING_DV, LOSS_BUDGET, PERIOD, DIAGNOSE]
