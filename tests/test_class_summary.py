"""The class summary (issue 21): known mistakes counted across a class whose notebooks and paper
answers make them on purpose, with every count checked exactly."""

import csv
import json
import os

import nbformat
import pytest

from cosmodrome import exercises
from cosmodrome.grading import Limits, grade_class, sandbox
from cosmodrome.grading.paper import grade_paper
from cosmodrome.grading.summary import class_summary, summary_markdown
from cosmodrome.worksheets.code import make_code

SECRET = "summary-test-course"
LESSON = "latitude"
IDS = [e.id for e in exercises.ALL if e.lesson == LESSON]
LIMITS = Limits(cell_timeout_s=20, notebook_timeout_s=60)
needs_bwrap = pytest.mark.skipif(sandbox.bwrap_path() is None and os.environ.get("COSMODROME_REQUIRE_BWRAP") != "1",
                                 reason="bubblewrap not installed (CI installs it and requires it)")


def _value(sid, eid, mistake=None):
    """The right answer for ``sid``, or the answer the named known mistake gives, or a wrong number
    that matches no known mistake (``mistake="other"``)."""
    ex, params, _ = exercises.variant(sid, eid, SECRET)
    if mistake is None:
        ref = ex.reference(params)
        return sorted(ref) if isinstance(ref, frozenset) else ref
    if mistake == "other":
        return ex.reference(params) * 3.7 + 11.0
    return next(m for m in ex.misconceptions if m.name == mistake).wrong(params)


def _paper_text(sid, eid, mistake=None):
    ex, params, _ = exercises.variant(sid, eid, SECRET)
    value = _value(sid, eid, mistake)
    if isinstance(ex.answer, exercises.core.Choice):
        return chr(65 + value)
    return f"{value:.6g}"


#: What each notebook does: a list of (exercise, [answers in the order checked]); None is right.
NOTEBOOKS = {
    "ana": [("latitude-2", [None]), ("latitude-4", [None])],
    "bo": [("latitude-2", ["no-cos"]), ("latitude-4", ["option-1"])],
    "cy": [("latitude-2", ["no-cos", None]), ("latitude-4", ["option-2", "option-1"])],
    "di": [("latitude-2", ["sin"])],
    "ed": [("latitude-2", ["other"])],
}
#: Paper answers: (exercise, mistake or None for right).
PAPER = {"pia": [("latitude-2", "no-cos"), ("latitude-4", "option-1")], "pat": [("latitude-2", None)]}
ROSTER = [*NOTEBOOKS, "fay", *PAPER]           # fay hands in nothing


def _notebook(sid, plan):
    lines = [f"from cosmodrome.exercises import start\nws = start('{LESSON}', student='{sid}')"]
    for eid, tries in plan:
        for mistake in tries:
            lines.append(f"ws[{eid!r}].check({_value(sid, eid, mistake)!r})")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(lines))]
    return nb


def _by_exercise(summary):
    return {s["exercise"]: s for s in summary}


def _mistake(s, name):
    return next(m for m in s["mistakes"] if m["name"] == name)


@pytest.fixture(scope="module")
def class_book(tmp_path_factory):
    if sandbox.bwrap_path() is None:
        pytest.skip("bubblewrap not installed")
    base = tmp_path_factory.mktemp("summary")
    subs, out = base / "submissions", base / "gradebook"
    subs.mkdir()
    for sid, plan in NOTEBOOKS.items():
        nbformat.write(_notebook(sid, plan), subs / f"{sid}.ipynb")
    (base / "roster.csv").write_text("student_id\n" + "\n".join(ROSTER) + "\n")
    rows = [[make_code(SECRET, LESSON, sid), eid, _paper_text(sid, eid, mistake)]
            for sid, plan in PAPER.items() for eid, mistake in plan]
    with open(base / "paper.csv", "w", newline="") as f:
        csv.writer(f).writerows([["code", "exercise", "answer"], *rows])
    grade_class(subs, LESSON, base / "roster.csv", out, jobs=2, limits=LIMITS, secret=SECRET, progress=False)
    grade_paper(base / "paper.csv", out, secret=SECRET)
    return out


@needs_bwrap
def test_each_student_counts_once_by_the_last_answer_notebooks_and_paper_alike(class_book):
    book = json.loads((class_book / "gradebook.json").read_text())
    s = _by_exercise(book["summary"])["latitude-2"]
    assert s["students"] == len(ROSTER) == 8
    assert s["right"] == 3                                     # ana, cy (on her second try), pat (paper)
    assert _mistake(s, "no-cos")["final"] == ["bo", "pia"]     # a notebook and a paper answer
    assert _mistake(s, "no-cos")["on_the_way"] == ["bo", "cy", "pia"]
    assert _mistake(s, "no-cos")["touched"] == 3
    assert _mistake(s, "sin")["final"] == ["di"]
    assert s["other_wrong"] == ["ed"]
    assert s["missing"] == ["fay"]
    assert s["answered"] == 7
    assert [m["name"] for m in s["mistakes"]] == ["no-cos", "sin"]     # most students first
    choice = _by_exercise(book["summary"])["latitude-4"]
    assert _mistake(choice, "option-1")["final"] == ["bo", "cy", "pia"]
    assert _mistake(choice, "option-2")["final"] == [] and _mistake(choice, "option-2")["on_the_way"] == ["cy"]
    assert choice["right"] == 1 and sorted(choice["missing"]) == ["di", "ed", "fay", "pat"]


@needs_bwrap
def test_the_summary_reads_as_a_teachers_note_with_its_figure(class_book):
    text = (class_book / "summary.md").read_text()
    lines = [ln for ln in text.splitlines() if ln.startswith("- **")]
    # option-1: 3 students
    assert lines[0].startswith("- **latitude-4** (")
    assert "3 of 8 made the mistake `option-1` (3 of 8 ended on it" in lines[0]
    assert any(ln.startswith("- **latitude-2** (Free speed from Earth's rotation): 3 of 8 made the mistake `no-cos` "
                             "(2 of 8 ended on it; 3 on the way)") for ln in lines), lines
    assert "![" in text and (class_book / "class-summary.png").stat().st_size > 5000
    assert "| latitude-2 | 7 of 8 | 3 | `no-cos` 2, `sin` 1 | 1 | 1 |" in text
    # the ids are in the teacher's summary and never in a student's feedback
    assert "bo, pia" in text
    assert "no-cos" not in (class_book / "feedback" / "ana.md").read_text()


def test_records_from_an_older_grader_are_counted_by_their_score():
    rows = [{"student_id": "old", "exercises": {"rocket-1": {"score": 1.0, "points": 1.0, "answered": True}}},
            {"student_id": "older", "exercises": {"rocket-1": {"score": 0.0, "points": 1.0, "answered": True}}},
            {"student_id": "none", "exercises": {}}]
    s = class_summary(rows, ["rocket-1"])[0]
    assert (s["right"], s["other_wrong"], s["missing"], s["mistakes"]) == (1, ["older"], ["none"], [])
    assert "No known mistake was made." in summary_markdown("rocket", [s])


def test_an_unmarkable_answer_counts_as_nothing_handed_in():
    from cosmodrome.grading.task import mark

    items = mark("rocket", "zed", {"rocket-1": None, "rocket-2": "lots"}, SECRET)
    assert (items["rocket-1"]["outcome"], items["rocket-2"]["outcome"]) == ("unmarked", "unmarked")
    s = class_summary([{"student_id": "zed", "exercises": items}], ["rocket-1", "rocket-2", "rocket-3"])
    assert [x["missing"] for x in s] == [["zed"], ["zed"], ["zed"]]
