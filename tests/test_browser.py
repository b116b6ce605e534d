"""Browser checks of the built book: what a reader sees in Chromium.

The built site (_build/html) is served over HTTP from a local server, so pages
load as they would from the published site, and each check drives Chromium
with Playwright: pages load offline without errors, images load, equations are
typeset, the language switch, launch and download buttons work, figures stay
readable in dark mode, search finds the pages, and no page is wider than a
phone. Screenshots of every page go to _build/screenshots/<desktop|phone>/.

Run with `pytest -m browser tests/test_browser.py` after `make book`. Needs a
Chromium, found by tests/chromium.py (which `make test` runs first to get one).
"""

import io
import json
import re
from urllib.parse import urljoin, urlparse

import pytest
from browsing import (EXECUTABLE_PAGES, HTML, PAGES, PHONE, SCREENSHOTS, built_html,
                      counterpart, edition_of, open_page, repository)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desktop(browser, site):
    """desktop(page): what one visit of the page at desktop width showed.

    Each page is visited once and read by several checks (errors, images, math,
    buttons); its full-page screenshot is saved on the way.
    """
    readings, contexts = {}, []

    def read(page):
        if page not in readings:
            readings[page] = _read_desktop(open_page(browser, site, contexts, f"{page}.html"), page)
            contexts.pop().close()
        return readings[page]

    yield read
    for context in contexts:
        context.close()


def _read_desktop(v, page):
    html = built_html(page)
    reading = {"images": None, "math": None, "launch": None}
    if re.search(r"<article\b.*<img\b", html, re.S):
        reading["images"] = v.page.evaluate(_LOAD_IMAGES_JS, ARTICLE_IMAGES)
    if re.search(r"<div\b[^>]*\bclass=\"[^\"]*\bmath\b", html):
        reading["math"] = _typeset_math(v)
    _screenshot(v, page, "desktop")
    if page in EXECUTABLE_PAGES:
        reading["launch"] = _menu_links(v, "launch") | {"download": _menu_links(v, "download")}
    reading["problems"] = _load_problems(v)
    return reading


def _load_problems(v):
    problems = []
    if v.third_party:
        problems.append("requests to third-party hosts (the book must work offline): "
                        + ", ".join(sorted(set(v.third_party))))
    if v.failed:
        problems.append("failed requests: " + "; ".join(v.failed))
    if v.bad_responses:
        problems.append("HTTP errors: " + "; ".join(v.bad_responses))
    if v.console_errors:
        problems.append("console errors: " + "; ".join(v.console_errors))
    return problems


def _screenshot(v, page, device):
    """Save a full-page screenshot, with every image loaded and the math typeset."""
    v.page.evaluate(_LOAD_IMAGES_JS, "img")
    v.page.evaluate("""async () => {
      await window.MathJax?.startup?.promise;
      await document.fonts.ready;
      window.scrollTo(0, 0);
    }""")
    out = SCREENSHOTS / device / (page.replace("/", "__") + ".png")
    out.parent.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(out), full_page=True, animations="disabled")


def _typeset_math(v):
    """MathJax's verdict: started?, display math left untypeset, raw TeX left visible."""
    ready = v.page.evaluate("""async () => {
      if (!window.MathJax?.startup?.promise) return false;
      await window.MathJax.startup.promise;
      return true;
    }""")
    if not ready:
        return {"ready": False, "untypeset": [], "raw": []}
    v.page.wait_for_selector("mjx-container", state="attached")
    untypeset = v.page.evaluate("""() => [...document.querySelectorAll("div.math")]
        .filter((d) => !d.querySelector("mjx-container"))
        .map((d) => d.id || d.textContent.trim().slice(0, 60))""")
    text = v.page.evaluate(_VISIBLE_TEXT_JS)
    raw = [m.group(0) for m in re.finditer(r".{0,30}(\\\[|\$\$).{0,30}", text)]
    return {"ready": True, "untypeset": untypeset, "raw": raw}


def _menu_links(v, menu):
    """The links (and Live Code button) of the header's launch or download menu."""
    p = v.page
    p.locator(f".dropdown-{menu}-buttons button.dropdown-toggle").click()
    items = p.locator(f".dropdown-{menu}-buttons .dropdown-menu")
    items.wait_for(state="visible")
    hrefs = items.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
    thebe = items.locator("button.btn-launch-thebe, .btn-launch-thebe")
    live_code = bool(thebe.count() and thebe.first.is_visible())
    p.keyboard.press("Escape")
    return hrefs if menu == "download" else {"hrefs": hrefs, "live_code": live_code}


# --------------------------------------------------------------------------- checks


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(desktop, page):
    problems = desktop(page)["problems"]
    assert not problems, f"{page}.html: " + " | ".join(problems)


ARTICLE_IMAGES = "article img, .bd-article img"

