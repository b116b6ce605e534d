"""rnnbook.rnn.cell: the hand-written RNN of Lab 03 against keras.layers.SimpleRNN, and the
step and loop it is given (the student's answers, or the reference ones)."""

import rnnbook  # noqa: F401  (before TensorFlow: quiets its start-up logs)

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnnbook.rnn.cell import (HandwrittenRNN, build_mnist_classifier, copy_weights_to_simple_rnn,
                          rnn_loop, rnn_step)

B, T, F, UNITS = 4, 7, 5, 6


def sequences(shape=(B, T, F), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def random_layer(return_sequences, seed=1):
    """A built layer with random U, W and a non-zero b (zeros would hide bias bugs)."""
    layer = HandwrittenRNN(UNITS, return_sequences=return_sequences)
    layer.build((None, T, F))
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype(np.float32) for w in layer.weights])
    return layer


@pytest.mark.parametrize("return_sequences", [False, True])
def test_outputs_match_simple_rnn(return_sequences):
    layer = random_layer(return_sequences)
    twin = copy_weights_to_simple_rnn(layer)
    x = sequences()
    np.testing.assert_allclose(layer(x), twin(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_gradients_match_simple_rnn(return_sequences):
    layer = random_layer(return_sequences)
    twin = copy_weights_to_simple_rnn(layer)
    x = tf.constant(sequences())
    grads = []
    for rnn in (layer, twin):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(rnn(x) ** 2)
        grads.append(tape.gradient(loss, [x, *rnn.trainable_weights]))
    names = ["inputs", "U (kernel)", "W (recurrent_kernel)", "b (bias)"]
    for name, mine, keras_grad in zip(names, *grads, strict=True):
        np.testing.assert_allclose(mine, keras_grad, rtol=1e-5, atol=1e-5, err_msg=name)


def test_weights_are_named_after_the_equations():
    layer = random_layer(False)
    assert [w.name for w in layer.weights] == ["U", "W", "b"]
    assert layer.U.shape == (F, UNITS) and layer.W.shape == (UNITS, UNITS)
    assert layer.b.shape == (UNITS,)


def test_default_initializers_match_simple_rnn():
    layer = HandwrittenRNN(8)
    layer.build((None, 3, 4))
    np.testing.assert_array_equal(layer.b, np.zeros(8))
    w = layer.W.numpy()
    np.testing.assert_allclose(w @ w.T, np.eye(8), atol=1e-5)          # orthogonal
    limit = np.sqrt(6 / (4 + 8))                                         # glorot_uniform
    assert np.abs(layer.U.numpy()).max() <= limit


@pytest.mark.parametrize("return_sequences, shape", [(False, (B, UNITS)),
                                                      (True, (B, T, UNITS))])
def test_output_shapes(return_sequences, shape):
    layer = HandwrittenRNN(UNITS, return_sequences=return_sequences)
    assert tuple(layer(sequences()).shape) == shape
    assert layer.compute_output_shape((B, T, F)) == shape


def test_last_state_is_the_last_of_all_states():
    every, last = random_layer(True), random_layer(False)
    x = sequences()
    np.testing.assert_allclose(every(x)[:, -1], last(x), rtol=1e-6)


def test_graph_trace_matches_eager():
    layer = random_layer(True)
    x = tf.constant(sequences())
    np.testing.assert_allclose(tf.function(layer)(x), layer(x), rtol=1e-5, atol=1e-6)


def test_uint8_pixels_are_cast():
    layer = random_layer(False)
    pixels = np.random.default_rng(0).integers(0, 256, (2, T, F), dtype=np.uint8)
    np.testing.assert_allclose(layer(pixels), layer(pixels.astype(np.float32)), rtol=1e-6)


def test_classifier_gives_probabilities():
    model = build_mnist_classifier(units=16)
    probabilities = model(sequences((3, 28, 28)))
    assert tuple(probabilities.shape) == (3, 10)
    np.testing.assert_allclose(np.sum(probabilities, axis=1), np.ones(3), rtol=1e-5)
    assert isinstance(model.get_layer("rnn"), HandwrittenRNN)


def test_classifier_on_simple_rnn_has_the_same_parameters():
    mine = build_mnist_classifier(units=16)
    theirs = build_mnist_classifier(units=16, recurrent="simple_rnn")
    assert isinstance(theirs.get_layer("rnn"), keras.layers.SimpleRNN)
    assert mine.count_params() == theirs.count_params() == 28 * 16 + 16 * 16 + 16 + 16 * 10 + 10


# Keras 3.15's model.save calls np.array() on TensorFlow 2.21 variables, whose __array__
# lacks NumPy 2's copy keyword; any Keras model (a lone Dense too) triggers it on save.
@pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
def test_classifier_trains_and_saves(tmp_path):
    keras.utils.set_random_seed(0)
    model = build_mnist_classifier(units=8, time_steps=4, features=3)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = sequences((32, 4, 3)), np.arange(32) % 10
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_config_round_trip():
    layer = HandwrittenRNN(5, return_sequences=True, name="cell")
    clone = HandwrittenRNN.from_config(layer.get_config())
    assert (clone.units, clone.return_sequences, clone.name) == (5, True, "cell")
    assert (clone.step, clone.loop) == (rnn_step, rnn_loop)


# --- the step and loop it is given (Lab 03's exercises) --------------------------


def doubled_step(x_t, s_prev, U, W, b):
    """Not the 18-2 cell: twice the reference state, so its use shows in the output."""
    return 2.0 * rnn_step(x_t, s_prev, U, W, b)


def test_reference_functions_compute_the_layer():
    layer = random_layer(True)
    x = tf.constant(sequences())
    s0 = tf.zeros((B, UNITS))
    np.testing.assert_allclose(rnn_loop(x, s0, layer.U, layer.W, layer.b, rnn_step), layer(x),
                               rtol=1e-6)


def test_layer_runs_the_step_it_is_given():
    layer = random_layer(True)
    twice = HandwrittenRNN(UNITS, return_sequences=True, step=doubled_step)
    twice.build((None, T, F))
    twice.set_weights(layer.get_weights())
    x = sequences()
    first = 2.0 * np.tanh(x[:, 0] @ layer.U.numpy() + layer.b.numpy())     # s_1 from s_0 = 0
    np.testing.assert_allclose(twice(x)[:, 0], first, rtol=1e-5, atol=1e-6)
    assert not np.allclose(twice(x), layer(x))


def test_layer_runs_the_loop_it_is_given_in_a_graph():
    calls = []

    def recorded_loop(inputs, s0, U, W, b, step):
        calls.append((tuple(inputs.shape), tuple(s0.shape), tuple(U.shape), tuple(W.shape),
                      tuple(b.shape), step))
        return rnn_loop(inputs, s0, U, W, b, step)

    layer = HandwrittenRNN(UNITS, loop=recorded_loop)
    tf.function(layer)(tf.constant(sequences()))
    assert calls[-1] == ((B, T, F), (B, UNITS), (F, UNITS), (UNITS, UNITS), (UNITS,), rnn_step)


def test_a_raising_step_is_not_hidden():
    def unwritten(x_t, s_prev, U, W, b):
        raise NotImplementedError("complete the step")

    with pytest.raises(NotImplementedError, match="complete the step"):
        HandwrittenRNN(UNITS, step=unwritten)(sequences())


@pytest.mark.parametrize("argument", ["step", "loop"])
def test_step_and_loop_must_be_functions(argument):
    with pytest.raises(TypeError, match=f"{argument} must be a function like rnn_{argument}"):
        HandwrittenRNN(4, **{argument: None})


def test_only_the_handwritten_classifier_takes_a_step_and_loop():
    model = build_mnist_classifier(units=4, step=doubled_step)
    assert model.get_layer("rnn").step is doubled_step
    with pytest.raises(ValueError, match="step and loop are the hand-written RNN's"):
        build_mnist_classifier(units=4, recurrent="simple_rnn", step=doubled_step)


@pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")
def test_a_classifier_on_a_students_step_reloads_with_custom_objects(tmp_path):
    model = build_mnist_classifier(units=8, time_steps=4, features=3, step=doubled_step)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras",
                                     custom_objects={"doubled_step": doubled_step})
    assert loaded.get_layer("rnn").step is doubled_step
    assert loaded.get_layer("rnn").loop is rnn_loop
    x = sequences((2, 4, 3))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("units", [0, -3])
def test_units_must_be_positive(units):
    with pytest.raises(ValueError, match=f"units must be a positive integer .*got {units}"):
        HandwrittenRNN(units)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        build_mnist_classifier(units=units)


@pytest.mark.parametrize("units", [2.5, "8", True, None])
def test_units_must_be_an_int(units):
    with pytest.raises(TypeError, match="units must be a positive integer"):
        HandwrittenRNN(units)


def test_return_sequences_must_be_bool():
    with pytest.raises(TypeError, match="return_sequences must be True or False"):
        HandwrittenRNN(4, return_sequences="yes")


@pytest.mark.parametrize("built", [False, True])
def test_2d_input_asks_for_batch_time_features(built):
    layer = random_layer(False) if built else HandwrittenRNN(4)
    with pytest.raises(ValueError, match=r"\(batch, time, features\).*got shape \(4, 28\)"):
        layer(np.zeros((4, 28), np.float32))


def test_unknown_time_steps_are_refused():
    with pytest.raises(ValueError, match="fixed number of time steps"):
        HandwrittenRNN(4)(keras.Input(shape=(None, 28)))


def test_unknown_recurrent_layer():
    with pytest.raises(ValueError, match=r"recurrent must be one of \('handwritten', "):
        build_mnist_classifier(recurrent="gru")


def test_copy_weights_needs_a_built_handwritten_rnn():
    with pytest.raises(ValueError, match="no weights yet"):
        copy_weights_to_simple_rnn(HandwrittenRNN(4))
    with pytest.raises(TypeError, match="layer must be a HandwrittenRNN, got SimpleRNN"):
        copy_weights_to_simple_rnn(keras.layers.SimpleRNN(4))
