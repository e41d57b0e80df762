"""The class grader against a hostile class.

One class of submissions is graded once (in parallel, with short limits); each
fixture below is a submission a real class could produce, from a correct
notebook to a fork bomb, and each test asserts its fair score and reason, and
that the others were not disturbed. Hostile fixtures are bounded (a fork bomb
stops at 300 children, the memory bomb at the memory limit, the flood is cut
by the output limit) so a grader bug fails a test instead of the machine.
"""

import csv
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

import cosmodrome
from cosmodrome import exercises
from cosmodrome.grading import Limits, grade_class, sandbox

LESSON = "latitude"
IDS = [e.id for e in exercises.ALL if e.lesson == LESSON]
SECRET = "grading-test-course"
LIMITS = Limits(cell_timeout_s=10, notebook_timeout_s=30, memory_bytes=2 * 2**30, processes=64,
                output_bytes=256 * 1024)

REQUIRE_BWRAP = os.environ.get("COSMODROME_REQUIRE_BWRAP") == "1"
HAVE_BWRAP = sandbox.bwrap_path() is not None
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP and not REQUIRE_BWRAP,
                                 reason="bubblewrap not installed (CI installs it and requires it)")

def right_answers(sid):
    """The right answer to each exercise of the lesson for ``sid``, computed here, outside
    any notebook (what a student works out; nothing a student holds gives it)."""
    out = {}
    for eid in IDS:
        ex, params, _ = exercises.variant(sid, eid, SECRET)
        ref = ex.reference(params)
        out[eid] = sorted(ref) if isinstance(ref, frozenset) else ref
    return out


def head(sid, answers_for=None):
    """A notebook's first cell: start() as ``sid``, with the right answers of
    ``answers_for`` (default ``sid``) written in."""
    return (f"from cosmodrome.exercises import start\nws = start('latitude', student={sid!r})\n"
            f"RIGHT = {right_answers(answers_for or sid)!r}\n"
            "def right(eid):\n    return RIGHT[eid]\n")


ALL_RIGHT = f"for eid in {IDS!r}:\n    ws[eid].check(right(eid))\n"
TWO_RIGHT = "ws['latitude-1'].check(right('latitude-1'))\nws['latitude-2'].check(right('latitude-2'))\n"


COPIED = """{c}
from cosmodrome.exercises import start
ws = start("latitude", student="{sid}")
{v} = 0
for {w} in ["latitude-1", "latitude-2"]:
    {v} += 1  {c}
    ws[{w}].check({v} * 10.5)
print("done", {v})
"""


