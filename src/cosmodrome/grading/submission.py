"""Rosters and submitted files: who is in the class, which file is whose, and
turning an untrusted file into a clean notebook (or a clear reason why not).

Nothing here executes student code. The clean notebook keeps only the code
cells' source: a submission's saved outputs, metadata and kernel choice are
dropped, so nothing it claims about itself reaches the grader.
"""

import csv
import io
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: Roster columns, by header (matched ignoring case, spaces, '_' and '-'). The exports of
#: learning platforms, as teachers download them:
#:
#: - Canvas, Grades > Export: "Student" (as "Last, First"), "ID" (Canvas's own number for
#:   the user), "SIS User ID", "SIS Login ID", "Section", then one column per assignment;
#:   the second row is "Points Possible" (the maximum of each assignment), not a student,
#:   and a course may list Canvas's "Student, Test" (its student view). Sources: the nemogb
#:   vignette "Detailed Canvas Export Info" (nemogb-dev.github.io/nemogb-r), Ohio State's
#:   "Import a CSV file into Carmen Grades" (teaching.resources.osu.edu).
#: - Moodle, Grades > Export > Plain text file: "First name", "Last name" ("Surname" in
#:   older versions), the site's identity fields ("Email address" by default, often "ID
#:   number", "Username", "Institution", "Department"), one column per grade item, "Last
#:   downloaded from this course"; comma, tab, semicolon or colon separated. Sources:
#:   Moodle's grade/export/txt/grade_export_txt.php, MoodleDocs "Grade import".
#: - Any spreadsheet: "student_id", "id", "username", "login", "email", and "name".
STUDENT_ID_HEADERS = {"student id", "studentid"}
ID_HEADERS = {"id", "username", "user name", "login", "login id", "user id", "sis user id", "sis login id",
              "id number", "idnumber", "email", "e mail", "email address", "e mail address"}
EMAIL_HEADERS = {"email", "e mail", "email address", "e mail address"}
CANVAS_SIS_HEADERS = {"sis user id", "sis login id"}
#: Canvas's rows that are not students (in the "Student" column).
CANVAS_NOT_STUDENTS = {"points possible", "manual posting", "student, test"}


class Roster(list):
    """The students of a roster (a list of :class:`Student`), with ``id_column``: the
    header of the column their ids came from, and ``note``: one line saying so, for the
    teacher (the command line prints it)."""

    def __init__(self, students, id_column, note):
        super().__init__(students)
        self.id_column, self.note = id_column, note


def _key(header):
    return " ".join(header.replace("_", " ").replace("-", " ").lower().split())


