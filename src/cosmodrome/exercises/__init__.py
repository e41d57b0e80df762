"""Exercises with per-student numbers, instant feedback in notebooks, and one
definition shared by the class grader and the printed worksheets.

    from cosmodrome.exercises import start
    ws = start("latitude", student="ivanova")
    ws["latitude-2"].check(305.2)
"""

import json
import math
import os
import re

import numpy as np

from .. import _check
from .bank import ALL
from .core import Exercise, Feedback, derive_seed

EXERCISES = {e.id: e for e in ALL}
LESSONS = sorted({e.lesson for e in ALL})
DEFAULT_COURSE_SECRET = "cosmodrome-demo-course"

_RECORDED = {}
_CLAIMED = {"student": None}
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


def check_student_id(value, field="student"):
    """``value`` if it is a valid student id, else a ValueError naming the field."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else repr(value[:40] + "...")
        length = f" ({len(value)} characters)" if isinstance(value, str) else ""
        raise ValueError(f"{field} = {shown}{length} is not a student id: it must be text of 1-64 letters, "
                         "digits, '.', '_' or '-', starting with a letter or digit, e.g. student=\"ivanova\"")
    return value


def grader_seeds():
    """{exercise id: seed} handed in by the class grader, or None outside it."""
    text = os.environ.get(SEEDS_ENV)
    if not text:
        return None
    try:
        seeds = json.loads(text)
    except ValueError:
        return None
    return seeds if isinstance(seeds, dict) else None


def course_secret():
    """The course secret: ``COSMODROME_COURSE_SECRET`` if the teacher set it, else the demo course's."""
    return os.environ.get("COSMODROME_COURSE_SECRET", DEFAULT_COURSE_SECRET)


def get_exercise(exercise_id):
    return _check.lookup("exercise", exercise_id, EXERCISES)


def variant(student, exercise_id, secret=None):
    """A student's exact variant: (exercise, params, prompt). The teacher's replay tool."""
    check_student_id(student)
    ex = get_exercise(exercise_id)
    params = ex.params(student, secret or course_secret())
    return ex, params, ex.render(params)


class BoundExercise:
    """One exercise with one student's numbers, as a notebook shows it."""

    def __init__(self, exercise, student, secret, seed=None):
        self.exercise = exercise
        self.student = student
        self.params = exercise.params(student, secret) if seed is None else exercise.params_from_seed(seed)
        self.prompt = exercise.render(self.params)

    def check(self, answer):
        """Mark ``answer`` now, record it for the grader, and return the feedback."""
        fb = self.exercise.check(self.params, answer)
        value = plain_answer(answer)
        _RECORDED[self.exercise.id] = value
        path = os.environ.get(ANSWERS_ENV)
        if path:
            line = json.dumps({"exercise": self.exercise.id, "answer": value, "student": _CLAIMED["student"]})
            with open(path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        return fb

    @property
    def options(self):
        """The option texts of a choice, in this student's order (answer with a letter or index)."""
        if self.exercise.options is None:
            return []
        return list(self.exercise.options(self.params)[0])

    def _repr_markdown_(self):
        return f"**{self.exercise.id}: {self.exercise.title}**\n\n{self.prompt}"

    def __repr__(self):
        return f"{self.exercise.id}: {self.prompt}"


class Worksheet:
    """All exercises of one lesson for one student."""

    def __init__(self, lesson, student, secret=None, seeds=None):
        if lesson not in LESSONS:
            _check.lookup("lesson", lesson, {k: k for k in LESSONS})
        self.lesson = lesson
        self.student = str(student)
        seeds = seeds or {}
        secret = secret or (None if seeds else course_secret())
        self.items = {e.id: BoundExercise(e, self.student, secret, seeds.get(e.id)) for e in ALL if e.lesson == lesson}

    def __getitem__(self, exercise_id):
        return _check.lookup(f"exercise in lesson {self.lesson!r}", exercise_id, self.items)

    def __iter__(self):
        return iter(self.items.values())

    def _repr_markdown_(self):
        return "\n\n".join(b._repr_markdown_() for b in self.items.values())


def start(lesson, student):
    """The student's worksheet for a lesson; prompts show their own numbers.

    Under the class grader the roster's student id is used, whatever ``student``
    says, with the seeds the grader computed for it."""
    _CLAIMED["student"] = str(student)[:64]
    roster_id = os.environ.get(STUDENT_ENV)
    if roster_id:
        seeds = grader_seeds()
        if seeds is not None:
            return Worksheet(lesson, roster_id, seeds=seeds)
        return Worksheet(lesson, roster_id)
    return Worksheet(lesson, check_student_id(student))


def plain_answer(answer, _depth=0):
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


def recorded_answers():
    """Answers checked in this kernel, by exercise id (what the class grader collects)."""
    return dict(_RECORDED)


__all__ = ["start", "variant", "recorded_answers", "plain_answer", "EXERCISES", "LESSONS", "Exercise", "Feedback", "derive_seed"]
