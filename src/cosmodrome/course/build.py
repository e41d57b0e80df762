"""``cosmodrome course build``: the whole course, built and linked from one page.

Parts, each of which may fail without hiding the others:

1. the short tour (the visit's two questions answered, the sites table and figure);
2. every lesson executed, teacher and student copies, rendered to HTML with its
   figures, and the student copies as notebooks to hand out;
3. worksheets and answer keys (PDF) for the demo roster, every lesson with exercises;
4. the demo submissions graded in the sandbox, with the gradebook;
5. ``index.html`` linking all of it, with the gradebook as a table and a line for
   each part that failed, saying which and why.
"""

import html
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from .. import exercises
from .._data import data_dir, lessons_dir as bundled_lessons_dir
from .release import lesson_paths, student_copy

PARTS = ("tour", "lessons", "worksheets", "grading")


def _execute(nb, workdir, student):
    from nbclient import NotebookClient

    env = dict(os.environ, COSMODROME_STUDENT=student, MPLBACKEND="module://matplotlib_inline.backend_inline")
    NotebookClient(nb, timeout=120, kernel_name="python3", shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(workdir)}}).execute(env=env, stderr=subprocess.DEVNULL)
    return nb


def _to_html(nb, title):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def build_tour(out):
    from ..tour import write_tour

    paths = write_tour(out / "tour")
    return [("The tour: Kim's two questions answered", "tour/index.html")] + [
        (p.name, f"tour/{p.name}") for p in paths if p.suffix in (".csv", ".png")]


def build_lessons(out, lessons_dir, student="demo-student"):
    import nbformat

    links = []
    for path in lesson_paths(lessons_dir):
        teacher = nbformat.read(path, as_version=4)
        student_nb = student_copy(teacher, path.name)
        (out / "lessons" / "student").mkdir(parents=True, exist_ok=True)
        (out / "lessons" / "teacher").mkdir(parents=True, exist_ok=True)
        nbformat.write(student_nb, out / "lessons" / "student" / path.name)
        for kind, nb in (("teacher", teacher), ("student", student_nb)):
            done = _execute(nb, path.parent, student)
            page = out / "lessons" / kind / (path.stem + ".html")
            page.write_text(_to_html(done, path.stem), encoding="utf-8")
        title = teacher.metadata.get("title", path.stem)
        links.append((title, f"lessons/teacher/{path.stem}.html", f"lessons/student/{path.stem}.html",
                      f"lessons/student/{path.name}"))
    return links


def build_worksheets(out, roster):
    from ..grading.submission import read_roster
    from ..worksheets import make_worksheets

    students = read_roster(roster)
    links = []
    for lesson in exercises.LESSONS:
        w = make_worksheets(lesson, students, out / "worksheets" / lesson)
        links.append((lesson, f"worksheets/{lesson}/class-pack.pdf", f"worksheets/{lesson}/class-key.pdf",
                      [(s.student_id, f"worksheets/{lesson}/{p.name}")
                       for s, p in zip(students, w["worksheets"], strict=True)]))
    return links


def build_grading(out, submissions, roster, isolation="auto"):
    from ..grading import Limits, grade_class

    results = []
    for folder in sorted(p for p in Path(submissions).iterdir() if p.is_dir()):
        lesson = folder.name
        summary = grade_class(folder, lesson, roster, out / "gradebook" / lesson, isolation=isolation,
                              limits=Limits(cell_timeout_s=20, notebook_timeout_s=90), progress=False)
        results.append((lesson, summary))
    return results


