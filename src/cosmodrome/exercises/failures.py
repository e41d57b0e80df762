"""Lesson 8 (Why satellite launches fail): its exercises, each computing its reference answer with the library."""

import math
from functools import lru_cache
from typing import Any

import numpy as np

from ._shared import _reasoning, _shuffled
from .core import Choice, Exercise, Lesson, Misconception, Record

_FAULT_KINDS = ("no_ignition", "thrust_shortfall", "early_cutoff", "termination")
_CHOLLIMA: dict[str, Any] = dict(perigee_km=493, apogee_km=512, inclination_deg=97.4, payload_kg=300, kick_deg=6.5)


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
            for tt, a, v, f, m in zip(t, alt, speed, thrust, mass, strict=True) if not math.isnan(a)]
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
    id="failures-2", version=2, lesson="failures", title="Which fault?",
    prompt="A satellite launch to a 500 km, 97.4° sun-synchronous orbit went wrong: {outcome} Which one of these "
           "faults explains what was seen?",
    generate=_gen_outcome, solve=None, answer=Choice(), options=_outcome_options,
    misconceptions=tuple(Misconception(f"picked-{f}", _FAULT_HINT[f], _picked(f)) for f in _FAULT_ORDER),
    private=("case",),
)


_NOTHING_BROKE = (
    ("Its upper stage was set up for another launch site: it turned and fired as it would have from there, "
     "so the working rocket flew the wrong path.", ""),
    ("One of its engines stopped early, so the satellite was left short of orbital speed.",
     "The record says every stage burned as planned: no engine stopped early."),
    ("The satellite was too heavy for the rocket.",
     "A rocket too weak for its payload falls short on every flight; this one was a proven rocket with a "
     "payload it was built to carry."),
    ("The air at Vostochny was thinner than the model, so the rocket flew too high.",
     "The weather changes drag by a few m/s, far too little to lose a satellite."),
)

NOTHING_BROKE = _reasoning(
    "failures-3", "failures", "Nothing broke",
    "On 28 November 2017 a Soyuz-2.1b with a Fregat upper stage lost the satellite Meteor-M No. 2-1 on the "
    "first launch from Vostochny, yet the investigation found that no part had failed. Which explanation "
    "fits a failure in which nothing broke?", _NOTHING_BROKE)


def _w_diagnose(p):
    rows = {}
    for line in p["telemetry"].splitlines()[2:]:
        t, alt, _, thrust, mass = (float(x) for x in line.strip("| ").split("|"))
        rows[t] = (alt, thrust, mass)
    ts = sorted(rows)
    before = max((t for t in ts if t < p["time"]), default=ts[0])
    after = min((t for t in ts if t > p["time"]), default=ts[-1])
    (_, f0, m0), (_, f1, m1) = rows[before], rows[after]
    s, at = p["stage"], f"T+{p['time']:.0f} s"
    if p["kind"] == "no_ignition":
        return (f"Stage {s - 1} burns out on time and is dropped (the mass falls to {m1:.2f} t by T+{after:.0f} s), "
                f"but the thrust stays at 0 from then on: stage {s}, due to light at {at}, never did.")
    if p["kind"] == "thrust_shortfall":
        return (f"Between T+{before:.0f} s and T+{after:.0f} s stage {s}'s thrust drops from {f0:.0f} to "
                f"{f1:.0f} kN and stays above 0, with the mass falling more slowly: a thrust shortfall at {at}.")
    if p["kind"] == "early_cutoff":
        return (f"At {at}, in the middle of stage {s}'s burn, its thrust stops; the mass drops at once from "
                f"{m0:.2f} to {m1:.2f} t (stage {s} dropped with its unburnt propellant) and stage {s + 1} lights "
                f"({f1:.0f} kN): an early cutoff.")
    return (f"At {at}, in the middle of stage {s}'s burn, the thrust falls from {f0:.0f} kN to 0 for good and the "
            f"mass stays at {m1:.2f} t (nothing is dropped): a termination, then the fall.")


DIAGNOSE.working = _w_diagnose

LESSON = Lesson(
    name="failures",
    title='Why satellite launches fail',
    question=(
        "Why did Chollima-1 fail twice in 2023, and what do failures look like in a rocket's telemetry?"),
    formulas=(
        'F = dot(m) v_e " : a step in thrust or in mass flow marks the fault"',
    ),
    exercises=(DIAGNOSE, WHICH_FAULT, NOTHING_BROKE),
)
