"""The Shakespeare model in the page, section 18-3 (_static/charmodel), in Chromium.

The browser's model (_static/charmodel: worker.js and gru.js, on the weights
booktools.extensions.model_export wrote into the built site) against Keras: the logits
after every character of fixed prompts, within 1e-3 of Keras run on the same
float16-rounded weights, and the mean loss of the held-out passages within
0.01 nats of Python's. Then the widget as a reader meets it, in both
editions, on a desktop and a 375 px phone, light and dark: keyboard, labels,
the page's language, a polite live region, no console error, nothing
downloaded before first use, and axe-core's verdict with the widget open.
Screenshots mid-generation: _build/screenshots/widget/.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from browsing import DESKTOP, HTML, PHONE, SCREENSHOTS, record_measurements

from booktools.bench import widget as widget_bench
from booktools.extensions.model_export import model_tensors, read_export
from booktools.bench.page_audit import axe_findings
from rnnbook.charrnn import SHIPPED_WEIGHTS, build_model, load, next_char_distribution
from rnnbook.charrnn.model import step_model

pytestmark = pytest.mark.browser

PAGES = {"en": "book/en/18-3.html", "zh-TW": "book/zh-TW/18-3.html"}
SHOTS = SCREENSHOTS / "widget"
MANIFEST = HTML / "_static" / "charmodel" / "shakespeare.json"
PROMPTS = ("P", "ROMEO:\nBut soft, what light through yonder window breaks?",
           "KING RICHARD II:\nOld John of Gaunt, time-honour'd Lancaster,\n\nJOHN OF GAUNT:\n")
WORDS = {"en": {"write": "Write", "colour": "Colour", "stopped": "Stopped",
                "unknown": "does not know"},
         "zh-TW": {"write": "開始寫", "colour": "上色", "stopped": "已停止",
                   "unknown": "不認得"}}
#: Screenshots of the widget alone: the page's fixed parts hidden while the shot is taken.
WIDGET_ONLY = ".bd-header, .bd-header-article, .skip-link, .bd-header-announcement { visibility: hidden !important; }"
#: What the tests learnt of speed and parity, for the closing note and `make bench`.
RECORD = SHOTS / "measurements.json"

def record(**values):
    record_measurements(RECORD, **values)


def drive_worker(visit, requests):
    v = visit(PAGES["en"])
    result = widget_bench.drive_worker(v.page, v.base, requests)
    assert v.console_errors == [], v.console_errors
    return result


@pytest.fixture(scope="module")
def python():
    """The shipped model, and a copy holding the float16-rounded weights the browser gets."""
    if not MANIFEST.is_file():
        pytest.fail(f"{MANIFEST} was not built: build the book first (make book)")
    shipped = load(SHIPPED_WEIGHTS)
    manifest, tensors = read_export(MANIFEST)
    rounded = build_model(shipped.config, len(shipped.vocab))
    rounded.set_weights([tensors[name] for name, _ in model_tensors(shipped.model)[0]])
    return SimpleNamespace(shipped=shipped, rounded=rounded, manifest=manifest)


def keras_logits(model, vocab, text):
    step = step_model(model)
    states, rows = step.initial_states(), []
    for char_id in vocab.encode(text):
        logits, states = step.advance(int(char_id), states)
        rows.append(logits)
    return np.array(rows)                                                   # (T, V)


# --------------------------------------------------------------------------- parity


def test_the_browser_s_logits_are_keras_own_at_every_step(visit, python):
    result = drive_worker(visit, [{"type": "trace", "reply": "trace", "text": p}
                                  for p in PROMPTS])
    worst = 0.0
    for prompt, reply in zip(PROMPTS, result["replies"]):
        browser = np.array(reply["logits"])
        keras = keras_logits(python.rounded, python.shipped.vocab, prompt)
        assert browser.shape == keras.shape == (len(prompt), len(python.shipped.vocab))
        difference = float(np.max(np.abs(browser - keras)))
        assert difference <= 1e-3, f"{prompt!r}: logits differ by {difference:.2e}"
        worst = max(worst, difference)
    record(max_logit_difference=worst, parity_steps=sum(len(p) for p in PROMPTS))


def test_the_browser_s_mean_loss_on_held_out_passages_is_python_s(visit, python):
    passages = python.manifest["passages"]
    assert passages
    result = drive_worker(visit, [{"type": "surprise", "reply": "surprise", "text": p["text"]}
                                  for p in passages])
    differences = {}
    for passage, reply in zip(passages, result["replies"]):
        text, vocab = passage["text"], python.shipped.vocab
        probabilities = next_char_distribution(python.shipped.model, vocab, text)   # (T, V)
        targets = vocab.encode(text)[1:]
        expected = -np.log(probabilities[np.arange(len(text) - 1), targets])
        browser = np.array(reply["losses"])
        assert browser.shape == expected.shape
        differences[passage["play"]] = abs(float(browser.mean() - expected.mean()))
        assert differences[passage["play"]] <= 0.01, passage["play"]
    record(mean_loss_difference=differences)


def test_the_browser_writes_what_rnnbook_writes_with_top_k_1(visit, python):
    # top-k 1: the most likely character ("\ufffd" aside) at every step, no draw to differ.
    prompt, length = "ROMEO:\n", 120
    v = visit(PAGES["en"])
    written = v.page.evaluate("""async ([workerUrl, manifestUrl, prompt, length]) => {
      const worker = new Worker(workerUrl);
      let text = '';
      const done = new Promise((resolve) => {
        worker.onmessage = (event) => {
          const m = event.data;
          if (m.type === 'ready') worker.postMessage({type: 'generate', job: 1, prompt: prompt,
            length: length, temperature: 1, topK: 1, pace: 0});
          if (m.type === 'chars') text += m.text;
          if (m.type === 'done') resolve(text);
        };
      });
      worker.postMessage({type: 'load', url: manifestUrl});
      const written = await done;
      worker.terminate();
      return written;
    }""", [v.base + widget_bench.WORKER, v.base + widget_bench.MANIFEST, prompt, length])
    from rnnbook.charrnn import sample

    expected = sample(python.rounded, python.shipped.vocab, prompt, length, top_k=1)
    assert written == expected[len(prompt):]
    assert v.console_errors == []


def test_the_worker_writes_thousands_of_characters_and_says_how_fast(visit):
    result = drive_worker(visit, [widget_bench.generation_request(3000, seed=2)])
    done = result["replies"][0]
    assert done["count"] == 3000 and not done["stopped"] and done["msPerChar"] > 0
    record(ms_per_char_unpaced=done["msPerChar"], worker_ready_ms=result["readyMs"])


# --------------------------------------------------------------------------- the widget


def _widget_requests(v):
    requests = []
    v.page.on("request", lambda r: requests.append(r.url) if "/charmodel/" in r.url else None)
    return requests


def _write_with_the_keyboard(page, edition):
    """Focus the prompt, Tab to Write (temperature, top-k, length between), press Enter."""
    page.focus(".charmodel-write textarea")
    for _ in range(4):
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == WORDS[edition]["write"]
    page.keyboard.press("Enter")


@pytest.mark.parametrize("edition", PAGES)
@pytest.mark.parametrize("viewport, dark", [(DESKTOP, False), (PHONE, True)],
                         ids=["desktop", "phone-dark"])
def test_the_reader_writes_with_the_keyboard_and_watches_it_stream(visit, edition, viewport,
                                                                    dark):
    v = visit(PAGES[edition], viewport=viewport, dark=dark)
    page = v.page
    requests = _widget_requests(v)
    page.wait_for_selector(".charmodel-widget .charmodel-write")
    assert page.evaluate("document.documentElement.lang") == edition
    assert not any("shakespeare.bin" in url for url in requests), "weights loaded before use"
    page.locator(".charmodel-widget").scroll_into_view_if_needed()
    _write_with_the_keyboard(page, edition)
    page.wait_for_function("document.querySelector('.charmodel').dataset.firstCharMs")
    page.wait_for_function("document.querySelector('.charmodel-output').textContent.length > 120")
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"{edition}-{'phone' if viewport == PHONE else 'desktop'}"
    # The theme scrolls smoothly: jump, so that the shots are not taken mid-scroll.
    page.evaluate("document.querySelector('.charmodel-write')"
                  ".scrollIntoView({block: 'start', behavior: 'instant'})")
    page.screenshot(path=str(SHOTS / f"{name}-page.png"))
    # The theme's sticky header and skip link would be painted over a tall element's shot.
    page.locator(".charmodel-widget").screenshot(path=str(SHOTS / f"{name}.png"),
                                                 animations="disabled", style=WIDGET_ONLY)
    # Mid-generation: the bars are those of the current step, the drawn one marked
    # (shown after the ten most likely when top-k drew a less likely one).
    bars = page.locator(".charmodel-bars li")
    assert bars.count() in (10, 11)
    assert page.locator(".charmodel-bars li.charmodel-chosen").count() == 1
    assert page.locator(".charmodel-status").inner_text() != ""
    # A phone shows it all without scrolling sideways.
    overflow = page.evaluate("""() => {
      const w = document.querySelector('.charmodel-widget');
      return [w.scrollWidth - w.clientWidth,
              document.documentElement.scrollWidth - window.innerWidth];
    }""")
    assert overflow[0] <= 1 and overflow[1] <= 1, overflow
    page.wait_for_function("document.querySelector('.charmodel').dataset.msPerChar",
                           timeout=60_000)
    text = page.locator(".charmodel-output").text_content()     # innerText drops a last "\n"
    assert text.startswith("P") and len(text) == 1 + 400
    assert sum("shakespeare.bin" in url for url in requests) == 1
    assert v.console_errors == [] and v.failed == [] and v.bad_responses == [], \
        (v.console_errors, v.failed, v.bad_responses)
    widget = page.locator(".charmodel").first
    record(**{f"first_char_ms_{name}": float(widget.get_attribute("data-first-char-ms")),
              f"ms_per_char_paced_{name}": float(widget.get_attribute("data-ms-per-char"))})


@pytest.mark.parametrize("edition", PAGES)
def test_controls_are_labelled_and_speak_the_page_s_language(visit, edition):
    v = visit(PAGES[edition])
    page = v.page
    page.wait_for_selector(".charmodel-widget .charmodel-write")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        '.charmodel-widget input, .charmodel-widget select, .charmodel-widget textarea')]
      .filter((c) => !c.labels || !c.labels.length || !c.labels[0].textContent.trim())
      .map((c) => c.outerHTML)""")
    assert unlabelled == []
    buttons = page.locator(".charmodel-widget button").all_inner_texts()
    assert WORDS[edition]["write"] in buttons and WORDS[edition]["colour"] in buttons
    # The streaming text is not a live region (it would read every character); lines go to
    # a polite one of their own, the status to role=status.
    assert page.locator(".charmodel-output-box[aria-live], .charmodel-output[aria-live]").count() == 0
    assert page.locator(".charmodel-widget [aria-live=polite]").count() == 1
    assert page.locator(".charmodel-widget [role=status]").count() == 2
    words = page.locator(".charmodel-widget").inner_text()
    if edition == "zh-TW":
        import re

        english = set(re.findall(r"[A-Za-z]{3,}", words)) - {
            "Python", "float", "top", "MACBETH", "BEATRICE", "KING", "RICHARD", "PROSPERO"}
        assert english == set(), english
    else:
        assert not any("\u4e00" <= c <= "\u9fff" for c in words)


