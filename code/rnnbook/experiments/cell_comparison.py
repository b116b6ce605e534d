"""Why gates (18-3): a plain RNN next to a GRU, on the same Shakespeare, the same budget.

The GRU (Cho et al. 2014), the recurrent layer of the book's character models,
computes its new state s_t with an update gate z_t and a reset gate r_t
(:mod:`rnnbook.rnn.gru` gives its four equations in 18-2's notation and computes
them in NumPy). Where z_t is near 1 the state is copied forward almost
unchanged, and so is the gradient on its way back: the path through time that
18-2's s_t = tanh(U x_t + W s_{t-1}) lacks (:mod:`rnnbook.experiments.gradients_through_time`).

18-3 types both steps as display math in each edition; :data:`GRU_EQUATIONS`
and :data:`RNN_EQUATION` are the same LaTeX, which tests/test_gates_page.py
holds the pages' copies to, and :func:`gru_states` (from :mod:`rnnbook.rnn.gru`)
computes them on a Keras GRU's weights.

:func:`compare_cells` trains a SimpleRNN and a GRU of about the same number of
weights with the same budget (:class:`CellBudget`: steps, batch, window, learning
rate, clipping, seed), data and code as :func:`rnnbook.charrnn.train`, and
measures both on the held-out plays. Training both takes minutes, more than a
page may spend, so the book reads the results written once by::

    python -m rnnbook.experiments.cell_comparison --out code/rnnbook/weights/gates

(:data:`COMPARISON`, loaded by :func:`load_comparison`: the budget, the losses
along the way, each model's weights, and how long it took).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnnbook.arguments import finite_positive_float, folder_path, positive_int
from rnnbook.charrnn.config import CharRNNConfig
from rnnbook.charrnn.model import check_model_vocab, known_ids
from rnnbook.charrnn.storage import SHIPPED_WEIGHTS, file_sha256
from rnnbook.charrnn.training import evaluate, make_dataset
from rnnbook.charrnn.vocabulary import Vocabulary
from rnnbook.data.shakespeare import Corpus, load_shakespeare
from rnnbook.rnn.gru import gru_states  # noqa: F401  (GRU_EQUATIONS in NumPy, named here too)

#: The GRU's step as 18-3 types it (its pages keep their own copy, tested to be this one).
GRU_EQUATIONS = r"""\begin{aligned}
z_t &= \sigma(U_z x_t + W_z s_{t-1}) \\
r_t &= \sigma(U_r x_t + W_r s_{t-1}) \\
\tilde{s}_t &= \tanh\left(U x_t + r_t \odot (W s_{t-1})\right) \\
s_t &= z_t \odot s_{t-1} + (1 - z_t) \odot \tilde{s}_t
\end{aligned}"""
#: 18-2's step, as 18-3 types it beside the GRU's (tested likewise).
RNN_EQUATION = r"s_t = \tanh(U x_t + W s_{t-1})"
#: The recurrent layers compared, by the name the results use.
CELLS = {"simple": keras.layers.SimpleRNN, "gru": keras.layers.GRU}
#: Where the comparison's results are kept (package data, beside the shipped model).
COMPARISON = SHIPPED_WEIGHTS.parent / "gates"
RESULTS_FILE = "comparison.json"
#: The smallest gradient norm counted (float32 gradients can underflow to 0).
TINY = 1e-30
#: The command that trains both models and writes the comparison (see main).
COMMAND = "python -m rnnbook.experiments.cell_comparison"


# --- the comparison ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CellBudget:
    """What both models get: the same data, steps, batch, window, optimiser and seed.

    Their sizes differ so that their weights number about the same: a GRU's
    layer has three times the weights of a SimpleRNN's of the same width.
    """

    simple_units: int = 224
    gru_units: int = 128
    embedding_dim: int = 32
    steps: int = 1200
    evaluate_every: int = 100
    batch_size: int = 64
    seq_len: int = 100
    learning_rate: float = 6e-3
    final_lr_fraction: float = 0.05
    clip_norm: float = 1.0
    validation_chars: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("simple_units", "gru_units", "embedding_dim", "steps", "evaluate_every",
                     "batch_size", "seq_len"):
            positive_int(name, getattr(self, name))
        if self.steps % self.evaluate_every:
            raise ValueError(f"steps ({self.steps}) must be a multiple of evaluate_every "
                             f"({self.evaluate_every})")
        for name in ("learning_rate", "clip_norm"):
            finite_positive_float(name, getattr(self, name))

    def units(self, cell: str) -> int:
        return {"simple": self.simple_units, "gru": self.gru_units}[_cell(cell)]

    def config(self, cell: str) -> CharRNNConfig:
        """The character model's configuration of this budget (the GRU's is one exactly)."""
        return CharRNNConfig(cell="gru", embedding_dim=self.embedding_dim,
                             units=self.units(cell), layers=1, seq_len=self.seq_len,
                             batch_size=self.batch_size, learning_rate=self.learning_rate,
                             final_lr_fraction=self.final_lr_fraction,
                             clip_norm=self.clip_norm,
                             epochs=self.steps // self.evaluate_every,
                             steps_per_epoch=self.evaluate_every,
                             validation_chars=self.validation_chars, seed=self.seed)


#: A budget small enough for the tests (seconds).
TINY_BUDGET = CellBudget(simple_units=16, gru_units=12, embedding_dim=8, steps=20,
                         evaluate_every=10, batch_size=8, seq_len=32, validation_chars=2048)


def _cell(cell: object) -> str:
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {tuple(CELLS)}, got {cell!r}")
    return cell


def build_cell_model(cell: str, vocab_size: int, budget: CellBudget = CellBudget()) -> keras.Model:
    """Embedding -> one SimpleRNN or GRU layer -> Dense logits: :func:`rnnbook.charrnn.
    build_model`'s network (the same layer names and initialisers), with either cell."""
    cell, vocab_size = _cell(cell), positive_int("vocab_size", vocab_size)
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")               # (B, T)
    x = keras.layers.Embedding(vocab_size, budget.embedding_dim, name="embedding",
                               embeddings_initializer=keras.initializers.RandomNormal(
                                   stddev=1.0, seed=budget.seed))(ids)        # (B, T, E)
    x = CELLS[cell](budget.units(cell), return_sequences=True, name="rnn_0")(x)   # (B, T, H)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)                # (B, T, V)
    model = keras.Model(ids, logits, name=f"char_{cell}")
    model.jit_compile = False
    return model


