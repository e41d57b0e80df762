"""The class grader against a hostile class.

One class of submissions is graded once (in parallel, with short limits); each
fixture below is a submission a real class could produce, from a correct
notebook to a fork bomb, and each test asserts its fair score and reason, and
that the others were not disturbed. Hostile fixtures are bounded (a fork bomb
stops at 300 children, the memory bomb at the memory limit, the flood is cut
by the output limit) so a grader bug fails a test instead of the machine.
"""

import csv
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

import cosmodrome
from cosmodrome import exercises
from cosmodrome.grading import Limits, gradebook, grade_class, sandbox
from cosmodrome.grading.submission import Rejected, clean_notebook, read_roster

LESSON = "latitude"
IDS = [e.id for e in exercises.ALL if e.lesson == LESSON]
SECRET = "grading-test-course"
LIMITS = Limits(cell_timeout_s=10, notebook_timeout_s=30, memory_bytes=2 * 2**30, processes=64,
                output_bytes=256 * 1024)

REQUIRE_BWRAP = os.environ.get("COSMODROME_REQUIRE_BWRAP") == "1"
HAVE_BWRAP = sandbox.bwrap_path() is not None
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP and not REQUIRE_BWRAP,
                                 reason="bubblewrap not installed (CI installs it and requires it)")

HEAD = '''from cosmodrome.exercises import start
ws = start("latitude", student="{sid}")
def right(eid):
    b = ws[eid]
    ref = b.exercise.reference(b.params)
    return sorted(ref) if isinstance(ref, frozenset) else ref
'''
ALL_RIGHT = "for eid in {ids!r}:\n    ws[eid].check(right(eid))\n".format(ids=IDS)
TWO_RIGHT = "ws['latitude-1'].check(right('latitude-1'))\nws['latitude-2'].check(right('latitude-2'))\n"


def _nb(*cells, version=4):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def _hash_tree(root):
    h = hashlib.sha256()
    for p in sorted(Path(root).rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _write_class(subs, out, port):
    """Every fixture of the hostile class; returns the roster's student ids."""
    pkg = Path(cosmodrome.__file__).parent
    head = HEAD.format
    nbs = {
        "good": _nb(head(sid="good"), ALL_RIGHT),
        # right on two, a known misconception on latitude-1 overridden by the right one later
        "partial": _nb(head(sid="partial"), "ws['latitude-1'].check(51.9)\n" + TWO_RIGHT,
                       "ws['latitude-3'].check(-5.0)"),
        "loop": _nb(head(sid="loop"), TWO_RIGHT, "while True:\n    pass", "ws['latitude-4'].check(right('latitude-4'))"),
        "stubborn-loop": _nb(head(sid="stubborn-loop"), TWO_RIGHT,
                             "import time\nwhile True:\n    try:\n        time.sleep(0.5)\n    except BaseException:\n        pass",
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
for victim in [{str(pkg / "exercises" / "bank.py")!r}, {str(subs / "good.ipynb")!r}]:
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
if "COSMODROME_TEST_LEAK" in os.environ or "HOME" in os.environ and os.environ["HOME"] == {os.environ.get("HOME", "")!r}:
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
        "impostor": _nb(head(sid="good"), ALL_RIGHT),
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
    ids = sorted(nbs) + ["v3", "v5", "badjson", "empty", "pdf", "huge", "absent"]
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
    _write_class(subs, out, server.getsockname()[1])
    pkg_hash = _hash_tree(Path(cosmodrome.__file__).parent)
    subs_hash = _hash_tree(subs)
    os.environ["COSMODROME_TEST_LEAK"] = "teacher-secret"
    try:
        summary = grade_class(subs, LESSON, base / "roster.csv", out, jobs=2, limits=LIMITS,
                              secret=SECRET, progress=False)
    finally:
        del os.environ["COSMODROME_TEST_LEAK"]
        stop.set()
    server.close()
    return {"summary": summary, "by_id": {r["student_id"]: r for r in summary["records"]}, "out": out,
            "subs": subs, "base": base, "pkg_hash": pkg_hash, "subs_hash": subs_hash,
            "connections": connections}


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
    # the notebook said student="good"; it was graded with impostor's own numbers,
    # which its code read from the worksheet, so it is right, and the note says so
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
    assert doc["unmatched_files"] == ["stranger.ipynb"]
    assert doc["isolation"] == "bwrap"
    md = (out / "feedback" / "loop.md").read_text()
    assert "ran past" in md and "latitude-1" in md
    # feedback never carries a reference value
    for rec in graded["summary"]["records"]:
        for item in rec["exercises"].values():
            assert "reference" not in item["message"].lower()


def test_a_rerun_reuses_unchanged_submissions_and_regrades_a_changed_one(graded):
    base, subs, out = graded["base"], graded["subs"], graded["out"]
    nbformat.write(_nb(HEAD.format(sid="partial"), ALL_RIGHT), subs / "partial.ipynb")
    summary = grade_class(subs, LESSON, base / "roster.csv", out, jobs=2, limits=LIMITS,
                          secret=SECRET, progress=False)
    assert summary["graded"] == 1      # only the changed notebook ran again
    by_id = {r["student_id"]: r for r in summary["records"]}
    assert by_id["partial"]["total"] == len(IDS)
    assert by_id["good"]["total"] == len(IDS)


def test_the_gradebook_folder_is_locked_against_a_second_grader(tmp_path):
    with gradebook.locked(tmp_path):
        with pytest.raises(RuntimeError, match="another grader"):
            with gradebook.locked(tmp_path):
                pass


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "g.csv"
    gradebook.atomic_write(target, "old\n")

    with pytest.raises(TypeError):
        gradebook.atomic_write(target, 12345)          # fails while writing
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.csv"]


def test_roster_errors_name_the_row(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("student_id,name\nok,A\nbad id,B\n")
    with pytest.raises(ValueError, match=r"row 3: student_id 'bad id'"):
        read_roster(p)
    p.write_text("id,name\nx,y\n")
    with pytest.raises(ValueError, match="student_id column"):
        read_roster(p)
    p.write_text("student_id\na\nA\n")
    with pytest.raises(ValueError, match="row 3.*appears twice"):
        read_roster(p)


def test_clean_notebook_keeps_only_code():
    nb = _nb("x = 1")
    nb.cells.append(nbformat.v4.new_markdown_cell("# title"))
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="score 100")]
    clean = clean_notebook(nbformat.writes(nb).encode(), 2**20)
    assert [c.source for c in clean.cells] == ["x = 1"] and clean.cells[0].outputs == []
    with pytest.raises(Rejected, match="cell 1: its source is not text"):
        clean_notebook(json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}).encode(), 2**20)
    with pytest.raises(Rejected, match="no cells"):
        clean_notebook(b"[1, 2]", 2**20)
    with pytest.raises(Rejected, match="nested too deeply"):
        clean_notebook(b"[" * 100000, 2**20)


