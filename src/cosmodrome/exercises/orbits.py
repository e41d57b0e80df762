"""Lesson 7 (Orbits and ground tracks): its exercises, each computing its reference answer with the library."""

import math

from .. import earth, launch_geometry, orbits, sites
from ..constants import WGS84_A_M
from ._shared import _SUPERSCRIPT, _reasoning, _s
from .core import Exercise, Lesson, Misconception, Number


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
        Misconception("no-radius",
                      "The orbit's radius is measured from Earth's centre: add Earth's radius to the altitude.",
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


_SOHAE_LAT = round(sites.get_site("sohae").latitude_deg, 2)


def _gen_sso_window(rng):
    # ascending nodes from dawn (06:00) to dusk (18:00) by 5 minutes; the lift-off at least an hour from midnight,
    # so that an answer and the reference never sit on either side of 0 h = 24 h
    while True:
        k = int(rng.integers(6 * 12, 18 * 12 + 1))
        p = {"lat": _SOHAE_LAT, "phic": round(float(earth.geocentric_latitude_deg(_SOHAE_LAT)), 2),
             "inc": round(float(rng.uniform(97.0, 98.8)), 2), "ltan": k / 12.0,
             "clock": f"{k // 12:02d}:{5 * (k % 12):02d}"}
        if 1.0 <= _sso_window_h(p) <= 23.0:
            return p


def _sso_window_h(p):
    """The local solar time (h) at the site of its southbound window into the plane, from launch_geometry: the
    site is ``dlambda`` east of the ascending node along the equator, so its local time is LTAN + dlambda / 15."""
    phi_c = float(earth.geocentric_latitude_deg(p["lat"]))
    az = launch_geometry.azimuth_from_geocentric_deg(phi_c, p["inc"], northbound=False)
    _, _, dlam = launch_geometry.plane_from_geocentric(phi_c, az)
    return float((p["ltan"] + float(dlam) / 15.0) % 24.0)


def _sso_parts(p):
    """(u', dlambda deg) as worked by hand: sin u' = sin phi' / sin i, tan dlambda = -cos i tan u'."""
    phi_c = math.radians(float(earth.geocentric_latitude_deg(p["lat"])))
    inc = math.radians(p["inc"])
    u = math.asin(math.sin(phi_c) / math.sin(inc))
    return math.degrees(u), math.degrees(math.atan(-math.cos(inc) * math.tan(u)))


def _sso_wrong(p, hours):
    return (p["ltan"] + hours) % 24.0


def _past_midnight(p):
    raw = p["ltan"] + 12.0 + _sso_parts(p)[1] / 15.0
    return raw if raw >= 24.0 else None


SSO_WINDOW = Exercise(
    id="orbits-6", version=1, lesson="orbits", title="When Sohae must launch",
    prompt="Sohae ({lat:.2f}° N; geocentric latitude φ′ = {phic:.2f}°) launches south. A satellite is to go into a "
           "sun-synchronous orbit inclined {inc:.2f}° whose ascending node is at {clock} local solar time "
           "({ltan:.2f} h). The plane keeps its angle to the Sun, so Sohae passes under it southbound once a day, "
           "always at the same local solar time. At that moment Sohae is not at the descending node (12 h of local "
           "time from the ascending one) but Δλ east of it along the equator, with sin u′ = sin φ′ / sin i and "
           "tan Δλ = −cos i tan u′. At what local solar time at Sohae must the rocket lift off? Give hours as a "
           "decimal between 0 and 24 (22.5 for 22:30). (±0.06 h)",
    generate=_gen_sso_window, solve=_sso_window_h,
    # ±0.06 h (3.6 min): the answer to three significant figures passes; the nearest mistake is 0.39 h away
    answer=Number("h", abs_tol=0.06),
    misconceptions=(
        Misconception("at-the-node", "Sohae is not on the equator: when it passes under the plane it is Δλ east "
                      "of the descending node, so its local time is later than the node's by Δλ / (15°/h).",
                      lambda p: _sso_wrong(p, 12.0)),
        Misconception("wrong-way", "The offset went the wrong way: a retrograde orbit runs westward, so the "
                      "satellite coming south over Sohae reaches the equator west of it. Sohae is east of the "
                      "node, and its local time is later.", lambda p: _sso_wrong(p, 12.0 - _sso_parts(p)[1] / 15.0)),
        Misconception("no-twelve", "A southbound launch puts the site on the orbit's descending half: count from "
                      "the descending node, 12 h of local time from the ascending one.",
                      lambda p: _sso_wrong(p, _sso_parts(p)[1] / 15.0)),
        Misconception("northbound", "That is the northbound window, with the site on the orbit's ascending half; "
                      "Sohae's corridor is to the south.", lambda p: _sso_wrong(p, -_sso_parts(p)[1] / 15.0)),
        Misconception("degrees-as-hours", "Δλ is an angle: the Earth turns 15° an hour, so divide it by 15 to get "
                      "hours of local time.", lambda p: _sso_wrong(p, 12.0 + _sso_parts(p)[1])),
        Misconception("past-midnight", "Right time, but a clock goes round at 24 h: take 24 h off.", _past_midnight),
    ),
)


def _sci(x, n=5):
    """``x`` as 1.2345×10⁻⁷."""
    mant, exp = f"{x:.{n - 1}e}".split("e")
    return f"{mant}×10{str(int(exp)).translate(_SUPERSCRIPT)}"


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
            f"dΩ/dt = 360° a year = {_sci(rate)} rad/s; "
            f"cos i = −(dΩ/dt) / ((3/2) n J2 (R/a)²) = {cos_i:.5f}".replace("= -", "= −")
            + f" → i = {_s(_sso_deg(p))}°")


