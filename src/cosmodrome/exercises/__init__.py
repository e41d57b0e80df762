"""Exercises with per-student numbers, instant feedback in notebooks, and one
definition shared by the class grader and the printed worksheets.

    from cosmodrome.exercises import start
    ws = start("latitude", student="ivanova")
    ws["latitude-2"].check(305.2)
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import os
import re
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _check
from . import (
    ascent,
    attempts,
    failures,
    latitude,
    losses,
    orbits,
    reliability,
    rocket,
    staging,
    visit,
)
from .core import Exercise, Feedback, Lesson, derive_seed

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from .core import Exercise, Feedback, Lesson

#: The course, in teaching order: the one list that numbers the notebooks (``05-ascent.ipynb``) and that
#: the worksheets, the grader, the course build and the READMEs follow. A new lesson is a module
#: ``exercises/<name>.py`` declaring ``LESSON``, one entry here, and its notebook in lessons/.
COURSE = (visit.LESSON, latitude.LESSON, rocket.LESSON, staging.LESSON, ascent.LESSON, losses.LESSON,
          orbits.LESSON, failures.LESSON, reliability.LESSON)
#: The lessons' names, in teaching order.
LESSONS = tuple(lesson.name for lesson in COURSE)
ALL = [e for lesson in COURSE for e in lesson.exercises]
EXERCISES = {e.id: e for e in ALL}
DEFAULT_COURSE_SECRET = "cosmodrome-demo-course"

_RECORDED: dict[str, Any] = {}
_CLAIMED: dict[str, str | None] = {"student": None}
_TEXT_LIMIT = 2000

#: Set by the class grader inside its sandbox: the roster's student id (which
#: overrides the one a notebook passes to ``start``) and the file each checked
#: answer is appended to as it is given, so answers survive a later crash.
STUDENT_ENV = "COSMODROME_STUDENT"
ANSWERS_ENV = "COSMODROME_ANSWERS_FILE"
#: Set by the class grader instead of the course secret: the student's own seed
#: for every exercise, as JSON {exercise id: seed}. The secret never enters the
#: sandbox, so nothing a notebook can read there gives another student's numbers.
SEEDS_ENV = "COSMODROME_SEEDS"

#: What a student id may be: 1-64 letters, digits, '.', '_' or '-', starting with
#: a letter or digit (the roster, file names and worksheets all use it).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_student_id(value: object, field: str = "student") -> str:
    """``value`` if it is a valid student id, else a ValueError naming the field."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:40] + "...")
        length = f" ({len(value)} characters)" if isinstance(value, str) else ""
        raise ValueError(f"{field} = {shown}{length} is not a student id: it must be text of 1-64 letters, "
                         "digits, '.', '_' or '-', starting with a letter or digit, e.g. student=\"ivanova\"")
    return value


def grader_seeds() -> dict[str, int] | None:
    """{exercise id: seed} handed in by the class grader, or None outside it."""
    text = os.environ.get(SEEDS_ENV)
    if not text:
        return None
    try:
        seeds = json.loads(text)
    except ValueError:
        return None
    return seeds if isinstance(seeds, dict) else None


def course_secret() -> str:
    """The course secret: ``COSMODROME_COURSE_SECRET`` if the teacher set it, else the demo course's."""
    return os.environ.get("COSMODROME_COURSE_SECRET", DEFAULT_COURSE_SECRET)


def get_exercise(exercise_id: str) -> Exercise:
    return _check.lookup("exercise", exercise_id, EXERCISES)


def variant(student: str, exercise_id: str, secret: str | None = None) -> tuple[Exercise, dict[str, Any], str]:
    """A student's exact variant: (exercise, params, prompt). The teacher's replay tool."""
    check_student_id(student)
    ex = get_exercise(exercise_id)
    params = ex.params(student, secret or course_secret())
    return ex, params, ex.render(params)


