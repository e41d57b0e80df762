"""Grading one submission: clean it, run it boxed, collect its answers, mark them.

``grade_one(task)`` is the unit of work a local thread or a Dask worker runs. A
task carries everything it needs (the submission's bytes, the lesson, the
roster's student id, limits), so it runs the same on any machine with
cosmodrome installed. The marks are computed here, in the grader's process,
with reference answers recomputed from the roster's student id: the notebook
contributes only the answer values it produced.
"""

import json
import os
import shutil
import sys
import tempfile
import time

import nbformat

from .. import exercises
from ..exercises import ANSWERS_ENV, STUDENT_ENV
from . import sandbox
from .runner import install_output_cap
from .submission import Rejected, clean_notebook

ANSWERS_FILE_LIMIT = 2**20
#: Allowed on top of the notebook's time limit for starting Python and the kernel.
KERNEL_START_S = 15
REPORT_LIMIT = 2**20

def _read_capped(path, limit):
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError:
        return None, False
    return data[:limit], len(data) > limit


def collect_answers(path, lesson_ids):
    """The last answer given to each exercise of the lesson, from the (untrusted)
    answers file; returns (answers, claimed student ids, notes)."""
    data, cut = _read_capped(path, ANSWERS_FILE_LIMIT)
    answers, claimed, bad = {}, set(), 0
    notes = []
    if data is None:
        return answers, claimed, notes
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            bad += 1
            continue
        if not isinstance(item, dict) or item.get("exercise") not in lesson_ids or "answer" not in item:
            bad += 1
            continue
        answers[item["exercise"]] = item["answer"]
        if isinstance(item.get("student"), str):
            claimed.add(item["student"][:64])
    if cut:
        notes.append(f"the answers file passed {ANSWERS_FILE_LIMIT // 1024} KB; the rest was ignored")
    if bad:
        notes.append(f"{bad} line(s) in the answers file were not answers from the checker and were ignored")
    return answers, claimed, notes


def _signal_reason(sig, limits):
    if sig == "SIGKILL":
        return f"it was killed (memory above {limits.memory_bytes / 2**30:.1g} GB or too many processes)"
    if sig == "SIGXFSZ":
        return f"it wrote a file larger than the {limits.file_size_bytes // 2**20} MB limit"
    if sig == "SIGXCPU":
        return "it used more CPU time than allowed"
    if sig in ("SIGSEGV", "SIGBUS", "SIGABRT"):
        return f"it crashed ({sig})"
    return f"it ended with {sig}" if sig else "it exited (os._exit, exit() or a crash)"


def run_reasons(rc, report, limits):
    """Plain-language reasons from the run's outcome and its (untrusted) report."""
    reasons = []
    if rc is None:
        reasons.append(f"the notebook ran past its {limits.notebook_timeout_s:g} s time limit and was stopped; "
                       "answers checked before that still count")
    if not isinstance(report, dict):
        if rc is not None:
            reasons.append("the notebook stopped the grader's runner before it finished (for example with "
                           "os._exit or by killing processes); answers checked before that still count")
        return reasons
    def cell_no(i):
        return f"code cell {int(i) + 1}" if isinstance(i, int) else "a code cell"
    for i in list(report.get("timeouts") or [])[:5]:
        reasons.append(f"{cell_no(i)} ran past the {limits.cell_timeout_s:g} s limit per cell and was interrupted")
    for i in list(report.get("flooded") or [])[:5]:
        reasons.append(f"{cell_no(i)} printed more than {limits.output_bytes // 1024} KB of output; "
                       "the rest was dropped and the cell interrupted")
    if isinstance(report.get("stopped_at"), int):
        reasons.append(f"the notebook's {limits.notebook_timeout_s:g} s time limit was reached before "
                       f"{cell_no(report['stopped_at'])}; it and later cells did not run")
    died = report.get("kernel_died_at")
    if died is not None:
        sig = report.get("kernel_signal")
        reasons.append(f"the Python kernel died in {cell_no(died)}: "
                       f"{_signal_reason(sig if isinstance(sig, str) else None, limits)}; later cells did not run")
    timed_out = set(report.get("timeouts") or []) | set(report.get("flooded") or [])
    errors = [e for e in (report.get("errors") or []) if isinstance(e, dict)
              and not (e.get("cell") in timed_out and e.get("name") == "KeyboardInterrupt")]
    for e in errors[:5]:
        name, value = str(e.get("name"))[:60], str(e.get("value"))[:160]
        if name == "MemoryError":
            reasons.append(f"{cell_no(e.get('cell'))} ran out of memory (limit "
                           f"{limits.memory_bytes / 2**30:.1g} GB)")
        else:
            reasons.append(f"{cell_no(e.get('cell'))} raised {name}: {value}")
    if len(errors) > 5:
        reasons.append(f"... and {len(errors) - 5} more cells raised errors")
    return reasons


