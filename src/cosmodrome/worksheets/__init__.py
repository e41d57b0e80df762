"""Printable worksheets and answer keys, typeset with Typst.

    cosmodrome worksheet --lesson staging --roster roster.csv --out worksheets/

writes, for every student on the roster, ``ID.pdf`` (name, id, date, the
student's own numbers, the lesson's formulas, figures where an exercise has
one, a box for each answer and room to work, and a code with its QR code) and
``ID-key.pdf`` (the reference answers with their tolerances, and the worked
solution: formula, the student's numbers, result with its unit), plus
``class-pack.pdf`` (every worksheet, for one print job) and ``class-key.pdf``.
The numbers are those the same student sees in the notebook: both come from
``Exercise.params(student, course secret)``. A sheet prints every number its
exercises need and no code; an exercise graded by running the answer in the
simulator (``Exercise.paper`` False) is left off, and the sheet says it is done
in the notebook (numbered as there).
"""

import datetime as _dt
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import _check, exercises
from . import typeset
from .code import make_code, parse_code

PAPERS = {"a4": "a4", "letter": "us-letter", "us-letter": "us-letter"}


def _answer_boxes(ex):
    """Typst for the answer's box: one box, its unit printed beside it (never inside, where a long
    label would fill it); a record gets one labelled box per field."""
    fields = ex.answer.sheet_fields()
    if fields:
        return " ".join(f"#answer-field({typeset.string(label)}, {typeset.string(unit)})" for label, unit in fields)
    return f"#answer-box({typeset.string(ex.answer.sheet_label)})"


def _qr_svg(path, text):
    import segno

    segno.make(text, error="m").save(str(path), kind="svg", scale=4, border=1)


def _figure_key(ex, params):
    """What a figure is drawn from: the exercise and its numbers (two students with the same
    variant share one drawing)."""
    return ex.id, ex.version, repr(sorted(params.items()))


def _figure_svg(ex, params, path, figures=None):
    """Write the exercise's figure for these params to ``path`` as SVG; False if it has none.
    ``figures`` (a dict) keeps each drawing's bytes by :func:`_figure_key`: a figure is drawn
    once per variant, however many students have it."""
    if getattr(ex, "figure", None) is None:
        return False
    key = _figure_key(ex, params)
    data = figures.get(key) if figures is not None else None
    if data is None:
        import io

        buf = io.BytesIO()
        fig = ex.figure(params)
        fig.savefig(buf, format="svg", bbox_inches="tight")
        data = buf.getvalue()
        if figures is not None:
            figures[key] = data
    path.write_bytes(data)
    return True


def _lesson_exercises(lesson):
    """The lesson's exercises in the notebook's order, numbered as there."""
    return list(enumerate((e for e in exercises.ALL if e.lesson == lesson), start=1))


def _student_params(lesson, student, secret):
    """Each paper exercise's params for one student, by exercise id: drawn once and shared by the
    worksheet, the key and the class key (some generators fly the simulator)."""
    return {ex.id: ex.params(student.student_id, secret) for _, ex in _lesson_exercises(lesson) if ex.paper}


def _notebook_note(lesson):
    """What the sheet says of the lesson's notebook-only exercises ('' if none), by their
    numbers in the notebook."""
    nums = [str(k) for k, e in enumerate((e for e in exercises.ALL if e.lesson == lesson), start=1) if not e.paper]
    if not nums:
        return ""
    if len(nums) == 1:
        return (f"Exercise {nums[0]} is done in the notebook, not on paper: it is graded by running the answer in "
                "the simulator.")
    listed = ", ".join(nums[:-1]) + " and " + nums[-1]
    return (f"Exercises {listed} are done in the notebook, not on paper: they are graded by running the answers in "
            "the simulator.")


