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
import re
import shutil
import sys
import tempfile
import time
from typing import Any

import nbformat

from .. import exercises
from ..exercises import ANSWERS_ENV, SEEDS_ENV, STUDENT_ENV, attempts
from . import sandbox, similarity, untrusted
from .submission import Rejected, clean_notebook

ANSWERS_FILE_LIMIT = 2**20
#: Allowed on top of the notebook's time limit for starting Python and the kernel.
KERNEL_START_S = 15
REPORT_LIMIT = 2**20
ANSWERS_NAME = "answers.jsonl"


def read_answers_file(scratch_fd):
    """(bytes or None, notes) of the answers file the run left in its scratch folder:
    opened without following links or blocking, only if it is a regular file
    with no other hard link, at most ``ANSWERS_FILE_LIMIT`` bytes read."""
    try:
        return untrusted.read_regular(ANSWERS_NAME, ANSWERS_FILE_LIMIT, scratch_fd, single_link=True), []
    except untrusted.NotRegular as exc:
        return None, [f"the answers file was replaced by {exc.kind}; it was not read, so no answer counts"]
    except untrusted.TooLarge:
        return None, [f"the answers file passed {ANSWERS_FILE_LIMIT // 1024} KB (the checker writes a few KB); "
                      "it was not read, so no answer counts"]
    except OSError:
        return None, ["the answers file was removed; no answer counts"]


class Tries(list):
    """The answers given to one exercise, in the order they were checked."""


#: Tries marked one by one per exercise: the first ones, then the last (later tries earn
#: at most the policy's floor, so the grader's work stays bounded however many there are).
MARKED_TRIES = 20


def collect_answers(data, lesson_ids):
    """The answers given to each exercise of the lesson, in order (``Tries``), from the
    (untrusted) bytes of the answers file; returns (answers, claimed student ids, notes)."""
    answers: dict[str, Any] = {}
    claimed: set[str] = set()
    bad = 0
    notes: list[str] = []
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
        answers.setdefault(item["exercise"], Tries()).append(item["answer"])
        if isinstance(item.get("student"), str):
            claimed.add(item["student"][:64])
    if bad:
        notes.append(f"{bad} line(s) in the answers file were not answers from the checker and were ignored")
    return answers, claimed, notes


def _signal_reason(sig, limits, outcome):
    """Why the kernel died, in words; the signal is the runner's (untrusted) report,
    the memory and process counts are the grader's own (from the run's cgroups)."""
    oom, pids = outcome.oom_kills, outcome.process_limit_hits
    if oom:
        return f"it was killed for using more than the {limits.memory_bytes / 2**30:.3g} GB memory limit"
    if sig == "SIGKILL":
        if pids:
            return (f"it was killed (SIGKILL) after reaching the limit of {limits.processes} processes")
        if oom == 0:
            return "it was killed (SIGKILL), not by the grader's memory limit: the notebook killed it itself"
        return "it was killed (SIGKILL): by the notebook itself or for using too much memory"
    if sig == "SIGXFSZ":
        return f"it wrote a file larger than the {limits.file_size_bytes // 2**20} MB limit"
    if sig == "SIGXCPU":
        return "it used more CPU time than allowed"
    if sig in ("SIGSEGV", "SIGBUS", "SIGABRT"):
        return f"it crashed ({sig})"
    if sig in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"):
        return f"it was stopped by {sig}, sent from inside the notebook"
    return f"it ended with {untrusted.printable(sig, 20)}" if sig else "it exited (os._exit, exit() or a crash)"


_EXCEPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")


