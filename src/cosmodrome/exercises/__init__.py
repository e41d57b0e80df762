"""Exercises with per-student numbers, instant feedback in notebooks, and one
definition shared by the class grader and the printed worksheets.

    from cosmodrome.exercises import start
    ws = start("latitude", student="ivanova")
    ws["latitude-2"].check(305.2)
"""

import os

from .. import _check
from .bank import ALL
from .core import Exercise, Feedback, derive_seed

EXERCISES = {e.id: e for e in ALL}
LESSONS = sorted({e.lesson for e in ALL})
DEFAULT_COURSE_SECRET = "cosmodrome-demo-course"

_RECORDED = {}


def course_secret():
    """The course secret: ``COSMODROME_COURSE_SECRET`` if the teacher set it, else the demo course's."""
    return os.environ.get("COSMODROME_COURSE_SECRET", DEFAULT_COURSE_SECRET)


def get_exercise(exercise_id):
    return _check.lookup("exercise", exercise_id, EXERCISES)


def variant(student, exercise_id, secret=None):
    """A student's exact variant: (exercise, params, prompt). The teacher's replay tool."""
    ex = get_exercise(exercise_id)
    params = ex.params(student, secret or course_secret())
    return ex, params, ex.render(params)


class BoundExercise:
    """One exercise with one student's numbers, as a notebook shows it."""

    def __init__(self, exercise, student, secret):
        self.exercise = exercise
        self.student = student
        self.params = exercise.params(student, secret)
        self.prompt = exercise.render(self.params)

    def check(self, answer):
        """Mark ``answer`` now, record it for the grader, and return the feedback."""
        fb = self.exercise.check(self.params, answer)
        _RECORDED[self.exercise.id] = answer if isinstance(answer, (int, float, str)) else repr(answer)
        return fb

    def _repr_markdown_(self):
        return f"**{self.exercise.id}: {self.exercise.title}**\n\n{self.prompt}"

    def __repr__(self):
        return f"{self.exercise.id}: {self.prompt}"


class Worksheet:
    """All exercises of one lesson for one student."""

    def __init__(self, lesson, student, secret=None):
        if lesson not in LESSONS:
            _check.lookup("lesson", lesson, {k: k for k in LESSONS})
        self.lesson = lesson
        self.student = str(student)
        secret = secret or course_secret()
        self.items = {e.id: BoundExercise(e, self.student, secret) for e in ALL if e.lesson == lesson}

    def __getitem__(self, exercise_id):
        return _check.lookup(f"exercise in lesson {self.lesson!r}", exercise_id, self.items)

    def __iter__(self):
        return iter(self.items.values())

    def _repr_markdown_(self):
        return "\n\n".join(b._repr_markdown_() for b in self.items.values())


def start(lesson, student):
    """The student's worksheet for a lesson; prompts show their own numbers."""
    return Worksheet(lesson, student)


def recorded_answers():
    """Answers checked in this kernel, by exercise id (what the class grader collects)."""
    return dict(_RECORDED)


__all__ = ["start", "variant", "recorded_answers", "EXERCISES", "LESSONS", "Exercise", "Feedback", "derive_seed"]
