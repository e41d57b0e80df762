"""Lesson 1 (The visit: two questions at Vostochny): its exercises, each computing its reference answer with
the library."""

import math
from functools import lru_cache

from .. import propulsion, sites, vehicles
from ..constants import G0_M_S2
from ._shared import _G0, _reasoning, _s
from .core import Exercise, Lesson, Misconception, Number


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
    prompt="{a_name} is at {a_lat:.2f}° N, {a_lon_txt}; {b_name} is at {b_lat:.2f}° N, {b_lon_txt}. "
           "How far apart are they along the Earth's surface (a great circle on a sphere of "
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


def _signed(x, fmt):
    return format(x, fmt).replace("-", "−")


def _w_span(p):
    return (f"span = core + 2 × booster = {p['core']:.2f} m + 2 × {p['booster']:.2f} m = {_s(SPAN.reference(p))} m "
            f"(of the {p['n']} boosters, only the two on one line across the core add to the width)")


def _w_cluster(p):
    return (f"F = n × F_sl = {p['n']} × {p['f_sl']:.2f} MN = {_s(CLUSTER.reference(p))} MN "
            "(sea-level thrust at lift-off)")


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
            f"= {_s(LIFTOFF_TW.reference(p))}")


SPAN.working = _w_span
CLUSTER.working = _w_cluster
DISTANCE.working = _w_distance
LIFTOFF_TW.working = _w_liftoff_tw

LESSON = Lesson(
    name="visit",
    title='The visit: two questions at Vostochny',
    question=(
        '"Is it eight metres, including the parts?" and '
        '"What\'s the thrust of the largest rocket that can be launched from here?"'),
    formulas=(
        'd = R Delta sigma, quad '
        'sin^2 (Delta sigma)/2 = sin^2 (Delta phi)/2 + cos phi_1 cos phi_2 sin^2 (Delta lambda)/2',
        'T / W = F_"sl" / (m g_0), quad g_0 = 9.80665 " m/s"^2',
    ),
    exercises=(SPAN, CLUSTER, DISTANCE, WHY_VOSTOCHNY, LIFTOFF_TW,),
)
