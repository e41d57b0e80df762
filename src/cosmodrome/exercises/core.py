"""Exercise definitions shared by notebooks, the class grader and worksheets.

An exercise is defined once: an id and version, a prompt template, a
parameter generator drawing physically sensible values from an explicit
random generator, a solver that computes the reference answer with the
library, an answer type with its tolerance, and the known wrong answers
(misconceptions) with a hint each.

Per-student numbers come from ``default_rng(seed)`` with the seed derived
from (course secret, student id, exercise id, exercise version) by SHA-256,
so a student's numbers are reproducible, differ between students, and
bumping one exercise's version changes no other exercise.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure


def derive_seed(course_secret, student_id, exercise_id, version):
    """A 64-bit seed from the four things that make a variant, via SHA-256."""
    text = "\x1f".join(str(x) for x in (course_secret, student_id, exercise_id, version))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True)
class Feedback:
    """What a student (and the gradebook) is told: never the reference value."""

    correct: bool
    score: float
    message: str
    hint: str = ""
    #: The known mistake (``Misconception.name``) the answer matched, "" if none; for the teacher's
    #: class summary, never shown to the student beyond its hint.
    mistake: str = ""
    #: False when the answer could not be marked at all (not a number, no such option, ...).
    marked: bool = True

    def __str__(self):
        return self.message + (f"\nHint: {self.hint}" if self.hint else "")

    def _repr_markdown_(self):
        # text symbols every browser's fonts draw (emoji such as U+2705 show as empty boxes without an emoji font)
        mark = "\u2713" if self.correct else ("\u25d0" if self.score > 0 else "\u2717")
        return f"{mark} {self.message}" + (f"\n\n**Hint:** {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer: ``wrong(params)`` computes it; ``hint`` says what went wrong."""

    name: str
    hint: str
    wrong: Callable[[dict[str, Any]], Any]  # callable(params) -> value


#: What a wrong number that matches no known mistake is told: no direction, so
#: nobody can bisect their way to full marks (a direction may only appear in a
#: misconception's own hint).
NOT_WITHIN = "Not yet: this is not within the tolerance. Check your formula and units."

_NUMBER_FIRST = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(.*)", re.S)
_MAX_UNIT_CHARS = 40


class WrongUnit(ValueError):
    """An answer whose unit is of another kind than the question's (a force for a
    speed): not marked, with a ``hint`` naming both kinds."""

    def __init__(self, message, hint):
        super().__init__(message)
        self.hint = hint


