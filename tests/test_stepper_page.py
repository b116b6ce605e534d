"""The unrolled RNN stepped by hand, section 18-3 (_static/stepper), in Chromium.

_static/stepper/stepper.js against Keras on the built page of each edition:
for the sentence's inputs its numbers are the Keras numbers rnnbook.show.stepper
embedded in the page; after the reader changes a character with the keyboard
they are a NumPy forward pass from the page's own weights, the steps before
the change keep their states and every later one moves. Then the widget as a
reader meets it: keyboard only, a polite live region in the page's language,
labels, a character outside the vocabulary explained, axe-core in the light
and dark theme, the dark theme's contrast, no page-wide sideways scroll on a
375 px phone, no console error. Screenshots: _build/screenshots/stepper/.
"""

import json
import re

import numpy as np
import pytest
from browsing import DESKTOP, PHONE, SCREENSHOTS, record_measurements
from stepping import page_forward

from booktools.bench.page_audit import AA_CONTRAST, axe_findings, lowest_contrast

pytestmark = pytest.mark.browser

PAGES = {"en": "book/en/18-3.html", "zh-TW": "book/zh-TW/18-3.html"}
SHOTS = SCREENSHOTS / "stepper"
WIDGET = ".hello-stepper.stepper-widget"
WORDS = {"en": {"step": "Step 3 of 15: reads “l”", "unknown": "does not know",
                "changed": "from step 3 on"},
         "zh-TW": {"step": "第3步，共15步：讀入「l」", "unknown": "不認得",
                   "changed": "從第3步開始"}}
def record(**values):
    """Keep what the tests measured, for the closing note."""
    record_measurements(SHOTS / "measurements.json", **values)


def open_stepper(visit, edition, **options):
    v = visit(PAGES[edition], **options)
    v.page.wait_for_selector(WIDGET + " .stepper-bars li")
    assert v.page.evaluate("document.documentElement.lang") == edition
    return v


def page_data(page) -> dict:
    """What rnnbook.show.stepper embedded in the page: weights, vocabulary, Keras' numbers."""
    return json.loads(page.evaluate(
        "document.querySelector('.hello-stepper script.hello-stepper-data').textContent"))


def js_numbers(page) -> dict:
    return page.evaluate("document.querySelector('.hello-stepper').helloStepper.numbersNow()")


def no_trouble(v):
    assert v.console_errors == [] and v.failed == [] and v.bad_responses == [], \
        (v.console_errors, v.failed, v.bad_responses)
    assert v.third_party == [], v.third_party


# --------------------------------------------------------------------------- parity


@pytest.mark.parametrize("edition", PAGES)
def test_the_page_s_numbers_are_keras_own_for_the_sentence(visit, edition):
    v = open_stepper(visit, edition)
    data, numbers = page_data(v.page), js_numbers(v.page)
    assert numbers["text"] == data["inputs"] == "hello, I am And"
    states, keras_states = np.array(numbers["states"]), np.array(data["keras"]["states"])
    odds, keras_odds = np.array(numbers["distributions"]), np.array(data["keras"]["distributions"])
    assert states.shape == keras_states.shape == (15, data["stateSize"])
    assert odds.shape == keras_odds.shape == (15, len(data["vocabulary"]))
    worst = max(float(np.abs(states - keras_states).max()), float(np.abs(odds - keras_odds).max()))
    assert worst <= 1e-5, f"the page's numbers differ from Keras' by {worst:.2e}"
    record(**{f"max_difference_from_keras_{edition}": worst})
    no_trouble(v)


@pytest.mark.parametrize("edition", PAGES)
def test_a_character_changed_with_the_keyboard_changes_every_step_after_it(visit, edition):
    v = open_stepper(visit, edition)
    page = v.page
    data = page_data(page)
    original = js_numbers(page)
    # The reader selects the first "l" (the third character) and types "a" over it.
    page.focus(WIDGET + " input[type=text]")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.type("a")
    page.wait_for_function("document.querySelector('.hello-stepper').dataset.text"
                           " === 'healo, I am And'")
    numbers = js_numbers(page)
    states, odds = page_forward(data, "healo, I am And")
    difference = max(float(np.abs(np.array(numbers["states"]) - states).max()),
                     float(np.abs(np.array(numbers["distributions"]) - odds).max()))
    assert difference <= 1e-5, f"the page's numbers differ from NumPy's by {difference:.2e}"
    # The first two steps read what they read before; from the third on every state moved.
    assert numbers["states"][:2] == original["states"][:2]
    moved = np.linalg.norm(np.array(numbers["states"]) - np.array(original["states"]), axis=1)
    assert np.all(moved[2:] > 1e-6), moved
    assert numbers["distances"] == pytest.approx(moved.tolist(), abs=1e-12)
    changed = page.evaluate("[...document.querySelectorAll('.stepper-column')]"
                            ".map((c) => c.classList.contains('stepper-changed'))")
    assert changed == [False, False] + [True] * 13
    assert WORDS[edition]["changed"] in page.locator(".stepper-distance-note").inner_text()
    record(**{f"max_difference_from_numpy_changed_{edition}": difference})
    no_trouble(v)


