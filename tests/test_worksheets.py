"""Worksheets and answer keys: each student's own numbers and the checker's
reference answers are in the PDFs (read back with pypdf), the pages keep their
margins (rendered with pypdfium2), the code round-trips, and paper answers are
marked by the same checker as notebooks."""

import csv
import math
import re

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

from cosmodrome import exercises
from cosmodrome.grading.paper import grade_paper, read_answers
from cosmodrome.grading.submission import Student
from cosmodrome.worksheets import make_worksheets
from cosmodrome.worksheets.code import make_code, parse_code
from cosmodrome.worksheets.typeset import markdown_to_typst

SECRET = "worksheet-test-course"
STUDENTS = [Student("ivanova", "Anna Ivanova"), Student("kim.mj", "Kim Min-jun"),
            Student("zoe", 'Zoë #eval("1+1") $x$ *star* [link] <label> @ref // not a comment')]
NUM = re.compile(r"\d+(?:\.\d+)?")


def _text(path):
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def _numbers(text):
    return NUM.findall(text.replace(",", ""))


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    out = tmp_path_factory.mktemp("sheets")
    made = {}
    for lesson in ("staging", "visit", "failures"):
        made[lesson] = make_worksheets(lesson, STUDENTS, out / lesson, secret=SECRET, date="2026-11-25")
    return made


@pytest.mark.parametrize("lesson", ["staging", "visit", "failures"])
def test_each_worksheet_holds_the_students_own_numbers_and_the_key_the_references(sheets, lesson):
    for s, sheet, key in zip(STUDENTS, sheets[lesson]["worksheets"], sheets[lesson]["keys"], strict=True):
        text, key_text = _numbers(_text(sheet)), _numbers(_text(key))
        for ex in (e for e in exercises.ALL if e.lesson == lesson):
            params = ex.params(s.student_id, SECRET)
            for n in _numbers(ex.render(params).split("\n\n- ")[0]):
                assert n in text, (s.student_id, ex.id, n)
            for n in _numbers(ex.reference_text(params)):
                assert n in key_text, (s.student_id, ex.id, n)


def test_two_students_get_different_numbers(sheets):
    a, b = (_numbers(_text(p)) for p in sheets["staging"]["worksheets"][:2])
    assert a != b


def test_printed_numbers_are_the_notebooks(sheets, monkeypatch):
    monkeypatch.setenv("COSMODROME_COURSE_SECRET", SECRET)
    ws = exercises.start("staging", student="ivanova")
    text = _numbers(_text(sheets["staging"]["worksheets"][0]))
    for item in ws:
        for n in _numbers(item.prompt.split("\n\n- ")[0]):
            assert n in text


def test_class_pack_and_key_hold_every_student(sheets):
    pack = _text(sheets["visit"]["class_pack"])
    key = _text(sheets["visit"]["class_key"])
    for s in STUDENTS:
        assert s.student_id in pack and s.student_id in key
        assert make_code(SECRET, "visit", s.student_id) in pack


def test_names_are_printed_literally_never_run_as_typst(sheets):
    text = _text(sheets["staging"]["worksheets"][2])
    assert '#eval("1+1")' in text and "$x$" in text and "*star*" in text and "// not a comment" in text


def test_paper_sizes(tmp_path):
    a4 = make_worksheets("rocket", STUDENTS[:1], tmp_path / "a4", secret=SECRET, paper="a4")
    us = make_worksheets("rocket", STUDENTS[:1], tmp_path / "us", secret=SECRET, paper="letter")
    box = [pypdf.PdfReader(str(w["worksheets"][0])).pages[0].mediabox for w in (a4, us)]
    assert (round(float(box[0].width)), round(float(box[0].height))) == (595, 842)     # A4 in points
    assert (round(float(box[1].width)), round(float(box[1].height))) == (612, 792)     # US Letter


