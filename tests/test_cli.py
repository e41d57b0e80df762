"""The command line, run as a user runs it.

Most tests call ``cli.main`` in this process with its output captured (a new Python process per command
cost about a second each); the tests of what only a real process shows (``python -m cosmodrome``, a pipe
closed by ``head``, the working folder, the environment) still start one."""

import contextlib
import io
import subprocess
import sys
from types import SimpleNamespace

import pytest

from cosmodrome import cli

CMD = [sys.executable, "-m", "cosmodrome.cli"]


def run(*args):
    """``cosmodrome ARGS`` in this process: its exit status and what it wrote to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:                    # argparse: --help, and usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.mark.parametrize("sub", [[], ["sites"], ["site"], ["vehicles"], ["vehicle"], ["launch"], ["track"],
                                 ["groundtrack"], ["exercises"], ["variant"], ["tour"], ["grade"], ["release"],
                                 ["worksheet"], ["grade-paper"]])
def test_help(sub):
    r = run(*sub, "--help")
    assert r.returncode == 0 and "usage: cosmodrome" in r.stdout


def test_sites_table():
    r = run("sites")
    assert r.returncode == 0
    assert "vostochny" in r.stdout and "51.88" in r.stdout and "sohae" in r.stdout


def test_site_with_inclination():
    r = run("site", "vostochny", "--inclination", "97.6")
    assert r.returncode == 0, r.stderr
    assert "Fly ground azimuth 345.63 deg" in r.stdout


def test_site_iss_plane_explains_and_prices_the_fix():
    """Cannot, and here is the fix: exit 3, the site's figures on stdout, why not and the fix on stderr."""
    r = run("site", "vostochny", "--inclination", "51.6")
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert "Inclinations reachable by direct ascent: 51.7-101.0 deg" in r.stdout
    assert "cannot reach an orbit tilted less than the launch latitude" in r.stderr
    assert "the fix: launch due east to 51.70 deg, then turn the plane by 0.10 deg in orbit" in r.stderr
    assert "Traceback" not in r.stderr


def test_site_outside_a_corridor_is_unreachable_not_bad_input():
    r = run("site", "baikonur", "--inclination", "47")
    assert r.returncode == 3 and "outside the range-safety corridors" in r.stderr and "the fix:" in r.stderr


def test_site_inclination_out_of_range_is_bad_input_before_any_output():
    r = run("site", "vostochny", "--inclination", "200")
    one_line_error(r, "--inclination must be in [0, 180] deg (got 200)")
    assert r.stdout == ""


def test_vehicle_table():
    r = run("vehicle", "angara-a5")
    assert r.returncode == 0
    assert "9.61 MN" in r.stdout and "8.70 m (published 8.86 m)" in r.stdout


@pytest.mark.parametrize("args,msg", [
    (["vehicle", "angra"], "did you mean 'angara-a5'"),
    (["site", "nowhere"], "unknown launch site 'nowhere'"),
    (["vehicle", "unha-3", "--payload-kg", "-5"], "payload_kg must be in [0, 91100] kg (got -5)"),
    (["site", "sohae", "--inclination", "nan"], "--inclination must be a finite number"),
    (["variant", "", "latitude-1"], "student = '' (0 characters) is not a student id"),
    (["variant", "x" * 10_000, "latitude-1"], "(10000 characters) is not a student id"),
])
def test_errors_are_one_line_not_tracebacks(args, msg):
    r = run(*args)
    assert r.returncode == 2
    assert msg in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args,msg", [
    (["vehicle", "angara-a5", "--payload-kg", "1e30"], "payload_kg must be in [0, 754400] kg (got 1e+30); at most "
                                                       "Angara-A5's own lift-off mass without payload"),
    (["vehicle", "chollima-1", "--payload-kg", "-1"], "payload_kg must be in [0, 100600] kg (got -1)"),
])
def test_payload_heavier_than_the_rocket_is_refused(args, msg):
    r = run(*args)
    assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stdout == ""  # refused before any of the vehicle's table is printed


