"""The exercises, grouped by lesson. Each computes its reference answer with the library."""

import math
from functools import lru_cache

import numpy as np

from .. import orbits, propulsion, sites, vehicles
from ..constants import G0_M_S2, WGS84_A_M
from .core import Choice, Exercise, Judged, Misconception, Number, Record, Selection, _shown

SITE_CHOICES = ("vostochny", "baikonur", "plesetsk", "sohae", "kourou", "cape-canaveral", "jiuquan", "tanegashima")


# --- lesson: visit ----------------------------------------------------------------------

def _shuffled(rng, n):
    return [int(i) for i in rng.permutation(n)]


def _static_choice(options):
    """Options for a fixed list of (text, hint) whose first entry is right, shown in the
    student's own order ``p["order"]``."""
    def opts(p):
        return [options[i][0] for i in p["order"]], p["order"].index(0)
    return opts


def _static_misconceptions(options):
    return tuple(Misconception(f"option-{k}", options[k][1], (lambda k: lambda p: p["order"].index(k))(k))
                 for k in range(1, len(options)))


def _reasoning(id, lesson, title, prompt, options):
    """A reasoning question: fixed options as (text, hint), the first right, shown to each
    student in their own order."""
    return Exercise(id=id, version=1, lesson=lesson, title=title, prompt=prompt,
                    generate=lambda rng: {"order": _shuffled(rng, len(options))}, solve=None, answer=Choice(),
                    options=_static_choice(options), misconceptions=_static_misconceptions(options))


def _booster_figure(p):
    from .. import plot

    return plot.booster_layout(p["core"], p["booster"], p["n"])


def _gen_span(rng):
    return {"core": round(float(rng.uniform(2.5, 4.2)), 2), "booster": round(float(rng.uniform(1.8, 3.0)), 2),
            "n": int(rng.choice([2, 4]))}


SPAN = Exercise(
    id="visit-1", version=1, lesson="visit", title="Eight metres, including the parts?",
    prompt="A rocket's core stage is {core:.2f} m across; {n} strap-on boosters, each {booster:.2f} m across, are "
           "attached around it, touching the core, in opposite pairs. How wide is the rocket across the boosters, "
           "in metres? (±0.05 m)",
    generate=_gen_span,
    solve=lambda p: vehicles.span_across_boosters_m(p["core"], p["booster"]),
    answer=Number("m", abs_tol=0.05),
    figure=lambda p: _booster_figure(p),
    misconceptions=(
        Misconception("one-side", "Count a booster on each side of the core, not just one.",
                      lambda p: p["core"] + p["booster"]),
        Misconception("all-boosters", "Only the two boosters on one line across the core add to the width, however "
                      "many there are around it.",
                      lambda p: None if p["n"] == 2 else p["core"] + p["n"] * p["booster"]),
    ),
)


def _gen_cluster(rng):
    n = int(rng.choice([3, 5, 7]))
    f_sl = round(float(rng.uniform(1.60, 2.20)), 2)
    return {"n": n, "f_sl": f_sl, "f_vac": round(f_sl * float(rng.uniform(1.08, 1.14)), 2)}


CLUSTER = Exercise(
    id="visit-2", version=1, lesson="visit", title="The thrust of the largest rocket",
    prompt="A heavy rocket is built from {n} identical modules that all fire at lift-off, each with one engine "
           "giving {f_sl:.2f} MN at sea level and {f_vac:.2f} MN in vacuum. What is its total thrust at lift-off, "
           "in MN? (±1 %)",
    generate=_gen_cluster,
    solve=lambda p: p["n"] * p["f_sl"],
    answer=Number("MN", rel_tol=0.01),
    misconceptions=(
        Misconception("vacuum", "At lift-off the engines push against the air at sea level: use the sea-level "
                      "thrust, the smaller one.", lambda p: p["n"] * p["f_vac"]),
        Misconception("core-only", "Every module fires at lift-off: the side modules as well as the core.",
                      lambda p: p["f_sl"]),
        Misconception("boosters-only", "The central module fires at lift-off too: count all of them.",
                      lambda p: (p["n"] - 1) * p["f_sl"]),
    ),
)

VISIT_SITES = ("vostochny", "baikonur", "plesetsk", "sohae", "tonghae", "jiuquan", "tanegashima", "kourou")


@lru_cache(maxsize=1)
def _visit_pairs():
    """Ordered pairs of sites for visit-3: all but those where a flat-map estimate comes
    within 5 % of the great circle (nearly north-south pairs: there it is no mistake) or
    within 3 % of twice it (where it could not be told from the diameter mistake)."""
    pairs = []
    for a in VISIT_SITES:
        for b in VISIT_SITES:
            if a != b:
                p = {**_site_coords("a", a), **_site_coords("b", b)}
                ratio = _flat_map_km(p) / _distance_km(p)
                if ratio > 1.05 and abs(ratio / 2 - 1) > 0.03:
                    pairs.append((a, b))
    return tuple(pairs)


def _gen_distance(rng):
    a, b = _visit_pairs()[int(rng.integers(len(_visit_pairs())))]
    return {"a": a, "b": b, **_site_coords("a", a), **_site_coords("b", b)}


def _flat_map_km(p):
    """Pythagoras on a map in degrees, as if a degree of longitude were as long as at the equator."""
    dlon = (p["b_lon"] - p["a_lon"] + 180.0) % 360.0 - 180.0
    return 6371.0 * math.radians(math.hypot(p["b_lat"] - p["a_lat"], dlon))


def _site_coords(tag, key):
    s = sites.get_site(key)
    lon = round(s.longitude_deg, 2)
    return {f"{tag}_name": s.name.split(" (")[0], f"{tag}_lat": round(s.latitude_deg, 2),
            f"{tag}_lon": lon, f"{tag}_lon_txt": f"{abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"}


def _distance_km(p):
    from .. import earth

    return float(earth.great_circle_distance_m(p["a_lat"], p["a_lon"], p["b_lat"], p["b_lon"])) / 1000.0


DISTANCE = Exercise(
    id="visit-3", version=2, lesson="visit", title="How far apart?",
    prompt="{a_name} is at {a_lat:.2f}° N, {a_lon_txt}; {b_name} is at {b_lat:.2f}° N, {b_lon_txt}. How far apart are they along the Earth's surface (a great circle on a sphere of "
           "radius 6371 km), in km? (±1 %)",
    generate=_gen_distance, solve=_distance_km, answer=Number("km", rel_tol=0.01),
    misconceptions=(
        Misconception("diameter", "Use the Earth's radius, not its diameter: distance = radius × central angle.",
                      lambda p: 2 * _distance_km(p)),
        Misconception("degrees", "The central angle must be in radians before multiplying by the radius.",
                      lambda p: _distance_km(p) * 180 / math.pi),
        Misconception("flat-map", "That is a flat-map estimate (Pythagoras on latitude and longitude): a degree of "
                      "longitude is only cos(latitude) as long as one at the equator, and the shortest way is a "
                      "great circle. Use the haversine formula for the central angle.", _flat_map_km),
    ),
)

_WHY_VOSTOCHNY = (
    ("Baikonur is in Kazakhstan, leased; Vostochny gives Russia a modern cosmodrome for crews and heavy "
     "rockets on its own territory.", ""),
    ("Vostochny is closer to the equator than Baikonur, so rockets get more free speed from Earth's rotation.",
     "Compare the latitudes: Vostochny is at 51.9° N, Baikonur at 45.9° N. Vostochny is farther from the "
     "equator and gets *less* free speed."),
    ("From Vostochny a direct ascent reaches the ISS's 51.6° orbit, which Baikonur cannot.",
     "A site's latitude is its lowest direct-ascent inclination: 51.6° is just below Vostochny's reach, and "
     "within Baikonur's."),
    ("Rockets from Vostochny fly over the ocean from the first second, so no spent stage ever falls on land.",
     "Vostochny is 600-800 km inland; its lower stages fall in the Khabarovsk region as well as in the Sea of "
     "Okhotsk (spacedaily.com, 'Russia's New Launch Complex - Vostochny Cosmodrome')."),
)


