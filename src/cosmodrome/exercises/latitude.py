"""Lesson 2 (Launch latitude and azimuth): its exercises, each computing its reference answer with the library."""

import math
from functools import lru_cache

from .. import launch_geometry, orbits, sites
from ..constants import WGS84_A_M
from ._shared import _reasoning, _s
from .core import Exercise, Lesson, Misconception, Number, Selection

SITE_CHOICES = ("vostochny", "baikonur", "plesetsk", "sohae", "kourou", "cape-canaveral", "jiuquan", "tanegashima")



def _gen_lowest(rng):
    s = sites.get_site(SITE_CHOICES[int(rng.integers(len(SITE_CHOICES)))])
    return {"site": s.name, "lat": s.latitude_deg}


LOWEST = Exercise(
    id="latitude-1", version=2, lesson="latitude", title="The lowest inclination",
    prompt="A rocket launches from **{site}** at latitude {lat:.2f}° N (geodetic, as on a map) and flies straight "
           "to orbit (no dog-leg, no plane change). What is the lowest orbital inclination it can reach, in "
           "degrees? (±0.2 %)",
    generate=_gen_lowest,
    solve=lambda p: float(sites.lowest_inclination_deg(p["lat"])),
    # ±0.2 %: the geodetic latitude is 0.04° (Kourou) to 0.20° off, and must be refused
    answer=Number("deg", rel_tol=0.002),
    misconceptions=(
        Misconception("geodetic", "That is the geodetic latitude on the map. The orbit plane passes through the "
                      "Earth's centre, so what counts is the site's *geocentric* latitude, a little smaller "
                      "because the Earth is flattened (`earth.geocentric_latitude_deg`).",
                      lambda p: round(p["lat"], 2)),
        Misconception("pole-angle", "Inclination is measured from the equator: a due-east launch gives an "
                      "orbit tilted by the site's latitude, not by 90° minus it.", lambda p: 90.0 - p["lat"]),
        Misconception("zero", "A rocket cannot reach the equatorial plane directly from off the equator: the orbit "
                      "plane must pass through both the launch site and Earth's centre.", lambda p: 0.0),
    ),
)


def _pad_speed(lat, fn=None):
    return 7.292115e-5 * WGS84_A_M * (fn or (lambda x: math.cos(math.radians(x))))(lat)


def _gen_speed(rng):
    # from 12°: nearer the equator cos φ is so close to 1 that forgetting it falls within the 1 % tolerance;
    # a latitude where sin φ or cos(φ taken as radians) comes within 3 % of cos φ is drawn again
    while True:
        lat = round(float(rng.uniform(12.0, 65.0)), 1)
        ref = _pad_speed(lat)
        if all(abs(_pad_speed(lat, fn) - ref) > 0.03 * ref
               for fn in (lambda x: math.sin(math.radians(x)), math.cos)):
            return {"lat": lat}


PAD_SPEED = Exercise(
    id="latitude-2", version=2, lesson="latitude", title="Free speed from Earth's rotation",
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
                      lambda p: float(sites.ground_azimuth_deg(
                          p["lat"], sites.inertial_azimuth_deg(p["lat"], p["inc"])[1], 200e3))),
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


WHY_SOUTH = _reasoning(
    "latitude-4", "latitude", "Why Sohae launches south",
    "North Korea's Sohae station launches its satellite rockets to the south, over the Yellow Sea. Why?",
    _SOUTH_OPTIONS)


#: on paper a student works the azimuths out by hand: every drawn site's ground azimuths lie at least this far
#: (deg) from a corridor's edge, and the orbit at least _REACH_INC_MARGIN_DEG from the site's lowest inclination
_REACH_AZ_MARGIN_DEG = 1.5
_REACH_INC_MARGIN_DEG = 1.0


def _site_params(i, key):
    """Site ``i`` of latitude-5 as the sheet prints it: latitude and corridors, in params."""
    s_ = sites.get_site(key)
    out = {f"lat{i}": round(s_.latitude_deg, 2)}
    for j, c in enumerate(s_.corridors):
        out[f"c{i}_{j}_from"], out[f"c{i}_{j}_to"] = c.from_deg, c.to_deg
    return out


