"""Lesson 4 (Staging): its exercises, each computing its reference answer with the library."""

import math

from .. import vehicles
from ..constants import G0_M_S2
from ._shared import _G0, _s, _shuffled
from .core import Choice, Exercise, Lesson, Misconception, Number


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


def _w_staging(p):
    m0 = p["d1"] + p["p1"] + p["d2"] + p["p2"] + p["pay"]
    m1 = p["d2"] + p["p2"] + p["pay"]
    return (f"m₀ = {p['d1']:.1f} + {p['p1']:.0f} + {p['d2']:.1f} + {p['p2']:.0f} + {p['pay']:.1f} = {m0:.1f} t; "
            f"Δv₁ = {p['isp1']} s × {_G0} × ln({m0:.1f} / {m0 - p['p1']:.1f}) = {_stage1_dv(p):.1f} m/s; "
            f"stage 1 dropped: m₁ = {p['d2']:.1f} + {p['p2']:.0f} + {p['pay']:.1f} = {m1:.1f} t; "
            f"Δv₂ = {p['isp2']} s × {_G0} × ln({m1:.1f} / {m1 - p['p2']:.1f}) "
            f"= {_two_stage(p) - _stage1_dv(p):.1f} m/s; "
            f"Δv = Δv₁ + Δv₂ = {_s(_two_stage(p))} m/s")


def _w_single_stage(p):
    return (f"Δv_max = Isp g₀ ln(1/ε) = {p['isp']} s × {_G0} × ln(1 / {p['eps']}) "
            f"= {_s(SINGLE_STAGE.reference(p))} m/s")


def _w_optimal(p):
    n = math.exp(p["dv"] * 500.0 / (p["isp"] * G0_M_S2))
    k = n * (1 - p["eps"]) / (1 - n * p["eps"])
    return (f"Δv = {p['dv']:.1f} km/s: each stage gives Δv/2 = {p['dv'] / 2:g} km/s, so its mass ratio "
            f"n = exp(Δv/2 / (Isp g₀)) = exp({p['dv'] * 500:.0f} / ({p['isp']} × 9.80665)) = {n:.4f}; "
            f"a stage multiplies the mass it lifts by "
            f"n(1 − ε) / (1 − nε) = {n:.4f} × (1 − {p['eps']}) / (1 − {n:.4f} × {p['eps']}) = {k:.4f}; "
            f"lift-off mass = {p['pay']:.1f} t × {k:.4f}² = {_s(_optimal_liftoff_t(p))} t")


def _w_underperform(p):
    return (f"stage {p['stage']}: Δv = Isp g₀ ln(m₀ / (m₀ − m_p)) = {p['isp']:g} s × {_G0} × "
            f"ln({p['m0_t']:.2f} / ({p['m0_t']:.2f} − {p['prop_t']:.2f})) = {_stage_dv(p):.1f} m/s; only it "
            f"scales with its Isp: loss = {p['short']} % × {_stage_dv(p):.1f} m/s = {_s(_dv_loss(p))} m/s")


STAGING_DV.working = _w_staging
SINGLE_STAGE.working = _w_single_stage
OPTIMAL.working = _w_optimal
UNDERPERFORM.working = _w_underperform

LESSON = Lesson(
    name="staging",
    title='Staging',
    question=(
        'Why does every orbital rocket throw parts of itself away?'),
    formulas=(
        'Delta v = sum_k I_("sp",k) g_0 ln m_(0,k) / m_(f,k), quad g_0 = 9.80665 " m/s"^2',
        'Delta v_"max" = I_"sp" g_0 ln 1 / epsilon, quad epsilon = m_"empty" / m_"full"',
    ),
    exercises=(STAGING_DV, SINGLE_STAGE, SSTO, OPTIMAL, UNDERPERFORM,),
)
