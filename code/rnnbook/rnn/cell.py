"""The hand-written RNN of Lab 03 (RNN MNIST classification, Demo 18-3).

Section 18-2's recurrence, one time step at a time:

    s_t = tanh(x_t U + s_{t-1} W + b)        s_0 = 0
    o   = softmax(s_T V + c)                 (the Dense layer of the classifier)

Keras keeps row vectors, so U is (features, units) and W is (units, units):
the transposes of the column-vector U, W of 18-2 (and of ``rnnbook.rnn.equations``).
An MNIST digit is read as 28 time steps (its rows) of 28 features (pixels).

The student writes the two pieces the layer runs: :func:`rnn_step`, one time
step, and :func:`rnn_loop`, the unstack -> step -> stack loop around it (Labs
01 and 02). :class:`HandwrittenRNN` trains with whatever functions it is given,
these reference answers by default. They use TensorFlow ops on purpose (the
book runs Keras on TensorFlow): ``model.fit`` calls them inside a
``tf.function`` graph, where the Python loop over the unstacked steps is
unrolled, so the time steps must be known when the layer is built.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from rnnbook.data import mnist
from rnnbook.arguments import boolean, positive_int


def _check_sequences(shape) -> None:
    """Raise unless ``shape`` is (batch, time, features) with known time and features."""
    if len(shape) != 3:
        raise ValueError(
            f"HandwrittenRNN expects a batch of sequences shaped (batch, time, features), "
            f"e.g. (B, 28, 28) for MNIST rows, got shape {tuple(shape)}")
    if shape[1] is None or shape[2] is None:
        raise ValueError(
            f"HandwrittenRNN needs a fixed number of time steps and features (tf.unstack "
            f"splits the time axis into a Python list), got shape {tuple(shape)}")


@keras.saving.register_keras_serializable(package="rnnbook")
def rnn_step(x_t, s_prev, U, W, b):
    """One time step, s_t = tanh(x_t U + s_prev W + b): Lab 03's first exercise, answered (18-2).

    x_t (B, F), s_prev (B, units), U (F, units), W (units, units), b (units,)
    -> s_t (B, units).
    """
    return tf.tanh(tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b)      # (B, units)


@keras.saving.register_keras_serializable(package="rnnbook")
def rnn_loop(inputs, s0, U, W, b, step):
    """Every state over a sequence, unstack -> step -> stack: Lab 03's second exercise (18-2).

    inputs (B, T, F), s0 (B, units) -> the states s_1 ... s_T, (B, T, units);
    ``step`` is called once per time step, as ``step(x_t, s_prev, U, W, b)``.
    """
    s = s0                                                # (B, units)
    states = []
    for x_t in tf.unstack(inputs, axis=1):                # T tensors of (B, F)
        s = step(x_t, s, U, W, b)                         # s_t: (B, units)
        states.append(s)
    return tf.stack(states, axis=1)                       # (B, T, units)


def _function(name: str, value, signature: str):
    """``value`` if it can be called, else a TypeError naming what was expected."""
    if not callable(value):
        raise TypeError(f"{name} must be a function like {signature}, "
                        f"got {type(value).__name__} {value!r:.40}")
    return value


@keras.saving.register_keras_serializable(package="rnnbook")
class HandwrittenRNN(keras.layers.Layer):
    """A simple RNN written out step by step: unstack, recur, stack (Lab 03, 18-2).

    ``units`` is the state size, the length of s. Returns the last state s_T,
    (B, units), or with ``return_sequences=True`` every state, (B, T, units).
    ``step`` and ``loop`` are the functions it computes them with, called as
    ``loop(inputs, s0, U, W, b, step)`` with s0 = 0: the student's answers to
    Lab 03's exercises, or by default the reference :func:`rnn_step` and
    :func:`rnn_loop`. Initializers match ``keras.layers.SimpleRNN``:
    glorot_uniform for U, orthogonal for W, zeros for b.
    """

    def __init__(self, units: int = 128, return_sequences: bool = False,
                 step=rnn_step, loop=rnn_loop, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.return_sequences = boolean("return_sequences", return_sequences)
        self.step = _function("step", step, "rnn_step(x_t, s_prev, U, W, b)")
        self.loop = _function("loop", loop, "rnn_loop(inputs, s0, U, W, b, step)")

    def build(self, input_shape):
        _check_sequences(input_shape)
        features = input_shape[-1]
        self.U = self.add_weight(name="U", shape=(features, self.units),
                                 initializer="glorot_uniform")    # input -> state
        self.W = self.add_weight(name="W", shape=(self.units, self.units),
                                 initializer="orthogonal")        # state -> state
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        _check_sequences(inputs.shape)
        inputs = tf.cast(inputs, self.compute_dtype)                         # (B, T, F)
        s0 = tf.zeros((tf.shape(inputs)[0], self.units), self.compute_dtype)  # (B, units)
        U, W, b = (tf.convert_to_tensor(w) for w in (self.U, self.W, self.b))  # as checked
        states = self.loop(inputs, s0, U, W, b, self.step)                   # (B, T, units)
        if self.return_sequences:
            return states                                                    # (B, T, units)
        return states[:, -1]                                                 # s_T: (B, units)

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (input_shape[0], input_shape[1], self.units)
        return (input_shape[0], self.units)

    def get_config(self):
        """Sizes and functions; a student's functions reload with ``custom_objects``."""
        return {**super().get_config(), "units": self.units,
                "return_sequences": self.return_sequences,
                "step": keras.saving.serialize_keras_object(self.step),
                "loop": keras.saving.serialize_keras_object(self.loop)}

    @classmethod
    def from_config(cls, config):
        functions = {name: keras.saving.deserialize_keras_object(config[name])
                     for name in ("step", "loop") if name in config}
        return cls(**{**config, **functions})