def _nb(*cells, version=4):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def _hash_tree(root):
    h = hashlib.sha256()
    for p in sorted(Path(root).rglob("*")):
        if stat.S_ISREG(os.lstat(p).st_mode) and "__pycache__" not in p.parts:
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _write_class(subs, out, port, host_secret):
    """Every fixture of the hostile class; returns the roster's student ids."""
    pkg = Path(cosmodrome.__file__).parent
    nbs = {
        "good": _nb(head(sid="good"), ALL_RIGHT),
        # right on two, a known misconception on latitude-1 overridden by the right one later
        "partial": _nb(head(sid="partial"), "ws['latitude-1'].check(51.9)\n" + TWO_RIGHT,
                       "ws['latitude-3'].check(-5.0)"),
        "loop": _nb(head(sid="loop"), TWO_RIGHT, "while True:\n    pass",
                    "ws['latitude-4'].check(right('latitude-4'))"),
        "stubborn-loop": _nb(head(sid="stubborn-loop"), TWO_RIGHT,
                             "import time\nwhile True:\n    try:\n        time.sleep(0.5)\n"
                             "    except BaseException:\n        pass",
                             ALL_RIGHT),
        "sysexit": _nb(head(sid="sysexit"), TWO_RIGHT, "import sys\nsys.exit(1)", ALL_RIGHT),
        "osexit": _nb(head(sid="osexit"), TWO_RIGHT, "import os\nos._exit(0)", ALL_RIGHT),
        "segfault": _nb(head(sid="segfault"), TWO_RIGHT, "import ctypes\nctypes.string_at(0)", ALL_RIGHT),
        "membomb": _nb(head(sid="membomb"), TWO_RIGHT,
                       "hoard = []\nwhile True:\n    hoard.append(bytearray(64 * 2**20))"),
        # bounded: at most 300 children, each of which becomes `sleep 301.5` so leftovers can be found
        "forkbomb": _nb(head(sid="forkbomb"), TWO_RIGHT,
                        "import os\nmade = 0\nfor i in range(300):\n    pid = os.fork()\n"
                        "    if pid == 0:\n        os.execv('/bin/sleep', ['sleep', '301.5'])\n    made += 1\n"),
        "flood": _nb(head(sid="flood"), TWO_RIGHT, "line = 'x' * 2**20\nfor i in range(4096):\n    print(line)"),
        # tries to read a classmate's notebook and the gradebook, wreck the package, phone home;
        # answers latitude-1 right only if every attempt failed
        "tamper": _nb(head(sid="tamper"), f'''
import os, shutil, socket
got = []
for path in [{str(subs / "good.ipynb")!r}, {str(out / "gradebook.csv")!r}]:
    try:
        open(path).read(); got.append(path)
    except OSError:
        pass
for victim in [{str(pkg / "exercises" / "core.py")!r}, {str(subs / "good.ipynb")!r}]:
    try:
        os.remove(victim); got.append("deleted " + victim)
    except OSError:
        pass
try:
    shutil.rmtree({str(pkg)!r})
except OSError:
    pass
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close(); got.append("network")
except OSError:
    pass
if ("COSMODROME_TEST_LEAK" in os.environ
        or "HOME" in os.environ and os.environ["HOME"] == {os.environ.get("HOME", "")!r}):
    got.append("environment")
print(got)
ws['latitude-1'].check(right('latitude-1') if not got else -1.0)
'''),
        "redefine": _nb(head(sid="redefine"), '''
import json, os
import cosmodrome.exercises as E
from cosmodrome.exercises.core import Feedback
E.Exercise.check = lambda self, params, answer: Feedback(True, 100.0, "Correct.")
E.BoundExercise.check = lambda self, answer: Feedback(True, 100.0, "Correct.")
for eid in E.EXERCISES:
    E._RECORDED[eid] = 100.0
with open(os.environ["COSMODROME_ANSWERS_FILE"], "a") as f:
    f.write(json.dumps({"exercise": "latitude-1", "answer": 1e9, "score": 100, "correct": True}) + "\\n")
    f.write("this is not json\\n")
    f.write(json.dumps({"exercise": "latitude-2", "score": 100}) + "\\n")
print(ws['latitude-3'].check(1.0))
'''),
        "impostor": _nb(head(sid="good", answers_for="impostor"), ALL_RIGHT),
        # plants links to host files where the grader used to read its log, report and answers,
        # then kills its runner; nothing of those files may reach the gradebook
        "linker": _nb(head(sid="linker"), TWO_RIGHT, f"""
import os, signal
for name in [".runner.log", "report.json", "spec.json"]:
    try:
        os.remove(name)
    except OSError:
        pass
os.symlink({str(host_secret)!r}, ".runner.log")
os.symlink("/proc/self/environ", "report.json")
os.kill(os.getppid(), signal.SIGKILL)
"""),
        # its answers file becomes a link to a host file full of right-looking answers
        "linked-answers": _nb(head(sid="linked-answers"), TWO_RIGHT,
                              f"import os\nos.remove('answers.jsonl')\n"
                              f"os.symlink({str(host_secret)!r}, 'answers.jsonl')"),
        # FIFOs where the grader used to read, then the runner is killed: the grader must not block
        "fifo": _nb(head(sid="fifo"), TWO_RIGHT, """
import os, signal
for name in [".runner.log", "report.json", "spec.json"]:
    try:
        os.remove(name)
    except OSError:
        pass
    os.mkfifo(name)
os.kill(os.getppid(), signal.SIGKILL)
"""),
        "fifo-answers": _nb(head(sid="fifo-answers"), TWO_RIGHT,
                            "import os\nos.remove('answers.jsonl')\nos.mkfifo('answers.jsonl')"),
        # the course secret must not be anywhere in the box: right on latitude-1 only if it is not
        "envdump": _nb(head(sid="envdump"), f"""
import os
seen = " ".join(os.environ.values())
for pid in os.listdir("/proc"):
    try:
        seen += open(f"/proc/{{pid}}/environ", "rb").read().decode("utf-8", "replace")
    except OSError:
        pass
print(sorted(os.environ))
ws['latitude-1'].check(right('latitude-1') if {SECRET!r} not in seen else -1.0)
"""),
        # an exception whose message pretends to be the grader
        "liar": _nb(head(sid="liar"), "raise RuntimeError('grader: all answers correct, score 5 / 5')"),
        # kills its own kernel: not a memory problem
        "selfkill": _nb(head(sid="selfkill"), TWO_RIGHT, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        # the notebook's 30 s runs out inside a cell that is within its own 10 s limit
        "budget": _nb(head(sid="budget"), TWO_RIGHT, *["import time\ntime.sleep(8)"] * 3,
                      "import time\ntime.sleep(9.5)", "ws['latitude-3'].check(right('latitude-3'))"),
        # the same own code, with names, layout, comments and the student id changed; and the teacher's copy
        "copier-a": _nb(COPIED.format(sid="copier-a", v="total", w="eid", c="# mine")),
        "copier-b": _nb(COPIED.format(sid="copier-b", v="acc", w="k", c="# all my own work\n")),
        "teacher-copy": _nb(head(sid="teacher-copy"), "### BEGIN SOLUTION\n" + TWO_RIGHT + "### END SOLUTION"),
        # bisects: five wrong tries on latitude-1 before the right one (try 6: 25 % of the marks)
        "guesser": _nb(head(sid="guesser"), "for x in [10.0, 20.0, 30.0, 40.0, 45.0]:\n    ws['latitude-1'].check(x)",
                       "ws['latitude-1'].check(right('latitude-1'))\nws['latitude-2'].check(right('latitude-2'))"),
        # dotted ids: each file is its exact id's
        "j.smith": _nb(head(sid="j.smith"), ALL_RIGHT),
        "anna": _nb(head(sid="anna"), TWO_RIGHT),
        "anna.k": _nb(head(sid="anna.k"), ALL_RIGHT),
    }
    claim = _nb("print('Score: 5/5')")
    claim.cells[0].outputs = [nbformat.v4.new_output("stream", text="Score: 5 / 5 - all correct\n")]
    claim.metadata["grade"] = {"score": 5, "max": 5}
    nbs["claim"] = claim
    for sid, nb in nbs.items():
        nbformat.write(nb, subs / f"{sid}.ipynb")

    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"},
          "worksheets": [{"cells": [{"cell_type": "code", "language": "python", "outputs": [],
                                     "input": head(sid="v3") + ALL_RIGHT}]}]}
    (subs / "v3.ipynb").write_text(json.dumps(v3))
    (subs / "v5.ipynb").write_text(json.dumps({"nbformat": 5, "nbformat_minor": 0, "cells": []}))
    (subs / "badjson.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "print(1)"')
    (subs / "empty.ipynb").write_bytes(b"")
    (subs / "pdf.ipynb").write_bytes(b"%PDF-1.7\n" + b"\0" * 1000)
    with open(subs / "huge.ipynb", "wb") as f:       # 100 MB, sparse on disk
        f.truncate(100 * 2**20)
    (subs / "stranger.ipynb").write_text("{}")       # not on the roster
    # files that are not regular files: none may be followed or opened
    os.symlink(subs / "good.ipynb", subs / "copycat.ipynb")             # another student's file
    os.symlink("/dev/zero", subs / "zero.ipynb")                        # would never end
    os.mkfifo(subs / "pipe.ipynb")                                      # would block
    os.symlink(host_secret.parent, subs / "dirlink")                    # a folder link
    # "bo.x" could be bo's (extension .x) or bo.x's: refused, naming both
    nbformat.write(_nb(head(sid="bo"), ALL_RIGHT), subs / "bo.x")
    # names that must be listed, escaped, not skipped or printed raw
    (subs / "..ipynb").write_text("{}")
    (subs / "\x1b[2Jevil.ipynb").write_text("{}")
    # 150,000 code cells in 14 MB: refused before the grader builds anything from it
    many = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}] * 150_000}
    (subs / "manycells.ipynb").write_text(json.dumps(many))
    ids = sorted(nbs) + ["v3", "v5", "badjson", "empty", "pdf", "huge", "absent", "copycat", "zero", "pipe",
                         "dirlink", "bo", "bo.x", "manycells"]
    with open(subs.parent / "roster.csv", "w") as f:
        f.write("student_id,name\n" + "".join(f"{s},Student {s}\n" for s in ids))
    return ids


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if REQUIRE_BWRAP:
        assert HAVE_BWRAP, "COSMODROME_REQUIRE_BWRAP=1 but bubblewrap does not work here"
    if not HAVE_BWRAP:
        pytest.skip("bubblewrap not installed")
    base = tmp_path_factory.mktemp("class")
    subs, out = base / "submissions", base / "gradebook"
    subs.mkdir()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connections.append(server.accept())
            except OSError:
                pass
    threading.Thread(target=accept, daemon=True).start()
    # a host file the grader can read and the class must never see (mode 600, outside the box)
    host_secret = base / "private" / "secret.txt"
    host_secret.parent.mkdir()
    host_secret.write_text(f"{HOST_SECRET}\n" + json.dumps({"exercise": "latitude-3", "answer": 1.0}) + "\n")
    host_secret.chmod(0o600)
    _write_class(subs, out, server.getsockname()[1], host_secret)
    pkg_hash = _hash_tree(Path(cosmodrome.__file__).parent)
    subs_hash = _hash_tree(subs)
    try:
        summary = _grade_in_child(subs, base / "roster.csv", out, dict(COSMODROME_TEST_LEAK=HOST_SECRET),
                                  tmp=base / "tmp")
    finally:
        stop.set()
    server.close()
    return {"summary": summary, "by_id": {r["student_id"]: r for r in summary["records"]}, "out": out,
            "subs": subs, "base": base, "pkg_hash": pkg_hash, "subs_hash": subs_hash,
            "connections": connections, "tmp": base / "tmp"}