WHY_VOSTOCHNY = _reasoning(
    "visit-4", "visit", "Why build Vostochny?",
    "Russia already had Baikonur (45.9° N) and Plesetsk (62.9° N). Why did it build Vostochny (51.9° N) "
    "in the Amur region, opened in 2016?", _WHY_VOSTOCHNY)

_TW_VEHICLES = ("soyuz-2-1b", "angara-a5", "angara-1-2", "chollima-1", "unha-3", "falcon-9")


def _gen_liftoff_tw(rng):
    key = _TW_VEHICLES[int(rng.integers(len(_TW_VEHICLES)))]
    v = vehicles.get_vehicle(key)
    payload = round(float(rng.uniform(0.3, 1.0)) * v.payload_leo_kg, -1)
    return {"vehicle": v.name, "key": key, "thrust_mn": round(v.liftoff_thrust_n / 1e6, 3),
            "thrust_vac_mn": round(sum(s.total_thrust_vac_n for s in v.liftoff_groups()) / 1e6, 3),
            "mass_t": round(v.liftoff_mass_kg(payload) / 1000.0, 1), "payload_t": payload / 1000.0,
            "payload_txt": f"{payload:.0f} kg" if payload < 1000 else f"{payload / 1000:.1f} t"}


LIFTOFF_TW = Exercise(
    id="visit-5", version=1, lesson="visit", title="Does it leave the pad?",
    prompt="{vehicle} weighs {mass_t:.1f} t at lift-off with a {payload_txt} payload (figures from "
           "cosmodrome's data/vehicles.toml). Its engines burning at lift-off give {thrust_mn:.3f} MN at sea "
           "level ({thrust_vac_mn:.3f} MN in vacuum). What is its thrust-to-weight ratio at lift-off "
           "(g₀ = 9.80665 m/s²)? (±1 %)",
    generate=_gen_liftoff_tw,
    solve=lambda p: float(propulsion.thrust_to_weight(p["thrust_mn"] * 1e6, p["mass_t"] * 1000.0)),
    answer=Number("", rel_tol=0.01),
    misconceptions=(
        Misconception("vacuum", "On the pad the engines work at sea level: use the sea-level thrust.",
                      lambda p: p["thrust_vac_mn"] * 1e6 / (p["mass_t"] * 1000.0 * G0_M_S2)),
        Misconception("no-g0", "Weight is mass × g₀: divide the thrust by m g₀, not by m.",
                      lambda p: p["thrust_mn"] * 1e6 / (p["mass_t"] * 1000.0)),
        Misconception("tonnes", "Convert tonnes to kg (× 1000) and MN to N (× 10⁶) before dividing.",
                      lambda p: p["thrust_mn"] * 1e6 / (p["mass_t"] * G0_M_S2)),
    ),
)


# --- lesson: latitude ------------------------------------------------------------------

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
        Misconception("mass-ratio", "The mass ratio is the whole mass at ignition over the whole mass at burnout, "
                      "m₀/m_f, not the propellant burnt over what is left.",
                      lambda p: p["isp_vac"] * G0_M_S2 * math.log((p["m0"] - p["mf"]) / p["mf"])),
    ),
)


def _gen_engine(rng):
    f_vac = round(float(rng.uniform(0.3, 2.2)), 3)
    isp_vac = round(float(rng.uniform(300.0, 360.0)))
    return {"f_vac": f_vac, "isp_vac": isp_vac, "isp_sl": round(isp_vac * float(rng.uniform(0.82, 0.9))),
            "prop_t": round(float(rng.uniform(20.0, 150.0)), 1)}


_REAL_STAGES = tuple((vk, k) for vk in ("soyuz-2-1b-fregat", "angara-a5", "angara-1-2", "chollima-1", "unha-3",
                                         "falcon-9") for k in range(len(vehicles.get_vehicle(vk).stages)))


def _gen_real_engine(rng):
    vk, k = _REAL_STAGES[int(rng.integers(len(_REAL_STAGES)))]
    v = vehicles.get_vehicle(vk)
    st = v.stages[k]
    throttle = int(rng.integers(60, 101))
    return {"vehicle": v.name, "stage_name": st.name, "throttle": throttle,
            "f_vac": round(st.total_thrust_vac_n * throttle / 100 / 1e6, 4),
            "isp_vac": st.isp_vac_s, "isp_sl": st.isp_sl_s if st.isp_sl_s > 0 else round(0.88 * st.isp_vac_s),
            "estimate": " (a cosmodrome estimate)" if st.estimate else ""}


MASS_FLOW = Exercise(
    id="rocket-2", version=1, lesson="rocket", title="How fast does it drink?",
    prompt="{vehicle}, {stage_name}{estimate}: throttled to {throttle} %, its engines give {f_vac:.4f} MN of "
           "thrust in vacuum, with a vacuum specific impulse of {isp_vac:g} s (data/vehicles.toml; "
           "g₀ = 9.80665 m/s²). How much propellant do they burn per second, in kg/s? (±1 %)",
    generate=_gen_real_engine,
    solve=lambda p: float(propulsion.mass_flow_kg_s(p["f_vac"] * 1e6, p["isp_vac"])),
    answer=Number("kg/s", rel_tol=0.01),
    misconceptions=(
        Misconception("no-g0", "Thrust = mass flow × exhaust speed, and the exhaust speed is Isp × g₀ (in m/s), "
                      "not Isp.", lambda p: p["f_vac"] * 1e6 / p["isp_vac"]),
        Misconception("sea-level", "The thrust given is the vacuum thrust: pair it with the vacuum Isp.",
                      lambda p: p["f_vac"] * 1e6 / (p["isp_sl"] * G0_M_S2)),
        Misconception("MN", "The thrust went in still in MN: 1 MN is 10⁶ N.",
                      lambda p: p["f_vac"] / (p["isp_vac"] * G0_M_S2)),
        Misconception("tonnes-per-second", "That is in tonnes per second; the question asks for kg/s "
                      "(1 t/s = 1000 kg/s). Or give it with its unit, e.g. \"0.5 t/s\".",
                      lambda p: p["f_vac"] * 1e3 / (p["isp_vac"] * G0_M_S2)),
    ),
)

BURN_TIME = Exercise(
    id="rocket-3", version=1, lesson="rocket", title="How long does it burn?",
    prompt="A stage carries {prop_t:.1f} t of propellant for one engine of {f_vac:.3f} MN vacuum thrust and "
           "{isp_vac} s vacuum specific impulse, burning at full thrust in vacuum. How long does it burn, in "
           "seconds? (±1 %)",
    generate=_gen_engine,
    solve=lambda p: float(propulsion.burn_time_s(p["prop_t"] * 1000.0, p["f_vac"] * 1e6, p["isp_vac"])),
    answer=Number("s", rel_tol=0.01),
    misconceptions=(
        Misconception("no-g0", "The mass flow is thrust / (Isp × g₀): the g₀ belongs in it.",
                      lambda p: p["prop_t"] * 1000.0 * p["isp_vac"] / (p["f_vac"] * 1e6)),
        Misconception("sea-level", "The stage burns in vacuum: use the vacuum Isp.",
                      lambda p: p["prop_t"] * 1000.0 * p["isp_sl"] * G0_M_S2 / (p["f_vac"] * 1e6)),
    ),
)


def _gen_propellant(rng):
    return {"mf": round(float(rng.uniform(2.0, 25.0)), 1), "isp": round(float(rng.uniform(280.0, 450.0))),
            "dv": round(float(rng.uniform(0.5, 4.0)), 1)}


def _propellant_t(p):
    return float(propulsion.propellant_for_delta_v_kg(p["isp"], p["dv"] * 1000.0, p["mf"] * 1000.0)) / 1000.0


