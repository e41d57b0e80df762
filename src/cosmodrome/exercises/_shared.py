"""What the lesson modules share: option shuffling, reasoning (multiple-choice) exercises, and the
number formats of the worked solutions."""

import math

from .core import Choice, Exercise, Misconception


def _shuffled(rng, n):
    return [int(i) for i in rng.permutation(n)]


def _static_choice(options):
    """Options for a fixed list of (text, hint) whose first entry is right, shown in the
    student's own order ``p["order"]``."""
    def opts(p):
        return [options[i][0] for i in p["order"]], p["order"].index(0)
    return opts


def _static_misconceptions(options):
    # the outer lambda binds each k (ruff's B023 does not see it)
    return tuple(Misconception(f"option-{k}", options[k][1], (lambda k: lambda p: p["order"].index(k))(k))  # noqa: B023
                 for k in range(1, len(options)))


def _reasoning(id, lesson, title, prompt, options):
    """A reasoning question: fixed options as (text, hint), the first right, shown to each
    student in their own order."""
    return Exercise(id=id, version=1, lesson=lesson, title=title, prompt=prompt,
                    generate=lambda rng: {"order": _shuffled(rng, len(options))}, solve=None, answer=Choice(),
                    options=_static_choice(options), misconceptions=_static_misconceptions(options))


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
