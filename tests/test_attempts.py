"""Tries and modes: the mark depends on the tries, graded mode marks nothing in the
kernel, nothing a student holds gives the reference, and a forgotten id or a missing
course secret is called out at start()."""

import json

import pytest

from cosmodrome import exercises
from cosmodrome.exercises import attempts
from cosmodrome.grading.task import Tries, mark

SECRET = "attempts-test-course"


@pytest.fixture
def course(monkeypatch):
    monkeypatch.setenv("COSMODROME_COURSE_SECRET", SECRET)
    for name in (exercises.STUDENT_ENV, exercises.SEEDS_ENV, attempts.MODE_ENV, attempts.ATTEMPTS_ENV):
        monkeypatch.delenv(name, raising=False)


def _right(sid, eid):
    ex, params, _ = exercises.variant(sid, eid, SECRET)
    ref = ex.reference(params)
    return sorted(ref) if isinstance(ref, frozenset) else ref


def test_the_policy_gives_full_marks_then_less_down_to_its_floor():
    p = attempts.Policy(full_tries=3, step=0.25, floor=0.25)
    assert [p.factor(n) for n in range(1, 9)] == [1, 1, 1, 0.75, 0.5, 0.25, 0.25, 0.25]
    assert attempts.best_of([0, 0, 0, 0, 1], p) == (0.5, 5)
    assert attempts.best_of([0, 1, 1], p) == (1.0, 2)
    assert "full marks within the first 3 tries" in p.describe()
    assert attempts.Policy.parse("1,0.5,0") == attempts.Policy(1, 0.5, 0.0)
    with pytest.raises(ValueError, match="COSMODROME_ATTEMPTS = '3,x,1'"):
        attempts.Policy.parse("3,x,1")
    with pytest.raises(ValueError, match="step"):
        attempts.Policy(3, 1.5, 0)


def test_bisecting_in_practice_mode_costs_marks(course):
    ws = exercises.start("latitude", student="kim")
    b = ws["latitude-1"]
    for guess in (10.0, 20.0, 30.0, 40.0):
        fb = b.check(guess)
        assert not fb.correct and "too high" not in fb.message and "too low" not in fb.message
    fb = b.check(_right("kim", "latitude-1"))
    assert fb.correct and fb.score == 0.5 and "This was try 5: 50 % of the marks" in fb.message
    assert b.tries == 5
    assert b.check("not a number").score == 0 and b.tries == 5       # an unreadable answer is not a try


def test_the_policy_is_stated_with_the_prompt(course, monkeypatch):
    monkeypatch.setenv(attempts.ATTEMPTS_ENV, "2,0.5,0")
    ws = exercises.start("latitude", student="kim")
    assert "full marks within the first 2 tries; each try after that takes 50 % of the marks off, down to 0 %" \
        in ws["latitude-1"]._repr_markdown_()


def test_graded_mode_records_without_marking_or_computing_a_reference(course, monkeypatch, tmp_path):
    answers = tmp_path / "answers.jsonl"
    monkeypatch.setenv(exercises.ANSWERS_ENV, str(answers))
    ws = exercises.start("latitude", student="kim", mode="graded")
    ex = ws["latitude-1"]._exercise
    monkeypatch.setattr(ex, "solve", lambda p: pytest.fail("graded mode computed the reference"))
    out = ws["latitude-1"].check(12.5)
    assert isinstance(out, exercises.Recorded) and "is kept" in str(out) and "try 1" in str(out)
    assert "not kept" in str(ws["latitude-1"].check("twelve"))
    lines = [json.loads(x) for x in answers.read_text().splitlines()]
    assert lines == [{"exercise": "latitude-1", "answer": 12.5, "student": "kim", "try": 1, "mode": "graded"}]


def test_nothing_a_student_holds_gives_the_reference(course):
    ws = exercises.start("latitude", student="kim")
    for b in ws:
        public = [n for n in dir(b) if not n.startswith("_")]
        assert set(public) == {"check", "id", "options", "params", "prompt", "student", "title", "tries"}
        for name in public:
            value = getattr(b, name)
            assert not callable(value) or name == "check"
        assert not hasattr(b, "exercise") and not hasattr(b, "reference")


