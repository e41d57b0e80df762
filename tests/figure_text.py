"""Do a figure's words stay readable? Two text labels that overprint, a label that runs
off its axes or off the figure. Used by the lesson tests, which install
:func:`install` in each lesson's kernel so that every figure a lesson shows is
checked as it is drawn; it has no dependency but matplotlib, so the kernel can
run this file as it is."""

import sys

#: Overlap (in pixels, each way) that is allowed: glyph boxes include some padding.
SLACK_PX = 1.5


def _drawn_texts(fig):
    """(renderer, [(text, window box)]) for every non-empty text the figure actually
    draws (tick labels outside the view, hidden and empty texts are not drawn)."""
    from matplotlib.text import Text

    drawn = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip() and self.get_alpha() != 0:
            try:
                box = self.get_window_extent(renderer)
            except Exception:
                return
            if box.width > 0 and box.height > 0:
                drawn.append((self, box))

    Text.draw = draw
    try:
        fig.draw_without_rendering()
    finally:
        Text.draw = original
    return fig._get_renderer(), drawn


def _overlap(a, b):
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK_PX) and (min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK_PX)


def _inside(box, frame):
    return (box.x0 >= frame.x0 - SLACK_PX and box.x1 <= frame.x1 + SLACK_PX
            and box.y0 >= frame.y0 - SLACK_PX and box.y1 <= frame.y1 + SLACK_PX)


def text_problems(fig):
    """Sentences naming every pair of overprinting labels and every label outside its
    axes (for text placed in an axes) or outside the figure."""
    renderer, texts = _drawn_texts(fig)
    problems = []
    for i, (t, box) in enumerate(texts):
        for u, other in texts[i + 1:]:
            if _overlap(box, other):
                problems.append(f"{t.get_text()!r} overprints {u.get_text()!r}")
        if not _inside(box, fig.bbox):
            problems.append(f"{t.get_text()!r} runs off the figure")
        ax = t.axes
        if ax is not None and t in ax.texts:
            if not _inside(box, ax.get_window_extent(renderer)):
                problems.append(f"{t.get_text()!r} runs off its axes")
    return problems


def install():
    """Check every figure as it is turned into an image; print the problems to stderr
    (the lesson tests fail on anything printed there)."""
    from matplotlib.backend_bases import FigureCanvasBase

    original = FigureCanvasBase.print_figure
    if getattr(original, "_checks_text", False):
        return

    def print_figure(self, *args, **kwargs):
        title = next((a.get_title() for a in self.figure.axes if a.get_title()), "") or self.figure.get_suptitle()
        for p in text_problems(self.figure):
            print(f"figure {title!r}: {p}", file=sys.stderr)
        return original(self, *args, **kwargs)

    print_figure._checks_text = True
    FigureCanvasBase.print_figure = print_figure
