"""rnnbook.rnn.gru, the book's NumPy GRU, against Keras' GRU layer given the same weights."""

import keras
import numpy as np
import pytest

from rnnbook.rnn.gru import GATE_ORDER, check_gru_weights, gru_states, gru_step


def keras_gru(units, inputs, seed=0):
    """A Keras GRU layer (Keras' defaults: reset_after=True) with random weights, biases too."""
    rng = np.random.default_rng(seed)
    layer = keras.layers.GRU(units, return_sequences=True, return_state=True)
    layer.build((None, None, inputs))
    layer.set_weights([rng.normal(size=w.shape) for w in layer.get_weights()])
    return layer, rng


def test_gru_states_are_keras_gru_layer_states():
    layer, rng = keras_gru(5, 3)
    xs = rng.normal(size=(7, 3))
    expected, _ = layer(xs[None].astype("float32"))
    np.testing.assert_allclose(gru_states(xs, *layer.get_weights()), np.asarray(expected)[0],
                               atol=2e-6)


def test_a_batch_of_steps_from_a_given_state_is_keras_own():
    layer, rng = keras_gru(4, 6, seed=1)
    x, s = rng.normal(size=(3, 6)), rng.normal(size=(3, 4))                # (B, I), (B, H)
    _, expected = layer(x[:, None].astype("float32"), initial_state=[s.astype("float32")])
    ours = gru_step(x, s, *layer.get_weights())
    np.testing.assert_allclose(ours, np.asarray(expected), atol=2e-6)
    for b in range(3):                                                   # one row at a time
        np.testing.assert_allclose(gru_step(x[b], s[b], *layer.get_weights()), ours[b])
    np.testing.assert_allclose(gru_states(x[:1], *layer.get_weights(), s0=s[0]), ours[:1])


def test_the_gate_order_and_bias_rows_matter():
    # Keras' layout, z r h and bias rows (input, recurrent): any other reading differs.
    assert GATE_ORDER == ("z", "r", "h")
    layer, rng = keras_gru(5, 3, seed=2)
    kernel, recurrent, bias = layer.get_weights()
    xs = rng.normal(size=(6, 3))
    right = gru_states(xs, kernel, recurrent, bias)
    swapped = np.r_[5:10, 0:5, 10:15]                                    # r z h
    assert np.max(np.abs(right - gru_states(xs, kernel[:, swapped], recurrent[:, swapped],
                                            bias[:, swapped]))) > 1e-2
    assert np.max(np.abs(right - gru_states(xs, kernel, recurrent, bias[::-1]))) > 1e-2


def test_the_update_gate_near_one_copies_the_state_forward():
    H, I = 3, 2
    kernel, recurrent, bias = np.zeros((I, 3 * H)), np.zeros((H, 3 * H)), np.zeros((2, 3 * H))
    bias[0, :H] = 50.0                                                   # z_t ~ 1
    s = np.array([0.5, -0.2, 0.9])
    np.testing.assert_allclose(gru_step(np.ones(I), s, kernel, recurrent, bias), s, atol=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda: gru_states(np.ones((4, 3)), np.ones((3, 5)), np.ones((2, 6)), np.ones((2, 6))),
     ValueError, r"a GRU of 2 units on 3 inputs has kernel \(3, 6\), recurrent_kernel \(2, 6\) "
                 r"and bias \(2, 6\) \(Keras' reset_after=True\); got \(3, 5\)"),
    (lambda: gru_states(np.ones((4, 3)), np.ones((3, 6)), np.ones((2, 6)), np.ones(6)),
     ValueError, r"bias must have 2 dimensions, got shape \(6,\)"),
    (lambda: gru_states(np.ones((4, 3)), np.ones((3, 6)), np.ones((2, 6)), np.ones((2, 6)),
                        s0=np.ones(3)),
     ValueError, r"s0 must have shape \(2,\) for a GRU of 2 units, got \(3,\)"),
    (lambda: gru_step(np.ones(3), np.ones((1, 2)), np.ones((3, 6)), np.ones((2, 6)),
                      np.ones((2, 6))),
     ValueError, r"s must have shape \(2,\) for x of shape \(3,\)"),
    (lambda: gru_step(np.ones((4, 3)), np.ones((3, 2)), np.ones((3, 6)), np.ones((2, 6)),
                      np.ones((2, 6))),
     ValueError, r"s must have shape \(4, 2\) for x of shape \(4, 3\)"),
    (lambda: gru_step("x", np.ones(2), np.ones((3, 6)), np.ones((2, 6)), np.ones((2, 6))),
     TypeError, "x must be an array of real numbers, got str"),
    (lambda: check_gru_weights(np.ones((3, 6)), np.full((2, 6), np.nan), np.ones((2, 6))),
     ValueError, "recurrent_kernel must hold finite numbers"),
])
def test_bad_weights_and_states_are_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()