def mark(lesson, student_id, answers, secret):
    """Marks and feedback for each exercise of ``lesson`` from plain answer values."""
    items = {}
    for ex in exercises.ALL:
        if ex.lesson != lesson:
            continue
        if ex.id not in answers:
            items[ex.id] = {"score": 0.0, "points": ex.points, "answered": False,
                            "message": "Not answered (no check() call for this exercise ran).", "hint": ""}
            continue
        try:
            fb = ex.check(ex.params(student_id, secret), answers[ex.id])
            items[ex.id] = {"score": float(fb.score), "points": ex.points, "answered": True,
                            "message": fb.message, "hint": fb.hint}
        except Exception as exc:  # an answer value the checker cannot mark
            items[ex.id] = {"score": 0.0, "points": ex.points, "answered": True,
                            "message": f"Could not mark this answer ({type(exc).__name__}).", "hint": ""}
    return items


def grade_one(task):
    """Grade one submission; returns the gradebook record (a plain dict)."""
    t0 = time.monotonic()
    limits = sandbox.Limits(**task["limits"])
    lesson, sid = task["lesson"], task["student_id"]
    record = {"student_id": sid, "name": task["name"], "file": task.get("file"), "sha256": task.get("sha256"),
              "key": task.get("key"), "status": "graded", "reasons": list(task.get("notes", [])),
              "isolation": task["isolation"], "lesson": lesson, "source": "notebook"}
    answers = {}
    try:
        if task.get("rejected"):
            raise Rejected(task["rejected"])
        nb = clean_notebook(task["content"], limits.submission_bytes)
    except Rejected as exc:
        record["status"] = "rejected"
        record["reasons"].insert(0, f"not run: {exc}")
    else:
        answers, notes = _run_boxed(nb, task, limits)
        record["reasons"].extend(notes)
    items = mark(lesson, sid, answers, task["secret"])
    record["exercises"] = items
    record["total"] = round(sum(i["score"] for i in items.values()), 4)
    record["max"] = sum(i["points"] for i in items.values())
    record["seconds"] = round(time.monotonic() - t0, 2)
    return record


def _run_boxed(nb, task, limits):
    root = task.get("scratch_root") or tempfile.gettempdir()
    scratch = tempfile.mkdtemp(prefix="run-", dir=root)
    try:
        nb_path = os.path.join(scratch, "submission.ipynb")
        nbformat.write(nb, nb_path)
        answers_path = os.path.join(scratch, "answers.jsonl")
        report_path = os.path.join(scratch, "report.json")
        spec_path = os.path.join(scratch, "spec.json")
        with open(spec_path, "w") as f:
            json.dump({"notebook": nb_path, "workdir": scratch, "report": report_path,
                       "cell_timeout_s": limits.cell_timeout_s, "notebook_timeout_s": limits.notebook_timeout_s,
                       "output_bytes": limits.output_bytes}, f)
        open(answers_path, "w").close()
        env = sandbox.scrubbed_env(scratch, {STUDENT_ENV: task["student_id"], ANSWERS_ENV: answers_path,
                                             "COSMODROME_COURSE_SECRET": task["secret"]})
        install_output_cap(env["IPYTHONDIR"], limits.output_bytes)
        argv = [sys.executable, "-m", "cosmodrome.grading.runner", spec_path]
        rc, log = sandbox.run(argv, scratch, env, limits, task["isolation"],
                              wall_s=limits.notebook_timeout_s + KERNEL_START_S)
        data, _ = _read_capped(report_path, REPORT_LIMIT)
        try:
            report = json.loads(data) if data else None
        except (ValueError, RecursionError):
            report = None
        lesson_ids = {e.id for e in exercises.ALL if e.lesson == task["lesson"]}
        answers, claimed, notes = collect_answers(answers_path, lesson_ids)
        reasons = run_reasons(rc, report, limits)
        if isinstance(report, dict) and report.get("start_error"):
            reasons.append("the kernel could not start: " + str(report["start_error"])[:200])
        if report is None and rc == 0:
            reasons.append("the run left no report")
        if report is None and log.strip():
            reasons.append("runner log: " + log.strip().splitlines()[-1][:200])
        others = sorted(c for c in claimed if c != task["student_id"])
        if others:
            reasons.append(f"the notebook called start() with student={others[0]!r}; it was graded with "
                           f"the numbers of {task['student_id']!r}, the id on the roster")
        if not answers:
            reasons.append("no exercise was checked: no ws[...].check(answer) call ran")
        return answers, reasons + notes
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
