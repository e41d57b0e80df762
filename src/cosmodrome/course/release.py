"""Student copies of the lessons: the teacher's notebooks without their solutions.

Follows nbgrader's markers, so teachers who know nbgrader know these:

- in a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
  are replaced by ``answer = None  # your answer here`` (indented like the marker),
  so the student copy still runs top to bottom and the checker says "not marked";
- a cell tagged ``solution`` (code) or ``teacher`` (any) is removed;
- outputs and execution counts are cleared;
- with ``graded=True`` (an assignment), every ``start(...)`` call gets
  ``mode="graded"``: ``check()`` then keeps answers for the class grader without
  marking them (see ``exercises.attempts``).

``release(lessons_dir, out_dir)`` writes a student copy of every lesson and
refuses to write one that still contains a marker or a tagged cell.
"""

import re
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = "answer = None  # your answer here"
REMOVED_TAGS = {"solution", "teacher"}
_START = re.compile(r"\bstart\((?P<args>[^()]*)\)")


def _strip_solutions(source, where):
    out, inside, indent = [], False, ""
    for n, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if inside:
                raise ValueError(f"{where}, line {n}: {BEGIN} inside another solution")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
        elif stripped.startswith(END):
            if not inside:
                raise ValueError(f"{where}, line {n}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN} is never closed by {END}")
    return "\n".join(out)


def _graded(source):
    """``source`` with ``mode="graded"`` added to each ``start(...)`` call that has no mode."""
    return _START.sub(lambda m: m.group(0) if "mode=" in m.group("args")
                      else f'start({m.group("args")}, mode="graded")', source)


def student_copy(nb, name="notebook", graded=False):
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
            if graded:
                cell.source = _graded(cell.source)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    return nb


def has_solutions(nb):
    """True if a notebook still holds a solution marker or a teacher-only cell."""
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & REMOVED_TAGS:
            return True
        if BEGIN in cell.source or END in cell.source:
            return True
    return False


def lesson_paths(lessons_dir):
    """The lesson notebooks in teaching order (``NN-name.ipynb``)."""
    return sorted(p for p in Path(lessons_dir).glob("[0-9][0-9]-*.ipynb"))


def release(lessons_dir, out_dir, graded=False):
    """Write the student copy of every lesson to ``out_dir``; returns the paths written.
    With ``graded`` the copies are assignments (see :func:`student_copy`)."""
    paths = lesson_paths(lessons_dir)
    if not paths:
        raise FileNotFoundError(f"no lessons (NN-name.ipynb) found in {str(lessons_dir)!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for p in paths:
        nb = student_copy(nbformat.read(p, as_version=4), p.name, graded=graded)
        if has_solutions(nb):
            raise ValueError(f"{p.name}: the student copy still holds a solution")
        target = out_dir / p.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def lesson_name(path):
    """'03-rocket.ipynb' -> 'rocket' (the exercises' lesson id)."""
    return re.sub(r"^\d+-", "", Path(path).stem)