def run_reasons(outcome, report, limits):
    """Plain-language reasons from the run's outcome (``sandbox.Outcome``) and its
    (untrusted) report. Text that comes from the notebook,
    such as an exception's message, is quoted as the notebook's, never stated."""
    rc = outcome.returncode
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
        return f"code cell {int(i) + 1}" if isinstance(i, int) and not isinstance(i, bool) else "a code cell"
    def indices(key):
        value = report.get(key)
        return [i for i in value if isinstance(i, int)][:50] if isinstance(value, list) else []
    for i in indices("timeouts")[:5]:
        reasons.append(f"{cell_no(i)} ran past the {limits.cell_timeout_s:g} s limit per cell and was interrupted")
    for i in indices("budget_cut")[:5]:
        reasons.append(f"{cell_no(i)} was interrupted when the notebook's {limits.notebook_timeout_s:g} s "
                       "time limit ran out")
    for i in indices("flooded")[:5]:
        reasons.append(f"{cell_no(i)} printed more than {limits.output_bytes // 1024} KB of output; "
                       "the rest was dropped and the cell interrupted")
    died = report.get("kernel_died_at")
    if report.get("finished") is not True and rc is not None and died is None:
        reasons.append("the notebook stopped the grader's runner before it finished (for example by killing "
                       "processes); answers checked before that still count")
    if isinstance(report.get("stopped_at"), int):
        reasons.append(f"the notebook's {limits.notebook_timeout_s:g} s time limit was reached before "
                       f"{cell_no(report['stopped_at'])}; it and later cells did not run")
    if died is not None:
        sig = report.get("kernel_signal")
        reasons.append(f"the Python kernel died in {cell_no(died)}: "
                       f"{_signal_reason(sig if isinstance(sig, str) else None, limits, outcome)}; "
                       "later cells did not run")
    interrupted = set(indices("timeouts")) | set(indices("flooded")) | set(indices("budget_cut"))
    errors = [e for e in (report.get("errors") or []) if isinstance(e, dict)
              and not (e.get("cell") in interrupted and e.get("name") == "KeyboardInterrupt")]
    for e in errors[:5]:
        name = str(e.get("name"))
        name = name if _EXCEPTION_NAME.fullmatch(name) else "an exception"
        if name == "MemoryError":
            reasons.append(f"{cell_no(e.get('cell'))} ran out of memory (limit "
                           f"{limits.memory_bytes / 2**30:.3g} GB)")
        else:
            message = str(e.get("value") or "").strip()
            said = f"; its message, from the notebook: {untrusted.quote(message)}" if message else ""
            reasons.append(f"{cell_no(e.get('cell'))} raised {name}{said}")
    if len(errors) > 5:
        reasons.append(f"... and {len(errors) - 5} more cells raised errors")
    return reasons


def mark(lesson, student_id, answers, secret, *, mode="practice", policy=None):
    """Marks and feedback for each exercise of ``lesson``. ``answers`` maps an exercise
    to one answer value or to its ``Tries``. In practice mode the mark is the best
    over the tries under the tries ``policy``; in graded mode (and on paper) the
    last answer counts as given. Each item says how many tries there were."""
    policy = policy or attempts.Policy()
    items = {}
    for ex in exercises.ALL:
        if ex.lesson != lesson:
            continue
        if ex.id not in answers:
            items[ex.id] = {"score": 0.0, "points": ex.points, "answered": False, "tries": 0,
                            "message": "Not answered (no check() call for this exercise ran).", "hint": "",
                            "outcome": "missing", "mistake": "", "mistakes_on_the_way": []}
            continue
        given = answers[ex.id]
        tries = list(given) if isinstance(given, Tries) else [given]
        items[ex.id] = _mark_tries(ex, ex.params(student_id, secret), tries, mode, policy)
    return items


def _mark_tries(ex, params, tries, mode, policy):
    numbered = list(enumerate(tries, start=1))
    if mode == "graded":
        numbered = numbered[-1:]
    elif len(numbered) > MARKED_TRIES:
        numbered = numbered[:MARKED_TRIES] + numbered[-1:]
    best: dict[str, Any] | None = None
    outcome, on_the_way = ("unmarked", ""), set()
    for n, answer in numbered:
        try:
            fb = ex.check(params, answer)
        except Exception as exc:  # an answer value the checker cannot mark
            item: dict[str, Any] = {"score": 0.0, "hint": "",
                                    "message": f"Could not mark this answer ({type(exc).__name__})."}
            outcome = ("unmarked", "")
        else:
            factor = 1.0 if mode == "graded" else policy.factor(n)
            item = {"score": float(fb.score) * factor, "message": fb.message, "hint": fb.hint}
            if fb.score > 0 and factor < 1:
                item["message"] += f" Right on try {n}: {100 * factor:g} % of the marks."
            outcome = _outcome(fb)
            if fb.mistake:
                on_the_way.add(fb.mistake)
        if best is None or item["score"] > best["score"] or (item["score"] == best["score"] == 0):
            best = item                                # the best try, or the last if none scored
    # the class summary counts each student once, by the last answer given (the last try is always marked)
    assert best is not None  # there is always at least one try
    return {**best, "points": ex.points, "answered": True, "tries": len(tries), "outcome": outcome[0],
            "mistake": outcome[1], "mistakes_on_the_way": sorted(on_the_way)}