def _corridor_numbers(p, i):
    return [j for j in range(8) if f"c{i}_{j}_from" in p]


def _corridors(p, i):
    return [sites.Corridor(p[f"c{i}_{j}_from"], p[f"c{i}_{j}_to"], "") for j in _corridor_numbers(p, i)]


def _site_reaches(p, i):
    """(reaches the orbit within its corridors?, margin in deg) for site ``i``, from the printed numbers."""
    return _reaches(p[f"lat{i}"], p["inc"], tuple((c.from_deg, c.to_deg) for c in _corridors(p, i)))


@lru_cache(maxsize=8192)
def _reaches(lat, inc, corridors):
    low = _lowest(lat)
    if not low <= inc <= 180.0 - low:
        return False, min(abs(inc - low), abs(180.0 - low - inc))
    az = sites.launch_azimuths_deg(lat, inc)
    margin, ok = min(inc - low, 180.0 - low - inc), False
    for g in (float(az["ground_ascending"]), float(az["ground_descending"])):
        for lo, hi in corridors:
            ok = ok or bool(sites.Corridor(lo, hi, "").contains(g))
            for edge in (lo, hi):
                margin = min(margin, abs((g - edge + 180.0) % 360.0 - 180.0))
    return ok, margin


def _gen_reach(rng):
    keys = sorted(sites.all_sites())
    for _ in range(200):
        inc = round(float(rng.choice([55.0, 63.0, 70.0, 82.5, 97.5]) + rng.uniform(-1.0, 1.0)), 1)
        pick = [keys[i] for i in rng.choice(len(keys), size=5, replace=False)]
        p = {"inc": inc, "sites": pick}
        for i, k in enumerate(pick):
            p.update(_site_params(i, k))
        ok = [_site_reaches(p, i)[0] for i in range(5)]
        # corridors must matter (ignoring them gives another set); the printed numbers must give the
        # library's answer, and no site may sit so near an edge that working by hand could flip it
        if (0 < sum(ok) < 5 and _reach_ignoring_corridors(p) != frozenset(i for i, o in enumerate(ok) if o)
                and ok == [_direct_ok(k, inc) for k in pick] and all(_fair(p, i) for i in range(5))):
            return p
    raise RuntimeError("no sensible variant found")


def _fair(p, i):
    """Site ``i`` is clear of every edge: of the inclinations its latitude allows by
    _REACH_INC_MARGIN_DEG, and (if it allows this one) of its corridors by _REACH_AZ_MARGIN_DEG."""
    low = _lowest(p[f"lat{i}"])
    by_latitude = low <= p["inc"] <= 180.0 - low
    return _site_reaches(p, i)[1] >= (_REACH_AZ_MARGIN_DEG if by_latitude else _REACH_INC_MARGIN_DEG)


@lru_cache(maxsize=4096)
def _direct_ok(key, inc):
    try:
        sites.plan_direct_ascent(key, inc)
        return True
    except ValueError:
        return False


def _corridor_text(p, i):
    return " and ".join(f"{p[f'c{i}_{j}_from']:g}° clockwise to {p[f'c{i}_{j}_to']:g}°"
                        for j in _corridor_numbers(p, i))


def _reach_options(p):
    texts = [f"{sites.get_site(k).name.split(' (')[0]}, latitude {p[f'lat{i}']:.2f}° N; corridor "
             f"{_corridor_text(p, i)}" for i, k in enumerate(p["sites"])]
    return texts, [i for i in range(len(p["sites"])) if _site_reaches(p, i)[0]]


@lru_cache(maxsize=256)
def _lowest(lat):
    return float(sites.lowest_inclination_deg(lat))


def _reach_ignoring_corridors(p):
    return frozenset(i for i in range(len(p["sites"]))
                     if _lowest(p[f"lat{i}"]) <= p["inc"] <= 180 - _lowest(p[f"lat{i}"]))


