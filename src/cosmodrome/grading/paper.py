"""Grading answers written on paper worksheets, typed into a CSV.

The CSV has the columns ``code, exercise, answer`` (one row per answer; the code
is printed on the student's worksheet). Each answer is marked by the same
checker as a notebook's, with the numbers of the student the code names, and
the results go into the same gradebook files, next to any notebook grades
already there. A row that cannot be used stops
the run with an error naming the row, before anything is written.
"""

import csv
import os
from pathlib import Path
from typing import Any

from .. import exercises
from ..worksheets.code import parse_code
from . import gradebook
from .task import mark


def read_answers(csv_path, secret):
    """(lesson, {student_id: {exercise_id: answer}}, notes) from a typed-in CSV."""
    path = Path(csv_path)
    if not path.is_file():
        raise FileNotFoundError(f"answers file {str(path)!r} not found")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = {(h or "").strip().lower(): h for h in (reader.fieldnames or [])}
        missing = [c for c in ("code", "exercise", "answer") if c not in header]
        if missing:
            raise ValueError(f"{path.name}: the header must have the columns code, exercise, answer "
                             f"(missing {', '.join(missing)}; got {reader.fieldnames})")
        lesson, first_row = None, None
        answers: dict[str, Any] = {}
        notes: list[str] = []
        for row_no, row in enumerate(reader, start=2):
            code = (row.get(header["code"]) or "").strip()
            eid = (row.get(header["exercise"]) or "").strip().lower()
            text = (row.get(header["answer"]) or "").strip()
            if not code and not eid and not text:
                continue
            try:
                row_lesson, student = parse_code(secret, code)
            except ValueError as exc:
                raise ValueError(f"{path.name} row {row_no}: {exc}") from None
            if lesson is None:
                lesson, first_row = row_lesson, row_no
            elif row_lesson != lesson:
                raise ValueError(f"{path.name} row {row_no}: code {code!r} is for lesson {row_lesson!r} but row "
                                 f"{first_row} is for {lesson!r}; grade one lesson per file")
            ids = [e.id for e in exercises.ALL if e.lesson == lesson]
            if eid not in ids:
                raise ValueError(f"{path.name} row {row_no}: exercise {eid!r} is not in lesson {lesson!r} "
                                 f"(its exercises: {', '.join(ids)})")
            if not exercises.EXERCISES[eid].paper:
                raise ValueError(f"{path.name} row {row_no}: exercise {eid!r} is done in the notebook, not on "
                                 "paper (it is not on the worksheets); grade it with `cosmodrome grade`")
            if not text:
                raise ValueError(f"{path.name} row {row_no}: the answer is empty (leave the row out if the "
                                 "student gave none)")
            mine = answers.setdefault(student, {})
            if eid in mine:
                notes.append(f"{path.name} row {row_no}: a second answer for {student} {eid}; the later one counts")
            ex = exercises.EXERCISES[eid]
            mine[eid] = ex.answer.from_paper(text)
    if lesson is None:
        raise ValueError(f"{path.name} has no answers")
    return lesson, answers, notes


def _on_paper(items):
    """The marks of the exercises that are on the worksheets: a paper record is out of
    what the sheet asks (notebook-only exercises are left off paper)."""
    return {k: v for k, v in items.items() if exercises.EXERCISES[k].paper}


def grade_paper(csv_path: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                roster: str | os.PathLike[str] | None = None, secret: str | None = None) -> dict[str, Any]:
    """Mark a CSV of paper answers into the gradebook in ``out_dir``; returns a summary.

    Several CSVs (one per class set, or a corrected one) can be graded into one
    folder: a student's paper record is replaced only by a later CSV that has
    answers for them. Notebook grades already in the folder stay, and a student
    graded both ways counts with the higher score (``gradebook.merge``).
    """
    from .submission import read_roster

    secret = secret or exercises.course_secret()
    lesson, answers, notes = read_answers(csv_path, secret)
    names = {s.student_id: s.name for s in read_roster(roster)} if roster else {}
    ids = [e.id for e in exercises.ALL if e.lesson == lesson]
    fresh = []
    for sid, given in sorted(answers.items()):
        items = _on_paper(mark(lesson, sid, given, secret))
        fresh.append({"student_id": sid, "name": names.get(sid, sid), "file": Path(csv_path).name,
                      "status": "graded (paper)", "isolation": "paper", "lesson": lesson, "source": "paper",
                      "reasons": [n.split(": ", 1)[1] for n in notes if f" {sid} " in n],
                      "exercises": items, "total": round(sum(i["score"] for i in items.values()), 4),
                      "max": sum(i["points"] for i in items.values())})
    with gradebook.locked(out_dir):
        gradebook.check_lesson(out_dir, lesson)
        records = gradebook.saved_records(out_dir, lesson, "paper")
        for rec in fresh:
            if rec["student_id"] in records and rec["name"] == rec["student_id"]:
                rec["name"] = records[rec["student_id"]]["name"]      # keep a name an earlier roster gave
            gradebook.save_record(out_dir, rec)
            records[rec["student_id"]] = rec
        for sid, name in names.items():
            if sid not in records:
                items = _on_paper(mark(lesson, sid, {}, secret))
                records[sid] = {"student_id": sid, "name": name, "file": None, "status": "missing",
                                "isolation": "paper", "lesson": lesson, "source": "paper",
                                "reasons": ["no paper answers for this student yet"], "exercises": items,
                                "total": 0.0, "max": sum(i["points"] for i in items.values())}
                gradebook.save_record(out_dir, records[sid])     # a later notebook run still lists them
        gradebook.write_gradebook(out_dir, lesson, ids, records.values(),
                                  {"source": "paper", "answers_file": str(csv_path),
                                   "grader_version": gradebook.GRADER_VERSION},
                                  gradebook.saved_records(out_dir, lesson, "notebook"))
    return {"lesson": lesson, "records": sorted(records.values(), key=lambda r: r["student_id"].lower()),
            "notes": notes}