def train_cell(cell: str, corpus: Corpus, budget: CellBudget = CellBudget()) -> dict:
    """Train one cell as :func:`rnnbook.charrnn.train` trains (Adam, cosine decay, global
    clipping, shuffled windows): its record, with the model under ``"model"``."""
    if not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be an rnnbook.data.shakespeare.Corpus (load_shakespeare()), "
                        f"got {type(corpus).__name__}")
    if not isinstance(budget, CellBudget):
        raise TypeError(f"budget must be a CellBudget, got {type(budget).__name__}")
    config = budget.config(cell)
    vocab = Vocabulary.from_text(corpus.train)
    keras.utils.set_random_seed(budget.seed)
    model = build_cell_model(cell, len(vocab), budget)
    schedule = keras.optimizers.schedules.CosineDecay(
        budget.learning_rate, decay_steps=budget.steps, alpha=budget.final_lr_fraction)
    model.compile(optimizer=keras.optimizers.Adam(schedule, global_clipnorm=budget.clip_norm),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False)
    losses, training_seconds = [], 0.0
    data = iter(make_dataset(vocab.encode(corpus.train), config))
    for _ in range(config.epochs):
        start = time.perf_counter()
        for _ in range(budget.evaluate_every):
            model.train_on_batch(*next(data))
        training_seconds += time.perf_counter() - start
        losses.append(evaluate(model, vocab, corpus.validation, config))
    return {"cell": cell, "units": budget.units(cell), "parameters": model.count_params(),
            "steps": list(range(budget.evaluate_every, budget.steps + 1, budget.evaluate_every)),
            "validation_loss": losses, "final_validation_loss": losses[-1],
            "training_seconds": training_seconds, "model": model, "vocab": vocab}


def compare_cells(corpus: Corpus, budget: CellBudget = CellBudget()) -> dict:
    """Train a SimpleRNN and a GRU on ``corpus`` with ``budget``; both records, by cell."""
    return {cell: train_cell(cell, corpus, budget) for cell in CELLS}


# --- stored once, read by the page -------------------------------------------------------------