@pytest.mark.parametrize("lesson", ["staging", "visit", "failures"])
def test_nothing_is_printed_in_the_side_margins(sheets, lesson):
    for path in [sheets[lesson]["worksheets"][2], sheets[lesson]["keys"][0], sheets[lesson]["class_key"]]:
        pdf = pdfium.PdfDocument(str(path))
        for page in pdf:
            img = np.asarray(page.render(scale=1.0).to_pil().convert("L"))
            px_per_cm = img.shape[1] / (page.get_width() / 72 * 2.54)
            edge = int(1.4 * px_per_cm)                       # margins are 1.8 cm
            assert img[:, :edge].min() > 200 and img[:, -edge:].min() > 200, (path.name, "ink in a side margin")


def test_code_round_trips_and_catches_mistakes():
    for sid in ("ivanova", "kim.mj", "a-1_b"):
        code = make_code(SECRET, "staging", sid)
        assert parse_code(SECRET, code) == ("staging", sid)
        assert parse_code(SECRET, " " + code.lower().replace("0", "O") + " ") == ("staging", sid)
    code = make_code(SECRET, "staging", "ivanova")
    bad = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(ValueError, match="check characters do not match"):
        parse_code(SECRET, bad)
    with pytest.raises(ValueError, match="another course"):
        parse_code("other-course", code)
    with pytest.raises(ValueError, match="LESSON.STUDENT.CHECK"):
        parse_code(SECRET, "ivanova")
    with pytest.raises(ValueError, match="unknown lesson 'astrology'"):
        parse_code(SECRET, "astrology.ivanova.ABCDE")


def test_markdown_subset_becomes_typst_and_nothing_else_does():
    t = markdown_to_typst("**bold** and *it* `code` #x $y$ [z] a // b /* c")
    assert "*bold*" in t and "_it_" in t and '#raw("code")' in t
    assert "\\#x" in t and "\\$y\\$" in t and "\\[z\\]" in t and "\\/\\/" in t


def _write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "exercise", "answer"])
        w.writerows(rows)


