"""Student copies of the lessons: the teacher's notebooks without their solutions.

Follows nbgrader's markers, so teachers who know nbgrader know these:

- in a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
  are replaced by ``answer = None  # your answer here`` (indented like the marker),
  so the student copy still runs top to bottom and the checker says "not marked";
- a cell tagged ``solution`` (code) or ``teacher`` (any) is removed;
- outputs and execution counts are cleared;
- the lines from ``### BEGIN HIDDEN TESTS`` to ``### END HIDDEN TESTS`` (nbgrader's
  hidden tests: the lessons' cells that give nbgrader its marks) are removed, and a
  cell left with no code is dropped;
- with ``graded=True`` (an assignment), every ``start(...)`` call gets
  ``mode="graded"``: ``check()`` then keeps answers for the class grader without
  marking them (see ``exercises.attempts``).

``release(lessons_dir, out_dir)`` writes a student copy of every lesson and
refuses to write one that still contains a marker or a tagged cell.

The lessons are also nbgrader source notebooks (:func:`nbgrader_ready` adds what
nbgrader needs: solution-cell metadata, and after each exercise a locked, hidden
test cell worth the exercise's points that calls ``exercises.nbgrader_mark``).
For nbgrader, set ``c.ClearSolutions.code_stub = {"python": STUB}`` so the
student version keeps running top to bottom, as ours does, and remove cells
tagged ``teacher`` with nbconvert's TagRemovePreprocessor (the README's "With
nbgrader" gives the lines; tests/test_nbgrader.py runs them).
"""

import os
import re
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = "answer = None  # your answer here"
REMOVED_TAGS = {"solution", "teacher"}
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
_START = re.compile(r"\bstart\((?P<args>[^()]*)\)")


def _strip_solutions(source, where, begin=BEGIN, end=END, stub=STUB):
    out, inside, indent = [], False, ""
    for n, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(begin):
            if inside:
                raise ValueError(f"{where}, line {n}: {begin} inside another region")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            if stub:
                out.append(indent + stub)
        elif stripped.startswith(end):
            if not inside:
                raise ValueError(f"{where}, line {n}: {end} without {begin}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {begin} is never closed by {end}")
    return "\n".join(out)


def _has_code(source):
    return any(line.strip() and not line.strip().startswith("#") for line in source.splitlines())


def _graded(source):
    """``source`` with ``mode="graded"`` added to each ``start(...)`` call that has no mode."""
    return _START.sub(lambda m: m.group(0) if "mode=" in m.group("args")
                      else f'start({m.group("args")}, mode="graded")', source)


