"""The gradebook: one record per student, kept so that nothing is lost.

Each finished submission's record is written at once to ``state/ID.json``
(atomically: a temporary file in the same folder, fsync, rename), so an
interrupted run keeps everything graded so far, and a re-run re-uses every record
whose key (submission hash, lesson, exercise versions, course, limits, grader
version) is unchanged. Paper answers (``grading.paper``) keep their records in
``state/paper/ID.json``, so one folder holds a whole class however each student
handed in: ``gradebook.csv``, ``gradebook.json`` and ``feedback/ID.md`` are
rebuilt, also atomically, from both kinds of record (see :func:`merge`). A folder
holds one lesson; grading another lesson into it is refused, not overwritten.
"""

import csv
import fcntl
import hashlib
import io
import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .similarity import copy_flags
from .summary import class_summary, summary_markdown

GRADER_VERSION = 2


def atomic_write(path, text):
    """Write ``text`` (str, or bytes such as a PNG) to ``path`` so a reader sees the old or the new file,
    never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def locked(out_dir):
    """Hold an exclusive lock on the gradebook folder (one grader at a time)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another grader is writing to {str(out_dir)!r}; wait for it to finish") from None
        yield


def task_key(sha256, lesson, exercise_versions, secret, limits, isolation, rules=None):
    """What a record depends on: if none of it changed, the record is re-used."""
    text = json.dumps([GRADER_VERSION, sha256, lesson, exercise_versions,
                       hashlib.sha256(secret.encode()).hexdigest(), limits, isolation, rules], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


SOURCES = ("notebook", "paper")


def _state_dir(out_dir, source="notebook"):
    state = Path(out_dir) / "state"
    return state if source == "notebook" else state / source


def _state_path(out_dir, student_id, source="notebook"):
    return _state_dir(out_dir, source) / f"{student_id}.json"


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def check_lesson(out_dir, lesson):
    """Refuse to grade ``lesson`` into a folder that holds another lesson's gradebook."""
    out_dir = Path(out_dir)
    found = set()
    book = _read_json(out_dir / "gradebook.json")
    if isinstance(book, dict) and book.get("lesson"):
        found.add(book["lesson"])
    for source in SOURCES:
        found |= {r.get("lesson") for r in saved_records(out_dir, None, source).values()} - {None}
    found.discard(lesson)
    if found:
        raise ValueError(f"the gradebook folder {str(out_dir)!r} holds lesson {sorted(found)[0]!r}; grade lesson "
                         f"{lesson!r} into another folder (one folder per lesson, so no grade is overwritten)")


def saved_records(out_dir, lesson, source):
    """{student_id: record} saved in ``out_dir`` by ``source`` ("notebook" or "paper")
    for ``lesson`` (None: any lesson)."""
    folder = _state_dir(out_dir, source)
    records = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        rec = _read_json(path)
        if (isinstance(rec, dict) and isinstance(rec.get("student_id"), str) and path.stem == rec["student_id"]
                and (lesson is None or rec.get("lesson") == lesson)):
            records[rec["student_id"]] = rec
    return records


def source_of(record):
    """How the work was handed in: "notebook" or "paper" (records saved before this was noted are notebooks)."""
    return record.get("source", "notebook")


def merge(records, others):
    """One row per student from this run's ``records`` and the ``others`` saved by
    the other way of handing in. A student with work in only one counts with it;
    with work in both, the higher total counts and the other is named in the
    reasons (a teacher sees both); a student with none stays "missing"."""
    rows = {r["student_id"]: r for r in records}
    for sid, other in others.items():
        mine = rows.get(sid)
        if mine is None:
            rows[sid] = other
            continue
        if other.get("status") == "missing":
            continue
        if mine.get("status") == "missing":
            rows[sid] = other
            continue
        best, second = (mine, other) if mine.get("total", 0) >= other.get("total", 0) else (other, mine)
        note = (f"also graded from {source_of(second)} ({second.get('file') or 'no file'}): "
                f"{second.get('total', 0):g} / {second.get('max', 0):g}; the higher score counts")
        rows[sid] = {**best, "reasons": [*best.get("reasons", []), note]}
    return list(rows.values())


def load_record(out_dir, student_id, key):
    """The saved notebook record for ``student_id`` if it was made with ``key``, else None."""
    rec = _read_json(_state_path(out_dir, student_id))
    return rec if isinstance(rec, dict) and key is not None and rec.get("key") == key else None


def save_record(out_dir, record):
    """Keep ``record`` in ``state/`` (``state/paper/`` for a paper record)."""
    atomic_write(_state_path(out_dir, record["student_id"], source_of(record)), json.dumps(record, indent=1))


def _csv_text(rows, exercise_ids, flags):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student_id", "name", *exercise_ids, "total", "max", "status", "tries", "reasons", "flags"])
    for r in rows:
        ex = r.get("exercises", {})
        w.writerow([r["student_id"], _csv_safe(r["name"]),
                    *(f"{ex[e]['score']:g}" if e in ex else "" for e in exercise_ids),
                    f"{r.get('total', 0):g}", f"{r.get('max', 0):g}", r["status"],
                    " ".join(str(ex[e].get("tries", "")) if e in ex else "" for e in exercise_ids),
                    _csv_safe("; ".join(r.get("reasons", []))), _csv_safe("; ".join(flags.get(r["student_id"], [])))])
    return buf.getvalue()


def teacher_flags(rows):
    """{student_id: [flag]} for the teacher: copying between notebooks, the teacher's
    solutions in a notebook (see ``similarity``). Never shown to students; scores unchanged."""
    flags = {r["student_id"]: list(r.get("flags") or []) for r in rows}
    for sid, more in copy_flags(rows).items():
        flags[sid] += more
    return {sid: f for sid, f in flags.items() if f}


def _csv_safe(text):
    """Neutralise spreadsheet formulas (a cell starting with = + - @)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _md_escape(text):
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", str(text))


def feedback_markdown(record, lesson):
    lines = [f"# {lesson}: feedback for {_md_escape(record['name'])} ({record['student_id']})", "",
             f"**Score: {record.get('total', 0):g} / {record.get('max', 0):g}** ({record['status']})", ""]
    if record.get("reasons"):
        lines += ["## What happened when your notebook ran", ""]
        lines += [f"- {_md_escape(r)}" for r in record["reasons"]] + [""]
    lines += ["## Exercises", "", "| exercise | score | tries | feedback |", "|---|---|---|---|"]
    for ex_id, item in record.get("exercises", {}).items():
        text = _md_escape(item["message"]) + (f" Hint: {_md_escape(item['hint'])}" if item.get("hint") else "")
        lines.append(f"| {ex_id} | {item['score']:g} / {item['points']:g} | {item.get('tries', '')} | {text} |")
    return "\n".join(lines) + "\n"


SUMMARY_FIGURE = "class-summary.png"


def write_gradebook(out_dir, lesson, exercise_ids, records, meta, others=None, final=True):
    """Rebuild gradebook.csv, gradebook.json (with the class summary) and feedback/*.md from ``records``
    merged with ``others`` (the other source's saved records, see :func:`merge`); when ``final`` (the
    last write of a run) also the teacher's page of the summary, summary.md, and its figure. The grader
    rewrites the book after each submission, and writes the summary page once at the end."""
    out_dir = Path(out_dir)
    rows = sorted(merge(records, others or {}), key=lambda r: r["student_id"].lower())
    flags = teacher_flags(rows)
    summary = class_summary(rows, exercise_ids)
    atomic_write(out_dir / "gradebook.csv", _csv_text(rows, exercise_ids, flags))
    atomic_write(out_dir / "gradebook.json", json.dumps({**meta, "lesson": lesson, "exercises": exercise_ids,
                                                         "students": rows, "flags": flags, "summary": summary},
                                                        indent=1))
    for r in rows:
        atomic_write(out_dir / "feedback" / f"{r['student_id']}.md", feedback_markdown(r, lesson))
    if final:
        atomic_write(out_dir / "summary.md", summary_markdown(lesson, summary, SUMMARY_FIGURE))
        _write_summary_figure(out_dir / SUMMARY_FIGURE, lesson, summary)


def _write_summary_figure(path, lesson, summary):
    from ..plot import class_summary as draw

    png = io.BytesIO()
    draw(summary, title=f"{lesson}: what the class got wrong").savefig(png, format="png", dpi=110)
    atomic_write(path, png.getvalue())
