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


def _figure_svg(ex, params, path):
    if getattr(ex, "figure", None) is None:
        return False
    fig = ex.figure(params)
    fig.savefig(str(path), format="svg", bbox_inches="tight")
    return True


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


def _student_body(lesson, student, secret, date, root, key=False):
    """Typst markup for one student's worksheet (or answer key)."""
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
    for k, ex in enumerate((e for e in exercises.ALL if e.lesson == lesson), start=1):
        if not ex.paper:
            continue            # graded by flying it in the simulator: the notebook's, numbered as there
        params = ex.params(student.student_id, secret)
        rendered = ex.render(params)
        prompt = typeset.markdown_to_typst(rendered)
        breakable = "true" if typeset.is_long(rendered) else "false"
        fig = root / f"fig-{student.student_id}-{ex.id}.svg"
        has_fig = _figure_svg(ex, params, fig) if not key else False
        body = [f"=== {k}. {typeset.escape(ex.title)} #h(1fr) "
                f"#text(size: 8pt, fill: luma(110))[#raw({typeset.string(ex.id)})]",
                prompt]
        if has_fig:
            body.append(f"#align(center)[#image({typeset.string(fig.name)}, width: 55%)]")
        if key:
            body.append(f"#block(fill: rgb(\"#eef6ee\"), inset: 6pt, width: 100%)[*Answer:* "
                        f"{typeset.escape(ex.reference_text(params))}]")
            working = ex.working(params) if ex.working is not None else ""
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


def _class_key_table(lesson, students, secret):
    exs = [e for e in exercises.ALL if e.lesson == lesson and e.paper]
    head = ", ".join(["[*student*]"] + [f"[*{typeset.escape(e.id)}*]" for e in exs])
    rows = []
    for s in students:
        cells = [f"[{typeset.escape(s.name)} \\ #raw({typeset.string(s.student_id)})]"]
        for e in exs:
            cells.append(f"[{typeset.escape(e.reference_text(e.params(s.student_id, secret)))}]")
        rows.append(", ".join(cells))
    return (f"#text(size: 14pt, weight: \"bold\")[Class answer key]\n\n"
            f"#set text(size: 7pt)\n#table(columns: {len(exs) + 1}, inset: 3pt, stroke: 0.4pt + luma(150), {head},\n"
            + ",\n".join(rows) + ")")


def _compile(source, root, name):
    import typst

    main = root / f"{name}.typ"
    main.write_text(source, encoding="utf-8")
    return typst.compile(str(main), root=str(root))


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
    with tempfile.TemporaryDirectory(prefix="cosmodrome-sheets-") as tmp:
        root = Path(tmp)
        sheets, keys = [], []
        for s in students:
            sheet = _student_body(lesson, s, secret, date, root)
            key = _student_body(lesson, s, secret, date, root, key=True)
            sheets.append(sheet)
            keys.append(key)
            for body, kind, suffix, bucket in ((sheet, "worksheet", "", "worksheets"),
                                               (key, "answer key", "-key", "keys")):
                pdf = _compile(_document(lesson, paper, kind, [body]), root, f"{s.student_id}{suffix}")
                path = out_dir / f"{s.student_id}{suffix}.pdf"
                _write(path, pdf)
                written[bucket].append(path)
        pack = _compile(_document(lesson, paper, "class pack", sheets), root, "class-pack")
        _write(out_dir / "class-pack.pdf", pack)
        table = _class_key_table(lesson, students, secret)
        ckey = _compile(_document(lesson, paper, "class answer key", [table] + keys), root, "class-key")
        _write(out_dir / "class-key.pdf", ckey)
    written["class_pack"] = out_dir / "class-pack.pdf"
    written["class_key"] = out_dir / "class-key.pdf"
    return written


__all__ = ["make_worksheets", "make_code", "parse_code"]
