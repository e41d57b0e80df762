"""Typst source for worksheets and answer keys.

Exercise prompts are written in a small subset of Markdown (bold, italic, code,
option lists, pipe tables); ``markdown_to_typst`` turns that subset into Typst
markup with every other special character escaped, so a prompt can never inject
Typst code. The lesson's key formulas are typeset as Typst mathematics.
"""

import json
import re

_SPECIAL = re.compile(r"([\\#$*_\[\]<>@`~/=+\-\"'])")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`")

def escape(text):
    """Plain text as Typst markup: every special character escaped."""
    return _SPECIAL.sub(r"\\\1", str(text))


def inline(text):
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("*" + inline(m.group(1)) + "*")
        elif m.group(2) is not None:
            out.append("_" + inline(m.group(2)) + "_")
        else:
            out.append("#raw(" + json.dumps(m.group(3)) + ")")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


LONG_TABLE_ROWS = 20


def _table(lines):
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    rows = [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    n = max(len(r) for r in rows)

    def cells(rs):
        return ", ".join(f"[{inline(c)}]" for r in rs for c in (r + [""] * (n - len(r))))

    def head_cells(r):
        # "altitude km": the quantity over its unit, so that no header is broken inside a word or unit
        return ", ".join(f"[{inline(c.rsplit(' ', 1)[0])} \\ {inline(c.rsplit(' ', 1)[1])}]" if " " in c
                         else f"[{inline(c)}]" for c in (r + [""] * (n - len(r))))
    head, body = rows[:1], rows[1:]
    if len(body) > LONG_TABLE_ROWS:
        # a long table (telemetry) flows through two columns at a readable size, its header repeated in each
        table = (f"table(columns: {n}, inset: (x: 4pt, y: 2.2pt), "
                 f"align: (x, y) => if y == 0 {{ center }} else {{ right }}, "
                 f"stroke: 0.4pt + luma(160), "
                 f"table.header({head_cells(head[0])}), {cells(body)})")
        return f"#block[#set text(size: 8.5pt)\n#columns(2, gutter: 14pt)[#align(center)[#{table}]]]"
    table = (f"table(columns: {n}, inset: 3pt, align: right, stroke: 0.4pt + luma(160), "
             f"table.header({cells(head)}), {cells(body)})")
    return f"#block(breakable: false)[#set text(size: 8pt)\n#{table}]"


def is_long(text):
    """True if a prompt holds a table long enough that its exercise must break across columns."""
    return sum(1 for ln in str(text).splitlines() if ln.lstrip().startswith("|")) > LONG_TABLE_ROWS + 2


def markdown_to_typst(text):
    """Convert an exercise prompt (the Markdown subset) to Typst markup."""
    out, table = [], []
    for line in str(text).splitlines():
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            out.append(_table(table))
            table = []
        stripped = line.lstrip()
        if stripped.startswith("- "):
            out.append("- " + inline(stripped[2:]))
        else:
            out.append(inline(line))
    if table:
        out.append(_table(table))
    return "\n".join(out)


def string(text):
    """A Typst string literal."""
    return json.dumps(str(text), ensure_ascii=False)


PREAMBLE = """
#let current-student = state("student", "")
#set document(title: {title})
#set page(paper: {paper}, margin: (x: 1.8cm, top: 2.2cm, bottom: 2cm),
  header: [#set text(size: 8pt, fill: luma(90)); cosmodrome · Lesson {number}: {lesson_title} #h(1fr) {kind}],
  footer: context [#set text(size: 8pt, fill: luma(90)); #current-student.get() #h(1fr) page #counter(page).display() ])
#set text(font: "New Computer Modern", size: 10.5pt, lang: "en")
#set par(justify: true)
#let answer-line = (height: 0.9cm, stroke: 0.6pt, baseline: 30%)
#let answer-box(unit) = [#box(width: 6.5cm, ..answer-line) #h(3pt) #text(size: 9pt)[#unit]]
#let answer-field(name, unit) = [#h(6pt) #text(size: 9pt)[#name] #box(width: 3.2cm,
  ..answer-line) #text(size: 9pt)[#unit]]
"""


def formulas_block(items):
    """Formulas (Typst mathematics, as a ``Lesson`` declares them) as one Typst block, or "" if none."""
    if not items:
        return ""
    eqs = "\n".join(f"$ {f} $" for f in items)
    return f"#block(fill: luma(245), inset: 8pt, radius: 3pt, width: 100%)[*Useful formulas*\n{eqs}]\n"