class Recorded:
    """What ``check()`` says in graded mode: the answer is kept for the grader, unmarked."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self):
        return f"**Recorded.** {self.message}"


class BoundExercise:
    """One exercise with one student's numbers, as a notebook shows it.

    Public: ``id``, ``title``, ``params`` (the student's numbers, less any that give the
    answer away: see ``Exercise.shown_params``), ``prompt``,
    ``options``, ``tries`` and ``check(answer)``; nothing a student holds gives the
    reference answer."""

    def __init__(self, exercise: Exercise, student: str, secret: str | None, seed: int | None = None,
                 mode: str = "practice", policy: attempts.Policy | None = None) -> None:
        self._exercise = exercise
        self._mode = mode
        self._policy = policy or attempts.Policy()
        self.id, self.title = exercise.id, exercise.title
        self.student = student
        self._params = exercise.params(student, secret) if seed is None else exercise.params_from_seed(seed)
        self.params = exercise.shown_params(self._params)
        self.prompt = exercise.render(self._params)
        self.tries = 0
        self._last: tuple[Any] | None = None

    def check(self, answer: object) -> Feedback | Recorded:
        """Practice mode: mark ``answer`` now (the mark depends on the try, see
        ``attempts``). Graded mode: keep it for the grader, unmarked. Either way the
        answer is recorded for the class grader; an answer that cannot be read is
        not a try."""
        try:
            self._exercise.answer.parse(answer)
        except ValueError:
            fb = self._exercise.check(self._params, answer)     # says why it cannot be read
            return Recorded(f"not kept: {fb.message}") if self._mode == "graded" else fb
        self.tries += 1
        self._record(answer)
        if self._mode == "graded":
            return Recorded(f"try {self.tries}: your answer {plain_answer(answer)!r} is kept; the grader marks "
                            "the last one you give. (A graded assignment: no marks here.)")
        fb = self._exercise.check(self._params, answer)
        factor = self._policy.factor(self.tries)
        if fb.score > 0 and factor < 1:
            earned = fb.score * factor
            fb = dataclasses.replace(fb, score=earned, message=(
                f"{fb.message} This was try {self.tries}: {100 * factor:g} % of the marks, "
                f"{earned:g} of {self._exercise.points:g}."))
        return fb

    def _record(self, answer):
        self._last = (answer,)
        value = plain_answer(answer)
        _RECORDED[self.id] = value
        path = os.environ.get(ANSWERS_ENV)
        if path:
            line = json.dumps({"exercise": self.id, "answer": value, "student": _CLAIMED["student"],
                               "try": self.tries, "mode": self._mode})
            with open(path, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    @property
    def options(self) -> list[str]:
        """The option texts of a choice, in this student's order (answer with a letter or index)."""
        if self._exercise.options is None:
            return []
        return list(self._exercise.options(self._params)[0])

    def _rules(self):
        if self._mode == "graded":
            return "*Graded assignment: `check()` keeps your answer without marking it; the last one you give counts.*"
        return f"*{self._policy.describe()}*"

    def _repr_markdown_(self):
        return f"**{self.id}: {self.title}**\n\n{self.prompt}\n\n{self._rules()}"

    def __repr__(self):
        return f"{self.id}: {self.prompt}"

    def __dir__(self):
        return ["check", "id", "options", "params", "prompt", "student", "title", "tries"]


class Worksheet:
    """All exercises of one lesson for one student."""

    def __init__(self, lesson: str, student: str, secret: str | None = None, seeds: Mapping[str, int] | None = None,
                 mode: str | None = None, policy: attempts.Policy | None = None) -> None:
        if lesson not in LESSONS:
            _check.lookup("lesson", lesson, {k: k for k in LESSONS})
        self.lesson = lesson
        self.student = str(student)
        self.mode = attempts.check_mode(mode or attempts.course_mode())
        policy = policy or attempts.course_policy()
        seeds = seeds or {}
        secret = secret or (None if seeds else course_secret())
        self.items = {e.id: BoundExercise(e, self.student, secret, seeds.get(e.id), self.mode, policy)
                      for e in ALL if e.lesson == lesson}

    def __getitem__(self, exercise_id: str) -> BoundExercise:
        return _check.lookup(f"exercise in lesson {self.lesson!r}", exercise_id, self.items)

    def __iter__(self) -> Iterator[BoundExercise]:
        return iter(self.items.values())

    def _repr_markdown_(self):
        return "\n\n".join(b._repr_markdown_() for b in self.items.values())


def nbgrader_mark(item: BoundExercise) -> None:
    """For nbgrader's autograder: pass if the last answer given to ``item`` (a
    ``ws[...]`` exercise) with ``check()`` is right, else raise AssertionError saying
    why. It is not a try and records nothing. The lessons call it in hidden test
    cells (``### BEGIN HIDDEN TESTS``), which students do not see: nbgrader gives
    the cell's points when it passes."""
    if item._last is None:
        raise AssertionError(f"{item.id}: not answered (no check() call with a readable answer ran)")
    fb = item._exercise.check(item._params, item._last[0])
    if not fb.correct:
        raise AssertionError(f"{item.id}: {fb.message}")
    print(f"{item.id}: right")