def test_tour_writes_its_files(tmp_path):
    r = run("tour", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for name in ("tour.md", "index.html", "sites.csv", "sites_speed_and_geo_cost.png"):
        assert (tmp_path / name).stat().st_size > 100
    text = (tmp_path / "tour.md").read_text()
    assert "8.70 m" in text and "9.61 MN" in text
    assert (tmp_path / "sites_speed_and_geo_cost.png").read_bytes()[:4] == b"\x89PNG"


def test_launch_prints_timeline_budget_orbit_and_plots(tmp_path):
    png = tmp_path / "flight.png"
    r = run("launch", "--vehicle", "soyuz-2.1b", "--site", "vostochny", "--orbit", "200x240",
            "--inclination", "52.0", "--payload-kg", "7000", "--kick", "4", "--plot", str(png))
    assert r.returncode == 0, r.stderr
    assert "booster separation" in r.stdout and "delta-v: ideal" in r.stdout
    import re

    m = re.search(r"orbit: ([\d.]+) x ([\d.]+) km, inclination ([\d.]+) deg", r.stdout)
    assert m, r.stdout
    assert abs(float(m.group(1)) - 200) < 1 and abs(float(m.group(2)) - 240) < 1
    assert float(m.group(3)) == pytest.approx(52.0, abs=0.05)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_launch_to_the_iss_plane_explains_the_plane_change():
    r = run("launch", "--vehicle", "soyuz-2.1b", "--site", "vostochny", "--inclination", "51.6")
    assert r.returncode == 3
    assert "direct ascent cannot reach it" in r.stderr and "m/s at 200 km" in r.stderr and "--dogleg" in r.stderr
    r = run("launch", "--vehicle", "soyuz-2.1b", "--site", "baikonur", "--inclination", "47")
    assert r.returncode == 3 and "outside the range-safety corridors" in r.stderr


def test_launch_too_heavy():
    # heavier than its thrust lifts, lighter than the rocket itself (a heavier payload is refused as out of range)
    r = run("launch", "--vehicle", "chollima-1", "--site", "sohae", "--inclination", "97.4", "--payload-kg", "80000")
    assert r.returncode == 2 and "thrust-to-weight" in r.stderr


def test_launch_with_a_catalogued_fault_fails_honestly():
    r = run("launch", "--vehicle", "chollima-1", "--site", "sohae", "--orbit", "493x512", "--inclination", "97.4",
            "--payload-kg", "300", "--kick", "6.5", "--fault", "case:chollima-1-2023-05")
    assert r.returncode == 1
    assert "FAULT: stage 2 loses 100 % of its thrust" in r.stdout and "suborbital: impact" in r.stdout


def test_launch_with_an_attitude_loss():
    r = run("launch", "--vehicle", "proton-m", "--site", "baikonur", "--orbit", "200x200", "--inclination", "64.8",
            "--payload-kg", "20000", "--fault", "attitude_loss:8:7.2:270")
    assert r.returncode == 1
    assert "thrust axis swings to the left at 7.2 deg/s" in r.stdout and "suborbital: impact" in r.stdout


@pytest.mark.parametrize("fault,msg", [("gremlins:2", "--fault kind must be one of"),
                                       ("attitude_loss:8", "wrong arguments for attitude_loss"),
                                       ("no_ignition:x", "wrong arguments for no_ignition"),
                                       ("thrust_shortfall:2:10:7", "fraction must be in (0, 1]")])
def test_bad_fault_spec(fault, msg):
    r = run("launch", "--vehicle", "chollima-1", "--site", "sohae", "--inclination", "97.4", "--fault", fault)
    assert r.returncode == 2 and msg in r.stderr


@pytest.mark.parametrize("args,msg", [
    (["--payload-kg", "1e30"], "payload_kg must be in [0, 296176] kg (got 1e+30)"),
    (["--kick", "-30"], "kick_deg must be in (0, 45] deg (got -30)"),
    (["--kick", "500"], "kick_deg must be in (0, 45] deg (got 500)"),
])
def test_launch_refuses_out_of_range_numbers(args, msg):
    r = run("launch", "--vehicle", "soyuz-2.1b", "--site", "vostochny", *args)
    assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_launch_dogleg_reports_its_cost():
    r = run("launch", "--vehicle", "soyuz-2.1b", "--site", "vostochny", "--orbit", "200x240", "--inclination", "50",
            "--payload-kg", "7000", "--kick", "6.5", "--dogleg")
    assert r.returncode == 0, r.stderr
    assert "inclination 50.00 deg" in r.stdout and "Dog-leg cost:" in r.stdout


def test_track_lists_passes():
    r = run("track", "malligyong-1", "--over", "pyongyang", "--days", "2")
    assert r.returncode == 0, r.stderr
    assert "2024-06-07 01:19:19" in r.stdout and "max elev deg" in r.stdout


def test_groundtrack_plots(tmp_path):
    png = tmp_path / "track.png"
    r = run("groundtrack", "malligyong-1", "--orbits", "3", "--plot", str(png), "--place", "pyongyang")
    assert r.returncode == 0, r.stderr
    assert "latitude reach +/-82." in r.stdout and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args,msg", [
    (["track", "nosat", "--over", "pyongyang"], "unknown satellite 'nosat'"),
    (["track", "iss", "--over", "pyongyang", "--days", "99"], "--days must be in (0, 30]"),
    (["track", "iss", "--over", "pyongyang", "--start", "tomorrow"], "--start must be a date"),
    (["groundtrack", "iss", "--orbits", "500"], "--orbits must be in (0, 50]"),
])
def test_tracking_errors(args, msg):
    r = run(*args)
    assert r.returncode == 2 and msg in r.stderr and "Traceback" not in r.stderr


