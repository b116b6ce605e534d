"""The shape puzzles of Labs 01 and 02 as a reader meets them in Chromium (_static/puzzles).

On the built pages of both editions: each puzzle the page's source asks for
is there, in the page's language, and answerable; by keyboard alone (Tab,
arrows, Space, Enter) a wrong option gets the lab checker's diagnosis and
the right one its success message, in a polite live region; no console
error; axe-core finds nothing serious; nothing overflows a 375 px phone;
the puzzles' text meets WCAG AA contrast in light and dark mode.
Screenshots: _build/screenshots/puzzles/.
"""

import re

import pytest
from browsing import DESKTOP, PHONE, SCREENSHOTS

from booktools.book import ROOT
from booktools.bench.page_audit import AA_CONTRAST, axe_findings, lowest_contrast
from rnnbook.labs.puzzles import PUZZLES, WORDS

pytestmark = pytest.mark.browser

EDITIONS = ("en", "zh-TW")
LABS = ("lab01", "lab02")
SHOTS = SCREENSHOTS / "puzzles"
FEEDBACK = ".shape-puzzle-feedback"


def page_path(edition, lab):
    return f"book/{edition}/labs/{lab}.html"


def ids_in_source(edition, lab):
    """The puzzles the page's source displays, in order (read when a test runs)."""
    text = (ROOT / "book" / edition / "labs" / f"{lab}.md").read_text(encoding="utf-8")
    return re.findall(r'^puzzle\("([^"]+)"\)$', text, re.M)


def shown(text):
    """A Text's words as the page shows them: `code` as <code>, so without the backquotes."""
    return text.replace("`", "")


def open_lab(visit, edition, lab, **options):
    v = visit(page_path(edition, lab), **options)
    v.page.wait_for_selector("div.shape-puzzle[data-ready]")
    return v


def puzzle_root(page, pid):
    return page.locator(f'div.shape-puzzle[data-puzzle="{pid}"]')


def feedback_of(root):
    return root.locator(FEEDBACK)


def wait_for_feedback(page, pid, text):
    page.wait_for_function(
        """([pid, text]) => {
          const p = document.querySelector(`div.shape-puzzle[data-puzzle="${pid}"]`);
          return p.querySelector('.shape-puzzle-feedback').textContent === text;
        }""", arg=[pid, text])


def answer_wrongly(page, edition, pid):
    """Choose the puzzle's first wrong option with the mouse, check it, wait for the diagnosis."""
    p = PUZZLES[pid]
    wrong = next(i for i, o in enumerate(p.options) if not o.correct)
    root = puzzle_root(page, pid)
    root.locator("input[type=radio]").nth(wrong).check()
    root.locator("button").click()
    wait_for_feedback(page, pid, shown(p.options[wrong].feedback.in_language(edition)))
    return root


def assert_clean(v):
    assert v.console_errors == [] and v.failed == [] and v.bad_responses == [], \
        (v.console_errors, v.failed, v.bad_responses)
    assert v.third_party == [], v.third_party


# --------------------------------------------------------------------------- answering