@pytest.mark.parametrize("edition", PAGES)
def test_a_passage_coloured_by_surprise_with_its_mean_loss(visit, python, edition):
    v = visit(PAGES[edition])
    page = v.page
    page.wait_for_selector(".charmodel-surprise button")
    page.click(".charmodel-surprise button")
    page.wait_for_function("document.querySelector('.charmodel').dataset.meanLoss")
    passage = python.manifest["passages"][0]["text"]
    assert page.locator(".charmodel-cell").count() == len(passage)
    mean = float(page.locator(".charmodel").first.get_attribute("data-mean-loss"))
    summary = page.locator(".charmodel-summary").inner_text()
    assert f"{mean:.3f}" in summary and f"{mean / math.log(2):.3f}" in summary
    # The reader's own text, with a character the model never saw.
    page.fill(".charmodel-surprise textarea", "Où est Romeo?")
    page.click(".charmodel-surprise button")
    page.wait_for_function("document.querySelector('.charmodel-summary').textContent"
                           f".includes('{WORDS[edition]['unknown']}')")
    quote = {"en": "“ù”", "zh-TW": "「ù」"}[edition]
    assert quote in page.locator(".charmodel-summary").inner_text()
    assert page.locator(".charmodel-cell").count() == 0, "the earlier passage stayed"
    page.fill(".charmodel-surprise textarea", "To be, or not to be")
    page.click(".charmodel-surprise button")
    page.wait_for_function("document.querySelector('.charmodel-cell') && "
                           "document.querySelectorAll('.charmodel-cell').length === 19")
    page.screenshot(path=str(SHOTS / f"{edition}-surprise.png"), full_page=False)
    assert v.console_errors == []