def copy_weights_to_simple_rnn(layer: HandwrittenRNN) -> keras.layers.SimpleRNN:
    """A built ``keras.layers.SimpleRNN`` holding ``layer``'s U, W, b (for comparisons).

    Keras' kernel, recurrent_kernel and bias are exactly U, W and b here, and
    SimpleRNN computes tanh(x_t kernel + bias + s_{t-1} recurrent_kernel), the
    reference :func:`rnn_step`: the twin shows what ``layer``'s own step should give.
    """
    if not isinstance(layer, HandwrittenRNN):
        raise TypeError(f"layer must be a HandwrittenRNN, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError("layer has no weights yet: call it on a batch (or build it) first")
    features = layer.U.shape[0]
    twin = keras.layers.SimpleRNN(layer.units, return_sequences=layer.return_sequences,
                                  dtype=layer.dtype_policy)
    twin.build((None, None, features))
    twin.set_weights([layer.U.numpy(), layer.W.numpy(), layer.b.numpy()])
    return twin


RECURRENT_LAYERS = ("handwritten", "simple_rnn", "lstm")


def build_mnist_classifier(units: int = 128, recurrent: str = "handwritten",
                           time_steps: int = mnist.ROWS,
                           features: int = mnist.PIXELS,
                           classes: int = mnist.CLASSES,
                           step=rnn_step, loop=rnn_loop) -> keras.Model:
    """Lab 03's model: 28 rows -> RNN -> s_T -> softmax(V s_T + c), not compiled.

    The hand-written RNN computes its states with ``step`` and ``loop`` (the
    student's answers, or the reference ones). ``recurrent="simple_rnn"``
    builds the same model on ``keras.layers.SimpleRNN`` (same sizes, same
    initializers) for a fair comparison; ``"lstm"`` on ``keras.layers.LSTM``
    with the same state size.
    """
    units = positive_int("units", units)
    time_steps = positive_int("time_steps", time_steps)
    features = positive_int("features", features)
    classes = positive_int("classes", classes)
    rnn = _recurrent_layer(recurrent, units, step, loop)
    inputs = keras.Input(shape=(time_steps, features), name="rows")   # (B, T, F)
    last_state = rnn(inputs)                                            # (B, units)
    probabilities = keras.layers.Dense(classes, activation="softmax",
                                       name="V")(last_state)            # (B, classes)
    return keras.Model(inputs, probabilities, name=f"mnist_rnn_{recurrent}")


def _recurrent_layer(recurrent: str, units: int, step, loop) -> keras.layers.Layer:
    """The classifier's RNN layer, named "rnn"; only the hand-written one takes step and loop."""
    if recurrent not in RECURRENT_LAYERS:
        raise ValueError(f"recurrent must be one of {RECURRENT_LAYERS}, got {recurrent!r}")
    if recurrent == "handwritten":
        return HandwrittenRNN(units, step=step, loop=loop, name="rnn")
    if step is not rnn_step or loop is not rnn_loop:
        raise ValueError(f"step and loop are the hand-written RNN's functions; "
                         f"recurrent={recurrent!r} brings its own cell")
    return {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}[recurrent](
        units, name="rnn")
