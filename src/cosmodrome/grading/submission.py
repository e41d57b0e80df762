"""Rosters and submitted files: who is in the class, which file is whose, and
turning an untrusted file into a clean notebook (or a clear reason why not).

Nothing here executes student code. The clean notebook keeps only the code
cells' source: a submission's saved outputs, metadata and kernel choice are
dropped, so nothing it claims about itself reaches the grader.
"""

import csv
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..exercises import ID_PATTERN
from .untrusted import kind_of, printable

MAX_CODE_BYTES = 2 * 2**20
#: Code cells a submission may have: a lesson has a few dozen; this bounds the
#: grader's own work (and memory) per submission before anything runs.
MAX_CODE_CELLS = 2000


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str


def read_roster(path):
    """Students from a CSV with a ``student_id`` column (and optionally ``name``).
    Errors name the row and the value."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster {str(path)!r} not found")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "student_id" not in fields:
            raise ValueError(f"roster {path.name}: the header must have a student_id column (got {reader.fieldnames})")
        students, seen = [], set()
        for row_no, row in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
            sid = row.get("student_id", "")
            if not sid and not any(row.values()):
                continue
            if not ID_PATTERN.fullmatch(sid):
                raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} must be 1-64 letters, "
                                 "digits, '.', '_' or '-', starting with a letter or digit")
            if sid.lower() in seen:
                raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} appears twice")
            seen.add(sid.lower())
            students.append(Student(sid, row.get("name") or sid))
    if not students:
        raise ValueError(f"roster {path.name} has no students")
    return students


@dataclass(frozen=True)
class Found:
    """A student's submitted file: ``name`` inside ``folder`` (neither followed if a
    link), a ``note`` for the gradebook, and the ``problem`` that stops it being
    read ("" for a regular file)."""

    folder: Path
    name: str
    note: str = ""
    problem: str = ""


def _ids_for(name, is_dir):
    """The student ids a folder entry could belong to: a folder by its whole name,
    a file by its whole name or its name without the last extension
    (``j.smith.ipynb`` is ``j.smith``'s; ``anna.k`` could be ``anna.k``'s or ``anna``'s)."""
    names = {name.lower()}
    if not is_dir and "." in name[1:]:
        names.add(name[: name.rindex(".")].lower())
    return names


def _newest_first(folder, names):
    def key(n):
        try:
            st = os.lstat(folder / n)
        except OSError:
            return (True, True, 0.0)
        return (not stat.S_ISREG(st.st_mode), not n.endswith(".ipynb"), -st.st_mtime)
    return sorted(names, key=key)


def find_submissions(folder, students):
    """Match the entries of the submissions folder to the roster, never following a link.

    A student's work is a file named by their exact id (``ID.ipynb``, any
    extension; dots in ids are fine) or a folder ``ID/`` holding it. Only regular
    files are read: a symbolic link, FIFO, device or linked folder is matched to
    its student and given a reason, not opened. A name that could belong to two
    students is refused with both named. Returns ``(found, unmatched, ambiguous)``:
    {student_id: Found}, [entry names matching nobody], {entry name: [ids]}."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {str(folder)!r} not found")
    by_id = {s.student_id.lower(): s.student_id for s in students}
    claims, unmatched, ambiguous = {}, [], {}
    for name in sorted(os.listdir(folder)):
        try:
            st = os.lstat(folder / name)
        except OSError:
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        ids = sorted({by_id[n] for n in _ids_for(name, is_dir) if n in by_id})
        if not ids:
            unmatched.append(name)
        elif len(ids) > 1:
            ambiguous[name] = ids
        else:
            claims.setdefault(ids[0], []).append((name, st))
    found = {}
    for sid, entries in claims.items():
        files, problems = [], []
        for name, st in entries:
            if stat.S_ISDIR(st.st_mode):
                for inner, mode in _folder_entries(folder / name):
                    if stat.S_ISREG(mode):
                        files.append(f"{name}/{inner}")
                    elif not stat.S_ISDIR(mode):
                        problems.append(f"{name}/{inner} is {kind_of(mode)}")
            elif stat.S_ISREG(st.st_mode):
                files.append(name)
            else:
                problems.append(f"{name} is {kind_of(st.st_mode)}")
        if files:
            names = _newest_first(folder, files)
            note = ""
            if len(names) > 1:
                note = (f"{len(names)} files were submitted; graded the newest notebook, {printable(names[0])} "
                        f"(not {', '.join(printable(n) for n in names[1:])})")
            if problems:
                note = "; ".join(filter(None, [note, "not read: " + "; ".join(printable(p) for p in problems)]))
            found[sid] = Found(folder, names[0], note)
        elif problems:
            found[sid] = Found(folder, entries[0][0], "", not_regular_reason(problems))
    return found, unmatched, ambiguous


def _folder_entries(path):
    """[(name, st_mode)] of the visible entries directly in a student's folder, not followed."""
    out = []
    for name in sorted(os.listdir(path)):
        if name.startswith("."):
            continue
        try:
            out.append((name, os.lstat(path / name).st_mode))
        except OSError:
            continue
    return out


def not_regular_reason(problems):
    """The reason a submission that is not a regular file is not run; ``problems`` are
    sentences such as "kim.ipynb is a symbolic link"."""
    return ("only regular files are graded, and " + "; ".join(printable(p) for p in problems)
            + " (it was not followed or opened): hand in the notebook file itself")


class Rejected(ValueError):
    """A submission that cannot be run, with the reason a student can act on."""


_MAGIC = {b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (e.g. a .docx or .zip)",
          b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"\x7fELF": "a program"}


def clean_notebook(data, size_limit):
    """A fresh nbformat-4 notebook holding only the code cells of ``data`` (bytes).
    Raises ``Rejected`` with a clear reason for anything that is not one."""
    if len(data) == 0:
        raise Rejected("the file is empty")
    if len(data) > size_limit:
        raise Rejected(f"the file is {len(data) / 2**20:.1f} MB; the limit is {size_limit / 2**20:.0f} MB")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise Rejected(f"not a notebook: the file is {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("not a notebook: the file is not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected(f"not a notebook: invalid JSON at line {exc.lineno}, column {exc.colno} "
                       f"({exc.msg})") from None
    except RecursionError:
        raise Rejected("not a notebook: JSON nested too deeply") from None
    if not isinstance(doc, dict) or ("cells" not in doc and "worksheets" not in doc):
        raise Rejected("not a notebook: the JSON has no cells")
    version = doc.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Rejected(f"not a notebook: nbformat version is {version!r}")
    if version == 3:
        sheets = doc.get("worksheets")
        n = sum(len(w["cells"]) for w in (sheets if isinstance(sheets, list) else [])
                if isinstance(w, dict) and isinstance(w.get("cells"), list))
        if n > MAX_CODE_CELLS:
            raise Rejected(f"the notebook has {n:,} cells; the limit is {MAX_CODE_CELLS:,} code cells")
        try:
            doc = nbformat.convert(nbformat.from_dict(doc), 4)
        except Exception:
            raise Rejected("an nbformat 3 notebook that could not be converted to nbformat 4; "
                           "open and save it in a current Jupyter") from None
    elif version != 4:
        raise Rejected(f"nbformat {version} notebooks are not supported: open and save it in a "
                       "current Jupyter (nbformat 4)")
    cells = doc.get("cells")
    if not isinstance(cells, list):
        raise Rejected("not a notebook: 'cells' is not a list")
    code_cells = sum(1 for c in cells if isinstance(c, dict) and c.get("cell_type") == "code")
    if code_cells > MAX_CODE_CELLS:
        raise Rejected(f"the notebook has {code_cells:,} code cells; the limit is {MAX_CODE_CELLS:,}")
    sources = []
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list) and all(isinstance(s, str) for s in src):
            src = "".join(src)
        if not isinstance(src, str):
            raise Rejected(f"cell {i + 1}: its source is not text")
        sources.append(src)
    if sum(len(s) for s in sources) > MAX_CODE_BYTES:
        raise Rejected(f"the notebook has more than {MAX_CODE_BYTES // 2**20} MB of code")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb
