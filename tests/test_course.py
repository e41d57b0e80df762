"""The course pack: every part built and linked from index.html, and a part
that fails is named on the page without hiding the others."""

import re
from pathlib import Path

import pytest

from cosmodrome.course import build
from cosmodrome.grading import sandbox

ROOT = Path(__file__).resolve().parents[1]


def _links(index):
    return re.findall(r"href='([^']+)'", index.read_text())


@pytest.mark.slow
@pytest.mark.skipif(sandbox.bwrap_path() is None, reason="grading the demo class needs bubblewrap")
def test_course_build_makes_and_links_every_part(tmp_path):
    parts, failures = build.build_course(tmp_path, progress=False)
    assert failures == []
    assert set(parts) == set(build.PARTS)
    links = _links(tmp_path / "index.html")
    assert links and all((tmp_path / h).exists() for h in links), [h for h in links if not (tmp_path / h).exists()]
    assert sum(h.startswith("lessons/teacher/") for h in links) >= 4
    teacher = (tmp_path / "lessons" / "teacher" / "03-rocket.html").read_text()
    student = (tmp_path / "lessons" / "student" / "03-rocket.html").read_text()
    assert "data:image/png;base64" in teacher and "BEGIN SOLUTION" in teacher and "BEGIN SOLUTION" not in student
    # the demo class: right, partly right, broken, hostile, untouched, missing
    book = {r["student_id"]: r for r in dict(parts["grading"])["rocket"]["records"]}
    assert book["ivanova"]["total"] == 5 and book["sokolova"]["total"] == 0 and book["chen"]["status"] == "missing"
    assert 0 < book["kim"]["total"] < 5 and 0 < book["lee"]["total"] < 5
    assert "ran past" in " ".join(book["park"]["reasons"])
    page = (tmp_path / "index.html").read_text()
    assert "Anna Ivanova" in page and "5 / 5" in page
    # what the class got wrong: kim used the sea-level Isp in rocket-1 and a straight line in rocket-4
    summary = (tmp_path / "gradebook" / "rocket" / "summary.md").read_text()
    assert "made the mistake `sea-level-isp`" in summary and "made the mistake `linear`" in summary
    assert "- rocket-1 `sea-level-isp`: ended on it: kim;" in summary
    assert "What the class got wrong" in page and "class-summary.png" in page
    assert (tmp_path / "gradebook" / "rocket" / "class-summary.png").stat().st_size > 5000


def test_a_failing_part_is_named_and_the_rest_still_built(tmp_path, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("the lessons exploded")
    monkeypatch.setattr(build, "build_lessons", broken)
    monkeypatch.setattr(build, "build_grading", lambda *a, **k: [])
    parts, failures = build.build_course(tmp_path, progress=False)
    assert failures and failures[0][0] == "lessons" and "the lessons exploded" in failures[0][1]
    assert "tour" in parts and "worksheets" in parts
    page = (tmp_path / "index.html").read_text()
    assert "Parts that failed" in page and "the lessons exploded" in page
    assert (tmp_path / "lessons-error.txt").exists()
    assert all((tmp_path / h).exists() for h in _links(tmp_path / "index.html"))
