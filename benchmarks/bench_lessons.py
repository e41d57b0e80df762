"""Time to run each lesson top to bottom in a fresh kernel (teacher copy), the
budget the tests give each lesson being 60 s. Run: .venv/bin/python benchmarks/bench_lessons.py"""

import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from cosmodrome.course.release import lesson_paths

ROOT = Path(__file__).resolve().parents[1]


def main():
    env = dict(os.environ, COSMODROME_STUDENT="bench-student")
    total = 0.0
    for path in lesson_paths(ROOT / "lessons"):
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=60, kernel_name="python3", shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
        dt = time.perf_counter() - t0
        total += dt
        print(f"{path.name:24s} {dt:5.1f} s  ({dt / 60:.0%} of the 60 s budget)")
    print(f"all lessons: {total:.1f} s")


if __name__ == "__main__":
    main()
