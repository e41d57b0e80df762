"""Time of the main job. Run: .venv/bin/python benchmarks/bench_course.py

Builds the whole course pack (tour, every lesson executed twice and rendered,
every lesson's worksheets and keys for the demo roster, the demo class graded
in the sandbox) into a temporary folder and prints each part's time. The goal
is under 5 minutes on this machine.
"""

import tempfile
import time
from pathlib import Path

from cosmodrome.course import build


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timings = {}
        for name in build.PARTS:
            original = getattr(build, f"build_{name}")

            def timed(*a, _f=original, _n=name, **k):
                t0 = time.perf_counter()
                try:
                    return _f(*a, **k)
                finally:
                    timings[_n] = time.perf_counter() - t0
            setattr(build, f"build_{name}", timed)
        t0 = time.perf_counter()
        parts, failures = build.build_course(out, progress=False)
        total = time.perf_counter() - t0
    for name in build.PARTS:
        print(f"{name:11s} {timings.get(name, float('nan')):6.1f} s")
    print(f"course pack: {total:.1f} s in all  [goal: < 300 s]" + (f"; FAILED: {failures}" if failures else ""))


if __name__ == "__main__":
    main()