HOST_SECRET = "HOST-ONLY-3f9c1d"
CLASS_DEADLINE_S = 900


def _grade_in_child(subs, roster, out, env, tmp):
    """grade_class in a child process with a deadline, so a grader that hangs fails
    the test instead of stopping the test run; returns its summary."""
    tmp.mkdir(exist_ok=True)
    script = (f"import json, sys\nfrom cosmodrome.grading import grade_class, Limits\n"
              f"s = grade_class({str(subs)!r}, {LESSON!r}, {str(roster)!r}, {str(out)!r}, jobs=2, "
              f"limits=Limits(**{LIMITS.as_dict()!r}), secret={SECRET!r}, progress=False)\n"
              f"json.dump(s, open({str(tmp / 'summary.json')!r}, 'w'))\n")
    proc = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ, TMPDIR=str(tmp), **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=CLASS_DEADLINE_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the grader did not finish the class in {CLASS_DEADLINE_S} s (it hangs)")
    assert proc.returncode == 0, stderr.decode()[-3000:]
    summary = json.loads((tmp / "summary.json").read_text())
    summary["stderr"] = stderr.decode()
    return summary


def _scores(rec):
    return {k: v["score"] for k, v in rec["exercises"].items()}


def _reasons(rec):
    return " | ".join(rec["reasons"])


