"""cosmodrome as a teacher installs it: from its wheel, in a new environment, outside the checkout.

One test, in steps (one test so that pytest-xdist builds and installs once):

1. PyPA ``build`` makes the sdist and, from the sdist, the wheel (so both carry the data and
   the lessons), in a temporary folder; the checkout is only read.
2. A new virtual environment in an empty temporary folder; ``pip install`` the wheel with its
   dependencies, as a teacher would (pip takes them from its cache when it has them: about a
   minute on the 2-core machine, most of it unpacking JupyterLab, SciPy and matplotlib).
3. In that folder, with PYTHONPATH, COSMODROME_DATA and COSMODROME_LESSONS unset, so nothing
   of the checkout can be imported or read: the README's commands, the student and teacher
   copies handed out, one handed-out lesson executed, and the course pack built.

The course pack is built from one lesson (``course build --lessons DIR`` with the visit lesson
only): the tour, that lesson executed as teacher and student copy, every lesson's worksheets
and the demo class graded in the sandbox (its right answers get full marks). Every lesson
executed is tests/test_lessons.py's job; here it would only repeat that for minutes more.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: Variables that would let the installed copy see the checkout or another environment.
CLEARED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "COSMODROME_DATA",
           "COSMODROME_LESSONS", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR")


def _isolation():
    return "bwrap" if shutil.which("bwrap") else "rlimits"


class Steps:
    """Runs commands in the new environment, timing each; a failure shows its output."""

    def __init__(self, venv, cwd):
        self.bin, self.cwd, self.times = venv / "bin", cwd, {}
        self.env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        self.env.update(PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONNOUSERSITE="1",
                        HOME=str(cwd.parent / "home"), MPLBACKEND="Agg")
        (cwd.parent / "home").mkdir(exist_ok=True)

    def __call__(self, *cmd, status=0, timeout=600, what=None):
        t0 = time.monotonic()
        r = subprocess.run([str(c) for c in cmd], cwd=self.cwd, env=self.env, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        self.times[what or " ".join([Path(cmd[0]).name] + [str(c)[:30] for c in cmd[1:3]])] = time.monotonic() - t0
        assert r.returncode == status, f"{cmd} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        return r

    def py(self, code, **kw):
        return self(self.bin / "python", "-c", code, **kw)

    def cosmodrome(self, *args, **kw):
        return self(self.bin / "cosmodrome", *args, **kw)


def test_the_wheel_works_in_a_new_environment_outside_the_checkout(tmp_path):
    t_start = time.monotonic()
    dist = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    wheel, = dist.glob("cosmodrome-*.whl")
    t_build = time.monotonic() - t_start

    venv, here = tmp_path / "env", tmp_path / "class"
    here.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    run = Steps(venv, here)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel,
        timeout=1200, what="pip install (with dependencies)")

    # Nothing of the checkout is importable; cosmodrome, its data and its lessons are the wheel's.
    where = json.loads(run.py(
        "import json, sys, cosmodrome, cosmodrome._data as d; "
        "print(json.dumps([sys.path, cosmodrome.__file__, str(d.data_dir()), str(d.lessons_dir())]))").stdout)
    path, module, data, lessons = where
    assert not any(p and Path(p).resolve().is_relative_to(ROOT) for p in path), path
    site = str(venv / "lib")
    assert module.startswith(site) and data.startswith(site) and lessons.startswith(site), where
    assert data.endswith("_bundled/data") and lessons.endswith("_bundled/lessons")

    rho = float(run.py("import cosmodrome.atmosphere as a; print(a.density_kg_m3(10000.0))").stdout)
    assert rho == pytest.approx(0.41351, rel=1e-4)              # USSA76 at 10 km: 0.41351 kg/m3
    assert run.cosmodrome("--version").stdout.startswith("cosmodrome ")
    assert run(venv / "bin" / "python", "-m", "cosmodrome", "--version").stdout.startswith("cosmodrome ")

    # The README's commands.
    assert "vostochny" in run.cosmodrome("sites").stdout
    assert "Angara-A5" in run.cosmodrome("vehicles").stdout
    assert "9.61 MN" in run.cosmodrome("vehicle", "angara-a5").stdout
    assert "Fly ground azimuth" in run.cosmodrome("site", "vostochny", "--inclination", "97.6").stdout
    r = run.cosmodrome("site", "vostochny", "--inclination", "51.64", status=3)
    assert "the fix: launch due east" in r.stderr
    r = run.cosmodrome("launch", "--vehicle", "chollima-1", "--site", "sohae", "--orbit", "493x512",
                       "--inclination", "97.4", "--payload-kg", "300", "--plot", "flight.png")
    assert "orbit" in r.stdout.lower() and (here / "flight.png").stat().st_size > 10_000
    r = run.cosmodrome("track", "malligyong-1", "--over", "pyongyang", "--days", "2")
    assert "Malligyong" in r.stdout or "MALLIGYONG" in r.stdout.upper()
    run.cosmodrome("groundtrack", "malligyong-1", "--orbits", "3", "--plot", "track.png", "--place", "pyongyang")
    assert (here / "track.png").stat().st_size > 10_000
    run.cosmodrome("tour", "--out", "build/")
    assert (here / "build" / "index.html").is_file()
    assert "rocket-1" in run.cosmodrome("exercises").stdout

    # The lessons handed out, with no checkout to take them from.
    checkout_lessons = sorted(p.name for p in (ROOT / "lessons").glob("*.ipynb"))
    r = run.cosmodrome("lessons", "--out", "students")
    assert sorted(p.name for p in (here / "students").glob("*.ipynb")) == checkout_lessons, r.stdout
    assert "jupyter lab students" in r.stdout
    run.cosmodrome("lessons", "--teacher", "--out", "teacher")
    assert sorted(p.name for p in (here / "teacher").glob("*.ipynb")) == checkout_lessons
    assert all((here / "teacher" / n).read_bytes() == (ROOT / "lessons" / n).read_bytes() for n in checkout_lessons)
    run.cosmodrome("release", "--out", "released")
    assert sorted(p.name for p in (here / "released").glob("*.ipynb")) == checkout_lessons

    # One handed-out lesson runs top to bottom in the new environment's own kernel.
    visit = sorted((here / "students").glob("*visit*.ipynb")) or sorted((here / "students").glob("*.ipynb"),
                                                                          key=lambda p: p.stat().st_size)
    run.py(f"""