REACH = Exercise(
    id="latitude-5", version=3, lesson="latitude", title="Which sites can reach the orbit?",
    prompt="A {inc:.1f}° orbit is wanted, by a direct ascent (no dog-leg) to a circular parking orbit 200 km up "
           "(orbital speed 7784 m/s). Range safety lets each site launch only along the ground azimuths of its "
           "corridor (degrees clockwise from north, as the rocket heads over the ground; the pad's own eastward "
           "speed is 465.1 m/s × cos latitude). Which of these sites can reach the orbit *within their "
           "range-safety corridors*? Give every right letter, e.g. A, C.",
    generate=_gen_reach, solve=None, answer=Selection(), options=_reach_options,
    misconceptions=(
        Misconception("ignored-corridors", "Latitude allows it there, but range safety does not: check each "
                      "site's corridors (where the spent stages may fall).", _reach_ignoring_corridors),
    ),
)


#: Baikonur's latitude (geodetic, data/sites.toml): late_launch takes the site, though with the on-time
#: azimuth the cost depends only on the inclination and the delay
_BAIKONUR_LAT = sites.get_site("baikonur").latitude_deg
_SIDEREAL_DAY_S = 86164.0905  # 2 pi / omega_E, as the prompt prints it (86,164 s)


def _gen_late(rng):
    h = int(rng.integers(200, 451))
    return {"inc": round(float(rng.uniform(48.0, 70.0)), 2), "delay": int(rng.integers(1, 16)), "h": h,
            "v": round(float(orbits.circular_speed_m_s(WGS84_A_M + h * 1000.0)))}


def _late_dv(p):
    return float(launch_geometry.late_launch(_BAIKONUR_LAT, p["inc"], 60.0 * p["delay"],
                                             altitude_m=p["h"] * 1000.0).delta_v_m_s)


def _late_parts(p, day_s=_SIDEREAL_DAY_S, delay_s=None):
    """(node shift deg, sin(theta/2), circular speed m/s) of latitude-6, as worked by hand."""
    d_node = 360.0 * (60.0 * p["delay"] if delay_s is None else delay_s) / day_s
    s = math.sin(math.radians(p["inc"])) * math.sin(math.radians(d_node / 2.0))
    return d_node, s, float(orbits.circular_speed_m_s(WGS84_A_M + p["h"] * 1000.0))


def _late_wrong(p, how):
    d_node, s, v = _late_parts(p, delay_s=p["delay"] if how == "minutes" else None)
    if how == "node-angle":
        return 2.0 * v * math.sin(math.radians(d_node / 2.0))
    if how == "no-half":
        return 2.0 * v * math.sin(2.0 * math.asin(s))
    if how == "radians":
        return 2.0 * v * math.sin(math.radians(p["inc"])) * math.sin(d_node / 2.0)
    return 2.0 * v * s


LATE = Exercise(
    id="latitude-6", version=1, lesson="latitude", title="What launching late costs",
    prompt="A Soyuz bound for a space station whose orbit is inclined {inc:.2f}° lifts off from Baikonur "
           "**{delay} min** after the site passed under the station's plane, and flies the azimuth it would have "
           "flown on time. Its orbit has the station's inclination, but while it waited the Earth turned under the "
           "plane (once per sidereal day, 86,164 s), so its ascending node lies east of the station's by the angle "
           "the Earth turned, ΔΩ. Two planes of the same inclination i whose nodes are ΔΩ apart meet at an angle θ "
           "with sin(θ/2) = sin i sin(ΔΩ/2). How much delta-v, in m/s, does it cost to turn the orbit into the "
           "station's plane on a circular orbit {h} km up, where the speed is {v} m/s? (±0.6 %)",
    generate=_gen_late, solve=_late_dv,
    # ±0.6 %: the answer to three significant figures passes (100-105 m/s rounds by up to 0.5 %)
    answer=Number("m/s", rel_tol=0.006),
    misconceptions=(
        Misconception("no-rotation", "The station's plane stays fixed among the stars while the Earth turns under "
                      "it, a quarter of a degree a minute: a late rocket's plane is turned by that much.",
                      lambda p: 0.0),
        Misconception("node-angle", "The nodes are ΔΩ apart, but the planes are not: both are tilted by i, so "
                      "they meet at the smaller angle θ with sin(θ/2) = sin i sin(ΔΩ/2).",
                      lambda p: _late_wrong(p, "node-angle")),
        Misconception("no-half", "Turning a plane by θ takes Δv = 2 v sin(θ/2), the chord between the two "
                      "velocity vectors, not 2 v sin θ.", lambda p: _late_wrong(p, "no-half")),
        Misconception("degrees-as-radians", "An angle in degrees went into sin() as if it were in radians: set the "
                      "calculator to degrees, or convert first.", lambda p: _late_wrong(p, "radians")),
        Misconception("minutes-as-seconds", "The Earth turns 360° in 86,164 seconds: put the delay in seconds, "
                      "not minutes.", lambda p: _late_wrong(p, "minutes")),
    ),
)