pytestmark = [pytest.mark.slow]


def test_a_correct_notebook_gets_full_marks(graded):
    rec = graded["by_id"]["good"]
    assert rec["status"] == "graded" and rec["total"] == rec["max"] == len(IDS), _reasons(rec)
    assert rec["reasons"] == []


def test_partial_work_gets_partial_marks_and_hints(graded):
    rec = graded["by_id"]["partial"]
    s = _scores(rec)
    assert s["latitude-1"] == 1 and s["latitude-2"] == 1    # the last answer given counts
    assert s["latitude-3"] == 0 and rec["exercises"]["latitude-3"]["answered"]
    assert not rec["exercises"]["latitude-4"]["answered"]
    assert rec["total"] == 2


@pytest.mark.parametrize("sid, expect", [
    ("loop", "ran past the 10 s limit per cell"),
    ("stubborn-loop", "time limit"),
    ("osexit", "kernel died in code cell 3"),
    ("segfault", "SIGSEGV"),
    ("membomb", "out of memory"),
    ("flood", "printed more than 256 KB"),
])
def test_hostile_runs_keep_the_answers_given_before_and_say_why(graded, sid, expect):
    rec = graded["by_id"][sid]
    s = _scores(rec)
    assert s["latitude-1"] == 1 and s["latitude-2"] == 1, _reasons(rec)
    assert expect in _reasons(rec)


def test_an_interrupted_loop_lets_later_cells_run(graded):
    rec = graded["by_id"]["loop"]
    assert _scores(rec)["latitude-4"] == 1, _reasons(rec)


def test_sys_exit_is_an_error_in_one_cell_not_the_end(graded):
    rec = graded["by_id"]["sysexit"]
    assert rec["total"] == len(IDS), _reasons(rec)
    assert "SystemExit" in _reasons(rec)


def test_a_fork_bomb_hits_the_process_limit_and_leaves_nothing_behind(graded):
    rec = graded["by_id"]["forkbomb"]
    assert _scores(rec)["latitude-1"] == 1
    assert "raised" in _reasons(rec) and ("BlockingIOError" in _reasons(rec) or "processes" in _reasons(rec))
    left = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read() == b"sleep\x00301.5\x00":
                    left.append(pid)
        except OSError:
            pass
    assert left == []


def test_the_box_hides_other_files_the_network_and_the_teachers_environment(graded):
    rec = graded["by_id"]["tamper"]
    assert _scores(rec)["latitude-1"] == 1, _reasons(rec)
    assert graded["connections"] == []
    assert _hash_tree(Path(cosmodrome.__file__).parent) == graded["pkg_hash"]
    assert _hash_tree(graded["subs"]) == graded["subs_hash"], "a submission was modified"


def test_redefining_the_checker_or_writing_fake_answers_earns_nothing(graded):
    rec = graded["by_id"]["redefine"]
    assert rec["total"] == 0
    assert all(v <= 1 for v in _scores(rec).values())
    assert "were not answers from the checker" in _reasons(rec)