def test_track_reads_a_users_tle_file_and_rejects_a_broken_one(tmp_path):
    good = tmp_path / "iss.tle"
    good.write_text((__import__("pathlib").Path(__file__).parents[1] / "data" / "tle" / "iss.tle").read_text())
    r = run("track", "--tle", str(good), "--over", "seoul", "--days", "1")
    assert r.returncode == 0, r.stderr
    assert "ISS (ZARYA) over Seoul" in r.stdout
    bad = tmp_path / "bad.tle"
    lines = good.read_text().splitlines()
    lines[-2] = lines[-2][:-1] + str((int(lines[-2][-1]) + 1) % 10)
    bad.write_text("\n".join(lines) + "\n")
    r = run("track", "--tle", str(bad), "--over", "seoul")
    assert r.returncode == 2 and "checksum digit" in r.stderr and "Traceback" not in r.stderr
    binary = tmp_path / "x.tle"
    binary.write_bytes(bytes(range(256)))
    r = run("groundtrack", "--tle", str(binary))
    assert r.returncode == 2 and "not text" in r.stderr


def test_pass_sky_plot_renders(tmp_path):
    from cosmodrome import plot, tracking

    ts = tracking.timescale()
    sat = tracking.satellite("malligyong-1")
    p = tracking.passes(sat, 39.02, 125.74, ts.utc(2024, 6, 6), ts.utc(2024, 6, 8))
    best = max(p, key=lambda x: x["max_elevation_deg"])
    path = tmp_path / "sky.png"
    plot.pass_sky_plot(sat, "Pyongyang", 39.02, 125.74, best).savefig(path, dpi=60)
    assert path.stat().st_size > 5000


def test_variant_replays_a_student():
    a = run("variant", "ivanova", "rocket-1", "--answer")
    b = run("variant", "ivanova", "rocket-1")
    assert a.returncode == 0 and "Reference answer (teacher's view)" in a.stdout
    assert "Reference answer" not in b.stdout
    assert a.stdout.splitlines()[2] == b.stdout.splitlines()[2]  # same numbers every time
    assert run("variant", "kim", "rocket-1").stdout != b.stdout
    r = run("variant", "ivanova", "rockt-1")
    assert r.returncode == 2 and "did you mean 'rocket-1'" in r.stderr