PROPELLANT = Exercise(
    id="rocket-4", version=1, lesson="rocket", title="The price of a kilometre per second",
    prompt="A spacecraft has {mf:.1f} t left when its burn ends. Its engine's specific impulse is {isp} s. How "
           "much propellant must it burn to gain {dv:.1f} km/s, in tonnes? (±1 %)",
    generate=_gen_propellant, solve=_propellant_t, answer=Number("t", rel_tol=0.01),
    misconceptions=(
        Misconception("linear", "The rocket equation is exponential: m₀ = m_f e^(Δv / (Isp g₀)); a straight "
                      "line underestimates the propellant.",
                      lambda p: p["mf"] * p["dv"] * 1000.0 / (p["isp"] * G0_M_S2)),
        Misconception("initial-mass", "That is the mass at ignition, m₀: the propellant is m₀ − m_f.",
                      lambda p: _propellant_t(p) + p["mf"]),
        Misconception("km", "Δv must be in m/s (× 1000) to match Isp × g₀ in m/s.",
                      lambda p: p["mf"] * (math.exp(p["dv"] / (p["isp"] * G0_M_S2)) - 1.0)),
    ),
)


def _gen_liftoff_choice(rng):
    tw = float(rng.choice([rng.uniform(0.75, 0.97), rng.uniform(1.05, 1.6)]))
    mass_t = round(float(rng.uniform(80.0, 700.0)), 0)
    f_sl = round(tw * mass_t * 1000.0 * G0_M_S2 / 1e6, 2)
    # vacuum thrust always enough: the trap is to use it
    f_vac = round(max(f_sl * float(rng.uniform(1.08, 1.15)), 1.03 * mass_t * 1000.0 * G0_M_S2 / 1e6), 2)
    return {"mass_t": mass_t, "f_sl": f_sl, "f_vac": f_vac, "order": _shuffled(rng, 4)}


def _liftoff_right(p):
    """0 (it rises at once) or 1 (it stays on the pad), in the unshuffled texts."""
    return 0 if p["f_sl"] * 1e6 / (p["mass_t"] * 1000.0 * G0_M_S2) > 1 else 1


def _liftoff_options(p):
    texts = [
        "It rises at once: its sea-level thrust exceeds its weight.",
        "It stays on the pad: its sea-level thrust is less than its weight, so it cannot rise until it burns "
        "off some mass (and it does not have the time).",
        "It rises, because in flight the thrust grows to its vacuum value.",
        "It rises, because Earth's rotation helps it off the pad.",
    ]
    return [texts[i] for i in p["order"]], p["order"].index(_liftoff_right(p))


