"""What `make bench` measures, printed as one table and written to bench/results.md.

    python -m booktools.bench [--out bench/results.md] [--skip-pages]

Measured side by side in one run on this machine, never asserted in tests:
- Lab 03 (RNN MNIST classification): test accuracy, training time and
  throughput of the hand-written RNN beside keras SimpleRNN and LSTM, same
  data, seed and budget; and the hand-written RNN on the full MNIST when
  Keras' copy is reachable;
- 18-3: the shipped Shakespeare model's validation loss re-measured on the
  held-out plays, and training throughput (characters/s) of its architecture
  beside a Keras model of the same size in the TensorFlow text-generation
  tutorial's form (Embedding(256) -> one GRU -> Dense): each training step
  timed by a Keras callback, characters/s from the median step, and
  separately what the whole ``fit`` call adds to its steps (start-up and
  teardown, which on a shared machine can outweigh a model's difference);
- oneDNN on and off (TF_ENABLE_ONEDNN_OPTS=1 / 0, each in a fresh process,
  since TensorFlow reads the switch when it loads): Lab 03 training
  throughput, 18-3 training throughput, one-step sampling time and the shipped
  model's loss on held-out text, to show what the default (on) buys;
- the author loop (booktools.bench.build_timing): a clean build of both editions, a
  rebuild with nothing changed, after a prose edit and after a code-cell edit;
- each executable page: the wall-clock time to execute it alone and the peak
  memory (RSS) of its kernel (the other edition shares the execution);
- each built page's weight, loaded offline in Chromium (booktools.bench.page_audit),
  beside what it would weigh with the files the book does not load (Font
  Awesome's script, MathJax on pages without math; booktools.extensions.site_head);
- 18-3's Shakespeare model in the reader's browser (booktools.bench.widget):
  milliseconds per generated character beside Keras' one-step sampling, and
  from the first click to the first character.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from booktools.book import ROOT
from booktools.bench.build_timing import build_costs, page_costs
TARGETS = {
    "offline accuracy": 0.96,       # hand-written RNN, 1,000 held-out offline digits
    "full accuracy": 0.985,         # hand-written RNN, full MNIST test set
    "throughput ratio": 1.0,        # hand-written / keras SimpleRNN
    "page seconds": 120.0,          # every page, executed alone
    "page GiB": 1.5,
    "clean build": 300.0,           # seconds, both editions, empty execution cache
    "no-op ratio": 0.05,            # a rebuild with nothing changed / the clean build
    "code edit margin": 20.0,       # rebuild after a code edit <= the page's execution + this
    "validation loss": 1.45,        # shipped Shakespeare model, nats/char
}


def mnist_rows() -> list[dict]:
    """Train the three Lab 03 models on the offline digits with the page's budget."""
    from rnnbook.data.mnist import load_mnist
    from rnnbook.experiments.mnist_training import LAB_BUDGET, train_classifier

    data = load_mnist(allow_download=False)
    rows = []
    for recurrent in ("handwritten", "simple_rnn", "lstm"):
        run = train_classifier(data, recurrent, LAB_BUDGET)
        rows.append(dict(model=recurrent, data=f"{data.source} ({len(data.x_test)} test)",
                         accuracy=run.test_accuracy, seconds=run.seconds,
                         throughput=run.examples_per_second))
    return rows


def full_mnist_row() -> dict:
    """The hand-written RNN on the full 70,000 digits, or a row saying they are unreachable."""
    from rnnbook.data.mnist import KERAS_SOURCE, load_mnist
    from rnnbook.experiments.mnist_training import FULL_MNIST_BUDGET, train_classifier

    data = load_mnist(allow_download=True, timeout=10.0)
    if data.source != KERAS_SOURCE:
        return dict(model="handwritten", data="full MNIST: not reachable", accuracy=None,
                    seconds=None, throughput=None)
    run = train_classifier(data, "handwritten", FULL_MNIST_BUDGET)
    return dict(model="handwritten", data="full MNIST (10000 test)", accuracy=run.test_accuracy,
                seconds=run.seconds, throughput=run.examples_per_second)


def char_model_rows(steps: int = 30) -> list[dict]:
    """The shipped model's loss, and training throughput beside the tutorial-form model."""
    import keras

    from rnnbook.charrnn import SHIPPED_WEIGHTS, build_model, evaluate, load, make_dataset
    from rnnbook.data.shakespeare import load_shakespeare

    corpus = load_shakespeare()
    shipped = load(SHIPPED_WEIGHTS)
    model, vocab, config, metrics = shipped.model, shipped.vocab, shipped.config, shipped.metrics
    measured = evaluate(model, vocab, corpus.validation, config)
    batches = make_dataset(vocab.encode(corpus.train[:2_000_000]), config)
    ours = build_model(config, len(vocab))
    tutorial = tutorial_model(len(vocab), ours.count_params())
    rows = []
    for name, candidate in (("rnnbook.charrnn (shipped form)", ours),
                            ("TF tutorial form, same size", tutorial)):
        timing = time_training(candidate, batches, steps, config.learning_rate)
        rows.append(dict(model=name, parameters=candidate.count_params(),
                         **training_speed(timing)))
    rows[0].update(recorded=metrics["final_validation_loss"], measured=measured,
                   minutes=metrics["total_seconds"] / 60)
    keras.backend.clear_session()
    return rows


