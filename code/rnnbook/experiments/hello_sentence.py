"""The character model of section 18-3 on one short sentence, small enough to watch.

The sentence is split into characters; at each time step the network reads one
character (one-hot) and should predict the next ("h" -> "e", "e" -> "l", ...).
The loss is the cross-entropy of every step, summed over the steps, and
gradient descent adjusts U, W and V until the predictions match. Then the
network writes the sentence again from its first character.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from rnnbook.arguments import non_negative_int, positive_int

SENTENCE = "hello, I am Andy"


def char_pairs(text: str = SENTENCE) -> list[tuple[str, str]]:
    """(input, expected) character at each time step: ("h", "e"), ("e", "l"), ..."""
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(f"text must be a string of at least 2 characters, got {text!r}")
    return list(zip(text[:-1], text[1:]))


def vocabulary(text: str = SENTENCE) -> list[str]:
    """The distinct characters of ``text``, sorted: the positions of the one-hot vectors."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    return sorted(set(text))


def one_hot(text: str, vocab: list[str]) -> np.ndarray:
    """One one-hot row per character of ``text``, (T, K): K characters in the vocabulary."""
    index = {char: i for i, char in enumerate(vocab)}
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"characters {missing} are not in the vocabulary {vocab}")
    rows = np.zeros((len(text), len(vocab)), dtype=np.float32)
    rows[np.arange(len(text)), [index[char] for char in text]] = 1.0
    return rows


@dataclass
class TinyRun:
    """A trained tiny character model and how its training went."""

    text: str
    vocab: list[str]
    model: keras.Model = field(repr=False)
    losses: list[float] = field(repr=False)       # summed loss after each update

    def distributions(self) -> np.ndarray:
        """Predicted next-character probabilities at every step of the sentence, (T-1, V)."""
        inputs = one_hot(self.text[:-1], self.vocab)[np.newaxis]       # (1, T-1, V)
        return np.asarray(self.model(inputs))[0]

    def generate(self, first: str, length: int) -> str:
        """Start from ``first`` and append the most probable next character ``length`` times.

        18-3's "write the sentence again": ``first`` is one or more characters
        of the vocabulary, ``length`` a whole number >= 0 (0 gives ``first`` back).
        """
        text = self._prompt(first)
        length = non_negative_int("length", length)        # 0: first comes back unchanged
        for _ in range(length):
            probabilities = np.asarray(self.model(one_hot(text, self.vocab)[np.newaxis]))
            text += self.vocab[int(probabilities[0, -1].argmax())]
        return text

    def _prompt(self, first: object) -> str:
        """``first`` if it is a non-empty string of vocabulary characters, else a clear error."""
        if not isinstance(first, str):
            raise TypeError(f"first must be a str of characters to continue from, "
                            f"got {type(first).__name__} {first!r}")
        if not first:
            raise ValueError(f"first must hold at least one character to continue from "
                             f"(any of {self.vocab}), got an empty string")
        one_hot(first, self.vocab)          # raises if a character is not in the vocabulary
        return first


def summed_cross_entropy(expected: tf.Tensor, predicted: tf.Tensor) -> tf.Tensor:
    """L = sum over time steps t of -log p_t(expected character at t)   (18-3)."""
    per_step = keras.losses.sparse_categorical_crossentropy(expected, predicted)   # (B, T)
    return tf.reduce_sum(per_step)


def train_tiny(text: str = SENTENCE, state_size: int = 32, updates: int = 200,
               learning_rate: float = 0.02, seed: int = 0) -> TinyRun:
    """Train a one-layer RNN on ``text`` with the summed loss, ``updates`` Adam steps."""
    pairs = char_pairs(text)
    state_size = positive_int("state_size", state_size)
    updates = non_negative_int("updates", updates)         # 0: the untrained network
    vocab = vocabulary(text)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((None, len(vocab))),                                 # (B, T, V) one-hot
        keras.layers.SimpleRNN(state_size, return_sequences=True),       # s_t, shared U, W
        keras.layers.Dense(len(vocab), activation="softmax"),            # o_t, shared V
    ])
    inputs = one_hot(text[:-1], vocab)[np.newaxis]                       # (1, T-1, V)
    expected = np.array([[vocab.index(target) for _, target in pairs]])  # (1, T-1)
    optimizer = keras.optimizers.Adam(learning_rate)

    @tf.function  # one graph for all updates: seconds instead of a minute
    def update():
        with tf.GradientTape() as tape:
            loss = summed_cross_entropy(expected, model(inputs))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    losses = [float(update()) for _ in range(updates)]
    return TinyRun(text=text, vocab=vocab, model=model, losses=losses)
