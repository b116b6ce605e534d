"""The unrolled RNN of section 18-3, stepped by hand in the book's web page.

:func:`stepper_widget` hands the page the tiny "hello" model trained by
:func:`rnnbook.experiments.hello_sentence.train_tiny`: its weights (U is Keras' ``kernel``, W its
``recurrent_kernel``, then b, V, c; every number as the float32 it is), its
vocabulary, the input characters the page starts from, and Keras' own state
and output distribution at every step of them. The page's script
(``_static/stepper/stepper.js``) steps through the characters and, when the
reader changes one, computes 18-2's two equations again from the weights::

    s_t = tanh(x_t U + s_{t-1} W + b)      # (H,)  x_t one-hot (K,), s_0 = 0
    o_t = softmax(s_t V + c)               # (K,)  the next character's probabilities

In a notebook, where the book's script is not loaded, the same numbers come
from :meth:`Stepper.trace`, computed by Keras.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import numpy as np

from rnnbook.arguments import string
from rnnbook.experiments.hello_sentence import TinyRun, one_hot
from rnnbook.show.language import Text, say, to_html

#: The format of the page's data (``stepper.js`` checks it).
FORMAT = "rnnbook.stepper/1"
#: The most input characters the reader may step through.
MAX_STEPS = 40
#: The weights the page gets, by name, as the page's script multiplies them.
WEIGHT_NAMES = ("U", "W", "b", "V", "c")


@dataclass(frozen=True)
class Trace:
    """What the network computes at every step of ``inputs``: states and next-character odds."""

    inputs: str
    states: np.ndarray = field(repr=False)             # (T, H)  s_1 .. s_T
    distributions: np.ndarray = field(repr=False)      # (T, K)  o_1 .. o_T


def _simple_rnn_and_dense(run: object):
    """The SimpleRNN (tanh) and Dense (softmax) layers of a TinyRun's model, or a clear error."""
    if not isinstance(run, TinyRun):
        raise TypeError("run must be the TinyRun that "
                        f"rnnbook.experiments.hello_sentence.train_tiny returns, "
                        f"got {type(run).__name__}")
    import keras

    layers = list(run.model.layers)
    if (len(layers) != 2 or not isinstance(layers[0], keras.layers.SimpleRNN)
            or not isinstance(layers[1], keras.layers.Dense)):
        raise ValueError("run.model must be train_tiny's SimpleRNN followed by one Dense layer, "
                         f"got layers {[type(layer).__name__ for layer in layers]}")
    recurrent, output = layers
    if recurrent.activation is not keras.activations.tanh or not recurrent.use_bias:
        raise ValueError("the SimpleRNN must use tanh and a bias, as train_tiny's does")
    if output.activation is not keras.activations.softmax or not output.use_bias:
        raise ValueError("the Dense layer must use softmax and a bias, as train_tiny's does")
    return recurrent, output


def exported_weights(run: TinyRun) -> dict[str, np.ndarray]:
    """U (K, H), W (H, H), b (H,), V (H, K), c (K,) of ``run``'s model, as float32."""
    recurrent, output = _simple_rnn_and_dense(run)
    kernel, recurrent_kernel, bias = recurrent.get_weights()
    dense_kernel, dense_bias = output.get_weights()
    weights = (kernel, recurrent_kernel, bias, dense_kernel, dense_bias)
    return {name: np.asarray(value, dtype=np.float32) for name, value in zip(WEIGHT_NAMES, weights)}


def checked_inputs(run: TinyRun, text: object) -> str:
    """``text`` if the stepper can read it: 1..MAX_STEPS characters of ``run``'s vocabulary."""
    text = string("text", text)
    if not 1 <= len(text) <= MAX_STEPS:
        raise ValueError(f"text must hold 1 to {MAX_STEPS} characters to step through, "
                         f"got {len(text)}")
    missing = sorted(set(text) - set(run.vocab))
    if missing:
        raise ValueError(f"text holds characters {missing} that are not in the model's "
                         f"vocabulary {run.vocab}")
    return text


