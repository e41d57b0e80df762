"""Lesson 3 (Thrust and the rocket equation): its exercises, each computing its reference answer with the library."""

import math

from .. import propulsion, vehicles
from ..constants import G0_M_S2
from ._shared import _G0, _s, _shuffled
from .core import Choice, Exercise, Lesson, Misconception, Number


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


def _w_rocket(p):
    return (f"Δv = Isp g₀ ln(m₀/m_f) = {p['isp_vac']} s × {_G0} × ln({p['m0']:.1f} t / {p['mf']:.1f} t) "
            f"= {_s(ROCKET_DV.reference(p))} m/s (vacuum Isp: the stage burns in vacuum)")


def _w_mass_flow(p):
    return (f"ṁ = F / (Isp g₀) = {p['f_vac']:.4f}×10⁶ N / ({p['isp_vac']:g} s × {_G0}) "
            f"= {_s(MASS_FLOW.reference(p))} kg/s")


def _w_burn_time(p):
    mdot = p["f_vac"] * 1e6 / (p["isp_vac"] * G0_M_S2)
    return (f"ṁ = F / (Isp g₀) = {p['f_vac']:.3f}×10⁶ N / ({p['isp_vac']} s × {_G0}) = {mdot:.2f} kg/s; "
            f"t = m_p / ṁ = {p['prop_t']:.1f}×10³ kg / {mdot:.2f} kg/s = {_s(BURN_TIME.reference(p))} s")


def _w_propellant(p):
    x = p["dv"] * 1000.0 / (p["isp"] * G0_M_S2)
    return (f"m_p = m_f (exp(Δv / (Isp g₀)) − 1) = {p['mf']:.1f} t × (exp({p['dv']:.1f}×10³ m/s / ({p['isp']} s × "
            f"{_G0})) − 1) = {p['mf']:.1f} t × (exp({x:.5f}) − 1) = {_s(_propellant_t(p))} t")


ROCKET_DV.working = _w_rocket
MASS_FLOW.working = _w_mass_flow
BURN_TIME.working = _w_burn_time
PROPELLANT.working = _w_propellant

LESSON = Lesson(
    name="rocket",
    title='Thrust and the rocket equation',
    question=(
        'What is thrust, and why must a rocket be almost all propellant?'),
    formulas=(
        'F = dot(m) v_e, quad v_e = I_"sp" g_0, quad g_0 = 9.80665 " m/s"^2',
        'Delta v = I_"sp" g_0 ln m_0 / m_f, quad m_p = m_f (e^(Delta v \\/ (I_"sp" g_0)) - 1)',
    ),
    exercises=(ROCKET_DV, MASS_FLOW, BURN_TIME, PROPELLANT, LIFTOFF_CHOICE,),
)
