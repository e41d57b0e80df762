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
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .. import _check, exercises
from . import gradebook, sandbox
from .sandbox import Limits
from .submission import find_submissions, read_roster
from .task import grade_one


def _sha256_file(path, limit):
    """(sha256 hex, content or None if larger than ``limit``) of a file, read in chunks."""
    h, chunks, size = hashlib.sha256(), [], 0
    with open(path, "rb") as f:
        while True:
            block = f.read(2**20)
            if not block:
                break
            h.update(block)
            size += len(block)
            if size <= limit:
                chunks.append(block)
    return h.hexdigest(), (b"".join(chunks) if size <= limit else None), size


def build_tasks(submissions_dir, lesson, students, out_dir, limits, isolation, secret):
    """One task per student with a submission; saved records whose key is unchanged
    are returned as done. Returns (tasks, done records, unmatched file names)."""
    found, unmatched = find_submissions(submissions_dir, students)
    versions = {e.id: e.version for e in exercises.ALL if e.lesson == lesson}
    tasks, done = [], []
    for s in students:
        base = {"student_id": s.student_id, "name": s.name, "lesson": lesson, "secret": secret,
                "limits": limits.as_dict(), "isolation": isolation}
        if s.student_id not in found:
            done.append(dict(grade_one({**base, "rejected": "no submission was found"}), status="missing"))
            continue
        path, note = found[s.student_id]
        try:
            digest, content, size = _sha256_file(path, limits.submission_bytes)
        except OSError as exc:
            done.append(grade_one({**base, "file": path.name, "rejected": f"the file could not be read ({exc.strerror})"}))
            continue
        key = gradebook.task_key(digest, lesson, versions, secret, limits.as_dict(), isolation)
        saved = gradebook.load_record(out_dir, s.student_id, key)
        if saved is not None:
            if "lesson" not in saved:              # saved before records named their lesson (the key did)
                saved.update(lesson=lesson, source="notebook")
                gradebook.save_record(out_dir, saved)
            done.append(saved)
            continue
        task = {**base, "file": path.name, "sha256": digest, "key": key, "notes": [note] if note else []}
        if content is None:
            task["rejected"] = (f"the file is {size / 2**20:.1f} MB; the limit is "
                                f"{limits.submission_bytes / 2**20:.0f} MB")
        else:
            task["content"] = content
        tasks.append(task)
    return tasks, done, unmatched


def _grader_error(task, exc):
    rec = grade_one({**task, "rejected": "the grader failed on this submission; it will be retried on the next run"})
    rec.update(status="error", key=None)
    rec["reasons"].append(f"grader error: {type(exc).__name__}: {str(exc)[:200]}")
    return rec


def _run_local(tasks, jobs, scratch_root):
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_one, dict(t, scratch_root=scratch_root)): t for t in tasks}
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
        by_key = {f.key: t for f, t in zip(futures, tasks)}
        for fut in dask_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:
                yield _grader_error(by_key[fut.key], exc)


def _progress(total, enabled):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True)


def grade_class(submissions_dir, lesson, roster, out_dir, *, jobs=None, isolation="auto", limits=None,
                scheduler=None, secret=None, progress=True):
    """Grade a class; writes the gradebook to ``out_dir`` and returns a summary dict."""
    t0 = time.monotonic()
    _check.lookup("lesson", lesson, {k: k for k in exercises.LESSONS})
    limits = limits or Limits()
    jobs = jobs or os.cpu_count() or 1
    _check.in_range("jobs", jobs, 1, 256)
    students = read_roster(roster)
    level = sandbox.resolve_isolation(isolation)
    secret = secret or exercises.course_secret()
    out_dir = Path(out_dir)
    ids = [e.id for e in exercises.ALL if e.lesson == lesson]
    meta = {"isolation": level, "limits": limits.as_dict(), "grader_version": gradebook.GRADER_VERSION}
    with gradebook.locked(out_dir):
        gradebook.check_lesson(out_dir, lesson)
        paper = gradebook.saved_records(out_dir, lesson, "paper")
        tasks, records, unmatched = build_tasks(submissions_dir, lesson, students, out_dir, limits, level, secret)
        reused = sum(1 for r in records if r["status"] not in ("missing",) and r.get("key"))
        records = {r["student_id"]: r for r in records}
        scratch_root = tempfile.mkdtemp(prefix="cosmodrome-grade-")
        os.chmod(scratch_root, 0o711)
        bar = _progress(len(tasks), progress)
        try:
            runs = _run_dask(tasks, scheduler) if scheduler else _run_local(tasks, jobs, scratch_root)
            for rec in runs:
                records[rec["student_id"]] = rec
                if rec.get("key"):
                    gradebook.save_record(out_dir, rec)
                gradebook.write_gradebook(out_dir, lesson, ids, records.values(), meta, paper)
                bar.update(1)
        finally:
            bar.close()
            shutil.rmtree(scratch_root, ignore_errors=True)
            gradebook.write_gradebook(out_dir, lesson, ids, records.values(),
                                      {**meta, "unmatched_files": unmatched}, paper)
    return {"students": len(students), "graded": len(tasks), "reused": reused, "unmatched": unmatched,
            "isolation": level, "seconds": round(time.monotonic() - t0, 1),
            "records": sorted(records.values(), key=lambda r: r["student_id"].lower())}


__all__ = ["grade_class", "Limits"]
