"""Section 18-2's equations: the NumPy forward pass against independent references."""

import keras
import numpy as np
import pytest

from rnnbook.rnn.equations import (
    RNNWeights,
    keras_simple_rnn,
    parameter_count,
    random_weights,
    rnn_forward,
    softmax,
    without_memory,
)


def test_forward_shapes_and_distributions():
    weights = random_weights(3, 5, 4, seed=0)
    trace = rnn_forward(np.ones((6, 3)), weights)
    assert trace.states.shape == (1, 6, 5)
    assert trace.outputs.shape == (1, 6, 4)
    np.testing.assert_allclose(trace.outputs.sum(axis=-1), 1.0)
    assert (trace.outputs > 0).all()


def test_forward_follows_the_recursion_step_by_step():
    weights = random_weights(2, 3, 2, seed=4)
    xs = np.random.default_rng(1).normal(size=(3, 2))
    state = np.zeros(3)
    for t in range(3):  # s_t = tanh(U x_t + W s_{t-1} + b), written out independently
        state = np.tanh(weights.U @ xs[t] + weights.W @ state + weights.b)
    trace = rnn_forward(xs, weights)
    np.testing.assert_allclose(trace.states[0, -1], state)
    logits = weights.V @ state + weights.c
    np.testing.assert_allclose(trace.outputs[0, -1], np.exp(logits) / np.exp(logits).sum())


@pytest.mark.parametrize("batch", [1, 3])
def test_forward_matches_keras_simple_rnn(batch):
    weights = random_weights(4, 6, 3, seed=2)
    weights = RNNWeights(weights.U, weights.W, weights.V, b=np.linspace(-0.5, 0.5, 6),
                         c=weights.c)
    xs = np.random.default_rng(3).normal(size=(batch, 7, 4))
    keras_states = np.asarray(keras_simple_rnn(weights)(xs.astype("float32")))
    assert np.abs(keras_states - rnn_forward(xs, weights).states).max() < 1e-5


def test_initial_state_is_used():
    weights = random_weights(2, 3, 2, seed=0)
    xs = np.zeros((1, 2))
    s0 = np.array([0.5, -0.5, 0.1])
    expected = np.tanh(weights.W @ s0)
    np.testing.assert_allclose(rnn_forward(xs, weights, s0=s0).states[0, 0], expected)


def test_without_memory_forgets_the_past():
    weights = random_weights(2, 4, 2, seed=0)
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.0, 1.0], [0.0, 1.0]])  # same last input, different first
    forgetful = without_memory(weights)
    assert np.allclose(rnn_forward(a, forgetful).states[0, -1],
                       rnn_forward(b, forgetful).states[0, -1])
    assert not np.allclose(rnn_forward(a, weights).states[0, -1],
                           rnn_forward(b, weights).states[0, -1])


def test_softmax_is_stable_for_large_logits():
    probabilities = softmax(np.array([1000.0, 1000.0, -1000.0]))
    np.testing.assert_allclose(probabilities, [0.5, 0.5, 0.0])


def test_shared_parameter_count_equals_keras_model():
    model = keras.Sequential([keras.Input((None, 7)), keras.layers.SimpleRNN(5),
                              keras.layers.Dense(3)])
    assert parameter_count(10, 7, 5, 3, shared=True) == model.count_params()


def test_unshared_parameter_count_grows_with_steps():
    per_step = 5 * 7 + 5 + 3 * 5 + 3
    assert parameter_count(1, 7, 5, 3, shared=False) == per_step
    assert parameter_count(4, 7, 5, 3, shared=False) == 4 * per_step + 3 * 25
    assert parameter_count(4, 7, 5, 3) == parameter_count(400, 7, 5, 3)


@pytest.mark.parametrize("steps", [0, -2])
def test_parameter_count_rejects_non_positive_steps(steps):
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        parameter_count(steps, 3, 4, 5)


def test_parameter_count_rejects_non_integer_state_size():
    with pytest.raises(TypeError, match="state_size must be a positive integer, got float"):
        parameter_count(3, 3, 4.5, 5)


def test_weights_reject_mismatched_shapes():
    with pytest.raises(ValueError, match=r"W must be square \(state, state\) = \(4, 4\)"):
        RNNWeights(U=np.zeros((4, 3)), W=np.zeros((3, 3)), V=np.zeros((2, 4)),
                   b=np.zeros(4), c=np.zeros(2))
    with pytest.raises(ValueError, match="V must have 4 columns"):
        RNNWeights(U=np.zeros((4, 3)), W=np.zeros((4, 4)), V=np.zeros((2, 5)),
                   b=np.zeros(4), c=np.zeros(2))
    with pytest.raises(ValueError, match=r"b must have shape \(4,\)"):
        RNNWeights(U=np.zeros((4, 3)), W=np.zeros((4, 4)), V=np.zeros((2, 4)),
                   b=np.zeros(3), c=np.zeros(2))


def test_weights_reject_wrong_dtypes():
    with pytest.raises(TypeError, match="U must hold real numbers, got dtype <U1"):
        RNNWeights(U=np.array([["a"]]), W=np.zeros((1, 1)), V=np.zeros((1, 1)),
                   b=np.zeros(1), c=np.zeros(1))
    with pytest.raises(TypeError, match="W must hold real numbers, got dtype bool"):
        RNNWeights(U=np.zeros((1, 1)), W=np.array([[True]]), V=np.zeros((1, 1)),
                   b=np.zeros(1), c=np.zeros(1))


def test_forward_rejects_inputs_that_do_not_fit():
    weights = random_weights(3, 4, 2)
    with pytest.raises(ValueError, match="xs has 2 features per time step but U expects 3"):
        rnn_forward(np.zeros((5, 2)), weights)
    with pytest.raises(ValueError, match="xs must have 2 or 3 dimensions"):
        rnn_forward(np.zeros(3), weights)
    with pytest.raises(ValueError, match="at least one time step"):
        rnn_forward(np.zeros((0, 3)), weights)
    with pytest.raises(ValueError, match="rectangular"):
        rnn_forward([[1.0, 2.0, 3.0], [1.0]], weights)
    with pytest.raises(TypeError, match="weights must be an RNNWeights, got dict"):
        rnn_forward(np.zeros((5, 3)), {"U": 1})
    with pytest.raises(TypeError, match="xs must be an array of real numbers, got str"):
        rnn_forward("hello", weights)
    with pytest.raises(ValueError, match="finite"):
        rnn_forward(np.full((2, 3), np.nan), weights)
    with pytest.raises(ValueError, match=r"s0 must have shape \(4,\)"):
        rnn_forward(np.zeros((2, 3)), weights, s0=np.zeros(5))


def test_random_weights_reject_zero_sizes():
    with pytest.raises(ValueError, match="state_size must be a positive integer"):
        random_weights(3, 0, 2)
    with pytest.raises(TypeError, match="input_size must be a positive integer, got bool"):
        random_weights(True, 3, 2)