# --------------------------------------------------------------------------- the reader


def _focused(page):
    return page.evaluate("[document.activeElement.tagName, document.activeElement.type || '',"
                         " document.activeElement.textContent]")


@pytest.mark.parametrize("edition", PAGES)
def test_the_reader_steps_with_the_keyboard_alone_and_hears_each_step(visit, edition):
    v = open_stepper(visit, edition)
    page = v.page
    step = "document.querySelector('.hello-stepper').dataset.step"
    spoken = "document.querySelector('.stepper-widget [aria-live=polite]').textContent"
    page.focus(WIDGET + " input[type=text]")
    page.keyboard.press("Tab")                                  # the reset button
    page.keyboard.press("Tab")                                  # Previous is disabled at step 1
    assert _focused(page)[:2] == ["INPUT", "range"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(step) == "3"
    said = page.evaluate(spoken)
    assert said.startswith(WORDS[edition]["step"]), said
    assert re.search(r"\d+%", said)
    page.keyboard.press("Tab")                                  # Next
    assert _focused(page)[0] == "BUTTON"
    page.keyboard.press("Enter")
    assert page.evaluate(step) == "4"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")                            # Previous, enabled now
    page.keyboard.press("Space")
    assert page.evaluate(step) == "3"
    page.keyboard.press("Tab")
    page.keyboard.press("End")
    assert page.evaluate(step) == "15"
    assert page.locator(WIDGET + " .stepper-controls button").nth(1).is_disabled()
    # The highlighted column, the state's cells and the bars follow the step.
    assert page.evaluate("document.querySelector('.stepper-column.stepper-current').dataset.t") \
        == "15"
    assert page.locator(WIDGET + " .stepper-cells .stepper-cell").count() == 32
    assert page.locator(WIDGET + " .stepper-bars li").count() == 13
    assert page.locator(WIDGET + " .stepper-bars li.stepper-top").count() == 1
    assert page.locator(WIDGET + " .stepper-bars li.stepper-expected").count() == 1
    no_trouble(v)


def test_the_keyboard_keeps_its_place_at_either_end_of_the_chain(visit):
    """A button that disables under the reader's Enter hands its focus to the other one."""
    v = open_stepper(visit, "en")
    page = v.page
    step = "document.querySelector('.hello-stepper').dataset.step"
    previous, next_ = (page.locator(WIDGET + " .stepper-controls button").nth(i) for i in (0, 1))
    next_.focus()
    page.keyboard.press("Enter")                                # step 2
    previous.focus()
    page.keyboard.press("Enter")                                # step 1: Previous disables
    assert page.evaluate(step) == "1" and previous.is_disabled()
    assert page.evaluate("document.activeElement === document.querySelectorAll("
                         "'.stepper-controls button')[1]"), _focused(page)
    # Home and End in the chain's box go to the first and last step, not the page's ends.
    page.focus(WIDGET + " .stepper-chain-box")
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("End")
    assert page.evaluate(step) == "15" and page.evaluate("window.scrollY") == scrolled
    page.keyboard.press("Home")
    assert page.evaluate(step) == "1"
    # The current column is in view inside the chain's box.
    inside = page.evaluate("""() => {
      const box = document.querySelector('.stepper-chain-box').getBoundingClientRect();
      const col = document.querySelector('.stepper-column.stepper-current').getBoundingClientRect();
      return col.left >= box.left - 1 && col.right <= box.right + 1; }""")
    assert inside
    no_trouble(v)


@pytest.mark.parametrize("edition", PAGES)
def test_a_character_outside_the_vocabulary_is_explained_and_changes_nothing(visit, edition):
    v = open_stepper(visit, edition)
    page = v.page
    before = js_numbers(page)
    page.fill(WIDGET + " input[type=text]", "hexlo, I am And")
    message = page.locator(WIDGET + " .stepper-message")
    assert WORDS[edition]["unknown"] in message.inner_text() and "x" in message.inner_text()
    assert page.get_attribute(WIDGET + " input[type=text]", "aria-invalid") == "true"
    assert js_numbers(page) == before
    page.fill(WIDGET + " input[type=text]", "")
    assert message.inner_text() != ""
    page.click(WIDGET + " .stepper-input-row button")          # back to the sentence
    assert page.get_attribute(WIDGET + " input[type=text]", "aria-invalid") is None
    assert message.inner_text() == "" and js_numbers(page) == before
    no_trouble(v)


@pytest.mark.parametrize("edition", PAGES)
def test_controls_are_labelled_and_speak_the_page_s_language(visit, edition):
    v = open_stepper(visit, edition)
    page = v.page
    unlabelled = page.evaluate(f"""() => [...document.querySelectorAll(
        '{WIDGET} input, {WIDGET} button')]
      .filter((c) => c.tagName === 'BUTTON' ? !c.textContent.trim()
                     : !c.labels || !c.labels.length || !c.labels[0].textContent.trim())
      .map((c) => c.outerHTML)""")
    assert unlabelled == []
    assert page.locator(WIDGET + " [aria-live=polite]").count() == 1
    assert page.get_attribute(WIDGET, "role") == "region"
    # The fallback for notebooks is replaced by the widget's own words.
    assert page.locator(WIDGET + " .hello-stepper-fallback").count() == 0
    words = page.locator(WIDGET).inner_text()
    if edition == "zh-TW":
        english = set(re.findall(r"[A-Za-z]{3,}", words)) - {"And", "RNN", "tanh"}
        assert english == set(), english
    else:
        assert not any("\u4e00" <= c <= "\u9fff" for c in words)
    no_trouble(v)


# --------------------------------------------------------------------------- how it looks


def _step_and_change(page):
    """A state worth looking at: the first "l" made an "a", step 4, the numbers open."""
    page.fill(WIDGET + " input[type=text]", "healo, I am And")
    page.focus(WIDGET + " input[type=range]")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.click(WIDGET + " details summary")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("edition", PAGES)
def test_it_fits_a_phone_and_reads_in_both_themes(visit, edition, viewport, dark):
    v = open_stepper(visit, edition, viewport=viewport, dark=dark)
    page = v.page
    assert page.evaluate("document.documentElement.dataset.theme") == ("dark" if dark else "light")
    _step_and_change(page)
    overflow = page.evaluate(f"""() => {{
      const w = document.querySelector('{WIDGET}');
      return [w.scrollWidth - w.clientWidth,
              document.documentElement.scrollWidth - window.innerWidth];
    }}""")
    assert overflow[0] <= 1 and overflow[1] <= 1, overflow
    # The chain scrolls inside its own box, which keeps the current step in view.
    inside = page.evaluate(f"""() => {{
      const box = document.querySelector('{WIDGET} .stepper-chain-box').getBoundingClientRect();
      const c = document.querySelector('{WIDGET} .stepper-current').getBoundingClientRect();
      return c.left >= box.left - 1 && c.right <= box.right + 1;
    }}""")
    assert inside
    contrast = lowest_contrast(page, (WIDGET,))
    assert contrast is not None and contrast.ratio >= AA_CONTRAST, contrast
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = (f"{edition}-{'phone' if viewport == PHONE else 'desktop'}-"
            f"{'dark' if dark else 'light'}")
    page.evaluate(f"document.querySelector('{WIDGET}')"
                  ".scrollIntoView({block: 'start', behavior: 'instant'})")
    page.locator(WIDGET).screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")
    if viewport == PHONE:
        page.screenshot(path=str(SHOTS / f"{name}-page.png"))
    record(**{f"lowest_contrast_{name}": round(contrast.ratio, 2)})
    no_trouble(v)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("edition", PAGES)
def test_axe_finds_nothing_serious_with_the_stepper_in_use(visit, edition, dark):
    v = open_stepper(visit, edition, dark=dark)
    page = v.page
    _step_and_change(page)
    page.fill(WIDGET + " input[type=text]", "hexlo")              # and its error message
    findings = axe_findings(page)
    assert findings == [], findings


def test_pages_without_the_stepper_load_none_of_it(visit):
    v = visit("book/en/18-2.html")
    loaded = [url for url in v.page.evaluate(
        "performance.getEntriesByType('resource').map((e) => e.name)") if "/stepper/" in url]
    assert loaded == []
    assert v.page.locator(".hello-stepper").count() == 0
