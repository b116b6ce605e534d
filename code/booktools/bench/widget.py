"""How fast the 18-3 widget's model runs in Chromium, beside Keras' own sampling (`make bench`).

    python -m booktools.bench.widget [--html _build/html] [--length 2000]

Measured on the built site, served locally and opened offline in Chromium:
- milliseconds of computing per generated character in the widget's Web
  Worker (worker.js with gru.js; no pacing, ``length`` characters, the median
  of ``repeats`` runs);
- the time from the reader's first click on Write to the first character on
  the page, in a fresh browser context each time (worker start, manifest and
  weights fetched and decoded, prompt read, first draw);
- Keras' one-step sampling of the same model in this process
  (:func:`rnnbook.charrnn.sample`, as :mod:`booktools.bench.report` times it).

Never asserted in tests; `make bench` can print :func:`speed_table` of
:func:`browser_speed`. :data:`WORKER_DRIVER` is also how the browser tests
drive the worker.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from booktools.book import ROOT

#: The widget's page, and the worker and manifest beside widget.js in the built site.
PAGE = "book/en/18-3.html"
WORKER = "_static/charmodel/worker.js"
MANIFEST = "_static/charmodel/shakespeare.json"
TARGETS = {"ms per char": 1.0, "first char ms": 1000.0}

#: Drives the worker from a page: load, then each request in turn, each answered by the
#: worker's message of type ``request.reply`` with the request's job number (or
#: 'unknown'). Resolves to {ready, readyMs, replies}.
WORKER_DRIVER = """async ([workerUrl, manifestUrl, requests]) => {
  const worker = new Worker(workerUrl);
  let waiting = null;
  worker.onmessage = (event) => { if (waiting) waiting(event.data); };
  const answer = (test) => new Promise((resolve, reject) => {
    waiting = (m) => {
      if (m.type === 'error') reject(new Error(m.stage + ': ' + m.message));
      else if (test(m)) resolve(m);
    };
  });
  const started = performance.now();
  let reply = answer((m) => m.type === 'ready');
  worker.postMessage({type: 'load', url: manifestUrl});
  const ready = await reply;
  const readyMs = performance.now() - started;
  const replies = [];
  for (let job = 0; job < requests.length; job++) {
    const request = requests[job];
    reply = answer((m) => m.job === job && (m.type === request.reply || m.type === 'unknown'));
    worker.postMessage(Object.assign({job: job}, request));
    replies.push(await reply);
  }
  worker.terminate();
  return {ready: ready, readyMs: readyMs, replies: replies};
}"""


def drive_worker(page, base: str, requests: list[dict]) -> dict:
    """:data:`WORKER_DRIVER` run in an open Playwright ``page`` of the site at ``base``."""
    return page.evaluate(WORKER_DRIVER, [base + WORKER, base + MANIFEST, requests])


def generation_request(length: int, prompt: str = "P", seed: int = 0) -> dict:
    """Write ``length`` characters as fast as the worker can (no pacing), temperature 1."""
    return {"type": "generate", "reply": "done", "prompt": prompt, "length": length,
            "temperature": 1.0, "topK": None, "pace": 0, "seed": seed}


def first_character_ms(browser, base: str) -> float:
    """Click Write on a freshly opened page; milliseconds until its first character."""
    from booktools.bench.page_audit import open_offline

    context, page, _ = open_offline(browser, base, PAGE)
    try:
        page.click(".charmodel-write button[type=submit]")
        page.wait_for_function("document.querySelector('.charmodel').dataset.firstCharMs")
        return float(page.get_attribute(".charmodel", "data-first-char-ms"))
    finally:
        context.close()


def keras_ms_per_char(length: int = 300) -> float:
    """Keras' one-step sampling of the shipped model, milliseconds per character."""
    from rnnbook.charrnn import SHIPPED_WEIGHTS, load, sample

    shipped = load(SHIPPED_WEIGHTS)
    sample(shipped.model, shipped.vocab, "P", 20)              # warm up the one-step function
    start = time.perf_counter()
    sample(shipped.model, shipped.vocab, "P", length)
    return 1000 * (time.perf_counter() - start) / length


def measure(browser, base: str, length: int = 2000, repeats: int = 3) -> dict:
    """The widget's speed in an open Playwright ``browser`` on the site at ``base``."""
    from booktools.bench.page_audit import open_offline

    first = [first_character_ms(browser, base) for _ in range(repeats)]
    context, page, _ = open_offline(browser, base, PAGE)
    try:
        runs = [drive_worker(page, base, [generation_request(length, seed=seed)])
                for seed in range(repeats)]
    finally:
        context.close()
    return {"chromium": browser.version, "length": length, "repeats": repeats,
            "ms per char": statistics.median(r["replies"][0]["msPerChar"] for r in runs),
            "first char ms": statistics.median(first),
            "load ms": statistics.median(r["readyMs"] for r in runs)}


def browser_speed(html: Path = ROOT / "_build" / "html", length: int = 2000,
                  repeats: int = 3, keras: bool = True) -> dict:
    """:func:`measure` in a Chromium of its own on the built site (medians of ``repeats``),
    and Keras' one-step sampling beside it (``keras``)."""
    from playwright.sync_api import sync_playwright

    from booktools.bench.page_audit import CHROMIUM_ARGS, chromium_path, served

    if not (Path(html) / MANIFEST).is_file():
        raise FileNotFoundError(f"{Path(html) / MANIFEST} is missing: build the book first")
    with served(Path(html)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            result = measure(browser, base, length, repeats)
        finally:
            browser.close()
    if keras:
        result["keras ms per char"] = keras_ms_per_char()
    return result


def speed_table(result: dict) -> list[str]:
    """:func:`browser_speed` as Markdown lines for bench/results.md."""
    keras = result.get("keras ms per char")
    return ["## 18-3's model in the reader's browser (Chromium, Web Worker, float16 weights)", "",
            f"Chromium {result['chromium']}; medians of {result['repeats']} runs.", "",
            "| measure | value | target |", "|---|---:|---:|",
            f"| ms per generated character, browser ({result['length']:,} characters, no "
            f"pacing) | {result['ms per char']:.3f} | ≤ {TARGETS['ms per char']:g} |",
            f"| ms per generated character, Keras one-step sampling (this process) | "
            f"{'—' if keras is None else f'{keras:.3f}'} | |",
            f"| ms from the first click on Write to the first character | "
            f"{result['first char ms']:.0f} | ≤ {TARGETS['first char ms']:g} |",
            f"| ms to start the worker and load the weights (page already open) | "
            f"{result['load ms']:.0f} | |", ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m booktools.bench.widget",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--length", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args(argv)
    result = browser_speed(args.html, args.length, args.repeats, keras=not args.no_keras)
    print("\n".join(speed_table(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
