"""Rosters and submitted files: who is in the class, which file is whose, and
turning an untrusted file into a clean notebook (or a clear reason why not).

Nothing here executes student code. The clean notebook keeps only the code
cells' source: a submission's saved outputs, metadata and kernel choice are
dropped, so nothing it claims about itself reaches the grader.
"""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_CODE_BYTES = 2 * 2**20


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
            if not ID_PATTERN.match(sid):
                raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} must be 1-64 letters, "
                                 "digits, '.', '_' or '-', starting with a letter or digit")
            if sid.lower() in seen:
                raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} appears twice")
            seen.add(sid.lower())
            students.append(Student(sid, row.get("name") or sid))
    if not students:
        raise ValueError(f"roster {path.name} has no students")
    return students


def find_submissions(folder, students):
    """Map each student to their submitted file: ``ID.ipynb`` (any extension) or a
    folder ``ID/`` holding it. Returns ({student_id: (path, note)}, [unmatched names])."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {str(folder)!r} not found")
    by_id = {s.student_id.lower(): s.student_id for s in students}
    found, unmatched = {}, []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        key = entry.name.split(".")[0].lower() if entry.is_file() else entry.name.lower()
        sid = by_id.get(key)
        if sid is None:
            unmatched.append(entry.name)
            continue
        if entry.is_dir():
            files = sorted((p for p in entry.iterdir() if p.is_file() and not p.name.startswith(".")),
                           key=lambda p: (p.suffix != ".ipynb", -p.stat().st_mtime))
            if not files:
                continue
            candidates = files
        else:
            candidates = [entry]
        found.setdefault(sid, []).extend(candidates)
    out = {}
    for sid, files in found.items():
        files = sorted(files, key=lambda p: (p.suffix != ".ipynb", -p.stat().st_mtime))
        note = ""
        if len(files) > 1:
            note = (f"{len(files)} files were submitted; graded the newest notebook, {files[0].name} "
                    f"(not {', '.join(p.name for p in files[1:])})")
        out[sid] = (files[0], note)
    return out, unmatched


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
