"""The hand-written RNN of Lab 03 (RNN MNIST classification, Demo 18-3).

Section 18-2's recurrence, one time step at a time:

    s_t = tanh(x_t U + s_{t-1} W + b)        s_0 = 0
    o   = softmax(s_T V + c)                 (the Dense layer of the classifier)

Keras keeps row vectors, so U is (features, units) and W is (units, units):
the transposes of the column-vector U, W of 18-2 (and of ``rnnbook.rnn``).
An MNIST digit is read as 28 time steps (its rows) of 28 features (pixels).

The lab teaches ``tf.unstack`` and ``tf.stack``, so :meth:`HandwrittenRNN.call`
uses TensorFlow ops on purpose (the book runs Keras on TensorFlow); a Python
loop over the unstacked steps is unrolled into the ``tf.function`` graph that
``model.fit`` traces, so the time steps must be known when the layer is built.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from rnnbook import mnist
from rnnbook._checks import boolean, positive_int


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
class HandwrittenRNN(keras.layers.Layer):
    """A simple RNN written out step by step: unstack, recur, stack (Lab 03, 18-2).

    ``units`` is the state size, the length of s. Returns the last state s_T,
    (B, units), or with ``return_sequences=True`` every state, (B, T, units).
    Initializers match ``keras.layers.SimpleRNN``: glorot_uniform for U,
    orthogonal for W, zeros for b.
    """

    def __init__(self, units: int = 128, return_sequences: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.return_sequences = boolean("return_sequences", return_sequences)

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
        inputs = tf.cast(inputs, self.compute_dtype)                  # (B, T, F)
        xs = tf.unstack(inputs, axis=1)                               # T tensors of (B, F)
        s = tf.zeros((tf.shape(inputs)[0], self.units), self.compute_dtype)  # s_0: (B, units)
        states = []
        for x_t in xs:
            s = tf.tanh(tf.matmul(x_t, self.U) + tf.matmul(s, self.W) + self.b)  # s_t: (B, units)
            states.append(s)
        if self.return_sequences:
            return tf.stack(states, axis=1)                           # (B, T, units)
        return s                                                      # s_T: (B, units)

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (input_shape[0], input_shape[1], self.units)
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "return_sequences": self.return_sequences}


def copy_weights_to_simple_rnn(layer: HandwrittenRNN) -> keras.layers.SimpleRNN:
    """A built ``keras.layers.SimpleRNN`` holding ``layer``'s U, W, b (for comparisons).

    Keras' kernel, recurrent_kernel and bias are exactly U, W and b here, and
    SimpleRNN computes tanh(x_t kernel + bias + s_{t-1} recurrent_kernel).
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
                           classes: int = mnist.CLASSES) -> keras.Model:
    """Lab 03's model: 28 rows -> RNN -> s_T -> softmax(V s_T + c), not compiled.

    ``recurrent="simple_rnn"`` builds the same model on ``keras.layers.SimpleRNN``
    (same sizes, same initializers) for a fair comparison; ``"lstm"`` on
    ``keras.layers.LSTM`` with the same state size.
    """
    units = positive_int("units", units)
    time_steps = positive_int("time_steps", time_steps)
    features = positive_int("features", features)
    classes = positive_int("classes", classes)
    if recurrent not in RECURRENT_LAYERS:
        raise ValueError(f"recurrent must be one of {RECURRENT_LAYERS}, got {recurrent!r}")
    rnn = {"handwritten": HandwrittenRNN, "simple_rnn": keras.layers.SimpleRNN,
           "lstm": keras.layers.LSTM}[recurrent](units, name="rnn")
    inputs = keras.Input(shape=(time_steps, features), name="rows")   # (B, T, F)
    last_state = rnn(inputs)                                            # (B, units)
    probabilities = keras.layers.Dense(classes, activation="softmax",
                                       name="V")(last_state)            # (B, classes)
    return keras.Model(inputs, probabilities, name=f"mnist_rnn_{recurrent}")
