"""Speed of the class grader. Run: .venv/bin/python benchmarks/bench_grading.py [N]

Grades a class of N (default 100) typical submissions of the latitude lesson
(imports, a computation with the library, a figure, five answers, a few wrong)
in parallel on every core, each in its own sandbox with a fresh kernel, and
prints the total and the time per submission. Then grades the same 20
submissions one at a time and in parallel and prints the ratio. The goal is
100 submissions in under 3 minutes on a 2-core machine; nbgrader's autograde
took 1.62 s per submission one at a time with no isolation (../shared/NOTES.md).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cosmodrome import exercises
from cosmodrome.grading import Limits, grade_class

LESSON = "latitude"
TYPICAL = [
    "import numpy as np\nfrom cosmodrome import sites, earth\nfrom cosmodrome.exercises import start\n"
    "ws = start('latitude', student='{sid}')\nws",
    "v = sites.get_site('vostochny')\nlat = np.linspace(0, 70, 50)\nspeed = earth.surface_speed_m_s(lat)\nspeed[:3]",
    "from matplotlib.figure import Figure\nfig = Figure(figsize=(5, 3))\nax = fig.add_subplot()\n"
    "ax.plot(lat, speed)\nax.set_xlabel('latitude (deg)')\nfig",
    "from cosmodrome.exercises import EXERCISES\ndef right(eid):\n    b = ws[eid]\n"
    "    ref = EXERCISES[eid].reference(b.params)\n"
    "    return sorted(ref) if isinstance(ref, frozenset) else ref",
    "for i, eid in enumerate({ids!r}):\n    print(eid, ws[eid].check(right(eid) if i % {k} else 1.0))",
]


def make_class(folder, n):
    ids = [e.id for e in exercises.ALL if e.lesson == LESSON]
    subs = folder / "submissions"
    subs.mkdir(parents=True)
    students = [f"student{i:03d}" for i in range(n)]
    for i, sid in enumerate(students):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c.format(sid=sid, ids=ids, k=2 + i % 4)) for c in TYPICAL]
        nbformat.write(nb, subs / f"{sid}.ipynb")
    (folder / "roster.csv").write_text("student_id\n" + "\n".join(students) + "\n")
    return subs, folder / "roster.csv"


def grade(subs, roster, out, jobs):
    t0 = time.perf_counter()
    s = grade_class(subs, LESSON, roster, out, jobs=jobs, limits=Limits(), progress=False)
    dt = time.perf_counter() - t0
    bad = [r["student_id"] for r in s["records"] if r["status"] != "graded" or r["reasons"]]
    assert not bad, f"unexpected problems grading {bad[:3]}"
    return dt, s


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs, roster = make_class(tmp / "big", n)
        dt, s = grade(subs, roster, tmp / "out-big", cores)
        per = sorted(r["seconds"] for r in s["records"])
        print(f"{n} submissions on {cores} cores ({s['isolation']} sandbox): {dt:.1f} s total, "
              f"{dt / n:.2f} s per submission; one submission takes {per[len(per) // 2]:.2f} s "
              f"(median; max {per[-1]:.2f} s)  [goal: 100 in < 180 s]")
        subs20, roster20 = make_class(tmp / "small", 20)
        serial, _ = grade(subs20, roster20, tmp / "out-serial", 1)
        parallel, _ = grade(subs20, roster20, tmp / "out-parallel", cores)
        print(f"20 submissions: one at a time {serial:.1f} s, {cores} at a time {parallel:.1f} s; "
              f"ratio {serial / parallel:.2f}x")
        t0 = time.perf_counter()
        grade_class(subs20, LESSON, roster20, tmp / "out-parallel", jobs=cores, progress=False)
        print(f"re-run with nothing changed: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
