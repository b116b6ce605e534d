"""What the tests of 18-3's stepper share: the page's equations in NumPy.

The page's script computes, from the weights rnnbook.show.stepper exports in Keras'
layout, s_t = tanh(x_t U + s_{t-1} W + b) and o_t = softmax(s_t V + c). The
same numbers come from 18-2's own NumPy pass (rnnbook.rnn.equations.rnn_forward), which
writes the equations the other way round (U x_t, W s_{t-1}, V s_t): the
independent reference both tests/test_stepper.py (against Keras) and
tests/test_stepper_page.py (against the browser) hold the stepper to.
"""

import numpy as np

from rnnbook.experiments.hello_sentence import one_hot
from rnnbook.rnn.equations import RNNWeights, rnn_forward
from rnnbook.show.stepper import WEIGHT_NAMES


def page_forward(payload: dict, text: str) -> tuple[np.ndarray, np.ndarray]:
    """States (T, H) and distributions (T, K) of ``text`` from the page's data (``payload``)."""
    w = {name: np.array(payload["weights"][name], dtype=np.float32) for name in WEIGHT_NAMES}
    weights = RNNWeights(U=w["U"].T, W=w["W"].T, V=w["V"].T, b=w["b"], c=w["c"])
    trace = rnn_forward(one_hot(text, payload["vocabulary"]), weights)
    return trace.states[0], trace.outputs[0]                      # (T, H), (T, K)
