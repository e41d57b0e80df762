"""Copying: notebooks whose own code is the same, and notebooks that hold the teacher's solutions.

For the teacher's eyes only: these flags go into the gradebook (``flags``), never
into a student's feedback, and never change a score.

A notebook's *own code* is what is left after dropping every cell that is in
the handed-out lesson (the student copy): what the student wrote. It is
compared as a stream of Python tokens with comments, blank lines and layout
removed and every name renamed by order of first use, and with the student's
own id (as in ``start("lesson", student="ivanova")``) replaced by a
placeholder; so renaming variables, changing whitespace or comments, or
putting one's own id into a classmate's notebook does not hide a copy.
"""

import hashlib
import io
import keyword
import tokenize
from functools import lru_cache
from typing import Any

#: Own code shorter than this many tokens is not compared (a line or two is often the same by chance).
MIN_TOKENS = 25
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}


def tokens(source, student_ids=()):
    """The normalised token stream of one cell's source (a tuple of strings), or
    None if it is not Python that tokenizes (e.g. an unfinished cell)."""
    names: dict[str, str] = {}
    out: list[str] = []
    ids = {f"{q}{s}{q}" for s in student_ids for q in ("'", '"')}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIP:
                continue
            if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
                out.append(names.setdefault(tok.string, f"n{len(names)}"))
            elif tok.type == tokenize.STRING and tok.string in ids:
                out.append("<student id>")
            else:
                out.append(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return tuple(out)


def _cell_key(source):
    """A cell compared with the lesson's cells: its tokens with names kept as written."""
    try:
        return tuple(t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                     if t.type not in _SKIP)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return (source.strip(),)


@lru_cache(maxsize=16)
def lesson_cells(lesson):
    """(cells handed out, teacher-only cells) of a lesson, each a frozenset of cell keys;
    empty sets when the lesson notebooks are not available. Teacher-only cells are
    the code cells tagged ``solution`` or ``teacher``, which the student copy drops
    (a cell with solution markers is found by its markers: without them, a
    student's own line may well read like the teacher's)."""
    import nbformat

    from .._data import lessons_dir
    from ..course.release import REMOVED_TAGS, lesson_name, lesson_paths, student_copy

    folder = lessons_dir()
    for path in lesson_paths(folder) if folder else ():
        if lesson_name(path) != lesson:
            continue
        teacher = nbformat.read(path, as_version=4)
        handed = {_cell_key(c.source) for c in student_copy(teacher, path.name).cells if c.cell_type == "code"}
        solutions = {_cell_key(c.source) for c in teacher.cells if c.cell_type == "code"
                     and set(c.get("metadata", {}).get("tags", [])) & REMOVED_TAGS} - handed
        return frozenset(handed), frozenset(k for k in solutions if len(k) > 3)
    return frozenset(), frozenset()


def fingerprint(sources, lesson, student_ids=()):
    """(fingerprint of the notebook's own code or None, teacher-only flags).

    ``sources`` are the code cells of the clean notebook; ``student_ids`` the ids
    to treat as the student's own (the roster id and the one the notebook claims)."""
    handed, solutions = lesson_cells(lesson)
    flags = []
    keys = [_cell_key(s) for s in sources]
    if any("### BEGIN SOLUTION" in s or "### END SOLUTION" in s for s in sources):
        flags.append("holds the teacher's solution markers (### BEGIN SOLUTION)")
    copied = sum(1 for k in keys if k in solutions)
    if copied:
        flags.append(f"holds {copied} of the teacher-only cell(s) of the lesson word for word")
    own: list[Any] = []
    for source, key in zip(sources, keys, strict=True):
        if key in handed or not source.strip():
            continue
        toks = tokens(source, student_ids)
        own.extend(toks if toks is not None else (source.strip(),))
    if len(own) < MIN_TOKENS:
        return None, flags
    return hashlib.sha256("\x1f".join(own).encode()).hexdigest()[:16], flags


def copy_flags(records):
    """{student_id: [flag]} naming the other students whose own code is the same."""
    groups: dict[Any, Any] = {}
    for r in records:
        fp = r.get("fingerprint")
        if fp:
            groups.setdefault(fp, []).append(r["student_id"])
    out = {}
    for ids in groups.values():
        if len(ids) > 1:
            for sid in ids:
                others = ", ".join(sorted(i for i in ids if i != sid))
                out[sid] = [f"same code as {others} (after renaming, layout and comments are set aside)"]
    return out