def _student_body(lesson, student, secret, date, root, key=False, *, params=None, figures=None):
    """Typst markup for one student's worksheet (or answer key). ``params`` (by exercise id, as
    :func:`_student_params` gives) and ``figures`` (see :func:`_figure_svg`) may be shared between
    calls so that nothing is computed or drawn twice."""
    if params is None:
        params = _student_params(lesson, student, secret)
    code = make_code(secret, lesson, student.student_id)
    qr = root / f"qr-{student.student_id}.svg"
    if not qr.exists():
        _qr_svg(qr, code)
    title = exercises.lesson(lesson).title
    who = f"{student.name} ({student.student_id})"
    parts = [f"#current-student.update({typeset.string(who)})",
             "#grid(columns: (1fr, 2.6cm), gutter: 8pt,",
             f"  [#text(size: 16pt, weight: \"bold\")[{typeset.escape(title)}{' — ANSWER KEY' if key else ''}]\n\n"
             f"   *Name:* {typeset.escape(student.name)} #h(1em) "
             f"*Student id:* #raw({typeset.string(student.student_id)})"
             f" #h(1em) *Date:* {typeset.escape(date)}\n\n"
             f"   #text(size: 9pt)[Worksheet code: #raw({typeset.string(code)}) "
             "— your teacher types it with your answers.]],",
             f"  image({typeset.string(qr.name)}, width: 2.5cm))",
             "#v(4pt)"]
    if key:
        parts.append("#text(fill: rgb(\"#a00000\"))[*For the teacher.* Accepted answers and tolerances, computed by "
                     "the same checker that marks notebooks and paper answers.]\n")
    else:
        parts.append(typeset.formulas_block(exercises.lesson(lesson).formulas))
        parts.append("Write each final answer in its box, with the unit shown. Show your working below each "
                     "exercise.\n")
    notebook_only = _notebook_note(lesson)
    if notebook_only:
        parts.append(f"#text(style: \"italic\")[{typeset.escape(notebook_only)}]\n")
    for k, ex in _lesson_exercises(lesson):
        if not ex.paper:
            continue            # graded by flying it in the simulator: the notebook's, numbered as there
        p = params[ex.id]
        rendered = ex.render(p)
        prompt = typeset.markdown_to_typst(rendered)
        breakable = "true" if typeset.is_long(rendered) else "false"
        fig = root / f"fig-{student.student_id}-{ex.id}.svg"
        has_fig = _figure_svg(ex, p, fig, figures) if not key else False
        body = [f"=== {k}. {typeset.escape(ex.title)} #h(1fr) "
                f"#text(size: 8pt, fill: luma(110))[#raw({typeset.string(ex.id)})]",
                prompt]
        if has_fig:
            body.append(f"#align(center)[#image({typeset.string(fig.name)}, width: 55%)]")
        if key:
            body.append(f"#block(fill: rgb(\"#eef6ee\"), inset: 6pt, width: 100%)[*Answer:* "
                        f"{typeset.escape(ex.reference_text(p))}]")
            working = ex.working(p) if ex.working is not None else ""
            if working:
                body.append(f"#block(inset: (x: 6pt, y: 2pt), width: 100%)[#set par(justify: false)\n"
                            f"#text(size: 9.5pt)[*Working:* {typeset.escape(working)}]]")
            parts.append(f"#block(breakable: {breakable}, below: 10pt)[" + "\n".join(body) + "]")
        else:
            room = f"{ex.answer.sheet_room_cm:g}cm"
            body.append(f"#v(4pt) *Answer:* {_answer_boxes(ex)}")
            parts.append(f"#block(breakable: {breakable})[" + "\n".join(body) + f"]\n#v({room})")
    return "\n".join(parts)


def _document(lesson, paper, kind, bodies):
    number, lesson_title = exercises.lesson_number(lesson), exercises.lesson(lesson).title
    pre = typeset.PREAMBLE.format(title=typeset.string(f"cosmodrome lesson {number} {kind}"),
                                  paper=typeset.string(paper), number=number,
                                  lesson_title=typeset.escape(lesson_title), kind=typeset.escape(kind))
    joined = "\n#pagebreak()\n#counter(page).update(1)\n".join(bodies)
    return pre + "\n" + joined


