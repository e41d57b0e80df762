"""Speed of the printable worksheets. Run: .venv/bin/python benchmarks/bench_worksheets.py

Typesets 30 students' worksheets and answer keys (60 PDFs) plus the class pack
and the class key for one lesson with Typst, and prints the total and the time
per student. The goal is under 20 s for the class on this machine.
"""

import tempfile
import time

from cosmodrome.grading.submission import Student
from cosmodrome.worksheets import make_worksheets


def main():
    students = [Student(f"student{i:02d}", f"Student {i:02d}") for i in range(30)]
    for lesson in ("visit", "staging", "failures"):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            make_worksheets(lesson, students, out, date="2026-11-25")
            dt = time.perf_counter() - t0
        print(f"{lesson:9s} 30 worksheets + 30 keys + class pack + class key: {dt:5.2f} s "
              f"({dt / 30 * 1000:.0f} ms per student)  [goal: < 20 s]")


if __name__ == "__main__":
    main()