def test_limits_reject_nonsense():
    with pytest.raises(ValueError, match="cell_timeout_s"):
        Limits(cell_timeout_s=0)
    with pytest.raises(ValueError, match="memory_bytes"):
        Limits(memory_bytes=10)


def test_rlimits_level_also_grades_and_stops_a_loop(tmp_path):
    subs = tmp_path / "s"
    subs.mkdir()
    nbformat.write(_nb(HEAD.format(sid="a"), ALL_RIGHT), subs / "a.ipynb")
    nbformat.write(_nb(HEAD.format(sid="b"), TWO_RIGHT, "while True:\n    pass"), subs / "b.ipynb")
    (tmp_path / "r.csv").write_text("student_id\na\nb\n")
    summary = grade_class(subs, LESSON, tmp_path / "r.csv", tmp_path / "out", jobs=2, isolation="rlimits",
                          limits=Limits(cell_timeout_s=5, notebook_timeout_s=20), secret=SECRET, progress=False)
    by_id = {r["student_id"]: r for r in summary["records"]}
    assert by_id["a"]["total"] == len(IDS)
    assert by_id["b"]["total"] == 2 and "ran past" in _reasons(by_id["b"])
    assert summary["isolation"] == "rlimits"


def test_auto_isolation_refuses_to_run_unboxed_without_bubblewrap(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    with pytest.raises(RuntimeError, match="apt-get install bubblewrap.*--isolation rlimits"):
        sandbox.resolve_isolation("auto")
    assert sandbox.resolve_isolation("rlimits") == "rlimits"


@needs_bwrap
def test_an_interrupted_grader_loses_nothing_and_the_rerun_completes(tmp_path):
    subs = tmp_path / "s"
    subs.mkdir()
    ids = [f"s{i}" for i in range(6)]
    for sid in ids:
        nbformat.write(_nb(HEAD.format(sid=sid), ALL_RIGHT, "import time\ntime.sleep(1)"), subs / f"{sid}.ipynb")
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
    nbformat.write(_nb(HEAD.format(sid="nb"), TWO_RIGHT), subs / "nb.ipynb")
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
    assert "also graded from notebook (nb.ipynb): 2 / 5" in after_paper["nb"]["reasons"]
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
    nbformat.write(_nb(HEAD.format(sid="a"), ALL_RIGHT), subs / "a.ipynb")
    nbformat.write(_nb(HEAD.format(sid="b"), TWO_RIGHT), subs / "b.ipynb")
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
