"""What the class got wrong: the known mistakes counted across a class, for the next lesson.

Every exercise names its classic wrong answers (``Misconception``); the checker says which one an answer
matched. Here the gradebook's records (notebooks and paper alike) are counted per exercise: how many
answered, how many were right, how many ended on each known mistake, how many gave another wrong answer,
and how many gave nothing markable. Each student counts once per exercise, by the last answer given;
``on_the_way`` also counts the students who made a mistake in any try (practice tries, or graded
answers given before the last). The student ids are for the teacher only: this summary is written to the
gradebook folder, never to a student's feedback.
"""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from .. import exercises

#: How an exercise's answer ended, in the order the summary's figure stacks them.
OUTCOMES = ("right", "mistake", "wrong", "missing")


def _outcome(item):
    """(outcome, mistake name) of one gradebook item; records made before outcomes were kept are read from
    their score."""
    if not item or not item.get("answered"):
        return "missing", ""
    outcome = item.get("outcome")
    if outcome is None:                                   # a record saved by an older grader
        return ("right", "") if item.get("score", 0) >= item.get("points", 1) else ("wrong", "")
    if outcome == "unmarked":
        return "missing", ""
    return outcome, item.get("mistake", "")


def class_summary(rows: Iterable[dict[str, Any]], exercise_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Per exercise of ``exercise_ids`` (in that order), from the gradebook ``rows`` (one per student):

    ``{"exercise", "title", "students", "answered", "right", "mistakes", "other_wrong", "missing"}``, where
    ``mistakes`` is a list of ``{"name", "hint", "final": [ids], "on_the_way": [ids], "touched"}`` sorted by
    how many students the mistake touched (ended on it or made it on the way), most first, and
    ``other_wrong`` and ``missing`` are lists of student ids (missing: nothing markable was handed in)."""
    rows = sorted(rows, key=lambda r: r["student_id"].lower())
    out = []
    for eid in exercise_ids:
        ex = exercises.EXERCISES[eid]
        hints = {m.name: m.hint for m in ex.misconceptions}
        chose = _chosen_texts(eid)
        final: dict[str, list[Any]] = {}
        on_the_way: dict[str, list[Any]] = {}
        right, wrong, missing = [], [], []
        for r in rows:
            sid, item = r["student_id"], r.get("exercises", {}).get(eid)
            outcome, mistake = _outcome(item)
            if outcome == "right":
                right.append(sid)
            elif outcome == "mistake":
                final.setdefault(mistake, []).append(sid)
            elif outcome == "wrong":
                wrong.append(sid)
            else:
                missing.append(sid)
            for name in (item or {}).get("mistakes_on_the_way", []):
                on_the_way.setdefault(name, []).append(sid)
        mistakes = []
        for name in dict.fromkeys([*hints, *final, *on_the_way]):
            ended, made = final.get(name, []), on_the_way.get(name, [])
            touched = sorted(set(ended) | set(made), key=str.lower)
            if touched:
                mistakes.append({"name": name, "hint": hints.get(name, ""), "chose": chose.get(name, ""),
                                 "final": ended, "on_the_way": made, "touched": len(touched)})
        mistakes.sort(key=lambda m: (-m["touched"], -len(m["final"]), m["name"]))
        out.append({"exercise": eid, "title": ex.title, "students": len(rows),
                    "answered": len(rows) - len(missing), "right": len(right), "mistakes": mistakes,
                    "other_wrong": wrong, "missing": missing})
    return out


@cache
def _chosen_texts(eid: str) -> dict[str, str]:
    """{mistake: the option a student who made it chose} for a multiple-choice exercise (from one
    variant: the options' words are the same for every student, only their order differs). Cached: a
    variant's generator may fly the simulator, and the gradebook is rewritten after every submission."""
    ex = exercises.EXERCISES[eid]
    params = ex.params_from_seed(0)
    out = {}
    for m in ex.misconceptions:
        try:
            text = ex.answer.chosen_text(ex, params, m.wrong(params))
        except (IndexError, TypeError, ValueError, KeyError):
            text = ""
        if text:
            out[m.name] = text
    return out


def ranked_mistakes(summary: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """[(mistake, exercise summary)] across the lesson: the most students touched first, then the most
    who ended on it."""
    return sorted(((m, s) for s in summary for m in s["mistakes"]),
                  key=lambda ms: (-ms[0]["touched"], -len(ms[0]["final"]), ms[1]["exercise"]))


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(lesson: str, summary: Sequence[dict[str, Any]], figure_name: str | None = None) -> str:
    """The summary as a teacher's note: the mistakes worth revisiting, most common first, then a table
    per exercise and who made which mistake."""
    n = summary[0]["students"] if summary else 0
    lines = [f"# {lesson}: what the class got wrong", "",
             f"{n} students. Each counts once per exercise, by the last answer given; \"on the way\" counts "
             "those who made the mistake in any try. The ids are for you only: students never see this page.", ""]
    if figure_name:
        lines += [f"![Each exercise: right, each known mistake, other wrong answers, nothing handed in]"
                  f"({figure_name})", ""]
    ranked = ranked_mistakes(summary)
    lines += ["## The mistakes worth revisiting, most common first", ""]
    if not ranked:
        lines.append("No known mistake was made.")
    for m, s in ranked:
        ended = f"{len(m['final'])} of {s['students']} ended on it"
        way = len(m["on_the_way"])
        lines.append(f"- **{s['exercise']}** ({_md(s['title'])}): {m['touched']} of {s['students']} made the "
                     f"mistake `{m['name']}` ({ended}; {way} on the way)"
                     + (f", choosing “{_md(m['chose'])}”" if m["chose"] else "") + f" — {_md(m['hint'])}")
    lines += ["", "## By exercise", "",
              "| exercise | answered | right | known mistakes | other wrong | nothing handed in |",
              "|---|---|---|---|---|---|"]
    for s in summary:
        known = ", ".join(f"`{m['name']}` {len(m['final'])}" for m in s["mistakes"] if m["final"]) or "—"
        lines.append(f"| {s['exercise']} | {s['answered']} of {s['students']} | {s['right']} | {known} | "
                     f"{len(s['other_wrong'])} | {len(s['missing'])} |")
    lines += ["", "## Who (for you only)", ""]
    for s in summary:
        for m in s["mistakes"]:
            lines.append(f"- {s['exercise']} `{m['name']}`: ended on it: {', '.join(m['final']) or 'nobody'}; "
                         f"on the way: {', '.join(m['on_the_way']) or 'nobody'}")
        if s["other_wrong"]:
            lines.append(f"- {s['exercise']}, another wrong answer: {', '.join(s['other_wrong'])}")
    return "\n".join(lines) + "\n"