def _class_key_table(lesson, students, secret, params=None):
    """The class's answers, a row per student; ``params`` (a list, one :func:`_student_params`
    per student) saves drawing them again."""
    exs = [e for e in exercises.ALL if e.lesson == lesson and e.paper]
    if params is None:
        params = [_student_params(lesson, s, secret) for s in students]
    head = ", ".join(["[*student*]"] + [f"[*{typeset.escape(e.id)}*]" for e in exs])
    rows = []
    for s, ps in zip(students, params, strict=True):
        cells = [f"[{typeset.escape(s.name)} \\ #raw({typeset.string(s.student_id)})]"]
        for e in exs:
            cells.append(f"[{typeset.escape(e.reference_text(ps[e.id]))}]")
        rows.append(", ".join(cells))
    return (f"#text(size: 14pt, weight: \"bold\")[Class answer key]\n\n"
            f"#set text(size: 7pt)\n#table(columns: {len(exs) + 1}, inset: 3pt, stroke: 0.4pt + luma(150), {head},\n"
            + ",\n".join(rows) + ")")


#: Typst compiles run on this many threads (Typst releases the GIL), while Python draws the figures
#: and the next students' documents: two, for a two-core machine
COMPILE_THREADS = 2


class _Compilers:
    """One ``typst.Compiler`` per thread, kept for every document of a class: its fonts are loaded
    once (a ``Compiler`` is not shared between threads: a compile borrows it mutably)."""

    def __init__(self, root):
        self.root = Path(root)
        self._local = threading.local()

    def compile(self, source, name):
        import typst

        compiler = getattr(self._local, "compiler", None)
        if compiler is None:
            compiler = self._local.compiler = typst.Compiler(root=str(self.root))
        main = self.root / f"{name}.typ"
        main.write_text(source, encoding="utf-8")
        return compiler.compile(input=str(main))


def _write(path, data):
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def make_worksheets(lesson, students, out_dir, *, paper="a4", secret=None, date=None):
    """Write every student's worksheet and key, the class pack and the class key.
    Returns a dict of the paths written."""
    exercises.lesson(lesson)  # a ValueError names the known lessons
    paper = _check.lookup("paper", paper, PAPERS)
    secret = secret or exercises.course_secret()
    date = date or _dt.date.today().isoformat()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {"worksheets": [], "keys": []}
    with tempfile.TemporaryDirectory(prefix="cosmodrome-sheets-") as tmp, \
            ThreadPoolExecutor(COMPILE_THREADS, thread_name_prefix="typst") as pool:
        root = Path(tmp)
        compilers = _Compilers(root)

        def typeset_to(source, name, path):
            _write(path, compilers.compile(source, name))

        jobs = []
        sheets, keys, all_params = [], [], []
        figures: dict[tuple, bytes] = {}
        try:
            for s in students:
                params = _student_params(lesson, s, secret)
                all_params.append(params)
                sheet = _student_body(lesson, s, secret, date, root, params=params, figures=figures)
                key = _student_body(lesson, s, secret, date, root, key=True, params=params)
                sheets.append(sheet)
                keys.append(key)
                for body, kind, suffix, bucket in ((sheet, "worksheet", "", "worksheets"),
                                                   (key, "answer key", "-key", "keys")):
                    path = out_dir / f"{s.student_id}{suffix}.pdf"
                    # typeset while Python goes on with the next student
                    jobs.append(pool.submit(typeset_to, _document(lesson, paper, kind, [body]),
                                            f"{s.student_id}{suffix}", path))
                    written[bucket].append(path)
            jobs.append(pool.submit(typeset_to, _document(lesson, paper, "class pack", sheets), "class-pack",
                                    out_dir / "class-pack.pdf"))
            table = _class_key_table(lesson, students, secret, all_params)
            jobs.append(pool.submit(typeset_to, _document(lesson, paper, "class answer key", [table] + keys),
                                    "class-key", out_dir / "class-key.pdf"))
            for job in jobs:
                job.result()            # the first error (in order) is raised
        finally:
            for job in jobs:
                job.cancel()            # after an error, what has not started does not start
    written["class_pack"] = out_dir / "class-pack.pdf"
    written["class_key"] = out_dir / "class-key.pdf"
    return written


__all__ = ["make_worksheets", "make_code", "parse_code"]