def test_paper_answers_are_marked_by_the_same_checker(tmp_path):
    ex1, ex2, ex3 = (exercises.EXERCISES[k] for k in ("staging-1", "staging-2", "staging-3"))
    code = make_code(SECRET, "staging", "ivanova")
    p1, p2, p3 = (e.params("ivanova", SECRET) for e in (ex1, ex2, ex3))
    wrong_kept = ex1.misconceptions[0].wrong(p1)
    rows = [(code, "staging-1", f"{wrong_kept:.0f}"),                      # a known mistake: its hint
            (code, "staging-2", f"{ex2.reference(p2):.1f} m/s"),           # right, typed with its unit
            (code, "staging-3", ex3.reference_text(p3))]                   # the right letter
    _write_csv(tmp_path / "answers.csv", rows)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\nivanova,Anna Ivanova\nkim,Kim\n")
    summary = grade_paper(tmp_path / "answers.csv", tmp_path / "out", roster=roster, secret=SECRET)
    rec = {r["student_id"]: r for r in summary["records"]}
    items = rec["ivanova"]["exercises"]
    assert items["staging-1"]["score"] == 0 and items["staging-1"]["hint"] == ex1.misconceptions[0].hint
    assert items["staging-2"]["score"] == 1 and items["staging-3"]["score"] == 1
    assert not items["staging-4"]["answered"]
    assert rec["kim"]["status"] == "missing"
    with open(tmp_path / "out" / "gradebook.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert float(rows["ivanova"]["total"]) == 2 and rows["ivanova"]["name"] == "Anna Ivanova"
    assert (tmp_path / "out" / "feedback" / "ivanova.md").exists()


def test_paper_record_answers_are_split_into_fields(tmp_path):
    ex = exercises.EXERCISES["failures-1"]
    p = ex.params("kim", SECRET)
    stage, time_s, kind = ex.reference(p)
    _write_csv(tmp_path / "a.csv",
               [(make_code(SECRET, "failures", "kim"), "failures-1", f"{stage}, {time_s:.0f}; {kind}")])
    lesson, answers, _ = read_answers(tmp_path / "a.csv", SECRET)
    summary = grade_paper(tmp_path / "a.csv", tmp_path / "out", secret=SECRET)
    assert summary["records"][0]["exercises"]["failures-1"]["score"] == 1


@pytest.mark.parametrize("row, message", [
    (("staging.ivanova.AAAAA", "staging-1", "1"), r"row 3: code .* check characters do not match"),
    (("{code}", "rocket-1", "1"), r"row 3: exercise 'rocket-1' is not in lesson 'staging'"),
    (("{rocket_code}", "rocket-1", "1"), r"row 3: .* is for lesson 'rocket' but row 2 is for 'staging'"),
    (("{code}", "staging-2", ""), r"row 3: the answer is empty"),
])
def test_a_bad_row_is_named(tmp_path, row, message):
    code = make_code(SECRET, "staging", "ivanova")
    rocket_code = make_code(SECRET, "rocket", "ivanova")
    row = tuple(c.format(code=code, rocket_code=rocket_code) for c in row)
    _write_csv(tmp_path / "a.csv", [(code, "staging-1", "100"), row])
    with pytest.raises(ValueError, match=message):
        grade_paper(tmp_path / "a.csv", tmp_path / "out", secret=SECRET)
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_diagnosis_worksheet_draws_the_students_own_telemetry(tmp_path):
    """failures-1 prints a figure of the same telemetry as the table (worksheets only, never the key)."""
    from cosmodrome.worksheets import _student_body

    student = STUDENTS[0]
    body = _student_body("failures", student, SECRET, "2026-01-01", tmp_path)
    fig_file = tmp_path / f"fig-{student.student_id}-failures-1.svg"
    assert f'#image("{fig_file.name}"' in body and fig_file.stat().st_size > 1000
    key = _student_body("failures", student, SECRET, "2026-01-01", tmp_path, key=True)
    assert "#image(" not in key
    ex = exercises.get_exercise("failures-1")
    p = ex.params(student.student_id, SECRET)
    thrust_kn = [float(row.split("|")[4]) for row in p["telemetry"].splitlines()[2:]]
    fig = ex.figure(p)
    assert list(fig.axes[0].lines[0].get_ydata()) == pytest.approx(thrust_kn)


def _right_text(ex, sid):
    """A right answer as a teacher would type it from the student's sheet."""
    p = ex.params(sid, SECRET)
    ref = ex.reference(p)
    return f"{ref:.6g}" if isinstance(ref, float) else ex.reference_text(p)


def test_several_answer_files_fill_one_gradebook(tmp_path):
    """A class's sheets typed in two batches: the second file adds to the first, and a
    corrected file replaces only the students it has answers for."""
    ex = exercises.EXERCISES["staging-2"]
    _write_csv(tmp_path / "a.csv", [(make_code(SECRET, "staging", "ivanova"), "staging-2", _right_text(ex, "ivanova"))])
    _write_csv(tmp_path / "b.csv", [(make_code(SECRET, "staging", "kim"), "staging-2", "1")])
    grade_paper(tmp_path / "a.csv", tmp_path / "out", secret=SECRET)
    summary = grade_paper(tmp_path / "b.csv", tmp_path / "out", secret=SECRET)
    assert [r["student_id"] for r in summary["records"]] == ["ivanova", "kim"]
    _write_csv(tmp_path / "b2.csv", [(make_code(SECRET, "staging", "kim"), "staging-2", _right_text(ex, "kim"))])
    grade_paper(tmp_path / "b2.csv", tmp_path / "out", secret=SECRET)
    with open(tmp_path / "out" / "gradebook.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert {k: float(r["total"]) for k, r in rows.items()} == {"ivanova": 1.0, "kim": 1.0}


def test_another_lessons_answers_are_refused_not_written_over(tmp_path):
    _write_csv(tmp_path / "a.csv", [(make_code(SECRET, "staging", "ivanova"), "staging-2", "1")])
    _write_csv(tmp_path / "r.csv", [(make_code(SECRET, "rocket", "ivanova"), "rocket-1", "1")])
    grade_paper(tmp_path / "a.csv", tmp_path / "out", secret=SECRET)
    before = (tmp_path / "out" / "gradebook.json").read_bytes()
    with pytest.raises(ValueError, match=r"holds lesson 'staging'; grade lesson 'rocket' into another folder"):
        grade_paper(tmp_path / "r.csv", tmp_path / "out", secret=SECRET)
    assert (tmp_path / "out" / "gradebook.json").read_bytes() == before


def test_merge_keeps_the_better_of_notebook_and_paper_and_says_so():
    from cosmodrome.grading.gradebook import merge

    def rec(sid, source, status, total):
        return {"student_id": sid, "source": source, "status": status, "total": total, "max": 5,
                "file": f"{sid}.{source}", "reasons": []}

    rows = {r["student_id"]: r for r in merge(
        [rec("a", "paper", "graded (paper)", 2), rec("b", "paper", "graded (paper)", 4),
         rec("c", "paper", "missing", 0)],
        {"a": rec("a", "notebook", "graded", 3), "b": rec("b", "notebook", "graded", 1),
         "c": rec("c", "notebook", "rejected", 0), "d": rec("d", "notebook", "missing", 0)})}
    assert (rows["a"]["source"], rows["a"]["total"]) == ("notebook", 3)
    assert rows["a"]["reasons"] == ["also graded from paper (a.paper): 2 / 5; the higher score counts"]
    assert (rows["b"]["source"], rows["b"]["total"]) == ("paper", 4)
    assert rows["c"]["status"] == "rejected"                 # a rejected notebook is not hidden by no paper
    assert rows["d"]["status"] == "missing"


# --- worksheets that stand on paper (issue 15) ---------------------------------------------

#: what only a computer can do: code, the notebook's calls, the library, the command line
CODE = re.compile(r"`|\bcheck\(|\bws\[|(?<![/\w])(ascent|atmosphere|vehicles|sites|orbits|earth|propulsion|failures|"
                  r"tracking|dataclasses|np|numpy)\.(?!toml)[a-z_]+|run the cell|\bthe library\b|\bimport\b|"
                  r"\bcosmodrome (sites?|vehicles?|launch|track|groundtrack|variant|exercises)\b", re.I)
#: exercises whose solver reads the hidden answer from its params (the diagnosis is read off the telemetry)
ANSWER_PARAMS = {"failures-1": {"stage", "time", "kind", "fraction"}}
#: parameters that are no numbers for the student: the order of the options, which outcome text
NOT_DATA = {"order", "case"}
PAPER = [e for e in exercises.ALL if e.paper]
FLIES = {"losses-1", "failures-1"}


class _Reads(dict):
    """A params dict that remembers which keys were read."""

    def __init__(self, d):
        super().__init__(d)
        self.read = set()

    def __getitem__(self, k):
        self.read.add(k)
        return super().__getitem__(k)

    def get(self, k, default=None):
        self.read.add(k)
        return super().get(k, default)


def _printed(value, text):
    """The number in ``text`` that shows ``value`` rounded (to 3 significant figures or more,
    or exactly), or None."""
    for tok in NUM.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text)):
        decimals = len(tok.split(".")[1]) if "." in tok else 0
        digits = len(tok.replace(".", "").lstrip("0"))
        if (abs(float(tok) - abs(value)) <= 0.5 * 10 ** -decimals * (1 + 1e-9)
                and (digits >= 3 or float(tok) == abs(value))):
            return math.copysign(float(tok), value)
    return None