def write_comparison(folder, corpus: Corpus, budget: CellBudget = CellBudget()) -> dict:
    """Run :func:`compare_cells` and write its results and weights to ``folder``."""
    folder = folder_path("folder", folder)
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    runs = compare_cells(corpus, budget)
    results = {"command": f"{COMMAND} --out code/rnnbook/weights/gates",
               "budget": asdict(budget), "corpus_digest": corpus.digest,
               "validation_plays": list(corpus.validation_plays),
               "cells": {}, "total_seconds": None,
               "keras_version": keras.__version__, "tensorflow_version": tf.__version__}
    for cell, run in runs.items():
        path = folder / f"{cell}.weights.h5"
        _save_weights(run["model"], cell, budget, path)
        results["cells"][cell] = {k: v for k, v in run.items() if k not in ("model", "vocab")}
        results["cells"][cell]["sha256"] = file_sha256(path)
    results["total_seconds"] = time.perf_counter() - start
    (folder / RESULTS_FILE).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _save_weights(model: keras.Model, cell: str, budget: CellBudget, path: Path) -> None:
    """The weights alone, through an uncompiled twin (see rnnbook.charrnn.storage's
    _save_weights: no optimizer state, and Keras' one NumPy 2 deprecation message ignored)."""
    twin = build_cell_model(cell, model.get_layer("logits").units, budget)
    twin.set_weights(model.get_weights())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                message=r"__array__ implementation doesn't accept a copy keyword")
        twin.save_weights(path)


def load_comparison(folder=COMPARISON) -> dict:
    """The results :func:`write_comparison` wrote (``folder``: the book's, by default)."""
    path = folder_path("folder", folder) / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: write it with "
                                f"{COMMAND} --out {folder}")
    return json.loads(path.read_text(encoding="utf-8"))


def load_cell_model(cell: str, folder=COMPARISON) -> tuple[keras.Model, Vocabulary, CellBudget]:
    """One of the two trained models of the comparison, its vocabulary and budget."""
    results = load_comparison(folder)
    budget = CellBudget(**results["budget"])
    vocab = Vocabulary.from_text(load_shakespeare(tuple(results["validation_plays"])).train)
    model = build_cell_model(cell, len(vocab), budget)
    model.load_weights(Path(folder) / f"{cell}.weights.h5")
    return model, vocab, budget


def state_gradient_norms(model: keras.Model, vocab: Vocabulary, text: str, window: int = 100,
                         count: int = 16) -> np.ndarray:
    """||dL/ds_t|| at each step of a window, in a trained model, averaged over windows.

    ``count`` windows of ``window`` + 1 characters, spread evenly over ``text``,
    are read as in training (from a zero state); L is the loss of each window's
    last prediction. Returns the geometric mean over the windows (a gradient that
    underflows counts as :data:`TINY`), shape (window,): entry t is the gradient
    reaching s_{t+1}, the last entry the one at the last step.
    """
    check_model_vocab(model, vocab)
    window, count = positive_int("window", window), positive_int("count", count)
    ids = known_ids(vocab, text)
    if len(ids) < window + 1:
        raise ValueError(f"text must hold at least window + 1 = {window + 1} characters, "
                         f"got {len(ids)}")
    starts = np.linspace(0, len(ids) - window - 1, count).astype(int)
    windows = ids[starts[:, None] + np.arange(window + 1)]                    # (N, window + 1)
    embedding, logits = model.get_layer("embedding"), model.get_layer("logits")
    cell = model.get_layer("rnn_0").cell
    inputs = embedding(tf.constant(windows[:, :-1]))                          # (N, T, E)
    with tf.GradientTape() as tape:
        state, states = cell.get_initial_state(count), []
        for t in range(window):
            output, state = cell(inputs[:, t], state, training=False)       # s_t (N, H)
            states.append(output)
        loss = tf.reduce_sum(keras.losses.sparse_categorical_crossentropy(
            windows[:, -1], logits(states[-1]), from_logits=True))          # each window's own
    gradients = tf.stack(tape.gradient(loss, states), axis=1)                # (N, T, H)
    norms = np.asarray(tf.norm(tf.cast(gradients, tf.float64), axis=-1))     # (N, T)
    return np.exp(np.log(np.maximum(norms, TINY)).mean(axis=0))              # geometric mean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__
                                     .split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for comparison.json and weights")
    parser.add_argument("--steps", type=int, help="training steps (default: the book's)")
    args = parser.parse_args(argv)
    budget = CellBudget() if args.steps is None else replace(CellBudget(), steps=args.steps)
    results = write_comparison(args.out, load_shakespeare(), budget)
    for cell, run in results["cells"].items():
        print(f"{cell}: {run['parameters']:,} parameters, validation "
              f"{run['final_validation_loss']:.4f} nats/char, {run['training_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