@pytest.mark.parametrize("lab", LABS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_a_wrong_then_the_right_answer_by_keyboard_alone(visit, edition, lab):
    v = open_lab(visit, edition, lab)
    page = v.page
    assert page.evaluate("document.documentElement.lang") == edition
    for pid in ids_in_source(edition, lab):
        p = PUZZLES[pid]
        right = [o.correct for o in p.options].index(True)
        wrong = next(i for i, o in enumerate(p.options) if not o.correct)
        root = puzzle_root(page, pid)
        root.scroll_into_view_if_needed()
        # Start just before the puzzle, as a reader tabbing through the page would arrive.
        root.evaluate("(el) => { el.tabIndex = -1; el.focus(); }")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "radio"
        assert page.evaluate("document.activeElement.value") == "0"
        page.keyboard.press("Space")
        for _ in range(wrong):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.checked && document.activeElement.value") \
            == str(wrong)
        page.keyboard.press("Enter")
        wait_for_feedback(page, pid, shown(p.options[wrong].feedback.in_language(edition)))
        assert root.get_attribute("data-answered") == "is-wrong"
        # Arrows move the choice; Tab leaves the group for the Check button.
        step = "ArrowDown" if right > wrong else "ArrowUp"
        for _ in range(abs(right - wrong)):
            page.keyboard.press(step)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == \
            WORDS["check"].in_language(edition)
        page.keyboard.press("Space")
        wait_for_feedback(page, pid, shown(p.options[right].feedback.in_language(edition)))
        assert root.get_attribute("data-answered") == "is-right"
    assert_clean(v)


@pytest.mark.parametrize("lab", LABS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_puzzle_is_there_in_the_page_s_language_and_every_option_answers(
        visit, edition, lab):
    v = open_lab(visit, edition, lab)
    page = v.page
    ids = ids_in_source(edition, lab)
    assert ids and page.eval_on_selector_all(
        "div.shape-puzzle", "(all) => all.map((p) => p.dataset.puzzle)") == ids
    assert page.locator(".shape-puzzle-fallback").count() == 0
    for pid in ids:
        p = PUZZLES[pid]
        root = puzzle_root(page, pid)
        legend = root.locator("fieldset > legend")
        assert legend.text_content() == (f"{WORDS['title'].in_language(edition)} "
                                         f"{shown(p.text.in_language(edition))}")
        labels = root.locator("label.shape-puzzle-option").all_text_contents()
        assert labels == [shown(o.label.in_language(edition)) for o in p.options]
        # Check before choosing: a prompt, not a verdict.
        root.locator("button").click()
        wait_for_feedback(page, pid, WORDS["choose"].in_language(edition))
        for i, option in enumerate(p.options):
            root.locator("input[type=radio]").nth(i).check()
            root.locator("button").click()
            wait_for_feedback(page, pid, shown(option.feedback.in_language(edition)))
        live = feedback_of(root)
        assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == \
            "status"
        words = root.inner_text()
        prose = re.sub(r"\(.*?\)|`[^`]*`", "", root.evaluate(
            "(el) => { const c = el.cloneNode(true);"
            " c.querySelectorAll('code, script').forEach((x) => x.remove()); return c.textContent; }"))
        if edition == "zh-TW":
            english = set(re.findall(r"[A-Za-z]{3,}", prose)) - {"RNN", "batch", "state", "size",
                                                                  "unstack", "stack", "concat"}
            assert english == set(), (pid, english)
        else:
            assert not any("\u4e00" <= c <= "\u9fff" for c in words), (pid, words)
    assert_clean(v)


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_axe_and_contrast_with_feedback_shown(visit, edition, dark):
    for lab in LABS:
        v = open_lab(visit, edition, lab, dark=dark)
        page = v.page
        assert page.evaluate("document.documentElement.dataset.theme") == \
            ("dark" if dark else "light")
        for pid in ids_in_source(edition, lab):
            answer_wrongly(page, edition, pid)
        # Before axe: its run itself asks for a "basic.css" beside the page (a 404 on
        # every page of the book, puzzles or not), which is not the page's doing.
        assert_clean(v)
        findings = axe_findings(page)
        assert findings == [], findings
        worst = lowest_contrast(page, ("div.shape-puzzle",))
        assert worst is not None and worst.ratio >= AA_CONTRAST, worst
        # The radios and the button stand out from the puzzle's background too (3:1, WCAG 1.4.11).
        edges = page.evaluate("""() => {
          const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = (c) => { const v = rgb(c).map((x) => { x /= 255;
            return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
            return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
          const ratio = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x);
            return (h + 0.05) / (l + 0.05); };
          let bg = 'rgb(255, 255, 255)';
          for (let e = document.querySelector('div.shape-puzzle'); e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') { bg = c; break; }
          }
          const button = document.querySelector('.shape-puzzle-check');
          return [ratio(getComputedStyle(button).borderTopColor, bg),
                  ratio(getComputedStyle(button).color, getComputedStyle(button).backgroundColor)];
        }""")
        assert edges[0] >= 3 and edges[1] >= AA_CONTRAST, edges


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_phone_shows_the_puzzles_without_scrolling_sideways(visit, edition):
    for lab in LABS:
        v = open_lab(visit, edition, lab, viewport=PHONE, dark=True)
        page = v.page
        for pid in ids_in_source(edition, lab):
            root = answer_wrongly(page, edition, pid)
        overflow = page.evaluate("""() => [
          document.documentElement.scrollWidth - window.innerWidth,
          ...[...document.querySelectorAll('div.shape-puzzle')].map(
            (p) => p.scrollWidth - p.clientWidth)]""")
        assert max(overflow) <= 1, overflow
        # Every option is a target at least 24 px tall (WCAG 2.5.8).
        heights = root.locator("label.shape-puzzle-option").evaluate_all(
            "(all) => all.map((l) => l.getBoundingClientRect().height)")
        assert min(heights) >= 24, heights
        assert_clean(v)


def test_pages_without_puzzles_load_none_of_their_files(visit):
    v = visit("book/en/labs/lab03.html")
    loaded = v.page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert not [url for url in loaded if "/puzzles/" in url]
    v = open_lab(visit, "en", "lab01")
    loaded = v.page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert {url.rsplit("/", 1)[1].split("?")[0] for url in loaded if "/puzzles/" in url} == \
        {"puzzles.js", "puzzles.css"}


# --------------------------------------------------------------------------- screenshots


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_screenshots_of_an_answered_puzzle(visit, edition, viewport, dark):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lab in LABS:
        v = open_lab(visit, edition, lab, viewport=viewport, dark=dark)
        page = v.page
        root = answer_wrongly(page, edition, ids_in_source(edition, lab)[1])
        root.evaluate("(el) => el.scrollIntoView({block: 'center', behavior: 'instant'})")
        name = f"{edition}-{lab}-{viewport['width']}-{'dark' if dark else 'light'}"
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        assert (SHOTS / f"{name}.png").stat().st_size > 0
        assert_clean(v)
