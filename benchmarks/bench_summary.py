"""The cost of the class summary (issue 21). Run: .venv/bin/python benchmarks/bench_summary.py

A class of 100 is marked from answers made up here (right ones, known mistakes, other wrong numbers,
nothing), then the gradebook is written twice: as the grader writes it after each submission (the
summary in gradebook.json only) and once at the end (with the summary page and its figure). Prints the
time of each, with and without the summary, and the summary's share of grading the class (the
per-submission figure is taken from benchmarks/bench_grading.py's last measurement on this machine,
1.23 s a submission on 2 cores).
Nothing is asserted: shared machines are noisy.
"""

import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from cosmodrome import exercises
from cosmodrome.grading import gradebook, summary
from cosmodrome.grading.task import mark

SECRET = "bench-summary"
LESSON = "rocket"
CLASS = 100
GRADING_S_PER_SUBMISSION = 1.23


def make_class(rng):
    ids = [e.id for e in exercises.ALL if e.lesson == LESSON]
    records = []
    for k in range(CLASS):
        sid = f"s{k:03d}"
        answers = {}
        for eid in ids:
            ex, params, _ = exercises.variant(sid, eid, SECRET)
            roll = rng.random()
            if roll < 0.5:
                ref = ex.reference(params)
                answers[eid] = sorted(ref) if isinstance(ref, frozenset) else ref
            elif roll < 0.8 and ex.misconceptions:
                answers[eid] = ex.misconceptions[int(rng.integers(len(ex.misconceptions)))].wrong(params)
            elif roll < 0.9:
                answers[eid] = 12345.0
        items = mark(LESSON, sid, answers, SECRET)
        records.append({"student_id": sid, "name": sid, "status": "graded", "reasons": [], "exercises": items,
                        "total": sum(i["score"] for i in items.values()), "max": len(ids)})
    return ids, records


def timed(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main():
    ids, records = make_class(np.random.default_rng(1))
    best, med = timed(lambda: summary.class_summary(records, ids))
    print(f"class_summary, {CLASS} students x {len(ids)} exercises: best {best * 1e3:.1f} ms, "
          f"median {med * 1e3:.1f} ms")
    s = summary.class_summary(records, ids)
    best, med = timed(lambda: summary.summary_markdown(LESSON, s, "class-summary.png"))
    print(f"summary.md text: best {best * 1e3:.1f} ms, median {med * 1e3:.1f} ms")
    book = {"lesson": LESSON, "exercises": ids, "students": records}
    plain, _ = timed(lambda: json.dumps(book, indent=1))
    withsum, _ = timed(lambda: json.dumps({**book, "summary": s}, indent=1))
    print(f"gradebook.json text: {plain * 1e3:.1f} ms without the summary, {withsum * 1e3:.1f} ms with it")
    per_write = max(withsum - plain, 0.0) + float(np.median([timed(lambda: summary.class_summary(records, ids))[1]]))
    with tempfile.TemporaryDirectory() as tmp:
        final, _ = timed(lambda: gradebook.write_gradebook(Path(tmp), LESSON, ids, records, {}, final=True), 3)
        book_only, _ = timed(lambda: gradebook.write_gradebook(Path(tmp), LESSON, ids, records, {}, final=False), 3)
    page = max(final - book_only, 0.0)
    print(f"the summary page and its figure, once at the end: {page * 1e3:.0f} ms "
          f"(the whole book written: {book_only * 1e3:.0f} ms without them, {final * 1e3:.0f} ms with them)")
    added = CLASS * per_write + page
    grading = CLASS * GRADING_S_PER_SUBMISSION
    print(f"added to grading a class of {CLASS} (the book is rewritten after each submission): {added:.2f} s "
          f"of about {grading:.0f} s ({100 * added / grading:.1f} %)")


if __name__ == "__main__":
    main()
