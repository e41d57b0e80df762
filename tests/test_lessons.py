"""Every lesson, teacher and student copy, executed top to bottom in a fresh
kernel: no error, no warning in any output, at least two figures; the teacher's
answers all pass the checker; every number the teacher copy's text states (with a
unit, or as a decimal) is one a code cell printed, or is cited (issue 16); the
student copy holds no solution.

Each notebook runs with a per-cell time limit of 60 s (nbclient); the time a
whole lesson takes is printed by benchmarks/, not asserted here."""

import json
import os
import re
from itertools import pairwise
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


#: Numbers in the text (issue 16): a number with a unit (or a bare decimal) written in a markdown
#: cell must be one that a code cell of the same lesson printed, to the rounding it is written with,
#: unless it is a quoted figure with its source (``_CITATION``). See lessons/README.md.
UNITS = {"km/s": "km/s", "m/s²": "m/s²", "m/s": "m/s", "kg/s": "kg/s", "kPa": "kPa", "Pa": "Pa",
         "kN": "kN", "MN": "MN", "N": "N", "tonnes-force": "tf", "tonnes": "t", "tonne": "t", "t": "t",
         "kg": "kg", "km": "km", "kilometres": "km", "kilometre": "km", "m": "m", "metres": "m", "metre": "m",
         "meters": "m", "s": "s", "seconds": "s", "second": "s", "min": "min", "minutes": "min", "minute": "min",
         "h": "h", "hours": "h", "hour": "h", "%": "%", "per cent": "%", "°": "°", "deg": "°", "degrees": "°"}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+|\d+(?:\.\d+)?"
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
#: a number, or a range or pair of them ("2–2.5 km", "493 × 512 km"), then its unit ("$R = 6371$ km",
#: "a 95-minute orbit" too)
QUANTITY = re.compile(rf"(?<![\w.,])(?P<a>{_NUM})(?:\s*(?:–|-|×|\bx\b|\bto\b|\band\b)\s*(?P<b>{_NUM}))?"
                      rf"\$?(?:\s|-)?(?P<unit>{_UNIT})(?![\w/²³])")
#: a decimal number with no unit ("T/W between 1.2 and 1.6"), checked against every printed number
DECIMAL = re.compile(r"(?<![\w.,−+/-])\d+\.\d+(?![.,]?\w)")
#: what cites a quoted figure: a parenthesis naming its published source with the year, "(NorthKoreaTech,
#: 11 April 2012)". A data file is not a citation: what it holds, the library reads, and the notebook prints.
_CITATION = re.compile(r"\([^()]*\b(?:19|20)\d\d\b[^()]*\)")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
_CODE = re.compile(r"`[^`]*`")
_SENTENCE = re.compile(r"(?<=[.!?:])[)\"”]?\s+(?=[A-Z(\"“*])|\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)")


def _quantities(text):
    """(number as written, unit, position) for every number followed by a unit; 'a–b km' gives both."""
    for m in QUANTITY.finditer(text):
        for g in ("a", "b"):
            if m[g]:
                yield m[g], UNITS[m["unit"]], m.start(g)


def _agrees(written, printed):
    """Does the printed number round to the one written, at the written number's last significant digit
    ("24" for 23.7, "2,500" for 2,460, not for 2,440)?"""
    digits = re.sub(r"[,\s\u00a0\u2009\u202f]", "", written)
    if "." in digits:
        step = 10.0 ** -len(digits.split(".")[1])
    else:
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
    return abs(abs(float(printed.replace(",", ""))) - float(digits)) <= step / 2 * (1 + 1e-9)