def _outcome(fb):
    """(outcome, mistake) of one marked answer: right, a known mistake, another wrong answer, or unmarked."""
    if not fb.marked:
        return "unmarked", ""
    if fb.correct:
        return "right", ""
    return ("mistake", fb.mistake) if fb.mistake else ("wrong", "")


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
        record["fingerprint"], record["flags"] = similarity.fingerprint(
            [c.source for c in nb.cells], lesson, task.get("roster_ids") or (sid,))
        answers, notes = _run_boxed(nb, task, limits)
        record["reasons"].extend(notes)
    items = mark(lesson, sid, answers, task["secret"], mode=task.get("mode", "practice"),
                 policy=attempts.Policy(**task["policy"]) if task.get("policy") else None)
    record["exercises"] = items
    record["total"] = round(sum(i["score"] for i in items.values()), 4)
    record["max"] = sum(i["points"] for i in items.values())
    record["seconds"] = round(time.monotonic() - t0, 2)
    return record


def _run_boxed(nb, task, limits):
    if task.get("scratch_root"):
        return _run_in(sandbox.Session(task["scratch_root"], task.get("run_id")), nb, task, limits)
    with sandbox.session() as session:            # a task on its own (e.g. on a Dask worker)
        return _run_in(session, nb, task, limits)


def _run_in(session, nb, task, limits):
    """Run the clean notebook in a new scratch folder of ``session``; returns (answers, reasons).

    Nothing the box could have written is opened by path afterwards except the
    answers file, which is read through :func:`read_answers_file`; the report and
    the runner's output come back through files the grader opened before the run."""
    scratch = tempfile.mkdtemp(prefix="run-", dir=session.root)
    scratch_fd = untrusted.open_folder(scratch)
    report_file = tempfile.TemporaryFile()
    try:
        nb_path = os.path.join(scratch, "submission.ipynb")
        with open(nb_path, "w", encoding="utf-8") as f:
            f.write(nbformat.writes(nb, version=4))
        answers_path = os.path.join(scratch, ANSWERS_NAME)
        spec_path = os.path.join(scratch, "spec.json")
        with open(spec_path, "w") as f:
            json.dump({"notebook": nb_path, "workdir": scratch, "report_fd": report_file.fileno(),
                       "cell_timeout_s": limits.cell_timeout_s, "notebook_timeout_s": limits.notebook_timeout_s,
                       "output_bytes": limits.output_bytes}, f)
        open(answers_path, "w").close()
        seeds = {e.id: e.seed(task["student_id"], task["secret"]) for e in exercises.ALL}
        env = sandbox.scrubbed_env(scratch, {STUDENT_ENV: task["student_id"], ANSWERS_ENV: answers_path,
                                             SEEDS_ENV: json.dumps(seeds)})
        from .runner import install_output_cap  # not at the top: `python -m ...runner` imports this package

        install_output_cap(env["IPYTHONDIR"], limits.output_bytes)
        argv = [sys.executable, "-m", "cosmodrome.grading.runner", spec_path]
        outcome = sandbox.run(argv, scratch, env, limits, task["isolation"], run_id=session.run_id,
                              wall_s=limits.notebook_timeout_s + KERNEL_START_S, pass_fds=(report_file.fileno(),))
        data, _ = untrusted.read_descriptor(report_file.fileno(), REPORT_LIMIT)
        try:
            report = json.loads(data) if data else None
        except (ValueError, RecursionError):
            report = None
        answers_data, notes = read_answers_file(scratch_fd)
        lesson_ids = {e.id for e in exercises.ALL if e.lesson == task["lesson"]}
        answers, claimed, more = collect_answers(answers_data, lesson_ids)
        notes += more
        reasons = run_reasons(outcome, report, limits)
        if isinstance(report, dict) and report.get("start_error"):
            reasons.append("the kernel could not start; the runner said: "
                           + untrusted.quote(report["start_error"], 200))
        if report is None and outcome.returncode == 0:
            reasons.append("the run left no report")
        if report is None and outcome.log.strip():
            reasons.append("the runner's last output, from inside the sandbox: "
                           + untrusted.quote(outcome.log.strip().splitlines()[-1], 200))
        others = sorted(c for c in claimed if c != task["student_id"])
        if others:
            reasons.append(f"the notebook called start() with student={untrusted.quote(others[0], 64)}; it was "
                           f"graded with the numbers of {task['student_id']!r}, the id on the roster")
        if not answers:
            reasons.append("no exercise was checked: no ws[...].check(answer) call ran")
        return answers, reasons + notes
    finally:
        report_file.close()
        os.close(scratch_fd)
        shutil.rmtree(scratch, ignore_errors=True)