#: Finish loading the images (lazy ones too: scrolled into view, made eager) and
#: report each one.
_LOAD_IMAGES_JS = """async (selector) => {
  const timeout = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const out = [];
  for (const img of document.querySelectorAll(selector)) {
    if (!img.complete || !img.naturalWidth) {
      if (img.loading === "lazy") img.loading = "eager";
      img.scrollIntoView({block: "center"});
      try { await Promise.race([img.decode(), timeout(10000)]); } catch (e) {}
    }
    out.push({src: img.getAttribute("src"), alt: (img.getAttribute("alt") || "").trim(),
              width: img.naturalWidth, complete: img.complete});
  }
  return out;
}"""


@pytest.mark.parametrize("page", PAGES)
def test_article_images_load_and_have_alt_text(desktop, page):
    images = desktop(page)["images"]
    if not images:
        pytest.skip(f"{page}.html shows no image in the article")
    broken = [i["src"] for i in images if not i["width"]]
    no_alt = [i["src"] for i in images if not i["alt"]]
    assert not broken, f"{page}.html: images that did not load: {broken}"
    assert not no_alt, f"{page}.html: images without alt text: {no_alt}"


#: Text a reader sees in the article outside code: raw TeX left there means
#: MathJax did not typeset it.
_VISIBLE_TEXT_JS = """() => {
  const root = document.querySelector("article") || document.querySelector(".bd-article");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code, script, style, mjx-assistive-mml, .highlight"))
      continue;
    if (!parent.checkVisibility({visibilityProperty: true})) continue;
    parts.push(node.textContent);
  }
  return parts.join("");
}"""

_MATH_PAGES = [p for p in PAGES if p.rsplit("/", 1)[-1] == "18-2"]


@pytest.mark.parametrize("page", PAGES)
def test_display_math_is_typeset(desktop, page):
    math = desktop(page)["math"]
    if math is None:
        if page in _MATH_PAGES:
            pytest.fail(f"{page}.html has no display math (div.math), but its equations are "
                        "the point of the page")
        pytest.skip(f"{page}.html has no display math (no div.math)")
    assert math["ready"], f"{page}.html: MathJax did not start (no MathJax.startup.promise)"
    assert not math["untypeset"], \
        f"{page}.html: display math not typeset by MathJax: {math['untypeset']}"
    assert not math["raw"], f"{page}.html: raw TeX left visible: {math['raw']}"


def _language_switch_problems(v, page):
    """Follow the header's language switch; what went wrong (nothing: an empty list)."""
    edition, target = edition_of(page), counterpart(page)
    lang = v.page.evaluate("document.documentElement.lang")
    if lang != edition:
        return [f"<html lang={lang!r}>, expected {edition!r}"]
    links = v.page.locator(".bd-header-article a[class*='btn-language-switch'], "
                           "header a[class*='btn-language-switch']")
    if not links.count():
        return ["no language switch (a[class*=btn-language-switch]) in the header"]
    popups = []
    v.context.on("page", lambda popup: popups.append(popup))
    links.first.click()
    v.page.wait_for_url(urljoin(v.base, f"{target}.html"), wait_until="commit")
    v.page.wait_for_selector("html[lang]", state="attached")
    problems = [f"the language switch opened a new tab: {[p.url for p in popups]}"] if popups else []
    if v.path() != f"{target}.html":
        problems.append(f"the language switch went to {v.path()}, expected {target}.html")
    lang = v.page.evaluate("document.documentElement.lang")
    if lang != edition_of(target):
        problems.append(f"{target}.html: <html lang={lang!r}>, expected {edition_of(target)!r}")
    return problems


@pytest.mark.parametrize("page", EXECUTABLE_PAGES)
def test_launch_and_download_buttons(desktop, site, page):
    owner, repo, branch = repository()
    launch = desktop(page)["launch"]
    hrefs = launch["hrefs"]
    binder = f"https://mybinder.org/v2/gh/{owner}/{repo}/{branch}?urlpath=lab/tree/{page}.ipynb"
    colab = (f"https://colab.research.google.com/github/{owner}/{repo}/blob/gh-pages/"
             f"_sources/{page}.ipynb")
    assert binder in hrefs, f"{page}.html: no Binder link {binder} in the launch menu: {hrefs}"
    assert colab in hrefs, f"{page}.html: no Colab link {colab} in the launch menu: {hrefs}"
    assert launch["live_code"], f"{page}.html: no visible Live Code (thebe) button in the launch menu"
    notebooks = [h for h in launch["download"] if urlparse(h).path.endswith(".ipynb")]
    assert notebooks, f"{page}.html: no .ipynb link in the download menu: {launch['download']}"
    assert notebooks[0].startswith(site), f"{page}.html: {notebooks[0]} is not on the site"
    path = HTML / urlparse(notebooks[0]).path.lstrip("/")
    assert path.is_file(), f"{page}.html: {notebooks[0]} is not in the built site"
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        pytest.fail(f"{page}.html: {notebooks[0]} is not JSON: {error}")
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    assert cells, f"{page}.html: {notebooks[0]} is not a notebook with cells"
    tags = cells[0].get("metadata", {}).get("tags", [])
    assert "setup" in tags, \
        f"{page}.html: the first cell of {notebooks[0]} is not the student notebook's set-up " \
        f"(tags: {tags})"