def _numbers_read(ex, p):
    r = _Reads(p)
    ex.reference(r)
    return {k: p[k] for k in r.read - NOT_DATA - ANSWER_PARAMS.get(ex.id, set())
            if isinstance(p[k], (int, float)) and not isinstance(p[k], bool)}


def _seeds(ex):
    return range(8 if ex.id in FLIES else 60)


@pytest.mark.parametrize("eid", [e.id for e in PAPER])
def test_no_paper_prompt_mentions_code(eid):
    ex = exercises.EXERCISES[eid]
    for seed in _seeds(ex):
        text = ex.render(ex.params_from_seed(seed))
        assert not CODE.search(text), (eid, CODE.search(text).group(0), text)


@pytest.mark.parametrize("eid", [e.id for e in PAPER])
def test_each_paper_exercise_prints_every_number_its_solver_reads(eid):
    """Every number the reference answer is computed from is on the sheet (rounded to 3
    significant figures or better), and the answer computed from the printed numbers is
    accepted: nothing a student needs is only in the library."""
    ex = exercises.EXERCISES[eid]
    for seed in _seeds(ex):
        p = ex.params_from_seed(seed)
        text = ex.render(p)
        read = _numbers_read(ex, p)
        shown = {k: _printed(v, text) for k, v in read.items()}
        missing = [k for k, v in shown.items() if v is None]
        assert not missing, (eid, {k: p[k] for k in missing}, text)
        from_paper = ex.reference({**p, **shown})
        if isinstance(ex.answer, exercises.core.Number):
            assert ex.check(p, from_paper).correct, (eid, p, shown)
        else:
            assert from_paper == ex.reference(p), (eid, p, shown)


