"""Every reader, every screen (phone, tablet, desktop; touch, keyboard), checked in Chromium.

- Navigation: at phone (375 px) and tablet (768 px) width the buttons a reader
  sees open the chapter's contents and the page's contents, a link in them
  works, and they close again, by touch and by keyboard; at desktop width the
  contents button hides and shows the contents.
- Equations: at 375 px every display equation fits its box or scrolls with a
  visible cue.
- axe-core (booktools.bench.page_audit): no serious or critical finding on any page,
  light and dark, desktop and phone.
- Contrast: the text the book adds (outputs, checker messages, captions,
  admonitions) meets WCAG AA in light and dark mode.
- One search box; search results without raw TeX; Live Code that cannot reach
  a kernel says so in the page's language.

Run with `pytest -m browser tests/test_reader_access.py` after `make book`.
"""

import re

import pytest
from browsing import DESKTOP, EDITION_PAGES, PAGES, PHONE, SCREENSHOTS, built_html, edition_of

from booktools.bench.page_audit import AA_CONTRAST, axe_findings, lowest_contrast

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
NARROW = {"phone": PHONE, "tablet": TABLET}
#: One page per edition for the navigation checks (every page shares the template).
NAVIGATION_PAGES = ["book/zh-TW/18-2", "book/en/labs/lab03"]


def _visible(v, selector):
    return v.page.locator(selector).locator("visible=true").first


def _drawer_open(v, side):
    return v.page.evaluate(f"document.getElementById('pst-{side}-sidebar-modal').open")


def _screenshot_drawer(v, page, width, side):
    """Keep what the reader saw: _build/screenshots/navigation/<page>-<width>-<side>.png."""
    out = SCREENSHOTS / "navigation" / f"{page.replace('/', '__')}-{width}-{side}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    v.page.wait_for_timeout(200)  # the drawer's opening transition
    v.page.screenshot(path=str(out), animations="disabled")


def _tapped_open(visit, page, width, side):
    """A visit of `page` at a narrow width, its `side` drawer opened by touch."""
    v = visit(f"{page}.html", viewport=NARROW[width], has_touch=True)
    _visible(v, f".{side}-toggle").tap()
    assert _drawer_open(v, side), f"{page} at {width} width: tapping its {side} button did nothing"
    assert v.page.locator(f"#pst-{side}-sidebar-modal").is_visible()
    _screenshot_drawer(v, page, width, side)
    return v


# --------------------------------------------------------------------------- navigation


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("page", NAVIGATION_PAGES)
def test_chapter_contents_open_by_touch_lead_to_a_page_and_close(visit, page, width):
    v = _tapped_open(visit, page, width, "primary")
    drawer = v.page.locator("#pst-primary-sidebar-modal")
    _visible(v, "#pst-primary-sidebar-modal .rnnbook-drawer-close").tap()
    assert not _drawer_open(v, "primary"), "the drawer's close button left it open"
    _visible(v, ".primary-toggle").tap()
    glossary = f"/book/{edition_of(page)}/glossary.html"
    links = drawer.locator("a[href$='glossary.html']").locator("visible=true")
    hrefs = links.evaluate_all("(links) => links.map((a) => a.href)")
    assert any(h.endswith(glossary) for h in hrefs), \
        f"{page}: no link to {glossary} in the chapter contents: {hrefs}"
    with v.page.expect_navigation():
        links.nth([h.endswith(glossary) for h in hrefs].index(True)).tap()
    assert v.path().endswith(glossary.lstrip("/")), \
        f"{page}: the drawer's glossary link led to {v.path()}"


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("page", NAVIGATION_PAGES)
def test_chapter_contents_open_and_close_by_keyboard(visit, page, width):
    v = visit(f"{page}.html", viewport=NARROW[width])
    _visible(v, ".primary-toggle").focus()
    v.page.keyboard.press("Enter")
    assert _drawer_open(v, "primary"), f"{page} at {width} width: Enter on ☰ opened nothing"
    focused_inside = v.page.evaluate(
        "!!document.activeElement.closest('#pst-primary-sidebar-modal')")
    assert focused_inside, "the keyboard's focus stayed behind the open drawer"
    v.page.keyboard.press("Escape")
    assert not _drawer_open(v, "primary"), "Escape left the drawer open"


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("page", NAVIGATION_PAGES)
def test_page_contents_open_and_a_section_link_goes_there(visit, page, width):
    v = _tapped_open(visit, page, width, "secondary")
    sections = v.page.locator("#pst-secondary-sidebar-modal a[href^='#']").locator("visible=true")
    assert sections.count() >= 2, f"{page}: the page contents list no sections"
    section = sections.nth(1)
    anchor = section.get_attribute("href")
    section.tap()
    v.page.wait_for_timeout(300)
    assert v.page.url.endswith(anchor), f"{page}: the section link did not go to {anchor}"
    assert not _drawer_open(v, "secondary"), "following a section link left the drawer open"


@pytest.mark.parametrize("page", NAVIGATION_PAGES)
def test_desktop_contents_button_hides_and_shows_the_contents(visit, page):
    v = visit(f"{page}.html", viewport=DESKTOP)
    sidebar = v.page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    _visible(v, ".primary-toggle").click()
    assert not sidebar.is_visible(), f"{page}: the desktop contents button did nothing"
    assert not _drawer_open(v, "primary")
    _visible(v, ".primary-toggle").click()
    assert sidebar.is_visible(), f"{page}: the contents did not come back"


# --------------------------------------------------------------------------- equations


