"""The class grader: every submitted notebook run boxed, marked, and written down.

    from cosmodrome.grading import grade_class
    summary = grade_class("submissions/", "staging", "roster.csv", "gradebook/")

or ``cosmodrome grade submissions/ --lesson staging --roster roster.csv --out gradebook/``.
Each submission runs in its own sandbox (see ``sandbox``) with a fresh kernel;
its answers are marked in this process against reference answers recomputed for
the roster's student id; records are saved as they finish (see ``gradebook``).
"""

import hashlib
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from .. import _check, exercises
from ..exercises import attempts
from . import gradebook, sandbox, untrusted
from .sandbox import Limits
from .submission import Rejected, find_submissions, not_regular_reason, read_roster
from .task import grade_one


def read_submission(found, limit):
    """(sha256 hex, bytes) of a student's file, or raise ``Rejected`` with the reason.

    Opened relative to its folder without following links or blocking, checked to
    be a regular file, and its size checked (fstat) before a byte is hashed."""
    if found.problem:
        raise Rejected(found.problem)
    folder_fd = untrusted.open_folder(found.folder)
    try:
        parts = found.name.split("/")
        for part in parts[:-1]:                      # a student's own folder ID/
            inner = untrusted.open_folder_at(part, folder_fd)
            os.close(folder_fd)
            folder_fd = inner
        data = untrusted.read_regular(parts[-1], limit, folder_fd)
    except untrusted.TooLarge as exc:
        raise Rejected(f"the file is {exc.size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB") from None
    except untrusted.NotRegular as exc:
        raise Rejected(not_regular_reason([f"{found.name} is {exc.kind}"])) from None
    except OSError as exc:
        raise Rejected(f"the file could not be read ({exc.strerror})") from None
    finally:
        os.close(folder_fd)
    return hashlib.sha256(data).hexdigest(), data


def build_tasks(submissions_dir, lesson, students, out_dir, limits, isolation, secret, rules=None):
    """One task per student with a submission; saved records whose key is unchanged
    are returned as done. Returns (tasks, done records, unmatched names, ambiguous names)."""
    found, unmatched, ambiguous = find_submissions(submissions_dir, students)
    versions = {e.id: e.version for e in exercises.ALL if e.lesson == lesson}
    tasks, done = [], []
    for s in students:
        base = {"student_id": s.student_id, "name": s.name, "lesson": lesson, "secret": secret,
                "limits": limits.as_dict(), "isolation": isolation, **(rules or {})}
        if s.student_id not in found:
            theirs = [n for n, ids in ambiguous.items() if s.student_id in ids]
            if theirs:
                others = sorted(set(i for n in theirs for i in ambiguous[n]) - {s.student_id})
                rec = grade_one({**base, "file": untrusted.printable(theirs[0]), "rejected": (
                    f"the file {untrusted.printable(theirs[0])} could be this student's or "
                    f"{', '.join(repr(o) for o in others)}'s, so it was not graded: name it ID.ipynb "
                    "with the exact student id")})
            else:
                rec = dict(grade_one({**base, "rejected": "no submission was found"}), status="missing")
            done.append(rec)
            continue
        item = found[s.student_id]
        note = [item.note] if item.note else []
        try:
            digest, content = read_submission(item, limits.submission_bytes)
        except Rejected as exc:
            done.append(grade_one({**base, "file": untrusted.printable(item.name), "notes": note,
                                   "rejected": str(exc)}))
            continue
        key = gradebook.task_key(digest, lesson, versions, secret, limits.as_dict(), isolation, rules)
        saved = gradebook.load_record(out_dir, s.student_id, key)
        if saved is not None:
            if "lesson" not in saved:              # saved before records named their lesson (the key did)
                saved.update(lesson=lesson, source="notebook")
                gradebook.save_record(out_dir, saved)
            done.append(saved)
            continue
        tasks.append({**base, "file": untrusted.printable(item.name), "sha256": digest, "key": key,
                      "notes": note, "content": content, "roster_ids": [t.student_id for t in students]})
    return tasks, done, unmatched, ambiguous