import os, nbformat
from nbclient import NotebookClient
nb = nbformat.read({str(visit[0])!r}, as_version=4)
env = dict(os.environ, COSMODROME_STUDENT="ivanova")
NotebookClient(nb, timeout=180, kernel_name="python3", resources={{"metadata": {{"path": {str(here / "students")!r}}}}}
               ).execute(env=env)
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
assert not errors, errors
print(sum(c.cell_type == "code" for c in nb.cells), "code cells run")
""", timeout=900, what=f"execute {visit[0].name}")

    # JupyterLab in this environment starts without its news pop-up.
    r = run.py("from jupyterlab_server.config import get_page_config; "
               "print(get_page_config([], None)['disabledExtensions'])")
    assert "@jupyterlab/apputils-extension:announcements" in r.stdout

    # The course pack, from the visit lesson (see the module's docstring).
    one = here / "one-lesson"
    one.mkdir()
    shutil.copy(here / "teacher" / visit[0].name, one)
    r = run.cosmodrome("course", "build", "--out", "pack", "--lessons", one, "--isolation", _isolation(),
                       "--no-progress", timeout=1200, what="course build (one lesson)")
    page = (here / "pack" / "index.html").read_text()
    assert "Parts that failed" not in page, r.stderr
    assert (here / "pack" / "lessons" / "student" / (visit[0].stem + ".html")).is_file()
    with open(here / "pack" / "gradebook" / "rocket" / "gradebook.csv", newline="") as f:
        marks = {row["student_id"]: row for row in csv.DictReader(f)}
    assert marks["ivanova"]["status"] == "graded" and marks["ivanova"]["total"] == marks["ivanova"]["max"], marks
    assert list((here / "pack" / "worksheets").glob("*/class-pack.pdf"))

    times = {"build sdist + wheel": t_build, **run.times, "total": time.monotonic() - t_start}
    print("\n".join(f"{k:40s} {v:6.1f} s" for k, v in times.items()))