def test_worksheet_and_grade_paper_commands(tmp_path):
    import csv as _csv

    from cosmodrome import exercises
    from cosmodrome.worksheets.code import make_code

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\nivanova,Anna Ivanova\nkim,Kim Min-jun\n")
    r = run("worksheet", "--lesson", "rocket", "--roster", str(roster), "--out", str(tmp_path / "ws"),
            "--paper", "letter", "--date", "2026-11-25")
    assert r.returncode == 0, r.stderr
    assert "2 worksheet(s)" in r.stdout
    assert sorted(p.name for p in (tmp_path / "ws").glob("*.pdf")) == [
        "class-key.pdf", "class-pack.pdf", "ivanova-key.pdf", "ivanova.pdf", "kim-key.pdf", "kim.pdf"]
    secret = exercises.DEFAULT_COURSE_SECRET
    ex = exercises.EXERCISES["rocket-1"]
    ref = ex.reference(ex.params("kim", secret))
    with open(tmp_path / "answers.csv", "w", newline="") as f:
        w = _csv.writer(f)
        w.writerow(["code", "exercise", "answer"])
        w.writerow([make_code(secret, "rocket", "kim"), "rocket-1", f"{ref:.0f}"])
    r = run("grade-paper", str(tmp_path / "answers.csv"), "--out", str(tmp_path / "gb"), "--roster", str(roster))
    assert r.returncode == 0, r.stderr
    assert "kim" in r.stdout and "1 / 5" in r.stdout
    with open(tmp_path / "answers.csv", "a", newline="") as f:
        _csv.writer(f).writerow(["rocket.kim.ZZZZZ", "rocket-2", "5"])
    r = run("grade-paper", str(tmp_path / "answers.csv"), "--out", str(tmp_path / "gb2"))
    assert r.returncode == 2 and "row 3" in r.stderr and "check characters" in r.stderr
    with open(tmp_path / "staging.csv", "w", newline="") as f:
        _csv.writer(f).writerows([["code", "exercise", "answer"],
                                  [make_code(secret, "staging", "kim"), "staging-2", "1"]])
    r = run("grade-paper", str(tmp_path / "staging.csv"), "--out", str(tmp_path / "gb"))
    assert r.returncode == 2 and "holds lesson 'rocket'; grade lesson 'staging' into another folder" in r.stderr


def one_line_error(r, *msgs):
    """Bad input: exit status 2 and one line on stderr holding every one of msgs."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for m in msgs:
        assert m in r.stderr, r.stderr


def test_help_states_the_exit_status():
    r = run("--help")
    assert r.returncode == 0
    assert "exit status" in r.stdout and "0    success" in r.stdout and "2    bad input" in r.stdout
    assert "1    the answer is a failure" in r.stdout and "3    cannot, and here is the fix" in r.stdout
    assert "141  the output's reader went away" in r.stdout
    from cosmodrome import cli

    assert (cli.EXIT_OK, cli.EXIT_FAILED, cli.EXIT_BAD_INPUT, cli.EXIT_UNREACHABLE,
            cli.EXIT_PIPE_CLOSED) == (0, 1, 2, 3, 141)


def test_version_and_python_dash_m():
    from importlib.metadata import version

    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"cosmodrome {version('cosmodrome')}"
    r = subprocess.run([sys.executable, "-m", "cosmodrome", "sites"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "vostochny" in r.stdout
    r = subprocess.run([sys.executable, "-m", "cosmodrome", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("usage: cosmodrome ")


@pytest.mark.parametrize("args,msg", [
    (["launch"], "cosmodrome launch: error: the following arguments are required: --vehicle, --site "
                 "(see 'cosmodrome launch --help')"),
    (["sites", "--bogus"], "cosmodrome: error: unrecognized arguments: --bogus (see 'cosmodrome --help')"),
    (["flyaway"], "cosmodrome: error: argument COMMAND: invalid choice: 'flyaway'"),
    (["site", "vostochny", "--inclination", "steep"], "argument --inclination: invalid float value: 'steep'"),
])
def test_usage_errors_are_one_line(args, msg):
    r = run(*args)
    one_line_error(r, msg)
    assert r.stdout == ""


def test_piped_into_head_ends_quietly(tmp_path):
    """The shell's own pipe into head, as a user types it."""
    import shlex

    cmd = " ".join(shlex.quote(c) for c in CMD)
    r = subprocess.run(["bash", "-c",
                        f"{cmd} track iss --over seoul --days 3 | head -2; echo status=${{PIPESTATUS[0]}}"],
                       capture_output=True, text=True, timeout=120)
    assert r.stderr == "" and len(r.stdout.splitlines()) == 3, (r.stdout, r.stderr)
    assert r.stdout.splitlines()[-1] in ("status=0", "status=141")  # 0 if it all fit in the pipe first