def _shown(answer, limit=40):
    """The student's answer as a message quotes it: 'nothing' when empty, else its
    repr, shortened."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return "nothing"
    text = repr(answer)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _a_number_in(unit):
    return f"a number in {unit}" if unit else "a plain number, with no unit"


def _as_number(answer, unit, what="answer"):
    """``answer`` as a float in ``unit``. A bare number means ``unit``; text may carry a
    unit of the same kind ("4.63 km/s" for m/s, "76 %" for a plain number), which is
    converted. ValueError (WrongUnit for a unit of another kind) if it is not one."""
    want = f"{what} must be {_a_number_in(unit)}"
    if answer is None or isinstance(answer, (bool, np.bool_)) or (isinstance(answer, str) and not answer.strip()):
        raise ValueError(f"{want} (got {_shown(answer)})")
    if isinstance(answer, str):
        x = _read_text(answer, unit, want)
    else:
        try:
            x = float(answer)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{want} (got {_shown(answer)})") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number (got {x})")
    return x


def _read_text(text, unit, want):
    txt = text.strip().replace(",", "").replace("\u2212", "-")
    m = _NUMBER_FIRST.fullmatch(txt)
    if not m:
        raise ValueError(f"{want} (got {_shown(text)})")
    try:
        x = float(m.group(1))
    except OverflowError:
        raise ValueError(f"{want} (got {_shown(text)})") from None
    tail = m.group(2).strip().replace("°", "deg").replace("º", "deg")
    if not tail or tail == unit:
        return x
    if tail[0].isdigit() or tail[0] in ".+-":          # "1 000 m/s": two numbers, not one
        raise ValueError(f"{want} (got {_shown(text)})")
    return _convert(x, tail, unit, text)


def _convert(x, tail, unit, text):
    """``x`` in the unit ``tail`` (pint, imported only now), converted to ``unit``."""
    give = f"give a number in {unit}" if unit else "give a plain number"
    if len(tail) > _MAX_UNIT_CHARS:
        raise ValueError(f"the unit in {_shown(text)} is too long to read; {give}")
    ureg = _units()
    try:
        got = ureg.parse_units(tail)
        got_kind = _kind(ureg, got)
    except Exception:                                   # pint's many parse errors: all mean "not a unit"
        raise ValueError(f"could not read {tail[:20]!r} as a unit in {_shown(text)}; {give}") from None
    target = ureg.parse_units(unit) if unit else ureg.dimensionless
    if got_kind != _kind(ureg, target):
        asks = _describe(ureg, target) + (f" in {unit}" if unit else "")
        raise WrongUnit(f"the unit of {_shown(text)} does not fit this question",
                        f"That is {_describe(ureg, got)}; the question asks for {asks}.")
    try:
        y = float(ureg.Quantity(x, got).to(target).magnitude)
    except Exception:
        raise ValueError(f"could not convert {_shown(text)}; {give}") from None
    if not math.isfinite(y):
        raise ValueError(f"could not convert {_shown(text)}; {give}")
    return y


@lru_cache(maxsize=1)
def _units():
    """pint's unit registry, built on first use: importing pint takes most of a second,
    which a bare number (or one in the prompt's own unit) never pays."""
    import pint

    return pint.UnitRegistry()


def _kind(ureg, unit):
    """What a unit measures: its dimensions, and its power of angle (pint counts
    degrees as a plain number, but an angle is not a probability)."""
    q = ureg.Quantity(1.0, unit).to_root_units()
    return frozenset(dict(q.dimensionality).items()), dict(q.unit_items()).get("radian", 0)


_KINDS = {
    (): "a plain number", (("[length]", 1),): "a length", (("[time]", 1),): "a time", (("[mass]", 1),): "a mass",
    (("[length]", 1), ("[time]", -1)): "a speed", (("[length]", 1), ("[time]", -2)): "an acceleration",
    (("[length]", 1), ("[mass]", 1), ("[time]", -2)): "a force", (("[mass]", 1), ("[time]", -1)): "a mass flow",
    (("[length]", -1), ("[mass]", 1), ("[time]", -2)): "a pressure", (("[length]", -3), ("[mass]", 1)): "a density",
    (("[length]", 2), ("[mass]", 1), ("[time]", -2)): "an energy",
    (("[length]", 2), ("[mass]", 1), ("[time]", -3)): "a power", (("[length]", 2),): "an area",
    (("[length]", 3),): "a volume", (("[time]", -1),): "a rate (per unit of time)",
    (("[length]", 3), ("[time]", -2)): "a gravitational parameter (GM)", (("[temperature]", 1),): "a temperature",
}


def _describe(ureg, unit):
    dims, angle = _kind(ureg, unit)
    key = tuple(sorted(dims))
    if angle == 1 and key in ((), (("[time]", -1),)):
        return "an angle" if not key else "an angular speed"
    if angle == 0 and key in _KINDS:
        return _KINDS[key]
    return f"a quantity in {unit:~P}"


class Answer:
    """What every kind of answer does, with the defaults most of them share: the reference is the
    exercise's ``solve(params)``; a worksheet gives it one box (``sheet_label``) and 4 cm of room; a
    teacher's paper answer is read as typed; no option text names a mistake. Each kind below overrides
    what it does differently, and ``parse``, ``mark`` and ``key_text`` always."""

    sheet_room_cm = 4.0

    def reference_of(self, ex, params):
        return ex.solve(params)

    def sheet_fields(self):
        """(label, unit) of each box a worksheet prints for the answer; () for one box."""
        return ()

    def from_paper(self, text):
        return text

    def chosen_text(self, ex, params, value):
        """The words a student chose with ``value``, when the answer picks an option; "" otherwise."""
        return ""


@dataclass(frozen=True)
class Number(Answer):
    """A number with a unit, accepted within ``rel_tol`` (or ``abs_tol``) of the reference."""

    unit: str
    rel_tol: float = 0.0
    abs_tol: float = 0.0

    def __post_init__(self):
        if self.rel_tol <= 0 and self.abs_tol <= 0:
            raise ValueError("Number answer needs rel_tol > 0 or abs_tol > 0")

    def close(self, answer, reference):
        return abs(answer - reference) <= max(self.rel_tol * abs(reference), self.abs_tol)

    def tolerance_text(self, reference):
        if self.abs_tol and self.abs_tol >= self.rel_tol * abs(reference):
            return f"±{self.abs_tol:g} {self.unit}".rstrip()
        return f"±{100 * self.rel_tol:g} %"

    def parse(self, answer):
        return _as_number(answer, self.unit)

    def mark(self, ex, params, value):
        """Feedback for the parsed ``value``: right, a named known mistake, or neither (never the reference)."""
        ref = self.reference_of(ex, params)
        if self.close(value, ref):
            return Feedback(True, ex.points, f"Correct (within {self.tolerance_text(ref)}).")
        # the known mistake whose answer is closest to this one (two may both be within
        # the tolerance; the first in the list is not necessarily the one made)
        best = None
        for m in ex.misconceptions:
            w = m.wrong(params)
            if w is not None and self.close(value, w) and not self.close(w, ref):
                if best is None or abs(value - w) < best[0]:
                    best = (abs(value - w), m)
        if best is not None:
            return Feedback(False, 0.0, "Not yet.", best[1].hint, mistake=best[1].name)
        return Feedback(False, 0.0, NOT_WITHIN)

    def key_text(self, ref):
        unit = f" {self.unit}" if self.unit else ""
        return f"{ref:.6g}{unit} (within {self.tolerance_text(ref)})"

    @property
    def sheet_label(self):
        return self.unit or "(no unit)"


@dataclass(frozen=True)
class Choice(Answer):
    """Multiple choice: the answer is the letter (or index) of one option."""

    def parse(self, answer):
        if isinstance(answer, str) and len(answer.strip()) == 1 and answer.strip().isalpha():
            return ord(answer.strip().upper()) - ord("A")
        if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
            return int(answer)
        raise ValueError(f"answer must be the letter of one option, such as B (got {_shown(answer)})")

    def reference_of(self, ex, params):
        return ex.options(params)[1]

    def mark(self, ex, params, value):
        ref = self.reference_of(ex, params)
        n = len(ex.options(params)[0])
        if not 0 <= value < n:
            return Feedback(False, 0.0, f"Not marked: choose one of A-{chr(64 + n)}.", marked=False)
        if value == ref:
            return Feedback(True, ex.points, "Correct.")
        for m in ex.misconceptions:
            if m.wrong(params) == value:
                return Feedback(False, 0.0, "Not this one.", m.hint, mistake=m.name)
        return Feedback(False, 0.0, "Not this one. Re-read the question and try again.")

    def key_text(self, ref):
        return chr(65 + ref)

    sheet_label = "one letter"
    sheet_room_cm = 1.2

    def chosen_text(self, ex, params, value):
        """The words of the option ``value`` (an index), e.g. for a summary of the mistakes made."""
        texts = ex.options(params)[0]
        return texts[value] if 0 <= value < len(texts) else ""


@dataclass(frozen=True)
class Selection(Answer):
    """A set of options (letters): all the right ones and none of the wrong ones.

    Partial credit: (right picks - wrong picks) / number right, floored at 0.
    """

    def parse(self, answer):
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            raise ValueError(f"answer must be letters such as 'A, C' (got {_shown(answer)})")
        items = answer.replace(",", " ").split() if isinstance(answer, str) else answer
        try:
            out = set()
            for a in items:
                if isinstance(a, str) and len(a.strip()) == 1 and a.strip().isalpha():
                    out.add(ord(a.strip().upper()) - ord("A"))
                elif isinstance(a, (int, np.integer)) and not isinstance(a, bool):
                    out.add(int(a))
                else:
                    raise TypeError
        except TypeError:
            raise ValueError(f"answer must be letters such as 'A, C' (got {_shown(answer)})") from None
        return frozenset(out)

    def reference_of(self, ex, params):
        return frozenset(ex.options(params)[1])

    def mark(self, ex, params, value):
        ref = self.reference_of(ex, params)
        n = len(ex.options(params)[0])
        if any(not 0 <= v < n for v in value):
            return Feedback(False, 0.0, f"Not marked: choose among A-{chr(64 + n)}.", marked=False)
        if value == ref:
            return Feedback(True, ex.points, "Correct: exactly the right ones.")
        for m in ex.misconceptions:
            if m.wrong(params) == value:
                return Feedback(False, 0.0, "Not quite.", m.hint, mistake=m.name)
        right, wrong = len(value & ref), len(value - ref)
        part = max(0.0, (right - wrong) / max(len(ref), 1))
        return Feedback(False, ex.points * part, f"Not quite: {right} right pick(s), {wrong} wrong, "
                        f"{len(ref - value)} missed.")

    def key_text(self, ref):
        return ", ".join(chr(65 + i) for i in sorted(ref)) or "none"

    sheet_label = "letters"
    sheet_room_cm = 1.2


def _field(f):
    """A Record field as (name, kind, tolerance, unit); the unit is optional."""
    name, kind, tol, *rest = f
    return name, kind, tol, (rest[0] if rest else "")


@dataclass(frozen=True)
class Record(Answer):
    """A short list of named fields, each checked on its own, e.g. which stage failed,
    when, and how. ``fields`` is a tuple of (name, kind, tolerance[, unit]) with kind one
    of "int", "number" or "word"; a number field with a unit reads "1.5 min" as 90 s."""

    fields: tuple

    def parse(self, answer):
        names = [f[0] for f in self.fields]
        if isinstance(answer, dict):
            missing = [n for n in names if n not in answer]
            if missing:
                raise ValueError(f"answer is missing {', '.join(missing)}")
            values = [answer[n] for n in names]
        elif isinstance(answer, (list, tuple)) and len(answer) == len(names):
            values = list(answer)
        else:
            raise ValueError(f"answer must list {', '.join(names)} (got {_shown(answer)})")
        out: list[Any] = []
        for (name, kind, _, unit), v in zip(map(_field, self.fields), values, strict=True):
            if kind == "word":
                out.append(str(v).strip().lower().replace(" ", "_").replace("-", "_"))
            else:
                x = _as_number(v, unit, what=name)
                out.append(int(round(x)) if kind == "int" else x)
        return tuple(out)

    def matches(self, answer, reference):
        ok = []
        for (_, kind, tol, _), a, r in zip(map(_field, self.fields), answer, reference, strict=True):
            ok.append(abs(a - r) <= tol if kind != "word" else a == r)
        return ok

    def mark(self, ex, params, value):
        ref = self.reference_of(ex, params)
        ok = self.matches(value, ref)
        if all(ok):
            return Feedback(True, ex.points, "Correct on every count.")
        good = [f[0] for f, k in zip(self.fields, ok, strict=True) if k]
        bad = [f[0] for f, k in zip(self.fields, ok, strict=True) if not k]
        for m in ex.misconceptions:
            w = m.wrong(params)
            if w is not None and all(self.matches(value, w)):
                return Feedback(False, ex.points * len(good) / len(ok), "Not yet.", m.hint, mistake=m.name)
        return Feedback(False, ex.points * len(good) / len(ok),
                        f"Right: {', '.join(good) or 'nothing yet'}. Look again at: {', '.join(bad)}.")

    def key_text(self, ref):
        parts = []
        for (name, kind, tol, _), v in zip(map(_field, self.fields), ref, strict=True):
            parts.append(f"{name} = {v}" if kind == "word" else f"{name} = {v:g} (±{tol:g})")
        return "; ".join(parts)

    @property
    def sheet_label(self):
        return ", ".join(f[0] for f in self.fields)

    def sheet_fields(self):
        """(label, unit) of each field's box on a worksheet: the unit printed beside it, not in its name."""
        out = []
        for name, _, _, unit in map(_field, self.fields):
            label = name[: -len("_" + unit)] if unit and name.endswith("_" + unit) else name
            out.append((label.replace("_", " "), unit))
        return tuple(out)

    def from_paper(self, text):
        """A record typed by a teacher as one cell: its fields separated by commas or semicolons."""
        return re.split(r"\s*[,;]\s*", text)


@dataclass(frozen=True)
class Judged(Answer):
    """An answer marked by running it, not by comparing it with one number: e.g. a
    pitch programme flown by the simulator. ``judge(params, value)`` returns
    (score from 0 to 1, message, hint); ``accepts`` says in words what passes
    (for answer keys); ``parse_fn`` turns what the student gave into ``value``."""

    judge: Callable[[dict[str, Any], Any], tuple[float, str, str]]
    parse_fn: Callable[[Any], Any]
    accepts: str
    unit: str = ""

    def parse(self, answer):
        return self.parse_fn(answer)

    def mark(self, ex, params, value):
        score, message, hint = self.judge(params, value)
        mistake = next((m.name for m in ex.misconceptions if hint and m.hint == hint), "")
        return Feedback(score >= 1.0, ex.points * score, message, hint, mistake=mistake)

    def key_text(self, ref):
        return f"{self.accepts}; for example {ref!r}"

    @property
    def sheet_label(self):
        return f"{self.unit} (flown by the simulator)"


@dataclass
class Exercise:
    """One exercise. ``generate(rng) -> params``; ``solve(params) -> reference``;
    ``prompt`` is a Markdown template filled with ``params``; for choices,
    ``options(params) -> (list of option texts, index of the correct one)``.

    ``paper=False`` marks an exercise that needs the simulator (it is graded by
    flying the answer): it is done in the notebook and left off printed
    worksheets, which must print every number a paper exercise needs and
    mention no code. ``working(params) -> str`` (optional) is the worked
    solution an answer key shows: the formula, the student's numbers put in,
    and the result with its unit."""

    id: str
    version: int
    lesson: str
    title: str
    prompt: str
    generate: Callable[[np.random.Generator], dict[str, Any]]
    solve: Callable[[dict[str, Any]], Any] | None  # None for a choice: its options say which is right
    answer: Number | Choice | Selection | Record | Judged
    misconceptions: tuple[Misconception, ...] = ()
    options: Callable[[dict[str, Any]], tuple[list[str], Any]] | None = None  # texts, which are right
    points: float = 1.0
    tags: tuple[str, ...] = field(default_factory=tuple)
    figure: Callable[[dict[str, Any]], Figure] | None = None  # drawn on worksheets (never the answer)
    paper: bool = True  # False: needs the simulator, done in the notebook only
    working: Callable[[dict[str, Any]], str] | None = None  # the worked solution, for answer keys
    private: tuple[str, ...] = ()  # params a student is not handed (they would give the answer away)

    def params(self, student_id, course_secret):
        """The student's own numbers (a dict), reproducible from the four seed inputs."""
        return self.params_from_seed(self.seed(student_id, course_secret))

    def seed(self, student_id, course_secret):
        """The student's seed for this exercise (what the class grader hands its
        sandbox instead of the course secret)."""
        return derive_seed(course_secret, student_id, self.id, self.version)

    def params_from_seed(self, seed):
        """The numbers drawn from one seed (see :meth:`seed`)."""
        return self.generate(np.random.default_rng(seed))

    def shown_params(self, params):
        """The params a student is handed (``ws[...].params``): all but the private ones
        and, for a question with options, the order they are shown in (the options
        themselves are in the prompt)."""
        hidden = set(self.private) | ({"order"} if self.options is not None else set())
        return {k: v for k, v in params.items() if k not in hidden}

    def render(self, params):
        """The prompt with the student's numbers, and the options for a choice."""
        text = self.prompt.format(**params)
        if self.options is not None:
            opts, _ = self.options(params)
            text += "\n\n" + "\n".join(f"- **{chr(65 + i)}.** {o}" for i, o in enumerate(opts))
        return text

    def reference(self, params):
        return self.answer.reference_of(self, params)

    def reference_text(self, params):
        """The reference answer as a teacher's key shows it, with its tolerance."""
        return self.answer.key_text(self.reference(params))

    def check(self, params, answer):
        """Feedback for ``answer``; the reference value is never part of it."""
        try:
            value = self.answer.parse(answer)
        except ValueError as exc:
            return Feedback(False, 0.0, f"Not marked: {exc}.", getattr(exc, "hint", ""), marked=False)
        return self.answer.mark(self, params, value)


@dataclass(frozen=True)
class Lesson:
    """One lesson of the course, as its exercise module declares it (``exercises/<name>.py``).

    ``name`` is the exercises' prefix (``"rocket"`` for ``rocket-1``) and the notebook's name after its
    number (``03-rocket.ipynb``); the number is the lesson's place in ``exercises.COURSE``. ``question`` is
    the real scene's question the lesson opens with; ``formulas`` are Typst mathematics, printed at the
    top of the lesson's worksheets; ``exercises`` are in the order the notebook asks them."""

    name: str
    title: str
    question: str
    formulas: tuple
    exercises: tuple

    def __post_init__(self):
        wrong = [e.id for i, e in enumerate(self.exercises, 1) if (e.lesson, e.id) != (self.name, f"{self.name}-{i}")]
        if wrong:
            raise ValueError(f"lesson {self.name!r}: exercises {wrong} are not numbered {self.name}-1, "
                             f"{self.name}-2, ... in the order given, with lesson={self.name!r}")