def test_stop_ends_the_writing_and_an_unknown_prompt_is_explained(visit):
    v = visit(PAGES["en"])
    page = v.page
    page.wait_for_selector(".charmodel-write button")
    page.fill(".charmodel-write textarea", "Héllo")
    page.click(".charmodel-write button[type=submit]")
    page.wait_for_function("document.querySelector('.charmodel-status').textContent"
                           ".includes('does not know')")
    assert "é" in page.locator(".charmodel-status").inner_text()
    page.fill(".charmodel-write textarea", "JULIET:\n")
    page.click(".charmodel-write button[type=submit]")
    page.wait_for_function("document.querySelector('.charmodel').dataset.firstCharMs")
    page.click(".charmodel-write button[type=button]")
    page.wait_for_function("document.querySelector('.charmodel-status').textContent"
                           ".includes('Stopped')")
    assert page.locator(".charmodel-write button[type=submit]").is_enabled()
    assert "JULIET" in page.locator(".charmodel-output").inner_text()
    # A prompt it cannot read again: the message, and no earlier text under it.
    page.fill(".charmodel-write textarea", "Héllo")
    page.click(".charmodel-write button[type=submit]")
    page.wait_for_function("document.querySelector('.charmodel-status').textContent"
                           ".includes('does not know')")
    assert "JULIET" not in page.locator(".charmodel-output").inner_text()
    assert page.locator(".charmodel-output .charmodel-placeholder").count() == 1
    assert v.console_errors == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("edition", PAGES)