def keras_trace(run: TinyRun, text: str) -> Trace:
    """Keras' own state and distribution at every step of ``text`` (``run``'s layers, one pass)."""
    recurrent, output = _simple_rnn_and_dense(run)
    text = checked_inputs(run, text)
    inputs = one_hot(text, run.vocab)[np.newaxis]                  # (1, T, K)
    states = recurrent(inputs)                                     # (1, T, H)
    distributions = output(states)                                 # (1, T, K)
    return Trace(text, np.asarray(states)[0], np.asarray(distributions)[0])


def _float32_list(values: np.ndarray) -> list:
    """Nested lists of the shortest decimals that give back each float32 exactly."""
    values = np.asarray(values, dtype=np.float32)
    if values.ndim == 0:
        return float(str(values))
    return [_float32_list(row) for row in values]


#: What the page says where its script does not run (a notebook, JupyterLab, Colab).
ELSEWHERE = Text(
    "The stepper of the unrolled RNN runs in this book's web page, with no kernel. "
    "In a notebook, step in code: `stepper_widget(run).trace(\"healo, I am And\")` holds "
    "the state `.states[t]` and the next character's probabilities `.distributions[t]` "
    "of every step t, computed by Keras.",
    "可以逐步操作的展開RNN在本書的網頁中執行，不需要另外啟動Python。在筆記本裡，請用程式碼逐步查看："
    "`stepper_widget(run).trace(\"healo, I am And\")`裡的`.states[t]`是第t個時間步的狀態，"
    "`.distributions[t]`是下一個字元的機率，都由Keras算出。")


@dataclass
class Stepper:
    """18-3's tiny model, ready to be stepped through in the page (see the module's docstring)."""

    run: TinyRun = field(repr=False)
    inputs: str

    def trace(self, text: str | None = None) -> Trace:
        """Keras' states and distributions at every step of ``text`` (default: the inputs)."""
        return keras_trace(self.run, self.inputs if text is None else text)

    def payload(self) -> dict:
        """What the page's script gets: the weights, the vocabulary, the inputs, Keras' numbers."""
        weights = exported_weights(self.run)
        trace = self.trace()
        return {
            "format": FORMAT,
            "vocabulary": list(self.run.vocab),
            "sentence": self.run.text,
            "inputs": self.inputs,
            "maxSteps": MAX_STEPS,
            "stateSize": int(weights["W"].shape[0]),
            "weights": {name: _float32_list(value) for name, value in weights.items()},
            "keras": {"states": _float32_list(trace.states),
                      "distributions": _float32_list(trace.distributions)},
        }

    def _summary(self) -> Text:
        return say("The unrolled RNN on {text!r}: {steps} steps, a state of {size} numbers, "
                   "{chars} characters in its vocabulary.",
                   "在「{text}」上展開的RNN：{steps}個時間步，狀態有{size}個數字，"
                   "字彙表有{chars}個字元。",
                   text=self.inputs, steps=len(self.inputs),
                   size=int(exported_weights(self.run)["W"].shape[0]), chars=len(self.run.vocab))

    def __str__(self) -> str:
        return str(self._summary() + Text(" ", "") + ELSEWHERE)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        data = json.dumps(self.payload(), ensure_ascii=False, separators=(",", ":"))
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return (f'<div class="hello-stepper" data-format="{html.escape(FORMAT)}">'
                f'<script type="application/json" class="hello-stepper-data">{data}</script>'
                f'<p class="hello-stepper-fallback">{to_html(self._summary())} '
                f"{to_html(ELSEWHERE)}</p></div>")


def stepper_widget(run: TinyRun, text: str | None = None) -> Stepper:
    """The stepper of 18-3 for ``run`` (train_tiny's), starting from ``text``.

    ``text`` defaults to the sentence's inputs (``run.text[:-1]``: the last
    character is only ever expected). Shown as a cell's output, it is the page's
    interactive stepper; printed, it says where that runs and how to step in code.
    """
    _simple_rnn_and_dense(run)
    inputs = run.text[:-1] if text is None else text
    return Stepper(run, checked_inputs(run, inputs))
