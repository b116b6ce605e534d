"""How each built page meets its readers: accessibility, contrast, weight.

    python -m booktools.bench.page_audit [--html _build/html] [--pages book/en/18-2 ...]

For each page of the built site, opened offline in Chromium at desktop width:
- axe-core's serious and critical findings (WCAG 2.1 A/AA rules), in the light
  and the dark theme;
- the lowest WCAG contrast ratio of the text the book itself adds (cell
  outputs, the labs' checker messages and hints, captions, admonitions),
  computed from the colours the browser resolved, in both themes;
- the page's weight: the bytes of everything the page loads by itself;
- the smallest text in its figures, in CSS px, at desktop and phone width
  (booktools.figures.figure_text).

The browser tests assert on the same functions (tests/test_accessibility.py),
`make bench` prints the weight, and the table this prints is what the issue's
closing note compares before and after. Needs Playwright and a Chromium
(tests/chromium.py finds one; CHROMIUM names another).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from booktools.book import ROOT

#: axe-core's impacts that fail the book.
FAILING_IMPACTS = ("serious", "critical")
#: The WCAG 2.1 A and AA rules of axe-core ...
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: ... and the WCAG rules axe-core still calls experimental, which it skips unless
#: asked: a button's visible label must be part of its accessible name (2.5.3).
EXPERIMENTAL_RULES = ("label-content-name-mismatch",)
#: WCAG 2.1 AA for body text (1.4.3).
AA_CONTRAST = 4.5
#: The text the book adds to the theme's page, as CSS selectors.
BOOK_TEXT = (".cell_output", ".rnnbook-check", ".rnnbook-hint", "figcaption",
             ".admonition", ".caption", ".glossary", "table.table")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Finding:
    """One axe-core rule that failed on a page, with how many elements broke it."""

    rule: str
    impact: str
    count: int
    help: str
    example: str


@dataclass(frozen=True)
class Contrast:
    """The lowest contrast ratio among the book's own text on a page, and where."""

    ratio: float
    text: str
    where: str
    color: str
    background: str


# --------------------------------------------------------------------------- axe-core


def axe_findings(page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[Finding]:
    """axe-core's WCAG 2.1 A/AA violations on an open Playwright page, of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
               "rules": {rule: {"enabled": True} for rule in EXPERIMENTAL_RULES},
               "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    return [Finding(v["id"], v["impact"], len(v["nodes"]), v["help"],
                    v["nodes"][0]["target"][0] if v["nodes"] else "")
            for v in results["violations"] if v["impact"] in impacts]


# --------------------------------------------------------------------------- contrast

# WCAG 2.x relative luminance and contrast, on the colours the browser resolved.
# The background is the first opaque one up the tree, blended with every
# translucent layer between (a translucent box over the page, as the checker's is).
_CONTRAST_JS = """(selectors) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none" || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const where = (el) => {
    const named = el.closest("[id]");
    const own = el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim()
      .split(/\\s+/).join(".") : "");
    return (named ? `#${named.id} ` : "") + own;
  };
  let worst = null;
  const seen = new Set();
  for (const root of document.querySelectorAll(selectors)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || !node.textContent.trim() || !visible(el)) continue;
      if (el.closest("mjx-container, svg, .MathJax")) continue;
      seen.add(el);
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const bg = background(el);
      const fg = parse(getComputedStyle(el).color);
      const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
      const r = ratio(shown, bg);
      if (!worst || r < worst.ratio) {
        worst = {ratio: r, text: node.textContent.trim().slice(0, 60), where: where(el),
                 color: `rgb(${shown.slice(0, 3).map(Math.round).join(", ")})`,
                 background: `rgb(${bg.slice(0, 3).map(Math.round).join(", ")})`};
      }
    }
  }
  return worst;
}"""


def lowest_contrast(page, selectors: tuple[str, ...] = BOOK_TEXT) -> Contrast | None:
    """The book's own text with the lowest contrast on an open page (None: no such text)."""
    worst = page.evaluate(_CONTRAST_JS, ", ".join(selectors))
    return Contrast(**worst) if worst else None


# --------------------------------------------------------------------------- weight


class PageWeight:
    """Bytes a page loads by itself: listen before `goto`, read `total` after load."""

    def __init__(self, page):
        self.bytes_by_url: dict[str, int] = {}
        page.on("requestfinished", self._finished)

    def _finished(self, request):
        sizes = request.sizes()
        self.bytes_by_url[request.url] = sizes["responseBodySize"]

    @property
    def total(self) -> int:
        return sum(self.bytes_by_url.values())

    def largest(self, count: int = 3) -> list[tuple[str, int]]:
        return sorted(self.bytes_by_url.items(), key=lambda item: -item[1])[:count]