def test_a_sheet_leaves_notebook_only_exercises_off_and_says_so(tmp_path):
    """ascent-1 and ascent-4 are flown in the simulator: the sheet keeps the notebook's
    numbering, leaves them off, and says they are done in the notebook; the key too."""
    from cosmodrome.worksheets import _student_body

    lesson = [e for e in exercises.ALL if e.lesson == "ascent"]
    off = [k for k, e in enumerate(lesson, start=1) if not e.paper]
    assert [lesson[k - 1].id for k in off] == ["ascent-1", "ascent-4"]
    for key in (False, True):
        body = _student_body("ascent", STUDENTS[0], SECRET, "2026-01-01", tmp_path, key=key)
        for e in lesson:
            shown = f'#raw("{e.id}")' in body
            assert shown == e.paper, (e.id, key)
        assert "Exercises 1 and 4 are done in the notebook" in body
    body = _student_body("staging", STUDENTS[0], SECRET, "2026-01-01", tmp_path)
    assert "done in the notebook" not in body


def test_a_lesson_with_notebook_only_exercises_is_graded_from_paper(tmp_path):
    ex = exercises.EXERCISES["ascent-2"]
    code = make_code(SECRET, "ascent", "ivanova")
    wrong = "A" if _right_text(exercises.EXERCISES["ascent-3"], "ivanova") != "A" else "B"
    _write_csv(tmp_path / "a.csv", [(code, "ascent-2", _right_text(ex, "ivanova")),
                                    (code, "ascent-3", wrong)])
    summary = grade_paper(tmp_path / "a.csv", tmp_path / "out", secret=SECRET)
    items = summary["records"][0]["exercises"]
    assert items["ascent-2"]["score"] == 1 and items["ascent-3"]["score"] == 0


# --- keys show the working (issue 15) -------------------------------------------------------

NUMBER_IDS = [e.id for e in exercises.ALL if isinstance(e.answer, exercises.core.Number)]


@pytest.mark.parametrize("eid", NUMBER_IDS)
def test_the_key_shows_the_formula_the_students_numbers_and_the_result_with_its_unit(eid):
    """Every Number exercise has a worked solution: a formula (an '='), each number the
    answer is computed from, and last the result, the reference to 4 significant figures,
    with its unit."""
    ex = exercises.EXERCISES[eid]
    assert ex.working is not None, eid
    for seed in list(_seeds(ex))[:25]:
        p = ex.params_from_seed(seed)
        w = ex.working(p)
        assert "=" in w and "{" not in w and "nan" not in w.lower() and "e+" not in w and "e-" not in w, w
        result = w.rsplit("=", 1)[1].split(" (")[0].strip()
        ref = ex.reference(p)
        value = ex.answer.parse(result)
        assert abs(value - ref) <= 6e-4 * abs(ref) + 1e-12, (eid, w, ref)
        if ex.answer.unit:
            assert result.endswith("°" if ex.answer.unit == "deg" else " " + ex.answer.unit), (eid, result)
        for k, v in _numbers_read(ex, p).items():
            assert _printed(v, w) is not None, (eid, k, v, w)


