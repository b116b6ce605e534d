"""The network of the character model, and what it reads (18-3).

    ids (B, T) -> Embedding -> LSTM/GRU x layers -> Dense -> logits (B, T, V)

:func:`build_model` makes it; :class:`StepModel` runs it one character at a
time; :func:`next_char_distribution` and :func:`hidden_activations` show what
it makes of a text. The public functions check their arguments in a wrapper
(:func:`~rnnbook.arguments.checked_by`), so their bodies are the algorithm.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from rnnbook.arguments import checked_by, integer_in, positive_int, string
from rnnbook.charrnn.config import CharRNNConfig, check_config
from rnnbook.charrnn.vocabulary import Vocabulary
from rnnbook.rnn.equations import unchecked_softmax

_CACHE = "__rnnbook_cache__"


def _build_arguments(config, vocab_size) -> dict:
    check_config(config)
    return dict(vocab_size=positive_int("vocab_size", vocab_size))


@checked_by(_build_arguments)
def build_model(config: CharRNNConfig, vocab_size: int) -> keras.Model:
    """Embedding -> ``layers`` x LSTM/GRU (every h_t) -> Dense logits, for any length T.

    Layers are named ``embedding``, ``rnn_0`` .. ``rnn_{layers-1}`` and
    ``logits``; :class:`StepModel` and :func:`hidden_activations` find them by
    name. Not compiled.
    """
    recurrent = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[config.cell]
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")               # (B, T)
    # N(0, 1) embeddings, as a one-hot input has length 1: Keras' default (uniform within
    # +-0.05) starves the recurrent layers of signal, and the loss sits at the unigram
    # entropy (~3.3 nats/char) for the first hundred or so steps.
    x = keras.layers.Embedding(vocab_size, config.embedding_dim, name="embedding",
                               embeddings_initializer=keras.initializers.RandomNormal(
                                   stddev=1.0, seed=config.seed))(ids)
    for i in range(config.layers):                                            # (B, T, E)
        x = recurrent(config.units, return_sequences=True, name=f"rnn_{i}")(x)  # (B, T, H)
        if config.dropout:
            x = keras.layers.Dropout(config.dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)                 # (B, T, V)
    model = keras.Model(ids, logits, name=f"char_{config.cell}")
    # On CPU the recurrent layers run as a tf.while_loop (cuDNN needs a GPU); XLA made
    # that loop's backward pass slower here, and would recompile for every new length.
    model.jit_compile = False
    return model


def rnn_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The recurrent layers of a model from :func:`build_model`, ``rnn_0`` first."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model from build_model() or load(), "
                        f"got {type(model).__name__}")
    layers = [layer for layer in model.layers if layer.name.startswith("rnn_")]
    if not layers:
        raise ValueError(f"model {model.name!r} has no rnn_0.. layers: build it with "
                         f"build_model()")
    return layers


def cached(model: keras.Model, name: str, make):
    """``make()``, built once per model and kept with it (traced tf.functions, sub-models).

    Kept in a dunder attribute set with ``object.__setattr__``: Keras tracks what is
    assigned to a layer (a sub-model would become part of ``model``), and its weight
    files walk every attribute except dunder ones. The cache dies with the model.
    """
    cache = model.__dict__.get(_CACHE)
    if cache is None:
        cache = {}
        object.__setattr__(model, _CACHE, cache)
    if name not in cache:
        cache[name] = make()
    return cache[name]


def check_model_vocab(model: keras.Model, vocab: Vocabulary) -> None:
    """Refuse a model and a vocabulary that do not belong together."""
    rnn_layers(model)
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    outputs = model.get_layer("logits").units
    if outputs != len(vocab):
        raise ValueError(f"the model predicts {outputs} characters but the vocabulary has "
                         f"{len(vocab)}: use the vocabulary the model was trained with")


def known_ids(vocab: Vocabulary, text: str, name: str = "text") -> np.ndarray:
    """The ids of ``text``, which must be a non-empty str of the vocabulary's characters."""
    text = string(name, text)
    if not text:
        raise ValueError(f"{name} must not be empty")
    missing = vocab.unknown_characters(text)
    if missing:
        raise ValueError(f"{name} has characters outside the model's vocabulary: {missing}")
    return vocab.encode(text)


# --- reading a text -------------------------------------------------------------------------

def _reading_arguments(model, vocab, text) -> dict:
    check_model_vocab(model, vocab)
    known_ids(vocab, text)
    return {}


@checked_by(_reading_arguments)
def next_char_distribution(model: keras.Model, vocab: Vocabulary, text: str) -> np.ndarray:
    """P(next character | text[:t+1]) for every position t: shape (T, V), rows sum to 1."""
    ids = vocab.encode(text)[None]                                        # (1, T)
    logits = np.asarray(model.predict_on_batch(ids), dtype=np.float64)[0]  # (T, V)
    return unchecked_softmax(logits)


def _hidden_arguments(model, vocab, text, layer) -> dict:
    check_model_vocab(model, vocab)
    count = len(rnn_layers(model))
    layer = integer_in("layer", layer, 0, count - 1, f"the model has {count} recurrent layers")
    known_ids(vocab, text)
    return {"layer": layer}


@checked_by(_hidden_arguments)
def hidden_activations(model: keras.Model, vocab: Vocabulary, text: str,
                       layer: int = 0) -> np.ndarray:
    """h_t of recurrent layer ``layer`` after each character of ``text``: shape (T, units).

    For an LSTM this is its output h_t (not the cell memory c_t), in (-1, 1).
    """
    reader = cached(model, f"hidden_{layer}",
                    lambda: keras.Model(model.inputs, rnn_layers(model)[layer].output))
    ids = vocab.encode(text)[None]                                        # (1, T)
    return np.asarray(reader.predict_on_batch(ids), dtype=np.float64)[0]  # (T, H)


# --- one character at a time ----------------------------------------------------------------

class StepModel:
    """One character in, next-character logits out; the recurrent state carries the past.

    Uses the trained model's own layers (its weights, shared, not copied):
    the embedding, each recurrent layer's cell, the output Dense. Each step
    costs one time step, whatever came before: O(1) per generated character.
    """

    def __init__(self, model: keras.Model):
        self._embedding = model.get_layer("embedding")
        self._cells = [layer.cell for layer in rnn_layers(model)]
        self._logits = model.get_layer("logits")
        self._step = tf.function(self._one_step, reduce_retracing=True)

    def initial_states(self) -> list:
        """The zero state of each recurrent layer: [(1, H), ...], as at the start of a text."""
        return [cell.get_initial_state(1) for cell in self._cells]

    def _one_step(self, ids, states):
        x = self._embedding(ids)                                          # (1, E)
        new_states = []
        for cell, state in zip(self._cells, states):
            x, state = cell(x, state, training=False)                     # (1, H)
            new_states.append(state)
        return self._logits(x), new_states                                # (1, V)

    def advance(self, char_id: int, states: list) -> tuple[np.ndarray, list]:
        """The logits (V,) after reading ``char_id`` in ``states``, and the states after it.

        Keeps no state of its own: each caller carries its own.
        """
        logits, states = self._step(tf.constant([char_id], tf.int32), states)
        return np.asarray(logits, dtype=np.float64)[0], states


def step_model(model: keras.Model) -> StepModel:
    """The :class:`StepModel` of ``model``, made once and kept with it."""
    return cached(model, "step", lambda: StepModel(model))
