"""Lesson 9 (How likely is success?): its exercises, each computing its reference answer with the library."""

from .. import reliability
from ._shared import _SUPERSCRIPT, _s
from .core import Exercise, Lesson, Misconception, Number


def _gen_reliability(rng):
    r = [round(float(rng.uniform(0.85, 0.99)), 2) for _ in range(3)]
    # each separation fails 1-5 % of the time: leaving one out costs at least 0.0058, nearly three times the
    # tolerance (with 0.97-0.998 and ±0.005 the one- and no-separation answers often passed)
    return {"r1": r[0], "r2": r[1], "r3": r[2], "rs": round(float(rng.uniform(0.95, 0.99)), 3)}


def _reliability(p):
    return float(reliability.mission_success_probability([p["r1"], p["r2"], p["r3"]], [p["rs"], p["rs"]]))


RELIABILITY = Exercise(
    id="reliability-1", version=2, lesson="reliability", title="Three stages, two separations",
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
    return float(reliability.at_least_one_success(p["p"], p["n"]))


ATTEMPTS = Exercise(
    id="reliability-2", version=2, lesson="reliability", title="Third time lucky?",
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


def _gen_monte(rng):
    n = int(rng.choice([200, 400, 500, 1000]))
    return {"n": n, "k": int(round(n * float(rng.uniform(0.6, 0.95))))}


def _std_error(p):
    return float(reliability.success_fraction(p["k"], p["n"])[1])


MONTE = Exercise(
    id="reliability-3", version=1, lesson="reliability", title="How sure is a Monte Carlo?",
    prompt="A Monte Carlo of {n} dispersed flights gives {k} that reach orbit. The success probability is estimated "
           "as k/n. What is the standard error of that estimate, √(p(1 − p)/n)? (±3 %)",
    generate=_gen_monte, solve=_std_error, answer=Number("", rel_tol=0.03),
    misconceptions=(
        Misconception("no-root", "The standard error is the square root of p(1 − p)/n.",
                      lambda p: _std_error(p) ** 2),
        Misconception("percent", "Give it as a fraction (like p), not in percent.", lambda p: 100 * _std_error(p)),
    ),
)


def _w_reliability(p):
    return (f"P = r₁ r₂ r₃ rₛ² = {p['r1']} × {p['r2']} × {p['r3']} × {p['rs']}² = {_s(_reliability(p))} "
            "(two separations)")


def _w_attempts(p):
    q = (1 - p["p"]) ** p["n"]
    return (f"P = 1 − (1 − p)ⁿ with p = {p['p']} and n = {p['n']}: "
            f"1 − {1 - p['p']:.2f}{str(p['n']).translate(_SUPERSCRIPT)} "
            f"= 1 − {q:.5f} = {_s(_at_least_one(p))}")


def _w_monte(p):
    q = p["k"] / p["n"]
    return (f"p = k/n = {p['k']} / {p['n']} = {q:.4f}; SE = √(p(1 − p)/n) = √({q:.4f} × {1 - q:.4f} / {p['n']}) "
            f"= {_s(_std_error(p))}")


RELIABILITY.working = _w_reliability
ATTEMPTS.working = _w_attempts
MONTE.working = _w_monte

LESSON = Lesson(
    name="reliability",
    title='How likely is success?',
    question=(
        "How likely is a new rocket to reach orbit, and how sure can a simulation's estimate be?"),
    formulas=(
        'P = r_1 r_2 r_3 r_s^2 " (three stages, two separations)"',
        'P_"at least one" = 1 - (1 - p)^n',
        'hat(p) = k / n, quad "SE" = sqrt(hat(p) (1 - hat(p)) / n)',
    ),
    exercises=(RELIABILITY, ATTEMPTS, MONTE,),
)