def test_the_grader_marks_the_best_try_in_practice_and_the_last_in_graded_mode():
    right, wrong = _right("lee", "latitude-1"), -1.0
    policy = attempts.Policy(3, 0.25, 0.25)
    practice = mark("latitude", "lee", {"latitude-1": Tries([wrong] * 4 + [right, wrong])}, SECRET, policy=policy)
    item = practice["latitude-1"]
    assert item["score"] == 0.5 and item["tries"] == 6 and "Right on try 5" in item["message"]
    graded = mark("latitude", "lee", {"latitude-1": Tries([right, wrong])}, SECRET, mode="graded", policy=policy)
    assert graded["latitude-1"]["score"] == 0 and graded["latitude-1"]["tries"] == 2
    graded = mark("latitude", "lee", {"latitude-1": Tries([wrong] * 9 + [right])}, SECRET, mode="graded")
    assert graded["latitude-1"]["score"] == 1                       # no feedback was given: no penalty
    one = mark("latitude", "lee", {"latitude-1": right}, SECRET)     # paper: one answer, one try
    assert one["latitude-1"]["score"] == 1 and one["latitude-1"]["tries"] == 1


def test_the_graders_work_is_bounded_however_many_tries(monkeypatch):
    ex = exercises.EXERCISES["latitude-1"]
    calls = []
    real = type(ex).check
    monkeypatch.setattr(type(ex), "check", lambda self, p, a: calls.append(a) or real(self, p, a))
    mark("latitude", "lee", {"latitude-1": Tries([1.0] * 10_000)}, SECRET)
    assert len(calls) <= 21


def test_a_forgotten_id_or_the_demo_secret_is_called_out(monkeypatch, capsys):
    for name in (exercises.STUDENT_ENV, "COSMODROME_COURSE_SECRET"):
        monkeypatch.delenv(name, raising=False)
    exercises.start("latitude", student="your-id")
    assert 'student="your-id" is the placeholder' in capsys.readouterr().err
    exercises.start("latitude", student="kim")
    assert "no course secret is set" in capsys.readouterr().err
    monkeypatch.setenv("COSMODROME_COURSE_SECRET", SECRET)
    exercises.start("latitude", student="kim")
    assert capsys.readouterr().err == ""


def test_release_graded_makes_every_start_call_an_assignment():
    from pathlib import Path

    import nbformat

    from cosmodrome.course.release import lesson_paths, student_copy

    lessons = lesson_paths(Path(__file__).resolve().parents[1] / "lessons")
    assert lessons
    for path in lessons:
        teacher = nbformat.read(path, as_version=4)
        graded = "\n".join(c.source for c in student_copy(teacher, path.name, graded=True).cells
                           if c.cell_type == "code")
        practice = "\n".join(c.source for c in student_copy(teacher, path.name).cells if c.cell_type == "code")
        assert graded.count("start(") == practice.count("start(") >= 1
        assert graded.count('mode="graded"') == graded.count("start(") and 'mode="graded"' not in practice


def test_the_params_a_student_holds_do_not_give_the_answer_away(course):
    """ws[...].params holds what the prompt gives: for a question with options not their
    order, for the telemetry diagnosis not the fault, for a number not the number."""
    for ex in exercises.ALL:
        for sid in ("kim", "lee", "park"):
            ws = exercises.start(ex.lesson, student=sid)
            shown = ws[ex.id].params
            full = ex.params(sid, SECRET)
            ref = ex.reference(full)
            if ex.options is not None:
                assert "order" not in shown, ex.id
            if ex.id == "failures-1":
                assert not {"stage", "time", "kind"} & set(shown)
            if ex.id == "failures-2":
                assert "case" not in shown
            if isinstance(ref, float) and hasattr(ex.answer, "close"):
                for k, v in shown.items():
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        assert not ex.answer.close(float(v), ref), f"{ex.id}: params[{k!r}] is the answer"


def test_feedback_marks_are_text_symbols_not_emoji(course):
    """A check mark as an emoji (U+2705) is an empty box where no emoji font is installed."""
    import unicodedata

    ws = exercises.start("latitude", student="kim")
    shown = [ws["latitude-1"].check(x)._repr_markdown_() for x in (-1.0, _right("kim", "latitude-1"))]
    for text in shown:
        mark = text.split()[0]
        assert mark in ("\u2713", "\u2717", "\u25d0"), mark
        assert all(ord(c) < 0x1F000 and c not in "\u2705\u274c\u2b55" for c in text)
    assert [t.split()[0] for t in shown] == ["\u2717", "\u2713"] and unicodedata.name("\u2713") == "CHECK MARK"