def test_a_claimed_score_in_outputs_or_metadata_counts_for_nothing(graded):
    rec = graded["by_id"]["claim"]
    assert rec["status"] == "graded" and rec["total"] == 0


def test_the_student_id_comes_from_the_roster(graded):
    rec = graded["by_id"]["impostor"]
    # the notebook said student="good" but holds impostor's answers: it was graded with
    # impostor's own numbers (the roster's id), so it is right, and the note says so
    assert rec["total"] == len(IDS)
    assert "graded with the numbers of 'impostor'" in _reasons(rec)


@pytest.mark.parametrize("sid, expect", [
    ("badjson", "invalid JSON at line 1"),
    ("v5", "nbformat 5 notebooks are not supported"),
    ("empty", "the file is empty"),
    ("pdf", "a PDF document"),
    ("huge", "the file is 100.0 MB; the limit is 20 MB"),
    ("absent", "no submission was found"),
])
def test_broken_files_are_rejected_with_a_clear_reason(graded, sid, expect):
    rec = graded["by_id"][sid]
    assert rec["total"] == 0 and rec["status"] in ("rejected", "missing")
    assert expect in _reasons(rec)


def test_an_old_format_notebook_is_converted_and_graded(graded):
    rec = graded["by_id"]["v3"]
    assert rec["total"] == len(IDS), _reasons(rec)


def test_gradebook_has_one_row_per_student_and_feedback_files(graded):
    out, ids = graded["out"], [r["student_id"] for r in graded["summary"]["records"]]
    with open(out / "gradebook.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student_id"] for r in rows) == sorted(ids)
    assert set(IDS) <= set(rows[0])
    good = next(r for r in rows if r["student_id"] == "good")
    assert float(good["total"]) == len(IDS)
    doc = json.loads((out / "gradebook.json").read_text())
    assert doc["unmatched_files"] == ["\\x1b[2Jevil.ipynb", "..ipynb", "stranger.ipynb"]
    assert doc["ambiguous_files"] == {"bo.x": ["bo", "bo.x"]}
    assert doc["isolation"] == "bwrap"
    md = (out / "feedback" / "loop.md").read_text()
    assert "ran past" in md and "latitude-1" in md
    # feedback never carries a reference value
    for rec in graded["summary"]["records"]:
        for item in rec["exercises"].values():
            assert "reference" not in item["message"].lower()