def _table(headers, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _mistakes_html(folder, lesson):
    """The class summary's most common mistakes and its figure, for the index page."""
    from ..grading.summary import ranked_mistakes

    e = html.escape
    try:
        summary = json.loads((folder / "gradebook.json").read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError):
        return ""
    ranked = ranked_mistakes(summary)
    items = "".join(f"<li><b>{e(s['exercise'])}</b>: {m['touched']} of {s['students']} made the mistake "
                    f"<code>{e(m['name'])}</code> — {e(m['hint'])}</li>" for m, s in ranked[:5])
    return (f"<h3>What the class got wrong (for the next lesson)</h3><ul>{items or '<li>no known mistake</li>'}</ul>"
            f"<p><img src='gradebook/{e(lesson)}/class-summary.png' alt='right, each known mistake, other wrong "
            f"answers and nothing handed in, per exercise' style='max-width:100%'></p>")


def write_index(out, parts, failures, seconds):
    e = html.escape
    sec = []
    if failures:
        items = "".join(f"<li><b>{e(name)}</b> failed: {e(msg)}</li>" for name, msg in failures)
        sec.append(f"<div class='fail'><h2>Parts that failed</h2><ul>{items}</ul>"
                   "<p>Everything else below was built.</p></div>")
    if "tour" in parts:
        sec.append("<h2>Start here</h2><ul>"
                   + "".join(f"<li><a href='{e(h)}'>{e(t)}</a></li>" for t, h in parts["tour"]) + "</ul>")
    if "lessons" in parts:
        rows = [[e(t), f"<a href='{e(a)}'>teacher copy</a>", f"<a href='{e(b)}'>student copy</a>",
                 f"<a href='{e(c)}'>notebook to hand out</a>"] for t, a, b, c in parts["lessons"]]
        sec.append("<h2>Lessons</h2><p>Executed top to bottom; the teacher copies hold the solutions.</p>"
                   + _table(["lesson", "", "", ""], rows))
    if "worksheets" in parts:
        rows = []
        for lesson, pack, key, per in parts["worksheets"]:
            sheets = ", ".join(f"<a href='{e(h)}'>{e(s)}</a>" for s, h in per)
            rows.append([e(lesson), f"<a href='{e(pack)}'>class pack</a>", f"<a href='{e(key)}'>class key</a>", sheets])
        sec.append("<h2>Worksheets (demo roster)</h2>" + _table(["lesson", "print", "key", "per student"], rows))
    if "grading" in parts:
        for lesson, summary in parts["grading"]:
            ids = [x.id for x in exercises.ALL if x.lesson == lesson]
            rows = []
            for r in summary["records"]:
                fb = f"gradebook/{lesson}/feedback/{r['student_id']}.md"
                rows.append([e(r["name"]), *(f"{r['exercises'][i]['score']:g}" for i in ids),
                             f"<b>{r['total']:g} / {r['max']:g}</b>", e(r["status"]),
                             e("; ".join(r["reasons"])[:300]), f"<a href='{e(fb)}'>feedback</a>"])
            sec.append(f"<h2>Gradebook: lesson {e(lesson)} (demo submissions, {e(summary['isolation'])} sandbox)</h2>"
                       f"<p><a href='gradebook/{e(lesson)}/gradebook.csv'>gradebook.csv</a> · "
                       f"<a href='gradebook/{e(lesson)}/gradebook.json'>gradebook.json</a> · "
                       f"<a href='gradebook/{e(lesson)}/summary.md'>what the class got wrong</a></p>"
                       + _table(["student", *ids, "total", "status", "what happened", ""], rows)
                       + _mistakes_html(out / "gradebook" / lesson, lesson))
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cosmodrome course</title>
<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}
td,th{{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}}
th{{background:#eee}}
.fail{{background:#fdecea;border:1px solid #e0a0a0;padding:.5rem 1rem;margin:1rem 0}}</style></head>
<body><h1>cosmodrome: the course</h1>
<p>Orbital mechanics and rocket launch through Vostochny and Sohae.
Built by <code>make course</code> in {seconds:.0f} s.</p>
{''.join(sec)}</body></html>"""
    (out / "index.html").write_text(page, encoding="utf-8")


def build_course(out_dir: str | os.PathLike[str], *, lessons_dir: str | os.PathLike[str] | None = None,
                 roster: str | os.PathLike[str] | None = None, submissions: str | os.PathLike[str] | None = None,
                 isolation: str = "auto", progress: bool = True) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Build every part into ``out_dir``; returns (parts, failures)."""
    from tqdm import tqdm

    t0 = time.monotonic()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lessons_dir = Path(lessons_dir or bundled_lessons_dir(required=True))
    roster = Path(roster or data_dir() / "demo" / "roster.csv")
    submissions = Path(submissions or data_dir() / "demo" / "submissions")
    steps = [("tour", lambda: build_tour(out)),
             ("lessons", lambda: build_lessons(out, lessons_dir)),
             ("worksheets", lambda: build_worksheets(out, roster)),
             ("grading", lambda: build_grading(out, submissions, roster, isolation))]
    parts, failures = {}, []
    bar = tqdm(steps, desc="course", unit="part", file=sys.stderr, disable=not progress)
    for name, step in bar:
        bar.set_postfix_str(name)
        try:
            parts[name] = step()
        except Exception as exc:  # one part failing must not hide the others
            failures.append((name, f"{type(exc).__name__}: {exc}"))
            (out / f"{name}-error.txt").write_text(traceback.format_exc(), encoding="utf-8")
    write_index(out, parts, failures, time.monotonic() - t0)
    return parts, failures