#: A figure is readable in dark mode when its strokes are drawn on a light ground:
#: the ground (the figure's own margin, as the reader sees it) must be light, the
#: darkest ink must stand out from it, and the figure must not be nearly uniform.
#: (Luminance 0-255. The ground, not the whole figure, is what must be light: a
#: heatmap of coloured cells is mid-grey on average and still perfectly readable.)
MIN_GROUND = 160
MIN_INK_CONTRAST = 100
MIN_FIGURE_STDDEV = 12


def _percentile(histogram, fraction):
    """The value below which `fraction` of an 8-bit image's pixels lie."""
    total, seen = sum(histogram), 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= fraction * total:
            return value
    return 255


def _figure_luminance(png, box):
    """Ground, ink (darkest 1 %), median and spread of a figure's luminance.

    `png` is an element screenshot of the <img> (its border box); `box` gives its
    CSS width, padding and border, to crop to the image itself, without the card.
    """
    from PIL import Image, ImageStat

    shot = Image.open(io.BytesIO(png)).convert("L")
    scale = shot.width / box["width"] if box["width"] else 1
    left, top = round(box["left"] * scale), round(box["top"] * scale)
    right = shot.width - round(box["right"] * scale)
    bottom = shot.height - round(box["bottom"] * scale)
    image = shot.crop((left, top, right, bottom)) if right > left and bottom > top else shot
    w, h = image.size
    k = max(2, round(min(w, h) * 0.03))
    frame = [0] * 256
    for edge in ((0, 0, w, k), (0, h - k, w, h), (0, 0, k, h), (w - k, 0, w, h)):
        frame = [a + b for a, b in zip(frame, image.crop(edge).histogram(), strict=True)]
    histogram = image.histogram()
    return {"ground": _percentile(frame, 0.5), "ink": _percentile(histogram, 0.01),
            "median": _percentile(histogram, 0.5), "std": ImageStat.Stat(image).stddev[0]}


_BOX_JS = """(img) => {
  const s = getComputedStyle(img), px = (v) => parseFloat(v) || 0;
  return {width: img.getBoundingClientRect().width,
          left: px(s.paddingLeft) + px(s.borderLeftWidth),
          top: px(s.paddingTop) + px(s.borderTopWidth),
          right: px(s.paddingRight) + px(s.borderRightWidth),
          bottom: px(s.paddingBottom) + px(s.borderBottomWidth)};
}"""


@pytest.mark.parametrize("page", PAGES)
def test_figures_readable_in_dark_mode(visit, page):
    if not re.search(r"<article\b.*<img\b", built_html(page), re.S):
        pytest.skip(f"{page}.html has no figures in the article")
    # The reader's choice, stored by the theme; the system stays light, so "dark"
    # below can only come from the stored choice.
    v = visit(f"{page}.html", dark=True, wait="load")
    theme = v.page.evaluate("document.documentElement.dataset.theme")
    assert theme == "dark", f"{page}.html: data-theme is {theme!r} after choosing dark mode"
    # A figure in a collapsed box (18-2's optional deep dive) is checked as the
    # reader who opens the box sees it.
    v.page.evaluate("document.querySelectorAll('article details')"
                    ".forEach((d) => { d.open = true; })")
    v.page.evaluate(_LOAD_IMAGES_JS, ARTICLE_IMAGES)
    images = v.page.locator(ARTICLE_IMAGES)
    if not images.count():
        pytest.skip(f"{page}.html has no figures in the article")
    unreadable = []
    for i in range(images.count()):
        image = images.nth(i)
        lum = _figure_luminance(image.screenshot(animations="disabled"), image.evaluate(_BOX_JS))
        if (lum["ground"] < MIN_GROUND or lum["ground"] - lum["ink"] < MIN_INK_CONTRAST
                or lum["std"] <= MIN_FIGURE_STDDEV):
            unreadable.append(f"{image.get_attribute('src')} (luminance: ground {lum['ground']}, "
                              f"darkest ink {lum['ink']}, median {lum['median']}, "
                              f"std {lum['std']:.1f})")
    assert not unreadable, (
        f"{page}.html: figures unreadable in dark mode (need ground >= {MIN_GROUND}, "
        f"ink contrast >= {MIN_INK_CONTRAST}, std > {MIN_FIGURE_STDDEV}): {unreadable}")