PLACEHOLDER_ID = "your-id"


def _notice(text):
    """A warning a student cannot miss: a red box in a notebook, stderr elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(HTML('<div style="border:3px solid #c00;padding:8px;background:#fee">'
                     f"<b>Stop:</b> {html.escape(text)}</div>"))
    else:
        print("cosmodrome: " + text, file=sys.stderr)


def start(lesson: str, student: str, mode: str | None = None) -> Worksheet:
    """The student's worksheet for a lesson; prompts show their own numbers.

    ``mode`` is "practice" (marked at once, tries counted) or "graded" (kept for
    the grader only); by default the course's (``COSMODROME_MODE``, else
    practice). Under the class grader the roster's student id is used, whatever
    ``student`` says, with the seeds the grader computed for it."""
    _CLAIMED["student"] = str(student)[:64]
    roster_id = os.environ.get(STUDENT_ENV)
    if roster_id:
        seeds = grader_seeds()
        if seeds is not None:
            return Worksheet(lesson, roster_id, seeds=seeds, mode=mode)
        return Worksheet(lesson, roster_id, mode=mode)
    check_student_id(student)
    if student == PLACEHOLDER_ID:
        _notice(f'student="{PLACEHOLDER_ID}" is the placeholder: put your own student id (as on the class list) '
                "in this cell and run it again. With the placeholder you get someone else's numbers, so answers "
                "the notebook calls correct are marked wrong when your teacher grades them.")
    elif "COSMODROME_COURSE_SECRET" not in os.environ:
        _notice("no course secret is set (COSMODROME_COURSE_SECRET), so these are the demo course's numbers, "
                "not your class's: answers the notebook calls correct will be marked wrong by your teacher's "
                "grader. Open the notebook the way your teacher set up, or ask them.")
    return Worksheet(lesson, student, mode=mode)


def plain_answer(answer: object, _depth: int = 0) -> Any:
    """An answer as plain JSON data (numbers, text, lists, dicts), which is what the
    grader receives and re-marks: NumPy scalars and arrays, tuples and sets become
    numbers and lists; anything else becomes its (shortened) text."""
    if _depth > 4:
        return repr(answer)[:_TEXT_LIMIT]
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    if isinstance(answer, (int, np.integer)):
        return int(answer) if abs(int(answer)) < 10**18 else float(answer)
    if isinstance(answer, (float, np.floating)):
        return float(answer) if math.isfinite(answer) else str(float(answer))
    if isinstance(answer, str):
        return answer[:_TEXT_LIMIT]
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if isinstance(answer, dict):
        return {str(k)[:100]: plain_answer(v, _depth + 1) for k, v in list(answer.items())[:20]}
    if isinstance(answer, (set, frozenset)):
        answer = sorted(answer, key=repr)
    if isinstance(answer, (list, tuple)):
        return [plain_answer(v, _depth + 1) for v in list(answer)[:50]]
    return repr(answer)[:_TEXT_LIMIT]


def recorded_answers() -> dict[str, Any]:
    """Answers checked in this kernel, by exercise id (what the class grader collects)."""
    return dict(_RECORDED)


def lesson(name: str) -> Lesson:
    """The :class:`Lesson` called ``name``; a ValueError lists the lessons otherwise."""
    return _LESSON_BY_NAME[_check.lookup("lesson", name, {k: k for k in LESSONS})]


def lesson_number(name: str) -> int:
    """The lesson's number in the course (1 for the first), as its notebook's name begins."""
    return LESSONS.index(lesson(name).name) + 1


def notebook_name(name: str) -> str:
    """The lesson's notebook file name, e.g. ``"05-ascent.ipynb"``."""
    return f"{lesson_number(name):02d}-{name}.ipynb"


_LESSON_BY_NAME = {lesson.name: lesson for lesson in COURSE}

__all__ = ["COURSE", "lesson", "lesson_number", "notebook_name", "start", "variant", "nbgrader_mark",
           "recorded_answers", "plain_answer", "EXERCISES", "LESSONS", "Exercise", "Lesson", "Feedback", "derive_seed"]