def tutorial_model(vocab_size: int, parameters: int):
    """Embedding(256) -> GRU -> Dense, as in TensorFlow's text-generation tutorial,
    with the GRU's width chosen so the parameter count is closest to ``parameters``."""
    import keras

    def count(units):  # embedding + GRU (reset_after: 3 gates, two biases) + dense
        return vocab_size * 256 + 3 * units * (256 + units + 2) + (units + 1) * vocab_size

    units = min(range(16, 2048, 8), key=lambda u: abs(count(u) - parameters))
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, 256),
        keras.layers.GRU(units, return_sequences=True),
        keras.layers.Dense(vocab_size),
    ], name=f"tutorial_gru_{units}")


#: Steps of ``fit`` run before the timed call: its graph traced, its data pipeline filled.
WARMUP_STEPS = 3


def time_training(model, batches, steps: int, learning_rate: float) -> dict:
    """Compile ``model`` and time ``steps`` training steps of one ``fit`` call on ``batches``.

    After a :data:`WARMUP_STEPS`-step ``fit``, a Keras callback takes each step
    from the start of its batch to the end (the loss it reports read, so the
    step is done). Returns ``steps``, ``characters_per_step`` (batch x window),
    ``step_seconds`` (one per step) and ``fit_seconds``, the whole call.
    """
    import keras

    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"steps must be a positive integer, got {type(steps).__name__}")
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    model.jit_compile = False
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(batches, epochs=1, steps_per_epoch=WARMUP_STEPS, shuffle=False, verbose=0)
    step_seconds = []

    class StepTimes(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            step_seconds.append(time.perf_counter() - self.start)

    inputs, _ = next(iter(batches))
    start = time.perf_counter()
    model.fit(batches, epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0,
              callbacks=[StepTimes()])
    fit_seconds = time.perf_counter() - start
    return dict(steps=steps, characters_per_step=int(inputs.shape[0]) * int(inputs.shape[1]),
                step_seconds=step_seconds, fit_seconds=fit_seconds)


def training_speed(timing: dict) -> dict:
    """What :func:`time_training` measured, as the table gives it.

    ``throughput``: characters per second of the median step (steady state,
    whatever the call does before its first step or after its last);
    ``step_seconds``: that median; ``fit_seconds``: the whole call;
    ``fit_overhead``: what the call added to the sum of its steps; ``steps``.
    """
    if not isinstance(timing, dict):
        raise TypeError(f"timing must be the dict time_training returns, "
                        f"got {type(timing).__name__}")
    missing = sorted({"steps", "characters_per_step", "step_seconds", "fit_seconds"}
                     - set(timing))
    if missing:
        raise ValueError(f"timing lacks {missing}: pass what time_training returns")
    if not timing["step_seconds"] or min(timing["step_seconds"]) <= 0:
        raise ValueError(f"timing must hold at least one step time, each > 0, got "
                         f"{timing['step_seconds']!r}")
    median = statistics.median(timing["step_seconds"])
    return dict(throughput=timing["characters_per_step"] / median, step_seconds=median,
                fit_seconds=timing["fit_seconds"],
                fit_overhead=timing["fit_seconds"] - sum(timing["step_seconds"]),
                steps=timing["steps"])


ONEDNN_SWITCH = "TF_ENABLE_ONEDNN_OPTS"


def onednn_probe(sample_length: int = 300, validation_chars: int = 200_000) -> dict:
    """Lab 03 and 18-3 workloads in this process (run once per oneDNN setting)."""
    from rnnbook.charrnn import SHIPPED_WEIGHTS, evaluate, load, make_dataset, sample
    from rnnbook.data.shakespeare import load_shakespeare
    from rnnbook.data.mnist import load_mnist
    from rnnbook.experiments.mnist_training import LAB_BUDGET, train_classifier

    lab = train_classifier(load_mnist(allow_download=False), "handwritten",
                           dataclasses.replace(LAB_BUDGET, epochs=4))
    corpus = load_shakespeare()
    shipped = load(SHIPPED_WEIGHTS)
    model, vocab, config = shipped.model, shipped.vocab, shipped.config
    sample(model, vocab, "P", 20)  # warm up the one-step function
    start = time.perf_counter()
    sample(model, vocab, "P", sample_length)
    ms_per_char = 1000 * (time.perf_counter() - start) / sample_length
    loss = evaluate(model, vocab, corpus.validation[:validation_chars], config)
    batches = make_dataset(vocab.encode(corpus.train[:1_000_000]), config)
    return dict(lab_throughput=lab.examples_per_second, ms_per_char=ms_per_char, loss=loss,
                char_throughput=training_speed(time_training(
                    model, batches, 15, config.learning_rate))["throughput"])


def onednn_rows() -> list[dict]:
    """:func:`onednn_probe` with oneDNN on (TensorFlow's default) and off, side by side."""
    rows = []
    for setting in ("1", "0"):
        result = subprocess.run([sys.executable, "-m", "booktools.bench", "--onednn-probe"],
                                env={**os.environ, ONEDNN_SWITCH: setting}, check=True,
                                capture_output=True, text=True)
        rows.append({"onednn": setting == "1", **json.loads(result.stdout.splitlines()[-1])})
    return rows


def _onednn_table(rows: list[dict]) -> list[str]:
    lines = ["## oneDNN on (TensorFlow's default) and off", "",
             f"Each row in a fresh process with `{ONEDNN_SWITCH}` set; the book keeps "
             "TensorFlow's default and only holds back its start-up lines "
             "(rnnbook.quiet_tensorflow).", "",
             "| oneDNN | Lab 03 training (examples/s) | "
             "18-3 training (characters/s, median step) | 18-3 sampling (ms/char) | "
             "shipped model's loss (nats/char, held-out slice) |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| {'on' if row['onednn'] else 'off'} | {row['lab_throughput']:,.0f} | "
              f"{row['char_throughput']:,.0f} | {row['ms_per_char']:.2f} | {row['loss']:.6f} |"
              for row in rows]
    return lines + [""]


def weight_rows() -> list[dict]:
    """Each built page's weight (needs a built book and a Chromium; none: no rows)."""
    from booktools.bench.page_audit import book_pages, page_weights

    html = ROOT / "_build" / "html"
    if not (html / "index.html").is_file():
        print("page weights skipped: no built book (make book)", file=sys.stderr)
        return []
    return page_weights(html, book_pages(html))


def browser_model_rows() -> list[str]:
    """18-3's model in Chromium beside Keras (needs a built book; none: no rows)."""
    from booktools.bench.widget import browser_speed, speed_table

    try:
        return speed_table(browser_speed(ROOT / "_build" / "html"))
    except FileNotFoundError as missing:
        print(f"browser model rows skipped: {missing}", file=sys.stderr)
        return []


def _weight_table(weights: list[dict]) -> list[str]:
    """Each page's weight now and with what the book cuts."""
    lines = ["## What each page weighs (loaded offline in Chromium, first visit)", "",
             "| page | weight (MB) | with what the book cuts (MB) | cut | largest file |",
             "|---|---:|---:|---|---|"]
    for row in weights:
        cut = ", ".join(f"{name} {size / 1e6:.2f}" for name, size in row["cut"].items())
        name, size = row["largest"]
        lines.append(f"| {row['page']} | {row['bytes'] / 1e6:.2f} | "
                     f"{row['uncut bytes'] / 1e6:.2f} | {cut} | {name} ({size / 1e6:.2f}) |")
    return lines + [""]


def format_report(models: list[dict], pages: list[dict], char_models: list[dict] = (),
                  builds: list[dict] = (), onednn: list[dict] = (),
                  weights: list[dict] = (), browser_model: list[str] = ()) -> str:
    """The Markdown report: model tables and a page table, with the targets."""
    simple = next((row["throughput"] for row in models if row["model"] == "simple_rnn"), None)
    lines = [f"# `make bench` — {date.today().isoformat()}, {platform.machine()}, "
             f"{_cpu_count()} cores", "",
             "## Lab 03: RNN MNIST classification (same data, seed and budget)", "",
             "| model | data | test accuracy | train time (s) | examples/s | vs SimpleRNN |",
             "|---|---|---:|---:|---:|---:|"]
    for row in models:
        ratio = (f"{row['throughput'] / simple:.2f}x" if simple and row["throughput"] else "—")
        lines.append(f"| {row['model']} | {row['data']} | {_percent(row['accuracy'])} | "
                     f"{_number(row['seconds'], '.1f')} | {_number(row['throughput'], ',.0f')} | "
                     f"{ratio} |")
    lines += ["", f"Targets: hand-written RNN accuracy >= {TARGETS['offline accuracy']:.0%} "
              f"offline, >= {TARGETS['full accuracy']:.1%} on full MNIST; throughput >= "
              f"{TARGETS['throughput ratio']:.1f}x SimpleRNN's.", ""]
    if char_models:
        shipped = char_models[0]
        lines += ["## 18-3: the Shakespeare character model", "",
                  f"Shipped model: validation loss on the held-out plays "
                  f"{shipped['measured']:.3f} nats/char re-measured "
                  f"({shipped['recorded']:.3f} recorded, "
                  f"{shipped['measured'] / math.log(2):.2f} bits/char), trained in "
                  f"{shipped['minutes']:.1f} min. Target: <= {TARGETS['validation loss']} "
                  f"nats/char (nanoGPT's documented CPU run on tiny-shakespeare: 1.88; "
                  f"its GPU baby-GPT: 1.47).", "",
                  "| model (training throughput) | parameters | characters/s | s per step | "
                  "whole fit (s) | the call adds (s) |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {row['model']} | {row['parameters']:,} | {row['throughput']:,.0f} | "
                  f"{row['step_seconds']:.3f} | {row['fit_seconds']:.2f} | "
                  f"{row['fit_overhead']:.2f} |" for row in char_models]
        lines += ["", f"Each training step timed by a Keras callback after a "
                  f"{WARMUP_STEPS}-step warm-up: characters/s and s per step are the "
                  f"median of {char_models[0]['steps']} steps of one `fit` call; the last "
                  f"columns are that whole call and what it adds to the sum of its steps "
                  f"(start-up and teardown, not the model).", ""]
    if onednn:
        lines += _onednn_table(onednn)
    if builds:
        lines += _build_table(builds)
    if weights:
        lines += _weight_table(weights)
    lines += list(browser_model)
    if pages:
        lines += ["## Executing each page (alone, fresh kernel)", "",
                  "| page | seconds | peak memory (GiB) | outputs also shown by |",
                  "|---|---:|---:|---|"]
        lines += [f"| {p['page']} | {p['seconds']:.1f} | {p['peak_gib']:.2f} | "
                  f"{', '.join(p.get('shared_with', [])) or '—'} |" for p in pages]
        lines += ["", f"Targets: <= {TARGETS['page seconds']:.0f} s and "
                  f"<= {TARGETS['page GiB']} GiB per page.", ""]
    return "\n".join(lines)


def _build_table(builds: list[dict]) -> list[str]:
    """The author loop: each build's time, the pages it executed, and its target."""
    lines = ["## The author loop: `jupyter-book build` of both editions", "",
             "| build | seconds | pages executed | target (s) | met |", "|---|---:|---|---:|:-:|"]
    clean = next((row["seconds"] for row in builds if row["kind"] == "clean"), None)
    for row in builds:
        target = build_target(row, clean)
        executed = ", ".join(f"{page} ({seconds:.0f} s)"
                             for page, seconds in row["executed"].items()) or "none"
        met = "—" if target is None else ("yes" if row["seconds"] <= target else "**no**")
        lines.append(f"| {row['step']} | {row['seconds']:.1f} | {executed} | "
                     f"{_number(target, '.0f')} | {met} |")
    no_op = next((row["seconds"] for row in builds if row["kind"] == "no-op"), None)
    if clean and no_op is not None:
        lines += ["", f"Rebuild with nothing changed / clean build: {no_op / clean:.1%} "
                  f"(target <= {TARGETS['no-op ratio']:.0%})."]
    return lines + ["", "Each page is executed once for both editions (their code cells are "
                    "the same), one page per CPU core at a time "
                    "(booktools.extensions.shared_execution).", ""]


def build_target(row: dict, clean_seconds: float | None = None) -> float | None:
    """The target time of one build of the author loop (None: no target)."""
    if row["kind"] == "code":
        return sum(row["executed"].values()) + TARGETS["code edit margin"]
    if row["kind"] == "no-op" and clean_seconds:
        return TARGETS["no-op ratio"] * clean_seconds
    return {"clean": TARGETS["clean build"]}.get(row["kind"])


def _percent(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def _number(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure speed, memory and model quality.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--skip-pages", action="store_true", help="do not execute the pages")
    parser.add_argument("--skip-builds", action="store_true", help="do not time the builds")
    parser.add_argument("--onednn-probe", action="store_true",
                        help="(internal) measure this process's oneDNN setting, print JSON")
    args = parser.parse_args(argv)
    if args.onednn_probe:
        print(json.dumps(onednn_probe()))
        return 0
    models = mnist_rows() + [full_mnist_row()]
    char_models = char_model_rows()
    onednn = onednn_rows()
    pages = [] if args.skip_pages else page_costs()
    builds = [] if args.skip_builds else build_costs()
    weights = weight_rows()  # after the builds: the site they built
    report = format_report(models, pages, char_models, builds, onednn, weights,
                           browser_model_rows())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
