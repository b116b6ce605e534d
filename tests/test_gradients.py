"""18-3's training through time: the gradient along the states, clipping, the window."""

import json

import numpy as np
import pytest
import tensorflow as tf

from rnnbook.charrnn import PRESETS, SHIPPED_WEIGHTS
from rnnbook.experiments.gradients_through_time import (
    CLIP_NORM,
    SPECTRAL_RADII,
    WINDOW,
    _experiment,
    backprop_states,
    clip_by_global_norm,
    clipping_demo,
    global_norm,
    gradient_story,
    state_gradients,
    weight_gradients,
)


def _tape_gradients(weights, xs, expected):
    """dL/ds_t, dL/dU, dL/dW, dL/dV from tf.GradientTape: the reference."""
    U, W, V = (tf.constant(m) for m in (weights.U, weights.W, weights.V))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([U, W, V])
        state = tf.zeros((xs.shape[0], weights.state_size), tf.float64)
        states = []
        for t in range(xs.shape[1]):
            state = tf.tanh(xs[:, t] @ tf.transpose(U) + state @ tf.transpose(W))
            states.append(state)
        logits = states[-1] @ tf.transpose(V)
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(expected, logits)   # (B,)
        total, mean = tf.reduce_sum(losses), tf.reduce_mean(losses)
    by_state = np.stack([g.numpy() for g in tape.gradient(total, states)], axis=1)
    by_weight = {name: g.numpy() for name, g in zip("UWV", tape.gradient(mean, [U, W, V]))}
    return by_state, by_weight


def test_backprop_through_time_agrees_with_gradient_tape():
    weights, xs, expected = _experiment(1.5, steps=12, state_size=6, input_size=3,
                                        output_size=4, batch=5, input_scale=1.0)
    by_state, by_weight = _tape_gradients(weights, xs, expected)
    np.testing.assert_allclose(backprop_states(xs, expected, weights), by_state, rtol=1e-10,
                               atol=1e-14)
    ours = weight_gradients(xs, expected, weights)
    for name in "UWV":
        np.testing.assert_allclose(ours[name], by_weight[name], rtol=1e-10, atol=1e-14)


def test_the_gradient_vanishes_for_a_contracting_w_and_explodes_for_an_expanding_one():
    small, about_one, large = gradient_story((0.5, 1.0, 2.0))
    assert small.factor < 0.55 and small.ratio < 1e-12
    assert about_one.factor < 1 and about_one.ratio < 0.1
    assert large.factor > 1.1 and large.ratio > 100
    # W alone would multiply by rho; tanh's slopes (< 1) take some of it back.
    for result in (small, about_one, large):
        assert result.factor <= result.spectral_radius
        assert 0 < result.slope <= 1
    assert large.slope < small.slope


def test_the_decay_is_geometric():
    result = state_gradients(0.5, steps=30)
    steps_back = np.log(result.norms[:-1] / result.norms[1:])       # log of each step back
    assert result.norms.shape == (30,)
    assert np.all(np.abs(steps_back - np.log(result.factor)) < 0.05)
    assert result.over(29) == pytest.approx(result.ratio)
    assert result.over(0) == 1.0


def test_same_seed_same_numbers():
    a, b = state_gradients(1.0, seed=3), state_gradients(1.0, seed=3)
    np.testing.assert_array_equal(a.norms, b.norms)


def test_clipping_agrees_with_tensorflow_and_keeps_the_direction():
    rng = np.random.default_rng(0)
    gradients = [rng.normal(size=(3, 4)) * 10, rng.normal(size=(4,))]
    clipped, norm = clip_by_global_norm(gradients, 1.0)
    expected, tf_norm = tf.clip_by_global_norm([tf.constant(g) for g in gradients], 1.0)
    assert norm == pytest.approx(float(tf_norm))
    for ours, theirs in zip(clipped, expected):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12)
    assert global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped[0] / gradients[0], norm ** -1)   # same direction
    short = [np.full(3, 0.1)]
    assert clip_by_global_norm(short, 1.0)[0][0] is not short[0]
    np.testing.assert_array_equal(clip_by_global_norm(short, 1.0)[0][0], short[0])


def test_clipping_acts_only_on_the_exploding_gradient():
    results = {r.spectral_radius: r for r in clipping_demo()}
    assert results[2.0].norm > 10 * CLIP_NORM
    assert results[2.0].clipped_norm == pytest.approx(CLIP_NORM)
    assert results[2.0].scale == pytest.approx(CLIP_NORM / results[2.0].norm)
    assert results[0.5].norm < CLIP_NORM and results[0.5].scale == 1.0


def test_clip_value_and_window_are_those_the_shipped_model_was_trained_with():
    config = json.loads((SHIPPED_WEIGHTS / "metrics.json").read_text(encoding="utf-8"))["config"]
    assert CLIP_NORM == config["clip_norm"] == PRESETS["demo"].clip_norm == 1.0
    assert WINDOW == config["seq_len"] == PRESETS["demo"].seq_len == 100
    assert SPECTRAL_RADII[0] < 1 < SPECTRAL_RADII[-1]


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="spectral_radius must be a finite number > 0"):
        state_gradients(0)
    with pytest.raises(TypeError, match="spectral_radius must be a finite number > 0"):
        state_gradients("1.5")
    with pytest.raises(ValueError, match="steps must be at least 2"):
        state_gradients(1.0, steps=1)
    with pytest.raises(ValueError, match="state_size must be a positive integer"):
        state_gradients(1.0, state_size=0)
    with pytest.raises(TypeError, match="spectral_radii must be a non-empty list"):
        gradient_story(1.5)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        state_gradients(1.0, steps=3).over(-1)
    with pytest.raises(TypeError, match="spectral_radii must be a non-empty list"):
        clipping_demo([])
    with pytest.raises(ValueError, match="clip_norm must be a finite number > 0"):
        clip_by_global_norm([np.ones(2)], clip_norm=-1)
    with pytest.raises(TypeError, match="gradients must be a non-empty list of arrays"):
        clip_by_global_norm(np.ones(2))
    with pytest.raises(TypeError, match=r"gradients\[1\] must hold real numbers"):
        clip_by_global_norm([np.ones(2), np.array(["a"])])
    weights, xs, expected = _experiment(1.0, steps=3, batch=2)
    with pytest.raises(ValueError, match="expected must hold one class index per sequence"):
        backprop_states(xs, expected[:1], weights)
