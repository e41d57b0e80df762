"""Tries and modes: how an exercise's mark depends on the number of tries, and
whether the notebook marks answers at all.

Two modes, set per course (``COSMODROME_MODE``) or per notebook (``start(...,
mode=...)``; ``cosmodrome release --graded`` writes it into the student copies):

``practice`` (lessons)
    ``check()`` marks each answer at once, with hints for known mistakes. Tries
    are counted: full marks within the first ``full_tries``, then each further
    try takes ``step`` of the marks off, down to ``floor`` (the homework mode of
    PrairieLearn works the same way). The class grader counts the tries it sees
    when it runs the notebook.
``graded`` (assignments)
    ``check()`` records the answer and says so; it marks nothing and computes no
    reference in the student's kernel. The class grader marks the last answer
    given to each exercise.

The policy is ``COSMODROME_ATTEMPTS`` = "full_tries,step,floor" (default
"3,0.25,0.25"), the same in the lab and in the grader.
"""

import os
from dataclasses import dataclass

from .. import _check

MODE_ENV = "COSMODROME_MODE"
ATTEMPTS_ENV = "COSMODROME_ATTEMPTS"
MODES = ("practice", "graded")


@dataclass(frozen=True)
class Policy:
    """Full marks within ``full_tries`` tries; each try after that takes ``step`` (a
    fraction of the marks) off, never below ``floor``."""

    full_tries: int = 3
    step: float = 0.25
    floor: float = 0.25

    def __post_init__(self):
        _check.in_range("full_tries", self.full_tries, 1, 100)
        _check.in_range("step", self.step, 0.0, 1.0)
        _check.in_range("floor", self.floor, 0.0, 1.0)

    def factor(self, attempt):
        """The fraction of the marks a right answer earns on try number ``attempt`` (1, 2, ...)."""
        extra = max(0, int(attempt) - self.full_tries)
        return max(self.floor, 1.0 - self.step * extra) if extra else 1.0

    def describe(self):
        """The policy in one sentence, for prompts and the README."""
        if self.step == 0:
            return "Tries: as many as you like, all for full marks."
        tries = "the first try" if self.full_tries == 1 else f"the first {self.full_tries} tries"
        return (f"Tries: full marks within {tries}; each try after that takes {100 * self.step:g} % "
                f"of the marks off, down to {100 * self.floor:g} %.")

    @classmethod
    def parse(cls, text):
        """A policy from "full_tries,step,floor", e.g. "3,0.25,0.25"; errors name the field."""
        parts = [p.strip() for p in str(text).split(",")]
        if len(parts) != 3:
            raise ValueError(f"{ATTEMPTS_ENV} = {text!r} must be three numbers, full_tries,step,floor "
                             "(e.g. 3,0.25,0.25)")
        try:
            return cls(int(parts[0]), float(parts[1]), float(parts[2]))
        except ValueError as exc:
            raise ValueError(f"{ATTEMPTS_ENV} = {text!r}: {exc}") from None

    def as_dict(self):
        return {"full_tries": self.full_tries, "step": self.step, "floor": self.floor}


def course_policy():
    """The course's policy: ``COSMODROME_ATTEMPTS`` if set, else the default."""
    text = os.environ.get(ATTEMPTS_ENV)
    return Policy.parse(text) if text else Policy()


def course_mode():
    """The course's mode: ``COSMODROME_MODE`` if set ("practice" or "graded"), else "practice"."""
    return check_mode(os.environ.get(MODE_ENV) or "practice")


def check_mode(mode):
    return _check.lookup("mode", mode, {m: m for m in MODES})


def best_of(scores, policy):
    """(mark, try number it came on) from the scores of successive tries (each 0-1 of
    the points) under ``policy``: the best of score times the try's factor."""
    best, on = 0.0, None
    for i, s in enumerate(scores, start=1):
        value = float(s) * policy.factor(i)
        if value > best:
            best, on = value, i
    return best, on