def _search_index_docs(term):
    """Pages whose text or titles have `term` in the built search index."""
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    docs = set()
    for kind in ("terms", "titleterms"):
        found = index[kind].get(term, [])
        docs.update(index["docnames"][i] for i in ([found] if isinstance(found, int) else found))
    return docs


#: query -> (pages one of which must be found, description); every English query
#: must also find an English page.
SEARCHES = {
    "RNN": ({p for p in PAGES if p.startswith("book/en/")}, "an English page"),
    "state": ({"book/en/18-2"}, "18-2 (state)"),
    "unstack": ({"book/en/labs/lab01"}, "lab01 (tf.unstack)"),
    "狀態": ({"book/zh-TW/18-2"}, "zh-TW 18-2 (狀態, state)"),
    "時間步": ({"book/zh-TW/18-2", "book/zh-TW/labs/lab03"},
            "zh-TW 18-2 or lab03 (時間步, time step)"),
    "字元": ({"book/zh-TW/18-3"}, "zh-TW 18-3 (字元, character)"),
}
#: Test ids that read in any terminal (pytest escapes non-ASCII ids).
_SEARCH_IDS = {"狀態": "zh-TW-state", "時間步": "zh-TW-time-step", "字元": "zh-TW-character"}


@pytest.mark.parametrize("query", [pytest.param(q, id=_SEARCH_IDS.get(q, q)) for q in SEARCHES])
def test_search_finds_pages(visit, query):
    built_html("search")
    expected, what = SEARCHES[query]
    v = visit(None)
    v.page.goto(urljoin(v.base, "search.html?q=" + query), wait_until="load")
    v.page.wait_for_function("""() => /Search finished|did not match/.test(
        document.querySelector("#search-results .search-summary")?.textContent || "")""")
    hrefs = v.page.locator("#search-results ul.search li a, #search-results li a").evaluate_all(
        "(links) => links.map((a) => a.href)")
    found = sorted({urlparse(h).path.lstrip("/").removesuffix(".html") for h in hrefs})
    assert found, f"search for {query!r} found nothing"
    if re.fullmatch(r"[A-Za-z ]+", query):
        assert any(f.startswith("book/en/") for f in found), \
            f"search for {query!r} found no English-edition page: {found}"
    assert expected & set(found), (
        f"search for {query!r} did not find {what}: results {found}; the search index "
        f"lists {sorted(_search_index_docs(query.lower()))} for that term")


#: Elements that stick out to the right of the viewport, outermost first, skipping
#: those inside an element that scrolls or clips horizontally.
_OVERFLOW_JS = """(width) => {
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 3).map((c) => "." + c).join("");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || clipped(el)) continue;
    if (getComputedStyle(el).position === "fixed") continue;
    wide.push(el);
  }
  const outermost = wide.filter((el) => !wide.some((o) => o !== el && o.contains(el)));
  return outermost
    .map((el) => ({el: describe(el), right: Math.round(el.getBoundingClientRect().right),
                   width: Math.round(el.getBoundingClientRect().width)}))
    .sort((a, b) => b.right - a.right).slice(0, 8);
}"""


@pytest.mark.parametrize("page", PAGES)
def test_desktop_screenshot_is_saved(desktop, page):
    desktop(page)
    out = SCREENSHOTS / "desktop" / (page.replace("/", "__") + ".png")
    assert out.is_file() and out.stat().st_size > 10_000, f"no desktop screenshot of {page}"


@pytest.mark.parametrize("page", PAGES)
def test_phone_no_horizontal_overflow_and_language_switch(visit, page):
    """At 375 px: a screenshot, no sideways scrolling; then the language switch works there."""
    built_html(page)
    v = visit(f"{page}.html", viewport=PHONE, wait="load", is_mobile=True, has_touch=True)
    _screenshot(v, page, "phone")
    # A phone widens window.innerWidth to whatever the page needs (917 px for a
    # 900 px element), so innerWidth alone never shows an overflow: the width a
    # reader has is the smallest of innerWidth, the root's clientWidth, the screen.
    sizes = v.page.evaluate("""() => ({
      scroll: document.documentElement.scrollWidth,
      width: Math.min(window.innerWidth, document.documentElement.clientWidth, screen.width)})""")
    if sizes["scroll"] > sizes["width"] + 1:
        offenders = v.page.evaluate(_OVERFLOW_JS, sizes["width"])
        pytest.fail(f"{page}.html at {PHONE['width']} px: the page is {sizes['scroll']} px wide "
                    f"(viewport {sizes['width']} px); widest elements: {offenders}")
    if edition_of(page):
        problems = _language_switch_problems(v, page)
        assert not problems, f"{page}.html: " + "; ".join(problems)