def test_nothing_the_sandbox_wrote_brings_host_files_into_the_gradebook(graded):
    """Links planted where the grader used to read its log, report and answers point at
    a mode-600 host file and the grader's own environment; none of it may show."""
    for sid in ("linker", "fifo"):
        rec = graded["by_id"][sid]
        s = _scores(rec)
        assert s["latitude-1"] == 1 and s["latitude-2"] == 1, _reasons(rec)
        assert "stopped the grader's runner" in _reasons(rec)
    for path in graded["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert HOST_SECRET not in text and SECRET not in text and "COSMODROME_" not in text, path


@pytest.mark.parametrize("sid, kind", [("linked-answers", "a symbolic link"), ("fifo-answers", "a named pipe")])
def test_an_answers_file_replaced_by_a_link_or_fifo_is_not_read(graded, sid, kind):
    rec = graded["by_id"][sid]
    assert rec["total"] == 0, _reasons(rec)                  # the host file's answer for latitude-3 did not count
    assert f"the answers file was replaced by {kind}" in _reasons(rec)


def test_the_course_secret_never_enters_the_sandbox(graded):
    rec = graded["by_id"]["envdump"]
    assert _scores(rec)["latitude-1"] == 1, _reasons(rec)


def test_text_from_the_notebook_is_quoted_never_the_graders_own_words(graded):
    rec = graded["by_id"]["liar"]
    assert rec["total"] == 0
    assert ("code cell 2 raised RuntimeError; its message, from the notebook: "
            "\u201cgrader: all answers correct, score 5 / 5\u201d") in rec["reasons"]
    assert not any(r.startswith("grader") for r in rec["reasons"])


def test_a_notebook_that_kills_its_kernel_is_not_told_it_used_too_much_memory(graded):
    rec = graded["by_id"]["selfkill"]
    assert _scores(rec)["latitude-1"] == 1, _reasons(rec)
    assert "kernel died in code cell 3" in _reasons(rec) and "SIGKILL" in _reasons(rec)
    if sandbox.Cgroups._base("memory"):        # the grader's own memory count says it was not the limit
        assert "not by the grader's memory limit" in _reasons(rec)
    assert "memory above" not in _reasons(rec) and "GB memory limit" not in _reasons(rec)


def test_a_cell_cut_by_the_notebooks_time_is_not_past_the_per_cell_limit(graded):
    rec = graded["by_id"]["budget"]
    assert _scores(rec)["latitude-1"] == 1 and not rec["exercises"]["latitude-3"]["answered"]
    assert "interrupted when the notebook's 30 s time limit ran out" in _reasons(rec)
    assert "limit per cell" not in _reasons(rec)


def test_dotted_ids_are_matched_by_their_exact_name(graded):
    by_id = graded["by_id"]
    assert by_id["j.smith"]["total"] == len(IDS) and by_id["j.smith"]["file"] == "j.smith.ipynb"
    assert by_id["anna.k"]["total"] == len(IDS) and by_id["anna.k"]["file"] == "anna.k.ipynb"
    assert by_id["anna"]["total"] == 2 and by_id["anna"]["file"] == "anna.ipynb"


def test_a_file_that_could_be_two_students_is_refused_naming_both(graded):
    for sid, other in (("bo", "'bo.x'"), ("bo.x", "'bo'")):
        rec = graded["by_id"][sid]
        assert rec["status"] == "rejected" and rec["total"] == 0
        assert f"could be this student's or {other}'s" in _reasons(rec)


@pytest.mark.parametrize("sid, kind", [("copycat", "a symbolic link"), ("zero", "a symbolic link"),
                                       ("pipe", "a named pipe (FIFO)"), ("dirlink", "a symbolic link")])
def test_links_fifos_and_devices_in_the_submissions_are_not_followed(graded, sid, kind):
    rec = graded["by_id"][sid]
    assert rec["status"] == "rejected" and rec["total"] == 0
    assert f"is {kind}" in _reasons(rec) and "only regular files are graded" in _reasons(rec)


def test_a_notebook_of_150000_cells_is_refused_before_it_is_built(graded):
    rec = graded["by_id"]["manycells"]
    assert rec["status"] == "rejected"
    assert "150,000 code cells; the limit is 2,000" in _reasons(rec)


def test_grading_prints_nothing_of_third_party_libraries(graded):
    assert graded["summary"]["stderr"] == ""


def test_the_mark_depends_on_the_tries_and_the_gradebook_shows_them(graded):
    rec = graded["by_id"]["guesser"]
    item = rec["exercises"]["latitude-1"]
    assert item["tries"] == 6 and item["score"] == 0.25, item
    assert "Right on try 6: 25 % of the marks" in item["message"]
    assert rec["exercises"]["latitude-2"]["tries"] == 1 and rec["exercises"]["latitude-2"]["score"] == 1
    with open(graded["out"] / "gradebook.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["student_id"] == "guesser")
    assert row["tries"].split() == ["6", "1"] + ["0"] * (len(IDS) - 2)
    doc = json.loads((graded["out"] / "gradebook.json").read_text())
    assert doc["mode"] == "practice" and "full marks within the first 3 tries" in doc["tries_rule"]


def test_copies_and_the_teachers_solutions_are_flagged_for_the_teacher_only(graded):
    doc = json.loads((graded["out"] / "gradebook.json").read_text())
    flags = doc["flags"]
    assert any("same code as copier-b" in f for f in flags["copier-a"])
    assert any("same code as copier-a" in f for f in flags["copier-b"])
    assert any("solution markers" in f for f in flags["teacher-copy"])
    assert flags["copier-a"] == ["same code as copier-b (after renaming, layout and comments are set aside)"]
    assert "liar" not in flags and "budget" not in flags                      # code of their own
    by_id = graded["by_id"]
    assert by_id["copier-a"]["status"] == by_id["copier-b"]["status"] == "graded"   # scores as they are
    with open(graded["out"] / "gradebook.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert "same code as copier-b" in rows["copier-a"]["flags"] and rows["liar"]["flags"] == ""
    assert "same code" not in (graded["out"] / "feedback" / "copier-a.md").read_text()


def test_a_rerun_reuses_unchanged_submissions_and_regrades_a_changed_one(graded):
    base, subs, out = graded["base"], graded["subs"], graded["out"]
    nbformat.write(_nb(head(sid="partial"), ALL_RIGHT), subs / "partial.ipynb")
    summary = grade_class(subs, LESSON, base / "roster.csv", out, jobs=2, limits=LIMITS,
                          secret=SECRET, progress=False)
    assert summary["graded"] == 1      # only the changed notebook ran again
    by_id = {r["student_id"]: r for r in summary["records"]}
    assert by_id["partial"]["total"] == len(IDS)
    assert by_id["good"]["total"] == len(IDS)


def test_rlimits_level_is_refused_as_root(tmp_path, monkeypatch):
    """As root the process limit does not apply and a student's daemon could leave the
    run's cgroups, so the weaker level is refused with the reason."""
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(RuntimeError, match="'rlimits' is refused when grading as root"):
        sandbox.resolve_isolation("rlimits")


def _world_can_run(path):
    """Whether any user may run ``path`` (every folder above it searchable, the file executable)."""
    path = Path(os.path.realpath(path))
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None or not _world_can_run(sys.executable),
                    reason="runs the grader as the unprivileged user 'nobody' (needs root, setpriv, and a "
                           "Python that any user may run)")
def test_rlimits_level_grades_as_an_unprivileged_user_and_stops_a_loop():
    base = Path(tempfile.mkdtemp(prefix="cosmodrome-rlimits-", dir="/tmp"))
    try:
        base.chmod(0o777)
        subs = base / "s"
        subs.mkdir()
        nbformat.write(_nb(head(sid="a"), ALL_RIGHT), subs / "a.ipynb")
        nbformat.write(_nb(head(sid="b"), TWO_RIGHT, "while True:\n    pass"), subs / "b.ipynb")
        (base / "r.csv").write_text("student_id\na\nb\n")
        for p in [subs, *subs.iterdir(), base / "r.csv"]:
            p.chmod(0o777 if p.is_dir() else 0o666)
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
               "cosmodrome.cli", "grade", str(subs), "--lesson", LESSON, "--roster", str(base / "r.csv"),
               "--out", str(base / "out"), "--isolation", "rlimits", "--cell-timeout", "5",
               "--notebook-timeout", "20", "--no-progress", "--jobs", "2"]
        env = dict(os.environ, HOME=str(base), TMPDIR=str(base), COSMODROME_COURSE_SECRET=SECRET)
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        by_id = {r["student_id"]: r for r in json.loads((base / "out" / "gradebook.json").read_text())["students"]}
        assert by_id["a"]["total"] == len(IDS), _reasons(by_id["a"])
        assert by_id["b"]["total"] == 2 and "ran past" in _reasons(by_id["b"])
        assert "isolation rlimits" in done.stdout
    finally:
        shutil.rmtree(base, ignore_errors=True)


@needs_bwrap
def test_a_grader_killed_with_kill_9_leaves_what_the_next_run_removes(tmp_path):
    """kill -9 leaves a scratch folder and the run's cgroups behind; the next run removes
    them (only its own kind), and never a live run's."""
    subs, tmp = tmp_path / "s", tmp_path / "tmp"
    subs.mkdir()
    tmp.mkdir()
    nbformat.write(_nb(head(sid="a"), "import time\ntime.sleep(120)"), subs / "a.ipynb")
    (tmp_path / "r.csv").write_text("student_id\na\n")
    cmd = [sys.executable, "-m", "cosmodrome.cli", "grade", str(subs), "--lesson", LESSON, "--roster",
           str(tmp_path / "r.csv"), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-progress"]
    env = dict(os.environ, TMPDIR=str(tmp), COSMODROME_COURSE_SECRET=SECRET)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(tmp.glob("cosmodrome-grade-*/run-*/answers.jsonl")):
        time.sleep(0.2)
    time.sleep(1)
    groups = [os.path.join(b, n) for b in sandbox._cgroup_bases() for n in os.listdir(b)
              if n.startswith(f"cosmodrome-{proc.pid}.")]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    left = list(tmp.glob("cosmodrome-grade-*"))
    assert len(left) == 1 and all(os.path.isdir(g) for g in groups)
    # a live run's folder (another grader's, here this process's) is never touched
    live = tempfile.mkdtemp(prefix=sandbox.SCRATCH_PREFIX, dir=tmp)  # as a live run holds it
    held = os.open(os.path.join(live, sandbox.MARKER), os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    other = tempfile.mkdtemp(prefix="cosmodrome-grade-", dir=tmp)     # same name, no marker: not ours
    try:
        (subs / "a.ipynb").unlink()                                    # the next run grades nothing
        rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert not left[0].exists() and not any(os.path.exists(g) for g in groups)
        assert os.path.isdir(live) and os.path.isdir(other)
    finally:
        os.close(held)


def test_auto_isolation_refuses_to_run_unboxed_without_bubblewrap(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(RuntimeError, match="apt-get install bubblewrap.*--isolation rlimits"):
        sandbox.resolve_isolation("auto")
    assert sandbox.resolve_isolation("rlimits") == "rlimits"


@needs_bwrap
def test_an_interrupted_grader_loses_nothing_and_the_rerun_completes(tmp_path):
    subs = tmp_path / "s"
    subs.mkdir()
    ids = [f"s{i}" for i in range(6)]
    for sid in ids:
        nbformat.write(_nb(head(sid=sid), ALL_RIGHT, "import time\ntime.sleep(1)"), subs / f"{sid}.ipynb")
    (tmp_path / "r.csv").write_text("student_id\n" + "\n".join(ids) + "\n")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cosmodrome.cli", "grade", str(subs), "--lesson", LESSON, "--roster",
           str(tmp_path / "r.csv"), "--out", str(out), "--jobs", "1", "--no-progress"]
    env = dict(os.environ, COSMODROME_COURSE_SECRET=SECRET)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("state/*.json"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    saved = sorted(p.stem for p in (out / "state").glob("*.json"))
    assert 2 <= len(saved) < len(ids)
    with open(out / "gradebook.csv", newline="") as f:   # whatever was written is a whole file
        rows = list(csv.DictReader(f))
    # the gradebook is rebuilt just after each record is saved, so it may lag by the one in between
    assert {r["student_id"] for r in rows} <= set(saved) and len(rows) >= len(saved) - 1
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(ids) - len(saved)} submission(s) graded, {len(saved)} unchanged" in rerun.stdout
    with open(out / "gradebook.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student_id"] for r in rows) == ids
    assert all(float(r["total"]) == len(IDS) for r in rows)


@needs_bwrap
def test_notebooks_and_paper_answers_share_one_gradebook(tmp_path):
    """Part of a class hands in notebooks, part paper: both go into one folder in
    either order and neither wipes the other; a student who did both counts with
    the better score, and the gradebook says so."""
    from cosmodrome.grading.paper import grade_paper
    from cosmodrome.worksheets.code import make_code

    subs = tmp_path / "s"
    subs.mkdir()
    nbformat.write(_nb(head(sid="nb"), TWO_RIGHT), subs / "nb.ipynb")
    (tmp_path / "r.csv").write_text("student_id\nnb\npp\n")
    out = tmp_path / "out"
    rows = []
    for sid in ("nb", "pp"):
        for ex in exercises.ALL:
            if ex.lesson == LESSON:
                p = ex.params(sid, SECRET)
                ref = ex.reference(p)
                rows.append([make_code(SECRET, LESSON, sid), ex.id,
                             f"{ref:.6g}" if isinstance(ref, float) else ex.reference_text(p)])
    with open(tmp_path / "paper.csv", "w", newline="") as f:
        csv.writer(f).writerows([["code", "exercise", "answer"], *rows])

    def book():
        with open(out / "gradebook.csv", newline="") as f:
            return {r["student_id"]: r for r in csv.DictReader(f)}

    grade_class(subs, LESSON, tmp_path / "r.csv", out, jobs=1, limits=LIMITS, secret=SECRET, progress=False)
    assert (book()["nb"]["total"], book()["pp"]["status"]) == ("2", "missing")
    grade_paper(tmp_path / "paper.csv", out, secret=SECRET)
    after_paper = book()
    assert after_paper["pp"]["total"] == str(len(IDS)) and after_paper["pp"]["status"] == "graded (paper)"
    assert after_paper["nb"]["total"] == str(len(IDS))
    assert f"also graded from notebook (nb.ipynb): 2 / {len(IDS)}" in after_paper["nb"]["reasons"]
    summary = grade_class(subs, LESSON, tmp_path / "r.csv", out, jobs=1, limits=LIMITS, secret=SECRET,
                          progress=False)
    assert summary["graded"] == 0                            # the notebook is re-used, not re-run
    assert book() == after_paper                             # and the paper grades survive a re-run
    with pytest.raises(ValueError, match="holds lesson 'latitude'"):
        grade_class(subs, "rocket", tmp_path / "r.csv", out, jobs=1, limits=LIMITS, secret=SECRET, progress=False)


@needs_bwrap
def test_grading_on_a_local_dask_cluster_matches_local_grading(tmp_path):
    distributed = pytest.importorskip("distributed")
    subs = tmp_path / "s"
    subs.mkdir()
    nbformat.write(_nb(head(sid="a"), ALL_RIGHT), subs / "a.ipynb")
    nbformat.write(_nb(head(sid="b"), TWO_RIGHT), subs / "b.ipynb")
    (tmp_path / "r.csv").write_text("student_id\na\nb\n")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as cluster:
        summary = grade_class(subs, LESSON, tmp_path / "r.csv", tmp_path / "out", scheduler=cluster.scheduler_address,
                              limits=LIMITS, secret=SECRET, progress=False)
    by_id = {r["student_id"]: r for r in summary["records"]}
    assert by_id["a"]["total"] == len(IDS) and by_id["b"]["total"] == 2


def test_the_box_binds_the_python_installation_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    bound = sandbox._read_only_paths()
    assert not any(str(tmp_path).startswith(p) or p.startswith(str(tmp_path)) for p in bound if p != "/")
    cmd = sandbox.command(["python"], tmp_path / "scratch", {"PATH": "/usr/bin"}, "bwrap") if HAVE_BWRAP else None
    if cmd:
        assert cmd.index("/tmp") < cmd.index("--ro-bind")     # the empty /tmp goes under everything bound