LIFTOFF_CHOICE = Exercise(
    id="rocket-5", version=1, lesson="rocket", title="Will it lift off?",
    prompt="A rocket weighs {mass_t:.0f} t on the pad. Its first-stage engines give {f_sl:.2f} MN at sea level "
           "and {f_vac:.2f} MN in vacuum. What happens when they reach full thrust?",
    generate=_gen_liftoff_choice, solve=None, answer=Choice(), options=_liftoff_options,
    misconceptions=(
        Misconception("vacuum", "On the pad the engines work at sea level: compare the sea-level thrust with the "
                      "weight m g₀. The thrust grows only once the rocket is already climbing.",
                      lambda p: p["order"].index(2)),
        Misconception("rotation", "Earth's rotation gives speed along the ground (eastward), not upward force "
                      "on the pad.", lambda p: p["order"].index(3)),
        Misconception("rises-or-stays", "Compare the sea-level thrust (on the pad the engines work in air) with "
                      "the weight m g₀, both in newtons: MN × 10⁶, and tonnes × 1000 × 9.80665.",
                      lambda p: p["order"].index(1 - _liftoff_right(p))),
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


def _gen_single_stage(rng):
    return {"isp": round(float(rng.uniform(280.0, 450.0))), "eps": round(float(rng.uniform(0.04, 0.14)), 3)}


SINGLE_STAGE = Exercise(
    id="staging-2", version=1, lesson="staging", title="The ceiling of one stage",
    prompt="A single stage has a structural ratio ε = {eps} (empty mass / mass with full tanks) and an Isp of "
           "{isp} s. Carrying no payload at all, what is the largest delta-v it can give, in m/s? (±1 %)",
    generate=_gen_single_stage,
    solve=lambda p: float(vehicles.single_stage_max_delta_v_m_s(p["isp"], p["eps"])),
    answer=Number("m/s", rel_tol=0.01),
    misconceptions=(
        Misconception("one-minus", "The mass ratio m₀/m_f with no payload is 1/ε (full over empty), not "
                      "1/(1 − ε).", lambda p: p["isp"] * G0_M_S2 * math.log(1.0 / (1.0 - p["eps"]))),
        Misconception("no-g0", "Exhaust speed = Isp × g₀.", lambda p: p["isp"] * math.log(1.0 / p["eps"])),
    ),
)


def _gen_ssto_choice(rng):
    isp = round(float(rng.uniform(290.0, 340.0)))
    eps = round(float(rng.uniform(0.08, 0.14)), 3)
    return {"isp": isp, "eps": eps, "need": round(float(rng.uniform(9.2, 9.6)), 1), "order": _shuffled(rng, 4)}


_SSTO_TEXTS = (
    "No: even empty of payload, this stage's delta-v ceiling Isp g₀ ln(1/ε) is below what orbit needs; "
    "only dropping empty mass on the way (staging) gets there.",
    "Yes: make the stage big enough and it can carry any payload to orbit.",
    "Yes: with no payload its delta-v is unlimited, because the mass ratio grows with size.",
    "No, but only because of drag: in vacuum it would reach orbit.",
)


def _ssto_options(p):
    return [_SSTO_TEXTS[i] for i in p["order"]], p["order"].index(0)


SSTO = Exercise(
    id="staging-3", version=1, lesson="staging", title="Why not one big stage?",
    prompt="Reaching low orbit takes about {need:.1f} km/s of ideal delta-v, losses included. A stage has "
           "structural ratio ε = {eps} and Isp {isp} s. Can a single stage of this kind reach orbit with a "
           "useful payload?",
    generate=_gen_ssto_choice, solve=None, answer=Choice(), options=_ssto_options,
    misconceptions=(
        Misconception("bigger", "Building it bigger scales the tanks and the propellant together: ε, and so the "
                      "ceiling Isp g₀ ln(1/ε), stays the same.", lambda p: p["order"].index(1)),
        Misconception("unlimited", "With no payload the mass ratio is 1/ε, a fixed number: compute "
                      "Isp g₀ ln(1/ε).", lambda p: p["order"].index(2)),
        Misconception("drag", "The ceiling is set by the structure alone; the losses only add to what is needed.",
                      lambda p: p["order"].index(3)),
    ),
)


def _gen_optimal(rng):
    return {"isp": round(float(rng.uniform(300.0, 350.0))), "eps": round(float(rng.uniform(0.07, 0.12)), 3),
            "dv": round(float(rng.uniform(8.0, 9.0)), 1), "pay": round(float(rng.uniform(1.0, 10.0)), 1)}


def _optimal_liftoff_t(p):
    r = vehicles.optimal_staging(p["dv"] * 1000.0, [p["isp"]] * 2, [p["eps"]] * 2, p["pay"] * 1000.0)
    return float(r["liftoff_mass_kg"]) / 1000.0


def _single_stage_liftoff_t(p):
    c = p["isp"] * G0_M_S2
    n = math.exp(p["dv"] * 1000.0 / c)
    frac = 1.0 - n * p["eps"]
    return p["pay"] * (n - 1.0) / frac + p["pay"] if frac > 0 else float("inf")


OPTIMAL = Exercise(
    id="staging-4", version=1, lesson="staging", title="Two identical stages, best split",
    prompt="Two stages, each with Isp {isp} s and structural ratio ε = {eps}, must give a {pay:.1f} t payload "
           "{dv:.1f} km/s of ideal delta-v. Sized for the lightest rocket (for identical stages: each gives half "
           "the delta-v), what is its lift-off mass, in tonnes? (±1 %)",
    generate=_gen_optimal, solve=_optimal_liftoff_t, answer=Number("t", rel_tol=0.01),
    misconceptions=(
        Misconception("payload-left-out", "The lift-off mass includes the payload and the second stage riding on "
                      "the first.", lambda p: _optimal_liftoff_t(p) - p["pay"]),
        Misconception("one-stage", "That is one stage's share of the mass; the first stage lifts the second stage "
                      "and the payload.",
                      lambda p: p["pay"] * math.sqrt(_optimal_liftoff_t(p) / p["pay"])),
    ),
)

# the stage that underperforms: an upper stage that fires on its own (not alongside strap-on boosters), so
# that its delta-v, and what it loses, follow from its own masses and Isp printed on the sheet
_UNDER_STAGES = (("soyuz-2-1b-fregat", 2600, 3), ("soyuz-2-1b-fregat", 2600, 4), ("chollima-1", 300, 2),
                 ("chollima-1", 300, 3), ("angara-a5", 8000, 3))


def _gen_underperform(rng):
    key, payload, k = _UNDER_STAGES[int(rng.integers(len(_UNDER_STAGES)))]
    v = vehicles.get_vehicle(key)
    phase = v.phases(payload)[k - 1]       # a parallel group and its core make two phases, as two stages
    st = v.stages[k - 1]
    return {"key": key, "vehicle": v.name, "payload": payload, "stage": k, "stage_name": st.name.split(": ")[-1],
            "isp": st.isp_vac_s, "short": int(rng.choice([5, 8, 10, 12, 15])),
            "m0_t": round(phase.start_mass_kg / 1000.0, 2), "prop_t": round(st.total_propellant_mass_kg / 1000.0, 2),
            "dv_total": round(v.ideal_delta_v_m_s(payload))}


def _stage_dv(p):
    return p["isp"] * G0_M_S2 * math.log(p["m0_t"] / (p["m0_t"] - p["prop_t"]))


def _dv_loss(p):
    return _stage_dv(p) * p["short"] / 100.0


UNDERPERFORM = Exercise(
    id="staging-5", version=2, lesson="staging", title="A stage that underperforms",
    prompt="In cosmodrome's data, {vehicle} with a {payload} kg payload has an ideal delta-v (rocket equation, "
           "vacuum Isp, no losses) of {dv_total} m/s. Its stage {stage} ({stage_name}) fires on its own: when it "
           "lights, it and everything above it (the payload included) weigh {m0_t:.2f} t, of which {prop_t:.2f} t "
           "is its propellant, burnt with a vacuum Isp of {isp:g} s (g₀ = 9.80665 m/s²). Suppose that stage's "
           "engine delivers {short} % less Isp than that (same propellant, same masses). How much ideal delta-v "
           "does the whole vehicle lose, in m/s? (±2 %)",
    generate=_gen_underperform, solve=_dv_loss, answer=Number("m/s", rel_tol=0.02),
    misconceptions=(
        Misconception("whole-vehicle", "Only the one stage's delta-v shrinks; the other stages still give theirs.",
                      lambda p: p["dv_total"] * p["short"] / 100.0),
        Misconception("new-total", "That is the new total; the question asks how much is lost.",
                      lambda p: p["dv_total"] - _dv_loss(p)),
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
    b = {k: round(float(v)) for k, v in r.budget.items() if k != "gravity"}   # the answer stays out of params
    return {"vehicle": vehicles.get_vehicle(veh).name, "site": sites.get_site(site).name.split(" (")[0], "hp": hp, "ha": ha, "inc": inc,
            "payload": payload, "reached": bool(r.reached_orbit), **b}


def _gravity_loss(p):
    return p["ideal"] - p["delivered"] - p["drag"] - p["steering"] - p["back_pressure"]


LOSS_BUDGET = Exercise(
    id="ascent-1", version=2, lesson="ascent", title="Where did the delta-v go?",
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


@lru_cache(maxsize=None)
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
    id="ascent-2", version=2, lesson="ascent", title="Your own pitch programme", paper=False,
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
    id="ascent-3", version=2, lesson="ascent", title="Dynamic pressure",
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


_GAMMAS = tuple(g for g in range(5, 60) if g != 45)      # at 45° sin γ = cos γ: that mistake would pass


def _gen_gravity_loss(rng):
    return {"t": int(rng.integers(60, 400)), "gamma": _GAMMAS[int(rng.integers(len(_GAMMAS)))],
            "g": round(float(rng.uniform(9.3, 9.8)), 2)}


def _gravity_loss_estimate(p):
    return p["g"] * p["t"] * math.sin(math.radians(p["gamma"]))


GRAVITY_LOSS = Exercise(
    id="ascent-4", version=2, lesson="ascent", title="The price of climbing",
    prompt="A stage burns for {t} s while its flight path climbs at an average {gamma}° above the horizon, where "
           "gravity is {g} m/s². Estimate the delta-v it loses to gravity, g·t·sin γ, in m/s. (±2 %)",
    generate=_gen_gravity_loss, solve=_gravity_loss_estimate, answer=Number("m/s", rel_tol=0.02),
    misconceptions=(
        Misconception("cos", "Gravity slows the rocket only along its path's vertical part: sin γ, not cos γ.",
                      lambda p: p["g"] * p["t"] * math.cos(math.radians(p["gamma"]))),
        Misconception("no-angle", "Only the part of gravity along the flight path costs speed: multiply by sin γ.",
                      lambda p: p["g"] * p["t"]),
        Misconception("degrees", "sin takes radians in most calculators and in Python: convert γ first.",
                      lambda p: p["g"] * p["t"] * math.sin(p["gamma"])),
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
    "ascent-5", "ascent", "Why turn at all?",
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
        inc = round(float(rng.uniform(53.0, 65.0)), 2)
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
                     f"ground, outside {p['site']}'s corridors ({', '.join(str(c).split(' (')[0] for c in s_.corridors)})."), ""
    inc = float(sites.inclination_deg(s_.latitude_deg, az))
    r = ascent.fly(key, p["site_key"], perigee_km=p["h"], apogee_km=p["h"] + 20, inclination_deg=inc,
                   payload_kg=p["payload"], kick_deg=kick)
    if not r.reached_orbit:
        return 0.0, (f"No orbit: {v.name} with {p['payload']} kg and a {kick:g}° kick fell back (impact at "
                     f"T+{r.impact[2]:.0f} s)."), "Try a gentler kick, or a vehicle with more margin."
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
    id="ascent-6", version=1, lesson="ascent", title="Capstone: your own launch", paper=False,
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


def _gen_sso(rng):
    # up to 1100 km (i < 99.95°): above, i passes 100° and three significant figures are ±0.5°
    return {"h": int(rng.integers(300, 1100))}


def _sso_deg(p):
    return math.degrees(float(orbits.sun_synchronous_inclination_rad(WGS84_A_M + p["h"] * 1000.0)))


SSO = Exercise(
    id="orbits-2", version=2, lesson="orbits", title="Sun-synchronous",
    prompt="Earth's equatorial bulge (J2 = 1.08263×10⁻³) turns an orbit's plane slowly around the polar axis: "
           "dΩ/dt = −(3/2) n J2 (R/a)² cos i for a circular orbit. A sun-synchronous orbit turns by 360° a year "
           "(0.9856°/day, eastward) to keep the same angle to the Sun. At what inclination is a circular orbit "
           "{h} km up sun-synchronous, in degrees? (R = 6378.137 km; ±0.1°)",
    generate=_gen_sso, solve=_sso_deg, answer=Number("deg", abs_tol=0.1),
    misconceptions=(
        Misconception("prograde", "An eastward (positive) turn needs cos i < 0: the orbit is retrograde, i > 90°.",
                      lambda p: 180.0 - _sso_deg(p)),
        Misconception("polar", "A polar orbit (90°) does not turn at all: cos 90° = 0.", lambda p: 90.0),
    ),
)


def _gen_circ_speed(rng):
    return {"h": int(rng.integers(180, 2000))}


def _circ_speed(p):
    return float(orbits.circular_speed_m_s(WGS84_A_M + p["h"] * 1000.0))


CIRC_SPEED = Exercise(
    id="orbits-3", version=1, lesson="orbits", title="How fast in orbit?",
    prompt="How fast, in m/s, does a satellite move on a circular orbit {h} km above the Earth "
           "(GM = 3.986004418×10¹⁴ m³/s², R = 6378.137 km)? (±0.5 %)",
    generate=_gen_circ_speed, solve=_circ_speed, answer=Number("m/s", rel_tol=0.005),
    misconceptions=(
        Misconception("no-radius", "The radius of the orbit is R + h, from the Earth's centre.",
                      lambda p: float(orbits.circular_speed_m_s(p["h"] * 1000.0))),
        Misconception("escape", "That is the escape speed, √(2GM/r); a circular orbit needs √(GM/r).",
                      lambda p: float(orbits.escape_speed_m_s(WGS84_A_M + p["h"] * 1000.0))),
    ),
)


def _gen_shift(rng):
    return {"h": int(rng.integers(300, 1000))}


def _shift_deg(p):
    from ..constants import EARTH_ROTATION_RAD_S

    return math.degrees(EARTH_ROTATION_RAD_S) * float(orbits.period_s(WGS84_A_M + p["h"] * 1000.0))


TRACK_SHIFT = Exercise(
    id="orbits-4", version=1, lesson="orbits", title="The next track, further west",
    prompt="A satellite on a circular orbit {h} km up crosses the equator going north. By how many degrees of "
           "longitude further west does it cross next time, because the Earth turned under it during one orbit "
           "(ω = 7.292115×10⁻⁵ rad/s; ignore the plane's own slow turning)? (±1 %)",
    generate=_gen_shift, solve=_shift_deg, answer=Number("deg", rel_tol=0.01),
    misconceptions=(
        Misconception("radians", "ω × T is in radians; convert to degrees.",
                      lambda p: math.radians(_shift_deg(p))),
        Misconception("per-minute", "Use the period in seconds with ω in rad/s.",
                      lambda p: _shift_deg(p) / 60.0),
    ),
)

_WHY_SSO = (
    ("It passes over each place at the same local solar time, so its pictures always have the same lighting "
     "and shadows.", ""),
    ("It stays above Korea all the time, watching continuously.",
     "That would be a geostationary orbit, 35 786 km up over the equator, far too high for a small camera."),
    ("Its retrograde inclination lets the rocket use Earth's rotation and so it costs less to reach.",
     "A retrograde orbit costs *more*: the rocket must cancel the pad's eastward speed."),
    ("It keeps the satellite out of the Earth's shadow all year round.",
     "Only special dawn-dusk sun-synchronous orbits stay nearly always in sunlight; Malligyong-1's does not."),
)

WHY_SSO = _reasoning(
    "orbits-5", "orbits", "Why a sun-synchronous orbit?",
    "Malligyong-1, North Korea's reconnaissance satellite, flies a 97.4°, ~500 km sun-synchronous orbit. "
    "Why does an imaging satellite want a sun-synchronous orbit?", _WHY_SSO)


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


#: the telemetry is shown to the end of the planned flight (cutoff at T+692 s), or to the ground
_TELEMETRY_END_S = 700.0


def _fault(stage, kind, time, fraction):
    from .. import failures

    if kind == "no_ignition":
        return failures.no_ignition(stage)
    if kind == "thrust_shortfall":
        return failures.thrust_shortfall(stage, time, fraction)
    if kind == "early_cutoff":
        return failures.early_cutoff(stage, time)
    return failures.termination(time)


@lru_cache(maxsize=512)
def _diagnosis_flight(stage, kind, time, fraction=0.0):
    """Chollima-1 flown with one fault (cached: the tests compare each variant with the others)."""
    from .. import ascent

    return ascent.fly("chollima-1", "sohae", faults=[_fault(stage, kind, time, fraction)], **_CHOLLIMA)


def _telemetry_table(r):
    """The telemetry every 10 s, as a Markdown table: on through the unpowered fall after a
    fault, to the ground or to the end of the planned flight."""
    last = _TELEMETRY_END_S if r.impact is None else min(_TELEMETRY_END_S, r.impact[2])
    t = np.arange(0.0, last + 1e-6, 10.0)
    alt, speed, thrust, mass = r.telemetry(t)
    rows = [f"| {tt:4.0f} | {a / 1000:6.1f} | {v:6.0f} | {f / 1000:6.0f} | {m / 1000:6.2f} |"
            for tt, a, v, f, m in zip(t, alt, speed, thrust, mass) if not math.isnan(a)]
    return "| T+ s | altitude km | speed m/s | thrust kN | mass t |\n|---:|---:|---:|---:|---:|\n" + "\n".join(rows)


def _gen_diagnose(rng):
    ign, end = _nominal_timeline()
    kind = _FAULT_KINDS[int(rng.integers(len(_FAULT_KINDS)))]
    fraction = 0.0
    if kind == "no_ignition":
        stage = int(rng.integers(2, 4))
        t = float(round(ign[stage]))
    else:
        # a fault strikes a firing stage, 15 s after it lit at the earliest and 25 s before its planned
        # burnout at the latest; an early cutoff hands over to the next stage, so not on the last one,
        # and not before T+60 s (stage 2's vacuum engine would light in thick air)
        stage = int(rng.integers(1, 3)) if kind == "early_cutoff" else int(rng.integers(1, 4))
        lo = max(ign[stage] + 15, 60.0 if kind == "early_cutoff" else 20.0)
        t = float(round(float(rng.uniform(lo, end[stage] - 25))))
        if kind == "thrust_shortfall":
            fraction = round(float(rng.uniform(0.3, 0.7)), 2)
    r = _diagnosis_flight(stage, kind, t, fraction)
    return {"stage": stage, "time": t, "kind": kind, "fraction": fraction, "telemetry": _telemetry_table(r),
            **{f"ign{k}": round(ign[k]) for k in (2, 3)}, **{f"end{k}": round(end[k]) for k in (1, 2, 3)}}


def _telemetry_figure(p):
    """The telemetry table of failures-1 drawn as curves (the same numbers, for paper)."""
    from .. import plot

    rows = [[float(x) for x in line.strip("| ").split("|")] for line in p["telemetry"].splitlines()[2:]]
    t, alt_km, _, thrust_kn, mass_t = np.array(rows).T
    return plot.telemetry(t, alt_km * 1000, thrust_kn * 1000, mass_t * 1000, title="Chollima-1 telemetry, every 10 s")


_WHICH_STAGE = ("Count the stages by their separations, where the mass column drops at once: the stage that failed "
                "is the one firing (or due to fire) when things went wrong, not the one after it.")
_WHICH_KIND = ("Read the thrust and mass columns after the event. After an early cutoff the stage is dropped (the "
               "mass falls at once) and the next stage lights. When a stage fails to light, the spent stage below "
               "it has been dropped and nothing fires again. After a termination nothing is dropped and nothing "
               "fires again.")
_CONFUSED_KIND = {"early_cutoff": "termination", "termination": "early_cutoff", "no_ignition": "termination"}

DIAGNOSE = Exercise(
    id="failures-1", version=2, lesson="failures", title="Diagnose the telemetry",
    prompt="A Chollima-1 (three stages, from Sohae to a 97.4° orbit) did not fly as planned. The plan: stage 1 "
           "fires from lift-off to T+{end1} s, stage 2 from T+{ign2} s to T+{end2} s, and stage 3 from T+{ign3} s "
           "to orbit at T+{end3} s. Here is what its telemetry read every 10 s, to the end of the planned flight "
           "or until it hit the ground:\n\n{telemetry}\n\n"
           "One thing went wrong, of one of these kinds:\n\n"
           "- **no ignition**: a stage failed to light when its turn came;\n"
           "- **thrust shortfall**: a firing stage lost part of its thrust, and kept firing;\n"
           "- **early cutoff**: a stage's engine shut down before its propellant ran out, and the next stage "
           "took over;\n"
           "- **termination**: the flight was ended in the middle of a burn (a flight-termination command or a "
           "break-up), and nothing fired again.\n\n"
           "Which stage failed, when, and how? Give the stage number, the time in seconds (±12 s; for a stage "
           "that never lit, the time it should have lit) and the kind, in that order.",
    generate=_gen_diagnose,
    solve=lambda p: (p["stage"], p["time"], p["kind"]),
    answer=Record((("stage", "int", 0), ("time_s", "number", 12.0, "s"), ("kind", "word", None))),
    figure=_telemetry_figure,
    private=("stage", "time", "kind", "fraction"),
    misconceptions=(
        Misconception("next-stage", _WHICH_STAGE,
                      lambda p: (p["stage"] + 1, p["time"], p["kind"]) if p["stage"] < 3 else None),
        Misconception("which-kind", _WHICH_KIND,
                      lambda p: ((p["stage"], p["time"], _CONFUSED_KIND[p["kind"]])
                                 if p["kind"] in _CONFUSED_KIND else None)),
    ),
)


def _gen_reliability(rng):
    r = [round(float(rng.uniform(0.85, 0.99)), 2) for _ in range(3)]
    # each separation fails 1-5 % of the time: leaving one out costs at least 0.0058, nearly three times the
    # tolerance (with 0.97-0.998 and ±0.005 the one- and no-separation answers often passed)
    return {"r1": r[0], "r2": r[1], "r3": r[2], "rs": round(float(rng.uniform(0.95, 0.99)), 3)}


def _reliability(p):
    return p["r1"] * p["r2"] * p["r3"] * p["rs"] ** 2


RELIABILITY = Exercise(
    id="failures-2", version=2, lesson="failures", title="Three stages, two separations",
    prompt="A new three-stage rocket: stage 1 works with probability {r1}, stage 2 with {r2}, stage 3 with {r3}, "
           "and each of the two stage separations with {rs}. Assuming the events are independent, what is the "
           "probability that it reaches orbit? (a number between 0 and 1; ±0.002)",
    generate=_gen_reliability, solve=_reliability, answer=Number("", abs_tol=0.002),
    misconceptions=(
        Misconception("no-separations", "The separations can fail too: multiply by their probability, once for "
                      "each.", lambda p: p["r1"] * p["r2"] * p["r3"]),
        Misconception("one-separation", "Three stages have two separations (1 from 2, and 2 from 3): multiply by "
                      "the separation's probability twice.", lambda p: p["r1"] * p["r2"] * p["r3"] * p["rs"]),
        Misconception("average", "Every event must succeed: multiply the probabilities, do not average them.",
                      lambda p: (p["r1"] + p["r2"] + p["r3"]) / 3),
        Misconception("weakest", "The weakest stage is not the whole story: all of them must work.",
                      lambda p: min(p["r1"], p["r2"], p["r3"])),
    ),
)


def _gen_attempts(rng):
    # drawn again while all n could fail less than 1.5 % of the time: the answer is then so near 1 that
    # "add them (capped at 1)" would pass
    while True:
        p, n = round(float(rng.uniform(0.3, 0.8)), 2), int(rng.integers(2, 6))
        if (1.0 - p) ** n >= 0.015:
            return {"p": p, "n": n}


def _at_least_one(p):
    return 1.0 - (1.0 - p["p"]) ** p["n"]


ATTEMPTS = Exercise(
    id="failures-3", version=2, lesson="failures", title="Third time lucky?",
    prompt="A launch succeeds with probability {p}, independently each time. What is the probability that at "
           "least one of {n} attempts succeeds? (±0.005)",
    generate=_gen_attempts, solve=_at_least_one, answer=Number("", abs_tol=0.005),
    misconceptions=(
        Misconception("all", "That is the chance that *all* succeed; at least one succeeds unless all fail: "
                      "1 − (1 − p)ⁿ.", lambda p: p["p"] ** p["n"]),
        Misconception("add", "Probabilities of overlapping events do not add: count the one way to get no "
                      "success at all.", lambda p: min(1.0, p["p"] * p["n"])),
    ),
)

# Each outcome says what was seen, never what caused it, and states facts (the dict) that only one of the
# four faults fits: _FAULT_DOES says what each fault does to a flight (tests/test_exercise_validity.py
# checks that exactly one fits each outcome, and that the table is what the simulator flies; only a
# termination breaks the vehicle up, by definition).
_OUTCOMES = (
    ("the satellite reached a stable, circular orbit 500 km up, and every stage fired for as long as planned, "
     "but tracking gives its orbit an inclination of {inc_got}°.",
     {"orbit": True, "plane_ok": False, "height_ok": True, "burns_as_planned": True}),
    ("all went to plan until the first stage burnt out and separated at T+{t_sep} s; from then on the "
     "accelerometers read zero. Still in one piece and still sending telemetry, the vehicle coasted up to about "
     "{peak} km and fell into the sea {down} km downrange.",
     {"orbit": False, "intact": True, "thrust_after_separation": False}),
    ("the satellite reached the planned orbit, in the planned plane, but {dt} s late: its upper stage had to "
     "fire that much longer than the flight plan said.",
     {"orbit": True, "plane_ok": True, "height_ok": True, "burns_as_planned": False}),
    ("at T+{t_stop} s, in the middle of the first stage's burn, the telemetry stopped all at once; tracking "
     "radar then followed many pieces falling into the sea inside the hazard area announced for the launch.",
     {"orbit": False, "intact": False}),
)
_FAULT_TEXT = {
    "wrong_azimuth": "Guidance flew the wrong launch azimuth (or used another site's coordinates).",
    "no_ignition": "The second stage failed to ignite.",
    "thrust_shortfall": "An upper-stage engine delivered less thrust than planned.",
    "termination": "A flight-termination (self-destruct) command or system fired.",
}
_FAULT_ORDER = ("wrong_azimuth", "no_ignition", "thrust_shortfall", "termination")
_FAULT_DOES = {
    "wrong_azimuth": {"orbit": True, "plane_ok": False, "height_ok": True, "burns_as_planned": True,
                      "intact": True, "thrust_after_separation": True},
    "no_ignition": {"orbit": False, "intact": True, "thrust_after_separation": False},
    "thrust_shortfall": {"orbit": True, "plane_ok": True, "height_ok": True, "burns_as_planned": False,
                         "intact": True, "thrust_after_separation": True},
    "termination": {"orbit": False, "intact": False},
}
_FAULT_HINT = {
    "wrong_azimuth": "A wrong azimuth changes only the orbit's plane: the rocket still flies well and reaches "
                     "orbit at the planned height, just tilted.",
    "no_ignition": "A stage that never lights leaves the vehicle coasting in one piece, with no thrust at all "
                   "from then on: it cannot reach orbit.",
    "thrust_shortfall": "With less thrust a stage still fires, only more weakly and for longer (the same "
                        "propellant at a lower flow): the vehicle stays in one piece and guidance can still reach the "
                        "orbit.",
    "termination": "A flight termination breaks the vehicle up: its telemetry ends, there is no orbit, and the "
                   "pieces fall.",
}


def _gen_outcome(rng):
    case = int(rng.integers(len(_OUTCOMES)))
    numbers = {"inc_got": round(97.4 + float(rng.choice([-1, 1])) * float(rng.uniform(2.0, 6.0)), 1),
               "t_sep": int(rng.integers(115, 161)), "peak": int(rng.integers(10, 19)) * 10,
               "down": int(rng.integers(8, 19)) * 50, "dt": int(rng.integers(4, 31)) * 5,
               "t_stop": int(rng.integers(40, 111))}
    return {"case": case, "order": _shuffled(rng, 4), "outcome": _OUTCOMES[case][0].format(**numbers), **numbers}


def _outcome_options(p):
    texts = [_FAULT_TEXT[_FAULT_ORDER[i]] for i in p["order"]]
    right = [f for f in _FAULT_ORDER if all(_FAULT_DOES[f].get(k, v) == v for k, v in _OUTCOMES[p["case"]][1].items())]
    return texts, p["order"].index(_FAULT_ORDER.index(right[0]))


def _picked(fault):
    """The option a student picks for ``fault`` when it is not the right one (None when it is)."""
    def wrong(p):
        k = p["order"].index(_FAULT_ORDER.index(fault))
        return None if k == _outcome_options(p)[1] else k
    return wrong


WHICH_FAULT = Exercise(
    id="failures-4", version=2, lesson="failures", title="Which fault?",
    prompt="A satellite launch to a 500 km, 97.4° sun-synchronous orbit went wrong: {outcome} Which one of these "
           "faults explains what was seen?",
    generate=_gen_outcome, solve=None, answer=Choice(), options=_outcome_options,
    misconceptions=tuple(Misconception(f"picked-{f}", _FAULT_HINT[f], _picked(f)) for f in _FAULT_ORDER),
    private=("case",),
)


def _gen_monte(rng):
    n = int(rng.choice([200, 400, 500, 1000]))
    return {"n": n, "k": int(round(n * float(rng.uniform(0.6, 0.95))))}


def _std_error(p):
    q = p["k"] / p["n"]
    return math.sqrt(q * (1 - q) / p["n"])


MONTE = Exercise(
    id="failures-5", version=1, lesson="failures", title="How sure is a Monte Carlo?",
    prompt="A Monte Carlo of {n} dispersed flights gives {k} that reach orbit. The success probability is estimated "
           "as k/n. What is the standard error of that estimate, √(p(1 − p)/n)? (±3 %)",
    generate=_gen_monte, solve=_std_error, answer=Number("", rel_tol=0.03),
    misconceptions=(
        Misconception("no-root", "The standard error is the square root of p(1 − p)/n.",
                      lambda p: _std_error(p) ** 2),
        Misconception("percent", "Give it as a fraction (like p), not in percent.", lambda p: 100 * _std_error(p)),
    ),
)


# --- worked solutions, for answer keys ------------------------------------------------------
# Each shows the formula, the student's own numbers put in (as the sheet prints them), and the result
# with its unit: the reference answer to four significant figures or more.

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_G0 = "9.80665 m/s²"


def _s(x, n=4):
    """``x`` to ``n`` significant figures (whole numbers kept whole), never in e-notation."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.{max(n - 1 - math.floor(math.log10(abs(x))), 0)}f}".replace("-", "−")


def _sci(x, n=5):
    """``x`` as 1.2345×10⁻⁷."""
    mant, exp = f"{x:.{n - 1}e}".split("e")
    return f"{mant}×10{str(int(exp)).translate(_SUPERSCRIPT)}"


def _signed(x, fmt):
    return format(x, fmt).replace("-", "−")


def _w_span(p):
    return (f"span = core + 2 × booster = {p['core']:.2f} m + 2 × {p['booster']:.2f} m = {_s(SPAN.solve(p))} m "
            f"(of the {p['n']} boosters, only the two on one line across the core add to the width)")


def _w_cluster(p):
    return f"F = n × F_sl = {p['n']} × {p['f_sl']:.2f} MN = {_s(CLUSTER.solve(p))} MN (sea-level thrust at lift-off)"


def _w_distance(p):
    f1, f2 = math.radians(p["a_lat"]), math.radians(p["b_lat"])
    dl = math.radians(p["b_lon"] - p["a_lon"])
    h = math.sin((f2 - f1) / 2) ** 2 + math.cos(f1) * math.cos(f2) * math.sin(dl / 2) ** 2
    ds = 2 * math.asin(math.sqrt(h))
    return (f"φ₁ = {p['a_lat']:.2f}°, λ₁ = {_signed(p['a_lon'], '.2f')}°, φ₂ = {p['b_lat']:.2f}°, "
            f"λ₂ = {_signed(p['b_lon'], '.2f')}°; sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) = {h:.6f}; "
            f"Δσ = 2 arcsin √{h:.6f} = {ds:.5f} rad; d = R Δσ = 6371 km × {ds:.5f} = {_s(_distance_km(p))} km")


def _w_liftoff_tw(p):
    return (f"T/W = F_sl / (m g₀) = {p['thrust_mn']:.3f}×10⁶ N / ({p['mass_t']:.1f}×10³ kg × {_G0}) "
            f"= {_s(LIFTOFF_TW.solve(p))}")


def _w_lowest(p):
    ref = LOWEST.solve(p)
    return (f"tan φ′ = (1 − e²) tan φ = 0.99330562 × tan {p['lat']:.2f}° → φ′ = {ref:.3f}° (geocentric); "
            f"i_min = φ′ = {_s(ref)}°")


def _w_pad_speed(p):
    return (f"v = ω R cos φ = 7.292115×10⁻⁵ rad/s × 6378137 m × cos {p['lat']:.1f}° "
            f"= {_s(PAD_SPEED.solve(p))} m/s")


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


def _w_rocket(p):
    return (f"Δv = Isp g₀ ln(m₀/m_f) = {p['isp_vac']} s × {_G0} × ln({p['m0']:.1f} t / {p['mf']:.1f} t) "
            f"= {_s(ROCKET_DV.solve(p))} m/s (vacuum Isp: the stage burns in vacuum)")


def _w_mass_flow(p):
    return (f"ṁ = F / (Isp g₀) = {p['f_vac']:.4f}×10⁶ N / ({p['isp_vac']:g} s × {_G0}) "
            f"= {_s(MASS_FLOW.solve(p))} kg/s")


def _w_burn_time(p):
    mdot = p["f_vac"] * 1e6 / (p["isp_vac"] * G0_M_S2)
    return (f"ṁ = F / (Isp g₀) = {p['f_vac']:.3f}×10⁶ N / ({p['isp_vac']} s × {_G0}) = {mdot:.2f} kg/s; "
            f"t = m_p / ṁ = {p['prop_t']:.1f}×10³ kg / {mdot:.2f} kg/s = {_s(BURN_TIME.solve(p))} s")


def _w_propellant(p):
    x = p["dv"] * 1000.0 / (p["isp"] * G0_M_S2)
    return (f"m_p = m_f (exp(Δv / (Isp g₀)) − 1) = {p['mf']:.1f} t × (exp({p['dv']:.1f}×10³ m/s / ({p['isp']} s × "
            f"{_G0})) − 1) = {p['mf']:.1f} t × (exp({x:.5f}) − 1) = {_s(_propellant_t(p))} t")


def _w_staging(p):
    m0 = p["d1"] + p["p1"] + p["d2"] + p["p2"] + p["pay"]
    m1 = p["d2"] + p["p2"] + p["pay"]
    return (f"m₀ = {p['d1']:.1f} + {p['p1']:.0f} + {p['d2']:.1f} + {p['p2']:.0f} + {p['pay']:.1f} = {m0:.1f} t; "
            f"Δv₁ = {p['isp1']} s × {_G0} × ln({m0:.1f} / {m0 - p['p1']:.1f}) = {_stage1_dv(p):.1f} m/s; "
            f"stage 1 dropped: m₁ = {p['d2']:.1f} + {p['p2']:.0f} + {p['pay']:.1f} = {m1:.1f} t; "
            f"Δv₂ = {p['isp2']} s × {_G0} × ln({m1:.1f} / {m1 - p['p2']:.1f}) = {_two_stage(p) - _stage1_dv(p):.1f} m/s; "
            f"Δv = Δv₁ + Δv₂ = {_s(_two_stage(p))} m/s")


def _w_single_stage(p):
    return (f"Δv_max = Isp g₀ ln(1/ε) = {p['isp']} s × {_G0} × ln(1 / {p['eps']}) "
            f"= {_s(SINGLE_STAGE.solve(p))} m/s")


def _w_optimal(p):
    n = math.exp(p["dv"] * 500.0 / (p["isp"] * G0_M_S2))
    k = n * (1 - p["eps"]) / (1 - n * p["eps"])
    return (f"Δv = {p['dv']:.1f} km/s: each stage gives Δv/2 = {p['dv'] / 2:g} km/s, so its mass ratio "
            f"n = exp(Δv/2 / (Isp g₀)) = exp({p['dv'] * 500:.0f} / ({p['isp']} × 9.80665)) = {n:.4f}; a stage multiplies the mass it lifts by "
            f"n(1 − ε) / (1 − nε) = {n:.4f} × (1 − {p['eps']}) / (1 − {n:.4f} × {p['eps']}) = {k:.4f}; "
            f"lift-off mass = {p['pay']:.1f} t × {k:.4f}² = {_s(_optimal_liftoff_t(p))} t")


def _w_underperform(p):
    return (f"stage {p['stage']}: Δv = Isp g₀ ln(m₀ / (m₀ − m_p)) = {p['isp']:g} s × {_G0} × "
            f"ln({p['m0_t']:.2f} / ({p['m0_t']:.2f} − {p['prop_t']:.2f})) = {_stage_dv(p):.1f} m/s; only it "
            f"scales with its Isp: loss = {p['short']} % × {_stage_dv(p):.1f} m/s = {_s(_dv_loss(p))} m/s")


def _w_loss_budget(p):
    return (f"gravity = ideal − delivered − drag − steering − back pressure = {p['ideal']} − {p['delivered']} − "
            f"{p['drag']} − {p['steering']} − {p['back_pressure']} = {_s(_gravity_loss(p))} m/s "
            f"(Earth's {p['earth_rotation']} m/s is already outside the delivered figure)")


def _w_max_q(p):
    return (f"q = ½ρv² = 0.5 × {p['rho']:.4g} kg/m³ × ({p['v']} m/s)² = {_q_kpa(p) * 1000:.0f} Pa "
            f"= {_s(_q_kpa(p))} kPa")


def _w_gravity_loss(p):
    return (f"Δv_gravity = g t sin γ = {p['g']} m/s² × {p['t']} s × sin {p['gamma']}° "
            f"= {_s(_gravity_loss_estimate(p))} m/s")


def _a(p):
    return WGS84_A_M + p["h"] * 1000.0


def _w_period(p):
    T = float(orbits.period_s(_a(p)))
    return (f"a = R + h = 6378.137 km + {p['h']:.0f} km = {_a(p) / 1000:.3f} km; T = 2π √(a³/μ) = "
            f"2π √(({_a(p) / 1000:.3f}×10³ m)³ / 3.986004418×10¹⁴ m³/s²) = {T:.1f} s = {_s(T / 60)} min")


def _w_sso(p):
    from ..constants import J2

    n = math.sqrt(orbits.GM_M3_S2 / _a(p) ** 3)
    rate = orbits.SUN_SYNCHRONOUS_RATE_RAD_S
    cos_i = -rate / (1.5 * n * J2 * (WGS84_A_M / _a(p)) ** 2)
    return (f"a = 6378.137 km + {p['h']} km = {_a(p) / 1000:.3f} km; n = √(μ/a³) = {_sci(n)} rad/s; "
            f"dΩ/dt = 360° a year = {_sci(rate)} rad/s; cos i = −(dΩ/dt) / ((3/2) n J2 (R/a)²) = {cos_i:.5f}".replace("= -", "= −")
            + f" → i = {_s(_sso_deg(p))}°")


def _w_circ_speed(p):
    return (f"v = √(μ / (R + h)) = √(3.986004418×10¹⁴ m³/s² / ({WGS84_A_M:.0f} m + {p['h']}×10³ m)) "
            f"= {_s(_circ_speed(p))} m/s")


def _w_shift(p):
    T = float(orbits.period_s(_a(p)))
    return (f"T = 2π √(a³/μ) with a = 6378.137 km + {p['h']} km = {_a(p) / 1000:.3f} km: T = {T:.1f} s; "
            f"Δλ = ω T = 7.292115×10⁻⁵ rad/s × {T:.1f} s = {math.radians(_shift_deg(p)):.5f} rad "
            f"= {_s(_shift_deg(p))}°")


def _w_reliability(p):
    return (f"P = r₁ r₂ r₃ rₛ² = {p['r1']} × {p['r2']} × {p['r3']} × {p['rs']}² = {_s(_reliability(p))} "
            "(two separations)")


def _w_attempts(p):
    q = (1 - p["p"]) ** p["n"]
    return (f"P = 1 − (1 − p)ⁿ with p = {p['p']} and n = {p['n']}: 1 − {1 - p['p']:.2f}{str(p['n']).translate(_SUPERSCRIPT)} "
            f"= 1 − {q:.5f} = {_s(_at_least_one(p))}")


def _w_monte(p):
    q = p["k"] / p["n"]
    return (f"p = k/n = {p['k']} / {p['n']} = {q:.4f}; SE = √(p(1 − p)/n) = √({q:.4f} × {1 - q:.4f} / {p['n']}) "
            f"= {_s(_std_error(p))}")


def _w_diagnose(p):
    rows = {}
    for line in p["telemetry"].splitlines()[2:]:
        t, alt, _, thrust, mass = (float(x) for x in line.strip("| ").split("|"))
        rows[t] = (alt, thrust, mass)
    ts = sorted(rows)
    before = max((t for t in ts if t < p["time"]), default=ts[0])
    after = min((t for t in ts if t > p["time"]), default=ts[-1])
    (_, f0, m0), (_, f1, m1) = rows[before], rows[after]
    s, t = p["stage"], f"T+{p['time']:.0f} s"
    if p["kind"] == "no_ignition":
        return (f"Stage {s - 1} burns out on time and is dropped (the mass falls to {m1:.2f} t by T+{after:.0f} s), "
                f"but the thrust stays at 0 from then on: stage {s}, due to light at {t}, never did.")
    if p["kind"] == "thrust_shortfall":
        return (f"Between T+{before:.0f} s and T+{after:.0f} s stage {s}'s thrust drops from {f0:.0f} to "
                f"{f1:.0f} kN and stays above 0, with the mass falling more slowly: a thrust shortfall at {t}.")
    if p["kind"] == "early_cutoff":
        return (f"At {t}, in the middle of stage {s}'s burn, its thrust stops; the mass drops at once from "
                f"{m0:.2f} to {m1:.2f} t (stage {s} dropped with its unburnt propellant) and stage {s + 1} lights "
                f"({f1:.0f} kN): an early cutoff.")
    return (f"At {t}, in the middle of stage {s}'s burn, the thrust falls from {f0:.0f} kN to 0 for good and the "
            f"mass stays at {m1:.2f} t (nothing is dropped): a termination, then the fall.")


for _ex, _w in ((DIAGNOSE, _w_diagnose), (SPAN, _w_span), (CLUSTER, _w_cluster), (DISTANCE, _w_distance), (LIFTOFF_TW, _w_liftoff_tw),
                (LOWEST, _w_lowest), (PAD_SPEED, _w_pad_speed), (AZIMUTH, _w_azimuth), (ROCKET_DV, _w_rocket),
                (MASS_FLOW, _w_mass_flow), (BURN_TIME, _w_burn_time), (PROPELLANT, _w_propellant),
                (STAGING_DV, _w_staging), (SINGLE_STAGE, _w_single_stage), (OPTIMAL, _w_optimal),
                (UNDERPERFORM, _w_underperform), (LOSS_BUDGET, _w_loss_budget), (MAX_Q, _w_max_q),
                (GRAVITY_LOSS, _w_gravity_loss), (PERIOD, _w_period), (SSO, _w_sso), (CIRC_SPEED, _w_circ_speed),
                (TRACK_SHIFT, _w_shift), (RELIABILITY, _w_reliability), (ATTEMPTS, _w_attempts), (MONTE, _w_monte)):
    _ex.working = _w


ALL = [SPAN, CLUSTER, DISTANCE, WHY_VOSTOCHNY, LIFTOFF_TW,
       LOWEST, PAD_SPEED, AZIMUTH, WHY_SOUTH, REACH,
       ROCKET_DV, MASS_FLOW, BURN_TIME, PROPELLANT, LIFTOFF_CHOICE,
       STAGING_DV, SINGLE_STAGE, SSTO, OPTIMAL, UNDERPERFORM,
       LOSS_BUDGET, KICK, MAX_Q, GRAVITY_LOSS, WHY_TURN, CAPSTONE,
       PERIOD, SSO, CIRC_SPEED, TRACK_SHIFT, WHY_SSO,
       DIAGNOSE, RELIABILITY, ATTEMPTS, WHICH_FAULT, MONTE]