_EQUATIONS_JS = """() => [...document.querySelectorAll('mjx-container[display="true"]')]
.map((e) => ({
  id: e.closest('[id]')?.id || '', box: e.clientWidth, width: e.scrollWidth,
  scrolls: e.classList.contains('rnnbook-scrolls') && getComputedStyle(e).overflowX === 'auto',
  size: parseFloat(getComputedStyle(e).fontSize),
}))"""


@pytest.mark.parametrize("page", PAGES)
def test_display_equations_fit_a_phone_or_scroll_visibly(visit, page):
    if 'class="math' not in built_html(page):
        pytest.skip(f"{page}.html has no math")
    v = visit(f"{page}.html", viewport=PHONE)
    v.page.evaluate("async () => { await window.MathJax?.startup?.promise; }")
    v.page.wait_for_timeout(100)
    equations = v.page.evaluate(_EQUATIONS_JS)
    cut = [e for e in equations if e["width"] > e["box"] + 1 and not e["scrolls"]]
    assert not cut, f"{page}.html at 375 px: equations cut without a cue: {cut}"
    tiny = [e for e in equations if e["size"] < 11]
    assert not tiny, f"{page}.html at 375 px: equations scaled below 11 px: {tiny}"


# --------------------------------------------------------------------------- axe, contrast

_READINGS = {}
THEMES = ("light", "dark")
VIEWS = [(p, t, "desktop") for p in PAGES for t in THEMES] + [(p, "light", "phone") for p in PAGES]


def _reading(visit, page, theme, device):
    """axe-core's failing findings and the lowest contrast, read once per view."""
    key = (page, theme, device)
    if key not in _READINGS:
        v = visit(f"{page}.html", dark=theme == "dark",
                  viewport=PHONE if device == "phone" else DESKTOP)
        v.page.evaluate("async () => { await window.MathJax?.startup?.promise; }")
        _READINGS[key] = (axe_findings(v.page), lowest_contrast(v.page))
    return _READINGS[key]


@pytest.mark.parametrize(("page", "theme", "device"), VIEWS)
def test_axe_finds_no_serious_or_critical_violation(visit, page, theme, device):
    findings, _ = _reading(visit, page, theme, device)
    assert not findings, f"{page}.html ({theme}, {device}): " + "; ".join(
        f"{f.rule} ({f.impact}, {f.count}x, e.g. {f.example}): {f.help}" for f in findings)


@pytest.mark.parametrize(("page", "theme", "device"), [v for v in VIEWS if v[2] == "desktop"])
def test_the_book_s_text_meets_aa_contrast(visit, page, theme, device):
    _, worst = _reading(visit, page, theme, device)
    if worst is None:
        pytest.skip(f"{page}.html has no text of the book's own kinds")
    assert worst.ratio >= AA_CONTRAST, (
        f"{page}.html ({theme}): {worst.text!r} at {worst.where} is {worst.color} on "
        f"{worst.background}, {worst.ratio:.2f}:1 (AA needs {AA_CONTRAST}:1)")


def test_the_contrast_reading_catches_text_below_aa(visit):
    """The check can fail: grey on grey in a checker message is reported."""
    v = visit("book/en/labs/lab01.html")
    v.page.evaluate("""() => {
      const check = document.querySelector('.rnnbook-check') || document.createElement('p');
      check.classList.add('rnnbook-check');
      check.style.color = 'rgb(150, 150, 150)';
      check.style.background = 'rgb(200, 200, 200)';
      document.querySelector('article').appendChild(check);
      check.textContent = 'grey on grey';
    }""")
    assert lowest_contrast(v.page).ratio < AA_CONTRAST


# --------------------------------------------------------------------------- small ones


@pytest.mark.parametrize("page", ["book/en/18-2", "book/zh-TW/18-2"])
def test_one_search_box(visit, page):
    v = visit(f"{page}.html", viewport=DESKTOP)
    boxes = v.page.locator(".search-button-field").locator("visible=true")
    assert boxes.count() == 1, f"{page}.html shows {boxes.count()} search boxes"


def test_search_results_show_math_as_text_not_tex(visit):
    v = visit("search.html?q=recursion", wait="load")
    v.page.wait_for_selector("#search-results li p.context", timeout=20_000)
    v.page.wait_for_timeout(500)
    snippets = v.page.locator("#search-results li p.context").all_inner_texts()
    assert snippets, "searching 'recursion' found no page"
    raw = [s for s in snippets if re.search(r"\\[()\[\]]|\\[a-z]+", s)]
    assert not raw, f"search snippets with raw TeX: {raw}"
    assert any("s_(t-1)" in s for s in snippets), f"no plain math in the snippets: {snippets}"


@pytest.mark.parametrize(("page", "words"), [("book/zh-TW/labs/lab01", "連不上"),
                                             ("book/en/labs/lab01", "could not reach")])
def test_live_code_says_so_when_it_cannot_reach_a_kernel(visit, page, words):
    v = visit(f"{page}.html", viewport=DESKTOP)  # offline: the CDN and Binder fail at once
    v.page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
    v.page.locator(".btn-launch-thebe").locator("visible=true").first.click()
    alert = v.page.locator(".rnnbook-live-code-failed[role='alert']")
    alert.wait_for(state="visible", timeout=10_000)
    assert words in alert.inner_text()
    assert not v.page.get_by_text("Loading thebe from CDN").is_visible()


@pytest.mark.parametrize("page", EDITION_PAGES[:1])
def test_the_favicon_loads(visit, page):
    v = visit(f"{page}.html")
    href = v.page.evaluate("document.querySelector('link[rel~=icon]')?.href")
    assert href, f"{page}.html has no icon"
    response = v.page.request.get(href)
    assert response.ok and "svg" in response.headers.get("content-type", ""), href