def _read_rows(path):
    """The rows of a CSV file (comma, semicolon, tab or colon separated; BOM allowed)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in ",;\t"}  # the header's most common separator (Moodle offers all four)
    delimiter = max(counts, key=counts.__getitem__) if any(counts.values()) else (":" if ":" in first else ",")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _email_ids(path, column, values):
    """Student ids from email addresses: the part before '@', which must be unique in the
    class (two 'a.kim@...' addresses are refused, naming both)."""
    seen: dict[str, Any] = {}
    for row_no, value in values:
        local = value.split("@", 1)[0] if "@" in value else value
        other = seen.get(local.lower())
        if other:
            raise ValueError(f"roster {path.name}: column {column!r} holds email addresses, whose part before "
                             f"'@' is the student id, but rows {other[0]} ({other[1]!r}) and {row_no} "
                             f"({value!r}) share it; add a student_id column")
        seen[local.lower()] = (row_no, value)
    return {row_no: value.split("@", 1)[0] for row_no, value in values}


def read_roster(path: str | os.PathLike[str]) -> Roster:
    """The students of a roster CSV, as teachers have them: a ``student_id`` column, or the
    export of a learning platform (Canvas, Moodle: see ``ID_HEADERS``). Returns a
    :class:`Roster` (a list of :class:`Student`) that says which column the ids came from.

    Which column holds the ids: ``student_id`` if there is one. Otherwise the one column
    among ``id``, ``username``, ``login``, ``email`` and the platforms' id columns (Canvas:
    ID, SIS User ID, SIS Login ID; Moodle: ID number, Username, Email address) that has
    values; Canvas's own ``ID`` only counts when its SIS columns are empty (students never
    see it otherwise). An email address gives the part before '@', which must be unique in
    the class. Two such columns with different ids are refused, naming both: rename the one
    your students use to ``student_id``. Every id must pass ``exercises.check_student_id``'s
    rule (1-64 letters, digits, '.', '_' or '-'), and appear once. The name is ``name``,
    else Canvas's ``Student``, else first and last name, else the id. Errors name the row
    and the value."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster {str(path)!r} not found")
    rows = _read_rows(path)
    if not rows:
        raise ValueError(f"roster {path.name} is empty: it needs a header row with a student_id column")
    header, body = rows[0], list(enumerate(rows[1:], start=2))
    cols: dict[str, Any] = {}
    for i, h in enumerate(header):
        cols.setdefault(_key(h), i)
    cell = lambda row, i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
    name_col = cols.get("name", cols.get("full name", cols.get("student", cols.get("student name"))))
    first, last = cols.get("first name"), cols.get("last name", cols.get("surname"))
    canvas = bool(CANVAS_SIS_HEADERS & set(cols)) and "student" in cols

    def is_student(row):
        if not any(c.strip() for c in row):
            return False
        return not (canvas and cell(row, cols["student"]).lower() in CANVAS_NOT_STUDENTS)

    body = [(n, row) for n, row in body if is_student(row)]
    if not body:
        raise ValueError(f"roster {path.name} has no students")
    sid_col = next((cols[k] for k in STUDENT_ID_HEADERS if k in cols), None)
    if sid_col is not None:
        column, ids = header[sid_col].strip(), {n: cell(row, sid_col) for n, row in body}
        how = "the student_id column"
    else:
        found = {}                             # header -> (key, {row number: id})
        for k in sorted(ID_HEADERS & set(cols), key=lambda k: cols[k]):
            values = [(n, cell(row, cols[k])) for n, row in body]
            values = [(n, v) for n, v in values if v]
            if not values:
                continue                       # an empty column (e.g. Canvas's SIS columns without a SIS)
            header_k = header[cols[k]].strip()
            found[header_k] = (k, _email_ids(path, header_k, values) if k in EMAIL_HEADERS else dict(values))
        if canvas and "id" in cols and len(found) > 1:
            found.pop(header[cols["id"]].strip(), None)      # Canvas's own number, when a SIS id is there
        if not found:
            raise ValueError(f"roster {path.name}: no column of student ids; the header needs student_id (or "
                             f"id, username, login, email, or a Canvas or Moodle export's) (got {header})")
        same: dict[Any, Any] = {}              # the same ids (ignoring case) -> the columns holding them
        for header_k, (_, ids) in found.items():
            same.setdefault(tuple(sorted((n, v.lower()) for n, v in ids.items())), []).append(header_k)
        if len(same) > 1:
            row_no = body[0][0]
            shown = " and ".join(" = ".join(repr(c) for c in columns) + f" (row {row_no}: "
                                 f"{found[columns[0]][1].get(row_no, '')!r})" for columns in same.values())
            raise ValueError(f"roster {path.name}: which column holds the student ids? {shown} differ; rename "
                             "the one your students use in start(student=...) and in their notebooks' names "
                             "to student_id")
        column = next(iter(same.values()))[0]
        k, ids = found[column]
        how = f"column {column!r}, the part before '@'" if k in EMAIL_HEADERS else f"column {column!r}"
        others = [c for c in found if c != column]
        if others:
            how += " (the same ids as " + ", ".join(repr(c) for c in others) + ")"
    students, seen = [], set()
    for row_no, row in body:
        sid = ids.get(row_no, "")
        if not ID_PATTERN.fullmatch(sid):
            raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} (column {column!r}) must be "
                             "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        if sid.lower() in seen:
            raise ValueError(f"roster {path.name} row {row_no}: student_id {sid!r} appears twice")
        seen.add(sid.lower())
        name = cell(row, name_col) or " ".join(x for x in (cell(row, first), cell(row, last)) if x)
        students.append(Student(sid, name or sid))
    if not students:
        raise ValueError(f"roster {path.name} has no students")
    return Roster(students, column, f"roster {path.name}: {len(students)} student(s), ids from {how}")


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
    claims: dict[str, Any] = {}
    unmatched: list[str] = []
    ambiguous: dict[str, Any] = {}
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