def test_axe_finds_nothing_serious_with_the_widget_open(visit, edition, dark):
    v = visit(PAGES[edition], dark=dark)
    page = v.page
    page.wait_for_selector(".charmodel-write button")
    page.fill(".charmodel-write input[type=number]", "80")
    page.click(".charmodel-write button[type=submit]")
    page.wait_for_function("document.querySelector('.charmodel').dataset.msPerChar",
                           timeout=30_000)
    page.click(".charmodel-surprise button")
    page.wait_for_function("document.querySelector('.charmodel').dataset.meanLoss")
    findings = axe_findings(page)
    assert findings == [], findings


def test_pages_without_the_widget_load_none_of_it(visit):
    v = visit("book/en/18-2.html")
    requests = [url for url in v.page.evaluate(
        "performance.getEntriesByType('resource').map((e) => e.name)") if "charmodel" in url]
    assert requests == []


def test_the_bench_measures_the_first_character_and_the_pace(browser, site):
    result = widget_bench.measure(browser, site, length=2000, repeats=3)
    assert result["ms per char"] > 0 and result["first char ms"] > 0
    lines = widget_bench.speed_table(result)
    assert any("first click on Write" in line for line in lines)
    record(bench=result)


def test_gru_js_draws_as_rnnbook_does_and_reads_float16(visit):
    v = visit(PAGES["en"])
    v.page.add_script_tag(url=v.base + "_static/charmodel/gru.js")
    found = v.page.evaluate("""() => {
      const G = window.CharModelGRU;
      const tied = new Float64Array(6).fill(2.0);
      const best = Float64Array.from([9, 1, 3, 3, 0, 2]);   // id 0 ("\\ufffd") is never drawn
      const random = G.seededRandom(7), again = G.seededRandom(7);
      return {
        tiedTop3: Array.from(G.distribution(tied, 0.5, 3, 0)),
        greedy: Array.from(G.distribution(best, 1.0, 1, 0)),
        all: Array.from(G.distribution(best, 1.0, null, 0)),
        drawLast: G.draw(Float64Array.from([0, 0.5, 0.5, 0]), 0.9999999999),
        drawFirst: G.draw(Float64Array.from([0, 0.5, 0.5, 0]), 0),
        seeded: [random(), random()].join() === [again(), again()].join(),
        half: Array.from(G.decodeFloat16(Uint16Array.from(
          [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555]))),
        top: G.topIds(Float64Array.from([0.1, 0.4, 0.1, 0.4]), 3),
      };
    }""")
    assert found["tiedTop3"] == pytest.approx([0, 1 / 3, 1 / 3, 1 / 3, 0, 0])
    assert found["greedy"] == [0, 0, 1, 0, 0, 0]              # ties to the smaller id
    assert found["all"][0] == 0 and sum(found["all"]) == pytest.approx(1)
    expected = np.exp([1, 3, 3, 0, 2]) / np.exp([1, 3, 3, 0, 2]).sum()
    assert found["all"][1:] == pytest.approx(expected)
    assert (found["drawFirst"], found["drawLast"]) == (1, 2) and found["seeded"]
    assert found["half"][:4] == [1.0, -2.0, 65504.0, 2.0 ** -24]
    assert found["half"][4] is None or math.isinf(found["half"][4])   # JSON has no infinity
    assert found["half"][5] == float(np.float16(1 / 3))
    assert found["top"] == [1, 3, 0]
