"""Every lesson, teacher and student copy, executed top to bottom in a fresh
kernel: no error, no warning in any output, at least two figures; the teacher's
answers all pass the checker; the student copy holds no solution.

Each notebook runs with a per-cell time limit of 60 s (nbclient); the time a
whole lesson takes is printed by benchmarks/, not asserted here."""

import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cosmodrome import exercises
from cosmodrome.course.release import BEGIN, END, has_solutions, lesson_name, lesson_paths, student_copy
from cosmodrome.grading.task import mark

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths(ROOT / "lessons")
SECRET = "lesson-test-course"
STUDENT = "lesson-tester"
WARNING = re.compile(r"\b\w*Warning\b|\bwarn(ing)?:", re.IGNORECASE)


#: Run first in each lesson's kernel: every figure the lesson shows is checked for
#: labels that overprint or run off their axes (tests/figure_text.py), problems on stderr;
#: and widgets' comms are quiet, as in the grader (no one watches them here; with them
#: a slider cell sometimes stalls for the whole cell limit). The browser test runs the
#: widgets for real.
CHECK_FIGURES = (f"import sys as _s; _s.path.insert(0, {str(Path(__file__).parent)!r}); "
                 "import figure_text as _ft; _ft.install(); del _s.path[0], _s, _ft\n"
                 "from cosmodrome.grading.runner import QUIET_COMMS as _q; exec(_q); del _q")


def _run(nb, tmp_path):
    nb = nbformat.from_dict(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(CHECK_FIGURES))
    answers = tmp_path / "answers.jsonl"
    env = dict(os.environ, COSMODROME_STUDENT=STUDENT, COSMODROME_ANSWERS_FILE=str(answers),
               COSMODROME_COURSE_SECRET=SECRET, MPLBACKEND="module://matplotlib_inline.backend_inline")
    client = NotebookClient(nb, timeout=60, kernel_name="python3", shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(ROOT / "lessons")}})
    client.execute(env=env)
    given = {}
    if answers.exists():
        for line in answers.read_text().splitlines():
            item = json.loads(line)
            given[item["exercise"]] = item["answer"]
    return nb, given


def _problems(nb):
    """Errors, warnings and anything on stderr, by the lesson's own cell number."""
    out = []
    for i, cell in enumerate(nb.cells[1:], start=1):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                out.append(f"cell {i}: {o.ename}: {o.evalue}")
            text = o.get("text", "") + "".join(str(v) for k, v in o.get("data", {}).items() if k.startswith("text/"))
            if o.get("name") == "stderr" or WARNING.search(text):
                out.append(f"cell {i}: {text[:200]!r}")
    return out


def _figures(nb):
    return sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def test_there_are_lessons_in_teaching_order():
    names = [lesson_name(p) for p in LESSONS]
    assert names[:4] == ["visit", "latitude", "rocket", "staging"]
    for name in names:
        assert name in exercises.LESSONS, f"lesson {name} has no exercises"


def test_lessons_are_committed_without_outputs():
    for p in LESSONS:
        nb = nbformat.read(p, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, p.name


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_teacher_copy_runs_clean_and_every_answer_passes(path, tmp_path):
    nb, given = _run(nbformat.read(path, as_version=4), tmp_path)
    assert _problems(nb) == []
    assert _figures(nb) >= 2
    lesson = lesson_name(path)
    ids = [e.id for e in exercises.ALL if e.lesson == lesson]
    assert len(ids) >= 5 and sorted(given) == sorted(ids), "every exercise answered in the teacher copy"
    marks = mark(lesson, STUDENT, given, SECRET)
    wrong = {k: v["message"] for k, v in marks.items() if v["score"] < v["points"]}
    assert wrong == {}


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_student_copy_runs_clean_and_holds_no_solution(path, tmp_path):
    teacher = nbformat.read(path, as_version=4)
    student = student_copy(teacher, path.name)
    assert not has_solutions(student)
    text = "\n".join(c.source for c in student.cells)
    assert BEGIN not in text and END not in text
    for cell in teacher.cells:                      # no line of any solution survives
        if BEGIN in cell.source:
            body = cell.source.split(BEGIN, 1)[1].split(END, 1)[0]
            for line in body.strip().splitlines():
                if len(line.strip()) > 12:
                    assert line.strip() not in text, line
    nb, given = _run(student, tmp_path)
    assert _problems(nb) == []
    lesson = lesson_name(path)
    marks = mark(lesson, STUDENT, given, SECRET)
    assert all(m["score"] == 0 for m in marks.values()), "an unanswered student copy scores nothing"


def test_release_writes_student_copies_without_solutions(tmp_path):
    from cosmodrome.cli import main

    assert main(["release", "--lessons", str(ROOT / "lessons"), "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == [p.name for p in LESSONS]
    for p in tmp_path.glob("*.ipynb"):
        assert not has_solutions(nbformat.read(p, as_version=4))


def test_release_refuses_an_unclosed_solution(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 42")]
    with pytest.raises(ValueError, match="never closed"):
        student_copy(nb, "broken.ipynb")