# --------------------------------------------------------------------------- the table


@contextlib.contextmanager
def served(html: Path) -> Iterator[str]:
    """The base URL of `html` served over HTTP on a free local port."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    handler = functools.partial(Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    """The Chromium to drive: CHROMIUM, Debian's, or the one on PATH."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise FileNotFoundError("no Chromium: install one (apt-get install chromium) "
                                "or set CHROMIUM=/path/to/chrome")
    return found


def open_offline(browser, base: str, path: str, *, dark: bool = False, viewport=DESKTOP):
    """A fresh context on `base + path`, other hosts refused; returns (context, page, weight)."""
    import re

    context = browser.new_context(viewport=viewport)
    context.route(re.compile(r"^(?!" + re.escape(base) + r")(https?|wss?)://"),
                  lambda route: route.abort("internetdisconnected"))
    if dark:
        context.add_init_script("try { localStorage.setItem('mode', 'dark');"
                                " localStorage.setItem('theme', 'dark'); } catch (e) {}")
    page = context.new_page()
    weight = PageWeight(page)
    page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("async () => { await window.MathJax?.startup?.promise; }")
    return context, page, weight


def audit(html: Path, pages: list[str]) -> list[dict]:
    """One row per page: axe serious+critical (light, dark), lowest contrast, weight,
    smallest figure text (desktop, phone)."""
    from playwright.sync_api import sync_playwright

    from booktools.figures.figure_text import smallest_figure_text

    rows = []
    with served(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path in pages:
            row = {"page": path}
            for theme in ("light", "dark"):
                context, page, weight = open_offline(browser, base, f"{path}.html",
                                                     dark=theme == "dark")
                row[f"axe {theme}"] = sum(f.count for f in axe_findings(page))
                contrast = lowest_contrast(page)
                row[f"contrast {theme}"] = contrast.ratio if contrast else None
                if theme == "light":
                    row["weight"] = weight.total
                    row["figure text desktop"] = smallest_figure_text(page)[0]
                context.close()
            context, page, _ = open_offline(browser, base, f"{path}.html", viewport=PHONE)
            row["figure text phone"] = smallest_figure_text(page)[0]
            context.close()
            rows.append(row)
        browser.close()
    return rows


def cut_bytes(html: Path, page_scripts: list[str]) -> dict[str, int]:
    """What the book does not load that the theme would (booktools.extensions.site_head), in bytes:
    Font Awesome's script always, MathJax where the page has no math."""
    import pydata_sphinx_theme

    static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    cut = {"Font Awesome script": (static / "scripts" / "fontawesome.js").stat().st_size}
    if not any("mathjax" in src.lower() for src in page_scripts):
        mathjax = next((html / "_static" / "mathjax").glob("tex-*.js"), None)
        if mathjax:
            cut["MathJax"] = mathjax.stat().st_size
    return cut


def page_weights(html: Path, pages: list[str]) -> list[dict]:
    """Each page's weight as loaded offline in Chromium, and what it would be with what
    the book cuts (`make bench`)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with served(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path in pages:
            context, page, weight = open_offline(browser, base, f"{path}.html")
            scripts = page.evaluate("[...document.scripts].map((s) => s.src)")
            cut = cut_bytes(html, scripts)
            largest, size = weight.largest(1)[0]
            rows.append({"page": path, "bytes": weight.total,
                         "uncut bytes": weight.total + sum(cut.values()), "cut": cut,
                         "largest": (largest.removeprefix(base).split("?")[0], size)})
            context.close()
        browser.close()
    return rows


def format_table(rows: list[dict]) -> str:
    """The audit as a Markdown table."""
    def pair(row, key, a, b, spec):
        return " / ".join("-" if row[f"{key} {x}"] is None else format(row[f"{key} {x}"], spec)
                          for x in (a, b))

    lines = ["| page | axe serious+critical (light / dark) | lowest contrast (light / dark) "
             "| smallest figure text, px (1280 / 375) | weight (MB) |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['page']} | {row['axe light']} / {row['axe dark']} "
                     f"| {pair(row, 'contrast', 'light', 'dark', '.2f')} "
                     f"| {pair(row, 'figure text', 'desktop', 'phone', '.1f')} "
                     f"| {row['weight'] / 1e6:.2f} |")
    return "\n".join(lines)


def book_pages(html: Path) -> list[str]:
    """Every page of the table of contents that was built into `html`."""
    from booktools.notebooks.book_index import toc_docnames

    return [page for page in toc_docnames(ROOT) if (html / f"{page}.html").is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", nargs="*", help="pages as book/en/18-2 (default: all)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        parser.error(f"{args.html} holds no built book: run `make book` first")
    print(format_table(audit(args.html, args.pages or book_pages(args.html))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
