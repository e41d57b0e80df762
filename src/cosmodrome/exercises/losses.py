"""Lesson 6 (Where the delta-v goes): its exercises, each computing its reference answer with the library."""

import math

from .. import sites, vehicles
from ._shared import _reasoning, _s
from .core import Exercise, Lesson, Misconception, Number

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
    return {"vehicle": vehicles.get_vehicle(veh).name, "site": sites.get_site(site).name.split(" (")[0],
            "hp": hp, "ha": ha, "inc": inc, "payload": payload, "reached": bool(r.reached_orbit), **b}


def _gravity_loss(p):
    return p["ideal"] - p["delivered"] - p["drag"] - p["steering"] - p["back_pressure"]


LOSS_BUDGET = Exercise(
    id="losses-1", version=2, lesson="losses", title="Where did the delta-v go?",
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


_GAMMAS = tuple(g for g in range(5, 60) if g != 45)      # at 45° sin γ = cos γ: that mistake would pass


def _gen_gravity_loss(rng):
    return {"t": int(rng.integers(60, 400)), "gamma": _GAMMAS[int(rng.integers(len(_GAMMAS)))],
            "g": round(float(rng.uniform(9.3, 9.8)), 2)}


def _gravity_loss_estimate(p):
    return p["g"] * p["t"] * math.sin(math.radians(p["gamma"]))


GRAVITY_LOSS = Exercise(
    id="losses-2", version=2, lesson="losses", title="The price of climbing",
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


_WHY_MORE = (
    ("The rocket had the pad's eastward speed before it lit its engines: the losses are the gap plus that "
     "speed, which the books count as a gift at lift-off and not as delivered.", ""),
    ("The simulator rounds each loss up, and the rounding adds up over the flight.",
     "The books balance exactly (delivered + losses = ideal); the difference is hundreds of m/s, far beyond "
     "any rounding."),
    ("Drag is counted twice, once as drag and once as steering.",
     "Each second's loss is booked once, under one heading; look at what the rocket had before lift-off."),
    ("The payload's mass is counted as a loss.",
     "Mass is not speed: the payload is inside the rocket equation's mass ratio, not among the losses."),
)

WHY_MORE = _reasoning(
    "losses-3", "losses", "More lost than missing?",
    "In the books of a flight from Vostochny, the ideal delta-v exceeds the speed reached in orbit by a gap, "
    "yet the four losses (gravity, drag, steering, back-pressure) add up to *more* than that gap. Why?",
    _WHY_MORE)


def _w_loss_budget(p):
    return (f"gravity = ideal − delivered − drag − steering − back pressure = {p['ideal']} − {p['delivered']} − "
            f"{p['drag']} − {p['steering']} − {p['back_pressure']} = {_s(_gravity_loss(p))} m/s "
            f"(Earth's {p['earth_rotation']} m/s is already outside the delivered figure)")


def _w_gravity_loss(p):
    return (f"Δv_gravity = g t sin γ = {p['g']} m/s² × {p['t']} s × sin {p['gamma']}° "
            f"= {_s(_gravity_loss_estimate(p))} m/s")


LOSS_BUDGET.working = _w_loss_budget
GRAVITY_LOSS.working = _w_gravity_loss

LESSON = Lesson(
    name="losses",
    title='Where the delta-v goes',
    question=(
        'Why does a Soyuz spend much more ideal delta-v getting to orbit than the orbital speed it reaches, '
        'and where does the rest go?'),
    formulas=(
        'Delta v_"ideal" = Delta v_"delivered" + Delta v_"gravity" + Delta v_"drag" + Delta v_"steering" '
        '+ Delta v_"back pressure"',
        'Delta v_"gravity" = integral g sin gamma dif t approx g t sin gamma',
    ),
    exercises=(LOSS_BUDGET, GRAVITY_LOSS, WHY_MORE),
)