def _class(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\nkim,Kim Min-jun\n")
    (tmp_path / "subs").mkdir()
    return str(tmp_path / "subs"), str(roster)


def _isolation():
    import shutil

    return "bwrap" if shutil.which("bwrap") else "rlimits"


@pytest.mark.parametrize("command", ["grade", "worksheet", "grade-paper", "course", "release", "tour"])
def test_out_that_is_a_file_is_refused_up_front(tmp_path, command):
    subs, roster = _class(tmp_path)
    answers = tmp_path / "answers.csv"
    answers.write_text("code,exercise,answer\n")
    afile = tmp_path / "notes.txt"
    afile.write_text("keep me\n")
    args = {"grade": [subs, "--lesson", "latitude", "--roster", roster, "--isolation", _isolation(), "--no-progress"],
            "worksheet": ["--lesson", "latitude", "--roster", roster],
            "grade-paper": [str(answers)], "course": ["build"], "release": [], "tour": []}[command]
    for out in (afile, afile / "gradebook"):
        r = run(command, *args, "--out", str(out))
        one_line_error(r, "--out must be a folder or a path that does not exist yet", str(out), str(afile),
                       "is a file")
    assert afile.read_text() == "keep me\n"


@pytest.mark.parametrize("jobs", ["0", "-1", "257"])
def test_grade_jobs_out_of_range(tmp_path, jobs):
    subs, roster = _class(tmp_path)
    r = run("grade", subs, "--lesson", "latitude", "--roster", roster, "--out", str(tmp_path / "gb"),
            "--isolation", _isolation(), "--no-progress", "--jobs", jobs)
    one_line_error(r, f"--jobs must be in [1, 256] (got {jobs})")
    assert not (tmp_path / "gb").exists()


def test_grade_with_an_unreachable_scheduler_names_it(tmp_path):
    import os

    subs, roster = _class(tmp_path)
    env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")  # a shorter configured wait is kept
    r = subprocess.run(CMD + ["grade", subs, "--lesson", "latitude", "--roster", roster, "--out", str(tmp_path / "gb"),
                              "--isolation", _isolation(), "--no-progress", "--scheduler", "tcp://127.0.0.1:1"],
                       capture_output=True, text=True, timeout=120, env=env)
    if "isolation" in r.stderr:
        pytest.skip(f"no sandbox to grade in here: {r.stderr.strip()}")
    one_line_error(r, "--scheduler must be the address of a running Dask scheduler (got 'tcp://127.0.0.1:1': ",
                   "after 2 s")


def test_scheduler_connect_timeout_is_short():
    import dask.config

    from cosmodrome import cli

    key = "distributed.comm.timeouts.connect"
    with dask.config.set({key: "30s"}), cli._scheduler_timeout("tcp://10.0.0.5:8786"):
        assert dask.config.get(key) == f"{cli.SCHEDULER_CONNECT_TIMEOUT_S:g}s" == "10s"
    with dask.config.set({key: "3s"}), cli._scheduler_timeout("tcp://10.0.0.5:8786"):
        assert dask.config.get(key) == "3s"


@pytest.mark.parametrize("args", [["sites"], ["track", "iss", "--over", "seoul", "--days", "1"]])
def test_a_closed_pipe_ends_quietly(args):
    """``cosmodrome track ... | head -1``: the reader has gone; no traceback, no noise."""
    p = subprocess.Popen(CMD + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.close()  # the reader leaves before the command writes anything
    err = p.stderr.read()
    assert p.wait(timeout=120) == 141
    assert err == ""


def test_track_refuses_a_tle_whose_perigee_is_inside_the_earth(tmp_path):
    from cosmodrome import tracking

    iss = __import__("pathlib").Path(__file__).parents[1] / "data" / "tle" / "iss.tle"
    l1, l2 = iss.read_text().splitlines()[-2:]
    l2 = l2[:26] + "9999999" + l2[33:68]
    l2 += str(tracking.tle_checksum(l2))
    tle = tmp_path / "plunge.tle"
    tle.write_text(f"PLUNGE\n{l1}\n{l2}\n")
    r = run("track", "--tle", str(tle), "--over", "seoul", "--days", "1")
    one_line_error(r, "plunge.tle, line 3", "eccentricity 0.9999999", "must be in [0, 0.06", "perigee")


@pytest.mark.slow
def test_variant_with_answer_replays_every_exercise(capsys):
    """The teacher's replay tool works for every exercise, whatever its answer type."""
    from cosmodrome import exercises
    from cosmodrome.cli import main

    for e in exercises.ALL:
        assert main(["variant", "ivanova", e.id, "--answer"]) in (0, None)
        out = capsys.readouterr().out
        assert f"{e.id} (version {e.version}" in out and "Reference answer (teacher's view):" in out, e.id


def _notebooks(folder):
    return sorted(p.name for p in folder.glob("*.ipynb"))


def test_lessons_hands_out_student_and_teacher_copies_from_any_folder(tmp_path):
    """`cosmodrome lessons` and `release` find the lessons cosmodrome comes with, wherever they run."""
    import nbformat

    from cosmodrome._data import lessons_dir
    from cosmodrome.course.release import has_solutions, lesson_paths

    names = [p.name for p in lesson_paths(lessons_dir(required=True))]
    assert names, "no lessons found"
    go = lambda *a: subprocess.run(CMD + list(a), capture_output=True, text=True, timeout=120, cwd=tmp_path)  # noqa: E731
    r = go("lessons", "--out", "students")
    assert r.returncode == 0, r.stderr
    assert _notebooks(tmp_path / "students") == names and "jupyter lab students" in r.stdout
    assert not any(has_solutions(nbformat.read(p, as_version=4)) for p in (tmp_path / "students").glob("*.ipynb"))
    r = go("lessons", "--teacher", "--out", "teacher")
    assert r.returncode == 0, r.stderr
    assert _notebooks(tmp_path / "teacher") == names and (tmp_path / "teacher" / "README.md").is_file()
    source = lessons_dir(required=True)
    assert all((tmp_path / "teacher" / n).read_bytes() == (source / n).read_bytes() for n in names)
    r = go("release", "--out", "released")                 # its default lessons folder is not ./lessons
    assert r.returncode == 0, r.stderr
    assert _notebooks(tmp_path / "released") == names


def test_lessons_keep_a_students_work_unless_replace(tmp_path):
    out = tmp_path / "mine"
    assert main_ok("lessons", "--out", str(out))
    first = sorted(out.glob("*.ipynb"))[0]
    first.write_text('{"my": "work"}')
    r = run("lessons", "--out", str(out))
    assert r.returncode == 0 and "kept (already there" in r.stdout and str(first) in r.stdout
    assert first.read_text() == '{"my": "work"}'
    r = run("lessons", "--out", str(out), "--replace")
    assert r.returncode == 0 and first.read_text() != '{"my": "work"}'
    one_line_error(run("lessons", "--out", str(out), "--teacher", "--graded"), "--graded makes student copies")
    one_line_error(run("lessons", "--out", str(out), "--lessons", str(out)), "--out must be another folder than")


def test_lessons_from_a_folder_without_lessons_is_one_line(tmp_path):
    one_line_error(run("lessons", "--out", str(tmp_path / "o"), "--lessons", str(tmp_path)),
                   "no lessons (NN-name.ipynb) found in")


def main_ok(*args):
    r = run(*args)
    assert r.returncode == 0, (r.stdout, r.stderr)
    return True


def test_roster_commands_say_which_column_gave_the_ids(tmp_path):
    """A Canvas gradebook export as the roster: the worksheet command names the column it used."""
    roster = tmp_path / "canvas.csv"
    roster.write_text('Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n'
                      '"Ivanova, Anna",101,,,A\n"Kim, Min-jun",102,,,A\n')
    r = run("worksheet", "--lesson", "rocket", "--roster", str(roster), "--out", str(tmp_path / "ws"))
    assert r.returncode == 0, r.stderr
    assert "roster canvas.csv: 2 student(s), ids from column 'ID'" in r.stdout
    assert sorted(p.name for p in (tmp_path / "ws").glob("10?.pdf")) == ["101.pdf", "102.pdf"]
    roster.write_text('Student,ID,SIS User ID,SIS Login ID,Section\n"Ivanova, Anna",101,S1,ivanova,A\n')
    r = run("worksheet", "--lesson", "rocket", "--roster", str(roster), "--out", str(tmp_path / "ws2"))
    one_line_error(r, "which column holds the student ids? 'SIS User ID' (row 2: 'S1') and 'SIS Login ID' "
                      "(row 2: 'ivanova') differ")
    assert not (tmp_path / "ws2").exists()


def test_lab_config_turns_off_jupyterlabs_news():
    """The page config that `make lab` (JUPYTER_CONFIG_PATH) and a wheel install (page_config.d)
    give JupyterLab disables its news and update announcements (JupyterLab docs, "Announcements")."""
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(root / "jupyter-config"))
    code = ("from jupyterlab_server.config import get_page_config; "
            "print(get_page_config([], None)['disabledExtensions'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert "@jupyterlab/apputils-extension:announcements" in r.stdout, (r.stdout, r.stderr)
    assert "JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config" in (root / "Makefile").read_text()


@pytest.mark.slow
def test_lab_started_by_the_project_shows_no_news_pop_up(tmp_path):
    """JupyterLab in a real browser, started as `make lab` starts it (JUPYTER_CONFIG_PATH at
    jupyter-config/) and, for contrast, without it: only the latter asks about Jupyter news."""
    import os
    import shutil
    import socket
    import time
    from pathlib import Path

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    jupyter = Path(sys.executable).parent / "jupyter"
    if not chromium or not jupyter.exists():
        if os.environ.get("COSMODROME_REQUIRE_BROWSER") == "1":
            pytest.fail("COSMODROME_REQUIRE_BROWSER=1 but Chromium or jupyter is missing (make browser)")
        pytest.skip("needs Chromium (make browser) and jupyter")
    playwright = pytest.importorskip("playwright.sync_api")
    root = Path(__file__).resolve().parents[1]
    question = "Would you like to get notified about official Jupyter news?"

    def lab_text(config):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        home = tmp_path / f"home-{config}"              # no settings a user saved earlier
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
        env["HOME"] = str(home)
        if config:
            env["JUPYTER_CONFIG_PATH"] = str(root / "jupyter-config")
        server = subprocess.Popen([str(jupyter), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                                   "--ServerApp.token=", "--ServerApp.password=", "--allow-root", str(tmp_path)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(90):
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    break
                except OSError:
                    time.sleep(1)
            with playwright.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/lab")
                page.wait_for_selector("#jp-main-dock-panel", timeout=90_000)
                if not config:
                    page.wait_for_selector(f"text={question}", timeout=60_000)
                else:
                    time.sleep(10)                          # longer than the pop-up takes to come without it
                text = page.inner_text("body")
                browser.close()
                return text
        finally:
            server.terminate()
            server.wait(timeout=60)

    assert question in lab_text(config=False)              # the control: JupyterLab asks by default
    assert question not in lab_text(config=True)
