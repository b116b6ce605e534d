"""Charts in the reader's language, drawn as SVG (what rnnbook.show.plots returns).

A :class:`Chart` draws its matplotlib Figure for a language when it is shown:
its axis labels and legends are words of that language (symbols such as T or k
stay as they are). In a notebook it shows one SVG, in the language of the
page (:func:`rnnbook.show.language.current_language`). In the book build, which runs
a page once for both editions (``RNNBOOK_LANGUAGE=all``), it shows each
language's chart in that language's span, as rnnbook.show.language.to_html does for
words; each page keeps its own (booktools.extensions.edition_pages), so a page carries one
chart, not two. A chart whose drawing is the same in every language is shown
once, as a plain SVG.

The SVG keeps its text as text (``svg.fonttype`` "none"): smaller than glyph
paths, and the reader's browser draws the Chinese with its own fonts, so a zh-TW
chart reads well even where matplotlib has no CJK font (Colab). The font stack
written into the SVG names the CJK fonts the book's stylesheet uses.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from matplotlib.figure import Figure

from rnnbook.show.language import ALL, CSS_CLASS, LANGUAGES, current_language

#: Fonts the SVG asks the browser for, in order: matplotlib's own (metrics the layout
#: used), then Traditional Chinese ones (as the book's stylesheet), then any sans-serif.
FONT_STACK = ("DejaVu Sans", "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC",
              "Heiti TC", "Microsoft JhengHei", "Source Han Sans TC", "WenQuanYi Micro Hei",
              "sans-serif")
#: Font files that give matplotlib the Chinese glyphs' widths, when the system has one.
_CJK_FILES = re.compile(r"NotoSansCJK-Regular|NotoSansTC-Regular|SourceHanSansTC-Regular"
                        r"|wqy-microhei", re.I)
#: Class of a chart's <img> in the book's HTML (booktools.extensions.chart_images gives it its alt).
IMAGE_CLASS = "rnnbook-chart"
#: Base font size of every chart, in points (= SVG user units); see rnnbook.show.plots.
FONT_SIZE = 11


class Chart:
    """A chart drawn on demand in a language: ``draw(language) -> Figure``."""

    def __init__(self, draw: Callable[[str], Figure], name: str = "chart") -> None:
        if not callable(draw):
            raise TypeError(f"draw must be a function language -> Figure, got "
                            f"{type(draw).__name__}")
        self._draw = draw
        self.name = name

    def figure(self, language: str | None = None) -> Figure:
        """The chart as a matplotlib Figure in ``language`` (default: the current one)."""
        language = _one_language(language)
        with chart_style():
            figure = self._draw(language)
        if not isinstance(figure, Figure):
            raise TypeError(f"the chart's drawing returned {type(figure).__name__}, "
                            "expected a matplotlib Figure")
        return figure

    def svg(self, language: str | None = None) -> str:
        """The chart in ``language`` as SVG text, the same bytes on every run."""
        figure = self.figure(language)
        buffer = io.StringIO()
        with chart_style():
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        return with_font_stack(buffer.getvalue())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        plain = f"<{self.name}>"
        language = current_language()
        if language != ALL:
            return {"image/svg+xml": self.svg(language), "text/plain": plain}
        drawn = {code: self.svg(code) for code in LANGUAGES}
        if len(set(drawn.values())) == 1:
            return {"image/svg+xml": drawn[LANGUAGES[0]], "text/plain": plain}
        return {"text/html": "".join(_image_span(code, svg) for code, svg in drawn.items()),
                "text/plain": plain}

    def __repr__(self) -> str:
        return f"Chart({self.name!r})"


@contextmanager
def chart_style():
    """matplotlib settings of every chart: SVG text as text, fonts that hold Chinese."""
    import matplotlib

    settings = {"svg.fonttype": "none", "svg.hashsalt": "rnnbook",
                "font.family": _available_families(), "font.size": FONT_SIZE,
                "axes.titlesize": FONT_SIZE, "axes.labelsize": FONT_SIZE,
                "xtick.labelsize": FONT_SIZE - 1, "ytick.labelsize": FONT_SIZE - 1,
                "legend.fontsize": FONT_SIZE}
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        # Without a CJK font matplotlib has no Chinese glyph to measure; the
        # SVG keeps the text as text, and the browser draws it.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def with_font_stack(svg: str) -> str:
    """``svg`` (matplotlib's, text as text) asking for the fonts of :data:`FONT_STACK`.

    The families matplotlib drew with are named once, in a style sheet, instead
    of on every piece of text; text in another family (mathtext's) gets the
    stack after its own. No-op rotations are dropped: the SVG is about a third
    smaller, which matters for a chart of many characters.
    """
    drawn = ", ".join(f"'{name}'" for name in _available_families())

    def declaration(match: re.Match) -> str:
        if match["families"] == drawn:
            return ""
        named = [name.strip().strip("'\"") for name in match["families"].split(",")]
        rest = [f"'{name}'" if " " in name else name for name in FONT_STACK if name not in named]
        return f"{match['before']}font-family: {match['families']}, {', '.join(rest)}"

    svg = re.sub(r"(?P<before>; |(?<=\"))font-family: (?P<families>[^;\"]+)", declaration, svg)
    svg = re.sub(r'style="; ?', 'style="', svg)
    svg = re.sub(r' transform="rotate\(-0 [-\d.]+ [-\d.]+\)"', "", svg)
    stack = ", ".join(f"'{name}'" if " " in name else name for name in FONT_STACK)
    opening = re.search(r"<svg\b[^>]*>", svg)
    return (svg[:opening.end()] + f"\n <style>text, tspan {{font-family: {stack}}}</style>"
            + svg[opening.end():])


def _image_span(language: str, svg: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<span class="{CSS_CLASS}" lang="{language}"><img class="{IMAGE_CLASS}" alt="" '
            f'src="data:image/svg+xml;base64,{data}"></span>')


def _one_language(language: str | None) -> str:
    language = current_language() if language is None else language
    if language == ALL:
        return LANGUAGES[-1]          # one figure for code that asks for one: English
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return language


@cache
def _available_families() -> list[str]:
    """matplotlib's families to draw with: DejaVu Sans, then a CJK font if there is one.

    A font matplotlib does not know is left out (naming it would log "findfont:
    ... not found"); one installed after matplotlib's font list was cached is
    added from its file.
    """
    from matplotlib import font_manager

    known = {font.name for font in font_manager.fontManager.ttflist}
    cjk = [name for name in FONT_STACK[1:-1] if name in known]
    if not cjk:
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(path).name):
                font_manager.fontManager.addfont(path)
        known = {font.name for font in font_manager.fontManager.ttflist}
        cjk = [name for name in FONT_STACK[1:-1] if name in known]
    return ["DejaVu Sans", *cjk[:1]]