def _w_lowest(p):
    ref = LOWEST.reference(p)
    return (f"tan φ′ = (1 − e²) tan φ = 0.99330562 × tan {p['lat']:.2f}° → φ′ = {ref:.3f}° (geocentric); "
            f"i_min = φ′ = {_s(ref)}°")


def _w_pad_speed(p):
    return (f"v = ω R cos φ = 7.292115×10⁻⁵ rad/s × 6378137 m × cos {p['lat']:.1f}° "
            f"= {_s(PAD_SPEED.reference(p))} m/s")


def _w_azimuth(p):
    from .. import earth

    phic = float(earth.geocentric_latitude_deg(p["lat"]))
    beta = math.radians(float(sites.inertial_azimuth_deg(p["lat"], p["inc"])[0]))
    vpad = float(earth.surface_speed_m_s(p["lat"]))
    v = float(orbits.circular_speed_m_s(WGS84_A_M + 200e3))
    return (f"φ = {p['lat']:.1f}° (geocentric φ′ = {phic:.2f}°); sin β = cos i / cos φ′ = cos {p['inc']:.1f}° / "
            f"cos {phic:.2f}° → β = {math.degrees(beta):.2f}° (inertial); v = {v:.0f} m/s, v_pad = {vpad:.1f} m/s; "
            f"tan β_ground = (v sin β − v_pad) / (v cos β) = ({v:.0f} × {math.sin(beta):.4f} − {vpad:.1f}) / "
            f"({v:.0f} × {math.cos(beta):.4f}) → β_ground = {_s(_ground_az(p))}°")


def _w_late(p):
    d_node, s, v = _late_parts(p)
    return (f"ΔΩ = 360° × Δt / 86164 s = 360° × ({p['delay']} min × 60 s) / 86164 s = {d_node:.4f}°; "
            f"sin(θ/2) = sin i sin(ΔΩ/2) = sin {p['inc']:.2f}° × sin {d_node / 2:.4f}° = {s:.5g} "
            f"(θ = {2 * math.degrees(math.asin(s)):.4f}°); v = √(μ / (R + h)) with h = {p['h']} km: {v:.1f} m/s; "
            f"Δv = 2 v sin(θ/2) = 2 × {v:.1f} m/s × {s:.5g} = {_s(_late_dv(p))} m/s")


LOWEST.working = _w_lowest
PAD_SPEED.working = _w_pad_speed
AZIMUTH.working = _w_azimuth
LATE.working = _w_late

LESSON = Lesson(
    name="latitude",
    title='Launch latitude and azimuth',
    question=(
        "Why can't a rocket from Vostochny fly straight to the ISS, and why does Sohae launch south?"),
    formulas=(
        'v_"pad" = omega_E R cos phi, quad omega_E = 7.292115 times 10^(-5) " rad/s", quad R = 6378.137 " km"',
        'tan phi\' = (1 - e^2) tan phi " (geocentric latitude)", quad e^2 = 0.00669438 " (WGS84)"',
        'cos i = cos phi\' sin beta " (inertial azimuth " beta ")", quad i_"min" = phi\'',
        'tan beta_"ground" = (v sin beta - v_"pad") / (v cos beta) " (heading over the ground)"',
        'Delta Omega = 360 degree times Delta t \\/ (86164 " s"), quad sin theta/2 = sin i sin (Delta Omega)/2, '
        'quad Delta v = 2 v sin theta/2 " (launching late)"',
    ),
    exercises=(LOWEST, PAD_SPEED, AZIMUTH, WHY_SOUTH, REACH, LATE,),
)
