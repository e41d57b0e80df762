"""The grader's quick parts, tested without grading a class: the gradebook folder's lock and atomic
writes, rosters, cleaning a notebook, limits, and paper answers (tests/test_grading.py grades a hostile
class in the sandbox and is marked slow; these are not)."""

import json

import nbformat
import pytest

from cosmodrome import exercises
from cosmodrome.grading import Limits, gradebook
from cosmodrome.grading.submission import Rejected, clean_notebook, read_roster

SECRET = "grading-test-course"


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def test_the_gradebook_folder_is_locked_against_a_second_grader(tmp_path):
    with gradebook.locked(tmp_path):
        with pytest.raises(RuntimeError, match="another grader"):
            with gradebook.locked(tmp_path):
                pass


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "g.csv"
    gradebook.atomic_write(target, "old\n")

    with pytest.raises(TypeError):
        gradebook.atomic_write(target, 12345)          # fails while writing
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.csv"]


def test_roster_errors_name_the_row(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("student_id,name\nok,A\nbad id,B\n")
    with pytest.raises(ValueError, match=r"row 3: student_id 'bad id'"):
        read_roster(p)
    p.write_text("name,grade\nx,1\n")                 # no column of ids (an `id` column is one: test_roster.py)
    with pytest.raises(ValueError, match="no column of student ids; the header needs student_id"):
        read_roster(p)
    p.write_text("student_id\na\nA\n")
    with pytest.raises(ValueError, match="row 3.*appears twice"):
        read_roster(p)


def test_clean_notebook_keeps_only_code():
    nb = _nb("x = 1")
    nb.cells.append(nbformat.v4.new_markdown_cell("# title"))
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="score 100")]
    clean = clean_notebook(nbformat.writes(nb).encode(), 2**20)
    assert [c.source for c in clean.cells] == ["x = 1"] and clean.cells[0].outputs == []
    with pytest.raises(Rejected, match="cell 1: its source is not text"):
        clean_notebook(json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}).encode(), 2**20)
    with pytest.raises(Rejected, match="no cells"):
        clean_notebook(b"[1, 2]", 2**20)
    with pytest.raises(Rejected, match="nested too deeply"):
        clean_notebook(b"[" * 100000, 2**20)


def test_limits_reject_nonsense():
    with pytest.raises(ValueError, match="cell_timeout_s"):
        Limits(cell_timeout_s=0)
    with pytest.raises(ValueError, match="memory_bytes"):
        Limits(memory_bytes=10)


def test_paper_answers_leave_out_the_notebook_only_exercises(tmp_path):
    """ascent-1 and ascent-4 are flown in the notebook and are not on the worksheets:
    a paper row for one is refused with the reason, and a paper record is out of the
    exercises the sheet asks."""
    from cosmodrome.grading.paper import grade_paper
    from cosmodrome.worksheets.code import make_code

    code = make_code(SECRET, "ascent", "pp")
    ex, params, _ = exercises.variant("pp", "ascent-2", SECRET)
    (tmp_path / "bad.csv").write_text(f"code,exercise,answer\n{code},ascent-1,5\n")
    with pytest.raises(ValueError, match="row 2: exercise 'ascent-1' is done in the notebook, not on paper"):
        grade_paper(tmp_path / "bad.csv", tmp_path / "out", secret=SECRET)
    (tmp_path / "ok.csv").write_text(f"code,exercise,answer\n{code},ascent-2,{ex.reference(params):.6g}\n")
    summary = grade_paper(tmp_path / "ok.csv", tmp_path / "out", secret=SECRET)
    rec = summary["records"][0]
    on_paper = [e.id for e in exercises.ALL if e.lesson == "ascent" and e.paper]
    assert sorted(rec["exercises"]) == sorted(on_paper) and "ascent-1" not in rec["exercises"]
    assert rec["total"] == 1 and rec["max"] == sum(exercises.EXERCISES[e].points for e in on_paper)