def _stated_numbers(markdown):
    """(number, unit or None, sentence) for each number the text states: with a unit, or a bare decimal.
    Numbers in `code` and in $formulas$ are not statements (but "$R = 6371$ km" is); a number followed in its
    sentence by a citation (or inside one) is quoted, not stated."""
    def blank(m):
        return " " * len(m.group())

    def formula(m):          # keep a number that ends an inline formula and takes the unit after it
        tail = None if m.group().startswith("$$") else re.search(rf"(?:{_NUM})\$$", m.group())
        return " " * (len(m.group()) - len(tail.group())) + tail.group() if tail else blank(m)

    text = _MATH.sub(formula, _CODE.sub(blank, markdown))
    cuts = [0] + [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    out = []
    for lo, hi in pairwise(cuts):
        sentence = text[lo:hi]
        cited = [m.end() for m in _CITATION.finditer(markdown[lo:hi])]
        numbers = list(_quantities(sentence))
        with_unit = {pos for *_, pos in numbers}
        numbers += [(m.group(), None, m.start()) for m in DECIMAL.finditer(sentence) if m.start() not in with_unit]
        for written, unit, pos in numbers:
            if not any(end > pos for end in cited):
                out.append((written, unit, " ".join(markdown[lo:hi].split())))
    return out


def _printed_numbers(nb):
    """{unit: [numbers]} printed by the lesson's code cells (None: every number printed), leaving out the
    exercises' cells, whose numbers are each student's own."""
    seen = {None: []}
    for cell in nb.cells:
        if cell.cell_type != "code" or "ws[" in cell.source:
            continue
        for o in cell.get("outputs", []):
            text = o.get("text", "") + "".join(v for k, v in o.get("data", {}).items() if k == "text/plain")
            for written, unit, _ in _quantities(text):
                seen.setdefault(unit, []).append(written)
            seen[None] += re.findall(r"\d[\d,]*(?:\.\d+)?", text)
    return seen


def _unprinted_numbers(nb):
    """Numbers the lesson's text states that none of its code cells printed (by the lesson's own cell
    number, as in :func:`_problems`)."""
    seen = _printed_numbers(nb)
    out = []
    for i, cell in enumerate(nb.cells[1:], start=1):
        if cell.cell_type == "markdown":
            for written, unit, sentence in _stated_numbers(cell.source):
                if not any(_agrees(written, p) for p in seen.get(unit, [])):
                    out.append(f"cell {i}: {written} {unit or ''} in {sentence[:150]!r}")
    return out


def _figures(nb):
    return sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def test_the_notebooks_are_the_course_in_teaching_order():
    """lessons/ holds one notebook per lesson of ``exercises.COURSE``, numbered in its order, and each
    notebook starts its own lesson's exercises and shows every one of them, in the registry's order."""
    assert [p.name for p in LESSONS] == [exercises.notebook_name(n) for n in exercises.LESSONS]
    assert exercises.LESSONS[:4] == ("visit", "latitude", "rocket", "staging")
    for p, lesson in zip(LESSONS, exercises.COURSE, strict=True):
        nb = nbformat.read(p, as_version=4)
        sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert f'start("{lesson.name}"' in sources, p.name
        shown = list(dict.fromkeys(re.findall(r'^ws\["([a-z]+-\d+)"\]$', sources, flags=re.M)))
        assert shown == [e.id for e in lesson.exercises], (p.name, shown)
        heading = nb.cells[0].source.splitlines()[0]
        assert heading.startswith(f"# Lesson {exercises.lesson_number(lesson.name)} — "), (p.name, heading)


def test_the_lesson_readme_lists_the_course():
    """lessons/README.md's table is the registry's: each lesson's notebook, opening question and
    exercises, in teaching order (edit ``exercises/<lesson>.py`` and the table together)."""
    rows = re.findall(r"^\| `(\d\d-[a-z]+\.ipynb)` \| (.*?) \| `([a-z]+-1)` … `([a-z]+-\d+)`",
                      (ROOT / "lessons" / "README.md").read_text(), flags=re.M)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (exercises.notebook_name(c.name), c.question, c.exercises[0].id, c.exercises[-1].id) for c in exercises.COURSE]


def test_a_number_in_the_text_is_printed_by_the_lesson_or_cited():
    """The rule the teacher-copy test applies (issue 16), on a made-up lesson: a number with a unit, or a
    bare decimal, in a markdown cell must be printed by a code cell, to the rounding it is written with,
    unless a citation with its year follows it in the same sentence. Formulas and code are not statements;
    an exercise's numbers are each student's own, so they vouch for nothing."""
    def lesson(markdown):
        shown = nbformat.v4.new_code_cell('print("...")')
        shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text=(
            "westward shift per orbit: 23.7° of longitude; horizon at 2,440 km; period 94.6 min\n"
            "T/W = 1.27, 1.58; from 4 to 6 km/s: 15.1 t; R = 6371 km; -60 m/s along the path\n"))]
        exercise = nbformat.v4.new_code_cell('ws["visit-3"]')
        exercise.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Plesetsk, 62.9° N, 1.2 MN\n")]
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(CHECK_FIGURES), shown, exercise, nbformat.v4.new_markdown_cell(markdown)]
        return _unprinted_numbers(nb)

    for fine in ("Each track crosses about 24° further west, in a 95-minute orbit.",
                 "within 2,440 km, or 2,400\nkm (a line break); $R = 6371$ km; 60 m/s backwards",
                 "going on from 4 to 6 km/s costs 15 t; T/W 1.3 and 1.6",
                 "Molczan computed 192.3° for 97.4° orbits (NorthKoreaTech, 11 April 2012).",
                 "the plane turns (its perigee was raised by about 9 km in February 2024).",
                 "a formula, $i > 90°$ and $$\\Delta\\lambda = 15° \\times 3$$, and code, `kick_deg=6.5`."):
        assert lesson(fine) == [], fine
    for wrong, flagged in (("within about 2,500 km", "2,500 km"), ("about 23° further west", "23 °"),
                           ("a 92-minute orbit", "92 min"), ("All between 1.2 and 1.6.", "1.2 "),
                           ("with $I_{sp} \\approx 330$ s", "330 s"), ("from 2-6 km/s", "2 km/s"),
                           ("Plesetsk, at 62.9° N", "62.9 °"),               # only an exercise printed it
                           ("20 kN (see `data/vehicles.toml`)", "20 kN"),    # a data file is not a citation
                           ("MS-10 (11 October 2018) fell 30 km away.", "30 km")):   # the citation must follow
        found = lesson(wrong)
        assert len(found) == 1 and f": {flagged}" in found[0], (wrong, found)


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
    assert _unprinted_numbers(nb) == [], ("numbers in the text that no code cell printed: print them from the "
                                          "library, or cite their source (lessons/README.md)")
    lesson = lesson_name(path)
    ids = [e.id for e in exercises.ALL if e.lesson == lesson]
    assert len(ids) >= 3 and sorted(given) == sorted(ids), "every exercise answered in the teacher copy"
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