def _grader_error(task, exc):
    rec = grade_one({**task, "rejected": "the grader failed on this submission; it will be retried on the next run"})
    rec.update(status="error", key=None)
    rec["reasons"].append(f"grader error: {type(exc).__name__}: {str(exc)[:200]}")
    return rec


def _run_local(tasks, jobs, session):
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_one, dict(t, scratch_root=session.root, run_id=session.run_id)): t
                   for t in tasks}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:
                yield _grader_error(futures[fut], exc)


def _run_dask(tasks, address):
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise RuntimeError("--scheduler needs Dask distributed: pip install 'cosmodrome[dask]'") from None
    with Client(address) as client:
        futures = client.map(grade_one, tasks, pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in dask_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:
                yield _grader_error(by_key[fut.key], exc)


def _progress(total, enabled):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True)


def grade_class(submissions_dir: str | os.PathLike[str], lesson: str, roster: str | os.PathLike[str],
                out_dir: str | os.PathLike[str], *, jobs: int | None = None, isolation: str = "auto",
                limits: Limits | None = None, scheduler: str | None = None, secret: str | None = None,
                progress: bool = True, mode: str | None = None,
                policy: attempts.Policy | None = None) -> dict[str, Any]:
    """Grade a class; writes the gradebook to ``out_dir`` and returns a summary dict.

    ``mode`` "practice" marks each exercise by the best of its tries under the
    tries ``policy`` (``exercises.attempts``); "graded" marks the last answer.
    Both default to the course's settings (COSMODROME_MODE, COSMODROME_ATTEMPTS)."""
    t0 = time.monotonic()
    exercises.lesson(lesson)  # a ValueError names the known lessons
    limits = limits or Limits()
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    _check.in_range("jobs", jobs, 1, 256)
    students = read_roster(roster)
    level = sandbox.resolve_isolation(isolation)
    secret = secret or exercises.course_secret()
    mode = attempts.check_mode(mode or attempts.course_mode())
    policy = policy or attempts.course_policy()
    rules = {"mode": mode, "policy": policy.as_dict()}
    out_dir = Path(out_dir)
    ids = [e.id for e in exercises.ALL if e.lesson == lesson]
    meta = {"isolation": level, "limits": limits.as_dict(), "grader_version": gradebook.GRADER_VERSION, **rules,
            "tries_rule": policy.describe() if mode == "practice" else "graded: the last answer counts"}
    with gradebook.locked(out_dir):
        gradebook.check_lesson(out_dir, lesson)
        paper = gradebook.saved_records(out_dir, lesson, "paper")
        tasks, records, unmatched, ambiguous = build_tasks(submissions_dir, lesson, students, out_dir, limits,
                                                           level, secret, rules)
        unmatched = [untrusted.printable(n) for n in unmatched]
        ambiguous = {untrusted.printable(n): owners for n, owners in ambiguous.items()}
        reused = sum(1 for r in records if r["status"] not in ("missing",) and r.get("key"))
        for r in records:
            if not r.get("key"):            # missing or refused: kept too, so a later paper merge still lists them
                gradebook.save_record(out_dir, r)
        records = {r["student_id"]: r for r in records}
        bar = _progress(len(tasks), progress)
        try:
            with sandbox.session() as session:
                runs = (_run_dask(tasks, scheduler) if scheduler
                        else _run_local(tasks, jobs, session))
                for rec in runs:
                    records[rec["student_id"]] = rec
                    gradebook.save_record(out_dir, rec)
                    gradebook.write_gradebook(out_dir, lesson, ids, records.values(), meta, paper, final=False)
                    bar.update(1)
        finally:
            bar.close()
            gradebook.write_gradebook(out_dir, lesson, ids, records.values(),
                                      {**meta, "unmatched_files": unmatched, "ambiguous_files": ambiguous}, paper)
    return {"students": len(students), "graded": len(tasks), "reused": reused, "unmatched": unmatched,
            "ambiguous": ambiguous, "isolation": level, "seconds": round(time.monotonic() - t0, 1),
            "records": sorted(records.values(), key=lambda r: r["student_id"].lower())}


__all__ = ["grade_class", "Limits"]