def test_the_diagnosis_key_says_what_the_telemetry_shows():
    ex = exercises.EXERCISES["failures-1"]
    for seed in range(8):
        p = ex.params_from_seed(seed)
        w = ex.working(p)
        assert f"T+{p['time']:.0f} s" in w and f"stage {p['stage']}" in w.lower()


@pytest.mark.parametrize("lesson", ["staging", "visit", "failures"])
def test_each_key_prints_the_working(sheets, lesson):
    for s, key in zip(STUDENTS, sheets[lesson]["keys"], strict=True):
        text = _text(key)
        numbers = _numbers(text)
        assert text.count("Working:") == sum(1 for e in exercises.ALL if e.lesson == lesson and e.paper and e.working)
        for ex in (e for e in exercises.ALL if e.lesson == lesson and e.working):
            for n in _numbers(ex.working(ex.params(s.student_id, SECRET))):
                assert n in numbers, (s.student_id, ex.id, n)


def test_an_answer_box_is_never_filled_by_its_label(tmp_path):
    """The unit is printed beside the box, not inside it; a record (failures-1) gets a
    labelled box per field."""
    from cosmodrome.worksheets import _student_body
    from cosmodrome.worksheets.typeset import PREAMBLE

    box = re.search(r"#let answer-box\(unit\) = (.*)", PREAMBLE).group(1)
    assert box.index("#unit") > box.index("box(") and "]" not in box[box.index("box("):box.index("#unit")].replace(
        "[#box", "")
    body = _student_body("failures", STUDENTS[0], SECRET, "2026-01-01", tmp_path)
    assert '#answer-field("stage", "")' in body and '#answer-field("time", "s")' in body
    assert '#answer-field("kind", "")' in body


def test_a_shared_figure_is_drawn_once_and_is_the_students_own(tmp_path, monkeypatch):
    """Students with the same variant share one drawing (drawn once), and a worksheet built from the
    shared params and figures is the one built from scratch, figure bytes included."""
    from cosmodrome.worksheets import _student_body, _student_params

    ex = exercises.get_exercise("visit-1")
    drawn = []
    real = ex.figure
    monkeypatch.setattr(ex, "figure", lambda p: drawn.append(p) or real(p))
    student = STUDENTS[0]
    (tmp_path / "alone").mkdir()
    alone = _student_body("visit", student, SECRET, "2026-01-01", tmp_path / "alone")
    params, figures = _student_params("visit", student, SECRET), {}
    (tmp_path / "shared").mkdir()
    first = _student_body("visit", student, SECRET, "2026-01-01", tmp_path / "shared", params=params, figures=figures)
    again = _student_body("visit", student, SECRET, "2026-01-01", tmp_path / "shared", params=params, figures=figures)
    assert alone == first == again
    assert len(drawn) == 2 and len(figures) == 1      # once alone, once for the two shared bodies
    name = f"fig-{student.student_id}-visit-1.svg"
    svgs = [(tmp_path / d / name).read_bytes() for d in ("alone", "shared")]
    assert [svg.count(b"<path") for svg in svgs][0] == [svg.count(b"<path") for svg in svgs][1] > 0


def test_every_document_is_written_when_typeset_in_parallel(tmp_path):
    """The compiles run on threads: every PDF is there, each holds its own student (not a neighbour's)."""
    students = [Student(f"s{i}", f"Student {i}") for i in range(5)]
    made = make_worksheets("rocket", students, tmp_path, secret=SECRET, date="2026-11-25")
    for s, sheet, key in zip(students, made["worksheets"], made["keys"], strict=True):
        assert sheet.name == f"{s.student_id}.pdf" and key.name == f"{s.student_id}-key.pdf"
        assert make_code(SECRET, "rocket", s.student_id) in _text(sheet)
        assert f"({s.student_id})" in _text(key) and "ANSWER KEY" in _text(key)
    assert len(pypdf.PdfReader(str(made["class_pack"])).pages) >= len(students)
