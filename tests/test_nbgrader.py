"""The lessons are nbgrader source notebooks: real nbgrader (the package teachers run)
generates the student version of a lesson and autogrades submissions with the
lesson's own hidden check cells."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cosmodrome import exercises
from cosmodrome.course.release import BEGIN, END, STUB, lesson_name, lesson_paths, nbgrader_ready

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths(ROOT / "lessons")
#: The nbgrader configuration the README gives teachers (ROOT: the course folder).
NBGRADER_CONFIG = """c = get_config()
c.CourseDirectory.root = ROOT
c.ClearSolutions.code_stub = {"python": "answer = None  # your answer here"}
from nbconvert.preprocessors import TagRemovePreprocessor
from nbgrader.converters import GenerateAssignment
c.GenerateAssignment.preprocessors = ([TagRemovePreprocessor]
                                     + GenerateAssignment.class_traits()["preprocessors"].default())
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = ("teacher", "solution")
"""


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_is_an_nbgrader_source_notebook(path):
    nb = nbformat.read(path, as_version=4)
    assert nbformat.writes(nbgrader_ready(nb)) == nbformat.writes(nb), \
        "run course.release.nbgrader_ready on the lesson (its nbgrader metadata or check cells are out of date)"
    checks = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    ids = [e.id for e in exercises.ALL if e.lesson == lesson_name(path)]
    assert sorted(c.metadata["nbgrader"]["grade_id"] for c in checks) == sorted(f"check-{i}" for i in ids)
    assert all(c.metadata["nbgrader"]["locked"] for c in checks)


def _answered(release_nb, source_nb):
    """The released notebook with each solution region filled in as the teacher did."""
    solutions = [c.source for c in source_nb.cells if BEGIN in c.source]
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        if STUB in cell.source:
            sol = solutions.pop(0)
            body = sol.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")
            cell.source = cell.source.replace(STUB, body)
    return nb


@pytest.mark.slow
def test_nbgrader_generates_and_autogrades_a_lesson(tmp_path):
    pytest.importorskip("nbgrader")
    lesson = ROOT / "lessons" / "04-staging.ipynb"         # it has a teacher-only note
    name = lesson_name(lesson)
    source = nbformat.read(lesson, as_version=4)
    assert any("teacher" in c.get("metadata", {}).get("tags", []) for c in source.cells)
    (tmp_path / "source" / name).mkdir(parents=True)
    shutil.copy(lesson, tmp_path / "source" / name / lesson.name)
    (tmp_path / "nbgrader_config.py").write_text(NBGRADER_CONFIG.replace("ROOT", repr(str(tmp_path))))
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
               COSMODROME_COURSE_SECRET="nbgrader-test-course")
    env.pop("COSMODROME_STUDENT", None)

    def nbgrader(*args, **extra):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=tmp_path, env={**env, **extra},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]

    nbgrader("generate_assignment", name, "--force")
    released = nbformat.read(tmp_path / "release" / name / lesson.name, as_version=4)
    text = "\n".join(c.source for c in released.cells)
    assert "nbgrader_mark" not in text and BEGIN not in text and STUB in text   # hidden checks, stubs in place
    assert not any("teacher" in c.get("metadata", {}).get("tags", []) for c in released.cells)

    for student, nb in (("ann", _answered(released, source)), ("bob", released)):
        nb = nbformat.from_dict(nb)
        for cell in nb.cells:
            cell.source = cell.source.replace('student="your-id"', f'student="{student}"')
        folder = tmp_path / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / lesson.name)
    nbgrader("autograde", name, "--force")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        scores = {s: (gb.find_submission(name, s).score, gb.find_submission(name, s).max_score)
                  for s in ("ann", "bob")}
    points = sum(e.points for e in exercises.ALL if e.lesson == name)
    assert scores == {"ann": (points, points), "bob": (0.0, points)}


def test_the_readme_gives_teachers_the_configuration_this_test_uses():
    readme = (ROOT / "README.md").read_text()
    for line in NBGRADER_CONFIG.splitlines()[2:]:
        assert line in readme, line