def _w_circ_speed(p):
    return (f"v = √(μ / (R + h)) = √(3.986004418×10¹⁴ m³/s² / ({WGS84_A_M:.0f} m + {p['h']}×10³ m)) "
            f"= {_s(_circ_speed(p))} m/s")


def _w_shift(p):
    T = float(orbits.period_s(_a(p)))
    return (f"T = 2π √(a³/μ) with a = 6378.137 km + {p['h']} km = {_a(p) / 1000:.3f} km: T = {T:.1f} s; "
            f"Δλ = ω T = 7.292115×10⁻⁵ rad/s × {T:.1f} s = {math.radians(_shift_deg(p)):.5f} rad "
            f"= {_s(_shift_deg(p))}°")


def _w_sso_window(p):
    u, dlam = _sso_parts(p)
    raw = p["ltan"] + 12.0 + dlam / 15.0
    wrap = " − 24 h" if raw >= 24.0 else ""
    cos_i = math.cos(math.radians(p["inc"]))
    phi_c = float(earth.geocentric_latitude_deg(p["lat"]))
    return (f"φ = {p['lat']:.2f}° (geocentric φ′ = {phi_c:.3f}°); "
            f"sin u′ = sin φ′ / sin i = sin {phi_c:.3f}° / sin {p['inc']:.2f}° "
            f"→ u′ = {u:.3f}°; tan Δλ = −cos i tan u′ = {-cos_i:.5f} × {math.tan(math.radians(u)):.5f} "
            f"→ Δλ = {dlam:.3f}° = {dlam / 15:.4f} h at 15°/h; t = LTAN + 12 h + Δλ / 15 = {p['ltan']:.4f} h + 12 h "
            f"+ {dlam / 15:.4f} h{wrap} = {_s(_sso_window_h(p))} h")


PERIOD.working = _w_period
SSO.working = _w_sso
CIRC_SPEED.working = _w_circ_speed
TRACK_SHIFT.working = _w_shift
SSO_WINDOW.working = _w_sso_window

LESSON = Lesson(
    name="orbits",
    title='Orbits and ground tracks',
    question=(
        'Where does Malligyong-1 go, when does it pass over Pyongyang, and why 97.4°?'),
    formulas=(
        'T = 2 pi sqrt(a^3 / mu), quad mu = 3.986004418 times 10^14 "m"^3 \\/ "s"^2',
        'sin u\' = sin phi\' \\/ sin i, quad tan Delta lambda = -cos i tan u\', quad '
        't = t_"AN" + 12 " h" + Delta lambda \\/ (15 degree"/h") " (southbound window)"',
    ),
    exercises=(PERIOD, SSO, CIRC_SPEED, TRACK_SHIFT, WHY_SSO, SSO_WINDOW,),
)
