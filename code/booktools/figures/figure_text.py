"""How large the text of a page's figures is on screen, in CSS px (a measuring tool).

    from booktools.figures.figure_text import smallest_figure_text
    px, figure = smallest_figure_text(page)     # page: a Playwright page, loaded

For every image in the article (diagrams, charts), the browser reads the image
itself and finds its smallest text:

- an SVG: every piece of text, in the SVG's user units, whether matplotlib wrote
  it as text (``svg.fonttype`` "none": ``<text>``/``<tspan>`` with a font size)
  or as glyph paths (``svg.fonttype`` "path": each glyph a ``<use>`` of a glyph
  drawn at 100 units per em, scaled by the transforms above it); subscripts
  count at their own, smaller size;
- a PNG: its ``rnnbook:smallest-text`` text chunk, the smallest font size in
  image pixels (a PNG without it cannot be measured: its size is None).

times the scale the page shows the image at: its displayed width (content box)
divided by the SVG's viewBox width (or the PNG's width in pixels). Figures inside
collapsed dropdowns are opened first, so they are measured where a reader who
opens them sees them.

``python -m booktools.bench.page_audit`` prints the smallest figure text of each page
at 1280 and 375 px with the other readings (after ``make book``);
tests/test_figure_legibility.py asserts the minimums.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The images a reader sees as figures of the article.
FIGURE_IMAGES = "article img, .bd-article img"

#: matplotlib draws glyph paths at this many units per em (text2path.FONT_SCALE).
GLYPH_UNITS_PER_EM = 100

_MEASURE_JS = r"""async ([selector, unitsPerEm]) => {
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  for (const details of document.querySelectorAll("article details")) details.open = true;
  const images = [...new Set(document.querySelectorAll(selector))];
  for (const img of images) {
    if (img.loading === "lazy") img.loading = "eager";
    if (!img.complete || !img.naturalWidth) {
      try { await Promise.race([img.decode(), wait(10000)]); } catch (e) {}
    }
  }
  const scaleOf = (element, root) => {          // |det| of the transforms up to the root
    let det = 1;
    for (let e = element; e && e !== root; e = e.parentElement) {
      const list = e.transform && e.transform.baseVal;
      const m = list && list.numberOfItems ? list.consolidate().matrix : null;
      if (m) det *= Math.abs(m.a * m.d - m.b * m.c);
    }
    return Math.sqrt(det);
  };
  const fontSize = (element) => {               // in the element's own user units
    for (let e = element; e && e.getAttribute; e = e.parentElement) {
      const size = (e.style && e.style.fontSize) || e.getAttribute("font-size");
      if (size) return parseFloat(size);
    }
    return 16;                                  // the SVG default (medium)
  };
  const svgText = (text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    const box = root.viewBox && root.viewBox.baseVal;
    const width = box && box.width ? box.width : parseFloat(root.getAttribute("width"));
    let smallest = Infinity, count = 0;
    for (const t of root.querySelectorAll("text, tspan")) {
      const own = [...t.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      smallest = Math.min(smallest, fontSize(t) * scaleOf(t, root));
      count++;
    }
    for (const group of root.querySelectorAll("g[id^='text_']")) {
      for (const use of group.querySelectorAll("use")) {
        smallest = Math.min(smallest, unitsPerEm * scaleOf(use, root));
        count++;
      }
    }
    return {units: count ? smallest : null, width};
  };
  const pngText = (buffer) => {                 // the rnnbook:smallest-text tEXt chunk
    const bytes = new Uint8Array(buffer), view = new DataView(buffer);
    for (let at = 8; at + 8 <= bytes.length;) {
      const length = view.getUint32(at), type = String.fromCharCode(...bytes.slice(at + 4, at + 8));
      if (type === "tEXt") {
        const chunk = new TextDecoder("latin1").decode(bytes.slice(at + 8, at + 8 + length));
        const [key, value] = chunk.split("\0");
        if (key === "rnnbook:smallest-text") return parseFloat(value);
      }
      at += 12 + length;
    }
    return null;
  };
  const out = [];
  for (const img of images) {
    const rect = img.getBoundingClientRect(), s = getComputedStyle(img);
    const px = (v) => parseFloat(v) || 0;
    const shown = rect.width - px(s.paddingLeft) - px(s.paddingRight)
      - px(s.borderLeftWidth) - px(s.borderRightWidth);
    if (shown <= 0 || s.display === "none" || s.visibility === "hidden") continue;
    const src = img.currentSrc || img.src;
    const figure = img.closest("figure");
    const reading = {src: src.startsWith("data:") ? src.slice(0, src.indexOf(",")) : src,
                     figure: figure && figure.id ? figure.id : null,
                     shown, units: null, width: null, px: null};
    try {
      const response = await fetch(src);
      const type = response.headers.get("content-type") || "";
      if (type.includes("svg") || /\.svg$|^data:image\/svg/.test(src)) {
        const {units, width} = svgText(await response.text());
        Object.assign(reading, {units, width});
      } else {
        Object.assign(reading, {units: pngText(await response.arrayBuffer()),
                                width: img.naturalWidth});
      }
    } catch (error) {
      reading.error = String(error);
    }
    if (reading.units !== null && reading.width) reading.px = reading.units * shown / reading.width;
    out.push(reading);
  }
  return out;
}"""


@dataclass(frozen=True)
class FigureText:
    """One figure of a page: its smallest text on screen (None: cannot be measured)."""

    src: str            # the image's URL (a data: URL's type only)
    figure: str | None  # the id of the <figure> around it, if any
    shown_width: float  # CSS px
    px: float | None

    @property
    def name(self) -> str:
        where = self.src.rsplit("/", 1)[-1] if not self.src.startswith("data:") else self.src
        return f"{self.figure} ({where})" if self.figure else where


def figure_text_sizes(page) -> list[FigureText]:
    """Every figure the Playwright ``page`` shows, with its smallest text in CSS px."""
    readings = page.evaluate(_MEASURE_JS, [FIGURE_IMAGES, GLYPH_UNITS_PER_EM])
    return [FigureText(r["src"], r["figure"], r["shown"], r["px"]) for r in readings]


def smallest_figure_text(page) -> tuple[float | None, str | None]:
    """(CSS px, figure) of the smallest text of any figure on ``page``.

    A figure whose text cannot be measured (a PNG without its text size) comes
    first, as (None, figure); a page with no figure gives (None, None).
    """
    sizes = figure_text_sizes(page)
    if not sizes:
        return None, None
    unknown = [s for s in sizes if s.px is None]
    smallest = unknown[0] if unknown else min(sizes, key=lambda s: s.px)
    return smallest.px, smallest.name