def student_copy(nb: nbformat.NotebookNode, name: str = "notebook", graded: bool = False) -> nbformat.NotebookNode:
    """A student copy of a teacher's notebook (a new notebook; ``nb`` is unchanged);
    ``graded`` makes it an assignment (answers kept for the grader, unmarked)."""
    nb = nbformat.from_dict(nb)
    cells = []
    for i, cell in enumerate(nb.cells, start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVED_TAGS:
            continue
        if cell.cell_type == "code":
            cell.source = _strip_solutions(cell.source, f"{name}, cell {i}")
            if HIDDEN_BEGIN in cell.source:
                cell.source = _strip_solutions(cell.source, f"{name}, cell {i}", HIDDEN_BEGIN, HIDDEN_END, None)
                if not _has_code(cell.source):
                    continue
            if graded:
                cell.source = _graded(cell.source)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def has_solutions(nb: nbformat.NotebookNode) -> bool:
    """True if a notebook still holds a solution or hidden-test marker or a teacher-only cell."""
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & REMOVED_TAGS:
            return True
        if any(m in cell.source for m in (BEGIN, END, HIDDEN_BEGIN, HIDDEN_END)):
            return True
    return False


_CHECKED = re.compile(r'ws\["(?P<id>[a-z]+-\d+)"\]\.check\(')


def _nbgrader_meta(grade_id, *, solution, grade, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def nbgrader_ready(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The teacher's notebook as an nbgrader source notebook (a new notebook; idempotent):
    each cell holding a solution region is an nbgrader solution cell, and is followed
    by a locked test cell worth the exercise's points, its check hidden from students."""
    from .. import exercises

    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and HIDDEN_BEGIN in cell.source and cell.metadata.get("nbgrader"):
            continue                                   # made again below, from the current exercises
        cells.append(cell)
        if cell.cell_type != "code" or BEGIN not in cell.source:
            continue
        found = _CHECKED.search(cell.source)
        if not found:
            raise ValueError(f"a solution cell does not check an exercise with ws[...].check(...):\n{cell.source}")
        eid = found.group("id")
        cell.metadata["nbgrader"] = _nbgrader_meta(f"answer-{eid}", solution=True, grade=False)
        test = nbformat.v4.new_code_cell(
            f"# nbgrader marks {eid} here; students do not see this check\n{HIDDEN_BEGIN}\n"
            f"from cosmodrome.exercises import nbgrader_mark\nnbgrader_mark(ws[\"{eid}\"])\n{HIDDEN_END}")
        test.metadata["nbgrader"] = _nbgrader_meta(f"check-{eid}", solution=False, grade=True,
                                                   points=exercises.get_exercise(eid).points)
        test.id = f"check-{eid}"
        cells.append(test)
    nb.cells = cells
    return nb


def lesson_paths(lessons_dir: str | os.PathLike[str]) -> list[Path]:
    """The lesson notebooks in teaching order (``NN-name.ipynb``)."""
    return sorted(p for p in Path(lessons_dir).glob("[0-9][0-9]-*.ipynb"))


def release(lessons_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], graded: bool = False,
            keep_existing: bool = False) -> list[Path]:
    """Write the student copy of every lesson to ``out_dir``; returns the paths written.
    With ``graded`` the copies are assignments (see :func:`student_copy`); with
    ``keep_existing`` a notebook already in ``out_dir`` is left as it is (not returned).
    Every copy is made and checked before any is written."""
    paths = lesson_paths(lessons_dir)
    if not paths:
        raise FileNotFoundError(f"no lessons (NN-name.ipynb) found in {str(lessons_dir)!r}")
    out_dir = Path(out_dir)
    copies = []
    for p in paths:
        nb = student_copy(nbformat.read(p, as_version=4), p.name, graded=graded)
        if has_solutions(nb):
            raise ValueError(f"{p.name}: the student copy still holds a solution")
        copies.append((out_dir / p.name, nb))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for target, nb in copies:
        if keep_existing and target.exists():
            continue
        nbformat.write(nb, target)
        written.append(target)
    return written


def hand_out(lessons_dir, out_dir, teacher=False, graded=False, replace=False):
    """Hand the lessons out into ``out_dir``: the student copies (:func:`release`) or, with
    ``teacher``, the teacher's notebooks as they are with the lessons' ``README.md``;
    ``images/`` goes with either. A notebook already in ``out_dir`` is kept (it may hold a
    student's work) unless ``replace``. Returns (paths written, paths kept)."""
    import shutil

    lessons_dir, out_dir = Path(lessons_dir), Path(out_dir)
    paths = lesson_paths(lessons_dir)
    if not paths:
        raise FileNotFoundError(f"no lessons (NN-name.ipynb) found in {str(lessons_dir)!r}")
    if teacher and graded:
        raise ValueError("--graded makes student copies; the teacher copies are the lessons as they are")
    if out_dir.resolve() == lessons_dir.resolve():
        raise ValueError(f"--out must be another folder than the lessons' own (got {str(out_dir)!r})")
    kept = [out_dir / p.name for p in paths if not replace and (out_dir / p.name).exists()]
    if teacher:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for p in paths:
            if out_dir / p.name not in kept:
                shutil.copyfile(p, out_dir / p.name)
                written.append(out_dir / p.name)
        if (lessons_dir / "README.md").is_file():
            shutil.copyfile(lessons_dir / "README.md", out_dir / "README.md")
    else:
        written = release(lessons_dir, out_dir, graded=graded, keep_existing=not replace)
    if (lessons_dir / "images").is_dir():
        shutil.copytree(lessons_dir / "images", out_dir / "images", dirs_exist_ok=True)
    return written, kept


def lesson_name(path):
    """'03-rocket.ipynb' -> 'rocket' (the exercises' lesson id)."""
    return re.sub(r"^\d+-", "", Path(path).stem)
