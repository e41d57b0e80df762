"""Speed of the printable worksheets. Run: .venv/bin/python benchmarks/bench_worksheets.py [LESSON ...]

For each lesson (all of ``cosmodrome.exercises.LESSONS`` unless named), typesets 30
students' worksheets and answer keys (60 PDFs) plus the class pack and the class key
with ``make_worksheets``, and prints the time beside the anchor measured in the same
run: plain Typst compiling one trivial document 30 times (a fresh compile each, as
``typst.compile`` does), the ratio of the two, and the target (issue 19): at most 5 s
for any lesson.
"""

import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 5.0
N_STUDENTS = 30


def plain_typst_s(n=N_STUDENTS):
    """The anchor: one trivial Typst document compiled n times."""
    import typst

    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "plain.typ"
        doc.write_text("#set page(paper: \"a4\")\n= Worksheet\nName: #box(width: 6cm, stroke: 0.6pt, height: 0.9cm)\n",
                       encoding="utf-8")
        typst.compile(str(doc))                     # warm up: the first compile loads the library
        t0 = time.perf_counter()
        for _ in range(n):
            typst.compile(str(doc))
        return time.perf_counter() - t0


def main(lessons=None):
    from cosmodrome import exercises
    from cosmodrome.grading.submission import Student
    from cosmodrome.worksheets import make_worksheets

    students = [Student(f"student{i:02d}", f"Student {i:02d}") for i in range(N_STUDENTS)]
    anchor = plain_typst_s()
    print(f"anchor: plain Typst, one trivial document compiled {N_STUDENTS} times: {anchor:.2f} s "
          f"({anchor / N_STUDENTS * 1000:.0f} ms per document)")
    print(f"{'lesson':12s} {N_STUDENTS} sheets + keys + class pack + class key   ratio to anchor   target")
    worst = 0.0
    for lesson in lessons or exercises.LESSONS:
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            make_worksheets(lesson, students, out, date="2026-11-25")
            dt = time.perf_counter() - t0
        worst = max(worst, dt)
        print(f"{lesson:12s} {dt:6.2f} s ({dt / N_STUDENTS * 1000:4.0f} ms per student)        "
              f"{dt / anchor:6.1f}x         <= {TARGET_S:g} s {'ok' if dt <= TARGET_S else 'MISSED'}")
    print(f"slowest lesson: {worst:.2f} s (target: at most {TARGET_S:g} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
