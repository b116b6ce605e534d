"""What memory buys (18-3): counting models without a state, next to the RNN.

An n-gram character model predicts the next character from the ``order - 1``
characters before it, and nothing else, by counting: in the training plays,
how often did each character follow that context? Order 1 (unigram) looks at
no context at all, just how common each character is; order 2 (bigram) at the
one character just read. The RNN's state can carry anything it has read.

Counts of zero would give a held-out character probability 0 and an infinite
loss, so the counts are smoothed: **add-k** smoothing adds ``k`` to the count
of every character in every context (``k = 1``: add-one, Laplace's rule),

    P(c | context) = (n(context, c) + k) / (n(context) + k V),

for a vocabulary of V characters. A model is fitted on the training plays and
measured, like the RNN (:func:`rnnbook.charrnn.evaluate`), on the held-out
plays cut into windows of ``seq_len`` characters: the same characters, the same
vocabulary (the shipped model's, with its placeholder for unknown characters),
the same unit, nats per character (bits: divided by ln 2).

:func:`bigram_ceiling` shows on the tiny sentence of :mod:`rnnbook.experiments.hello_sentence` why a
bigram cannot do what the RNN does there: after "l" comes "l" once and "o"
once, so whichever it predicts after "l" is wrong once.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import finite_positive_float, integer_in, positive_int, string
from rnnbook.charrnn.config import PRESETS, CharRNNConfig, check_config
from rnnbook.charrnn.vocabulary import Vocabulary
from rnnbook.data.shakespeare import Corpus
from rnnbook.experiments.hello_sentence import SENTENCE, char_pairs

#: The longest context counted (order 6: five characters), to keep the keys in int64.
MAX_ORDER = 6


@dataclass(frozen=True)
class CharNgram:
    """Add-k smoothed counts of (context, next character) from a training text.

    ``keys``: the distinct (context, next) pairs seen, coded as integers
    (sorted); ``counts`` how often each was seen. ``context_keys`` and
    ``context_counts`` the same for the contexts alone.
    """

    order: int
    k: float
    vocab: Vocabulary
    keys: np.ndarray = None
    counts: np.ndarray = None
    context_keys: np.ndarray = None
    context_counts: np.ndarray = None

    @property
    def name(self) -> str:
        return {1: "unigram", 2: "bigram", 3: "trigram"}.get(self.order, f"{self.order}-gram")

    def log_probabilities(self, ids: np.ndarray) -> np.ndarray:
        """ln P(ids[t] | ids[t-order+1 .. t-1]) for t >= order - 1 along the last axis.

        ``ids``: (..., T) character ids, -1 for the start mark; returns (..., T - order + 1).
        """
        contexts, pairs = _codes(ids, self.order, len(self.vocab))
        seen = _lookup(self.keys, self.counts, pairs)
        context_seen = _lookup(self.context_keys, self.context_counts, contexts)
        V = len(self.vocab)
        return np.log(seen + self.k) - np.log(context_seen + self.k * V)

    def loss(self, text: str, seq_len: int = 100, max_chars: int | None = None) -> float:
        """Mean -ln P (nats/char) on the characters the RNN is measured on (see module doc).

        :func:`rnnbook.charrnn.evaluate` cuts the first ``max_chars + 1``
        characters of ``text`` (None: all) into whole windows of ``seq_len`` + 1
        and predicts every character of a window after its first: characters 1
        to N * ``seq_len`` of the text. These are the characters predicted here,
        each from the ``order - 1`` characters before it in the text (start
        marks before the first). Where a window starts, the RNN starts afresh
        from a zero state and the counts do not: a small advantage to the counts.
        """
        string("text", text)
        seq_len = positive_int("seq_len", seq_len)
        if max_chars is not None:
            text = text[:positive_int("max_chars", max_chars) + 1]
        count = (len(text) - 1) // seq_len                        # whole windows
        if count < 1:
            raise ValueError(f"text must hold at least seq_len + 1 = {seq_len + 1} characters "
                             f"to make one window, got {len(text)}")
        ids = self.vocab.encode(text[:count * seq_len + 1], unknown="replace")
        padded = np.concatenate([np.full(self.order - 1, -1), ids])
        return -float(self.log_probabilities(padded)[1:].mean())     # targets: 1..N*seq_len


def fit_ngram(text: str, order: int, k: float = 1.0,
              vocab: Vocabulary | None = None) -> CharNgram:
    """Count the (``order - 1`` characters, next character) pairs of ``text``, add-k smoothed.

    ``vocab`` defaults to ``Vocabulary.from_text(text)`` (as the RNN's is made);
    the first ``order - 1`` characters are counted with a start mark before them.
    """
    string("text", text)
    if not text:
        raise ValueError("text must not be empty: there is nothing to count")
    order = integer_in("order", order, 1, MAX_ORDER, "1: unigram, 2: bigram, ...")
    k = finite_positive_float("k", k)
    if vocab is None:
        vocab = Vocabulary.from_text(text)
    elif not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be an rnnbook.charrnn.Vocabulary, got {type(vocab).__name__}")
    ids = np.concatenate([np.full(order - 1, -1), vocab.encode(text, unknown="replace")])
    contexts, pairs = _codes(ids, order, len(vocab))
    keys, counts = np.unique(pairs, return_counts=True)
    context_keys, context_counts = np.unique(contexts, return_counts=True)
    return CharNgram(order, k, vocab, keys, counts, context_keys, context_counts)


def _codes(ids: np.ndarray, order: int, V: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of every context (order - 1 ids) and (context, next) pair along the
    last axis of ``ids``, in base V + 1: an id of -1 is the start mark, coded as V.
    """
    digits = np.where(np.asarray(ids) < 0, V, ids).astype(np.int64)
    T = digits.shape[-1] - order + 1
    contexts = np.zeros(digits.shape[:-1] + (T,), dtype=np.int64)
    for i in range(order - 1):
        contexts = contexts * (V + 1) + digits[..., i:i + T]
    return contexts, contexts * (V + 1) + digits[..., order - 1:]


def _lookup(keys: np.ndarray, counts: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The count of each of ``wanted`` in (``keys``, ``counts``), 0 where it was never seen."""
    where = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[where] == wanted, counts[where], 0)


# --- the numbers of 18-3 ---------------------------------------------------------------------

@dataclass(frozen=True)
class BaselineLosses:
    """Held-out loss (nats/char) of models without memory, measured as the RNN's is."""

    vocabulary_size: int
    uniform: float                 # ln V: every character equally likely
    ngrams: dict[int, float]       # order -> loss, e.g. {1: unigram, 2: bigram}
    k: float
    characters: int                # held-out characters predicted

    @property
    def unigram(self) -> float:
        return self.ngrams[1]

    @property
    def bigram(self) -> float:
        return self.ngrams[2]

    @staticmethod
    def bits(nats: float) -> float:
        """Nats per character in bits per character."""
        return nats / math.log(2)


def baseline_losses(corpus: Corpus, orders: tuple[int, ...] = (1, 2), k: float = 1.0,
                    config: CharRNNConfig = PRESETS["shipped"]) -> BaselineLosses:
    """Unigram and bigram (``orders``) loss on ``corpus.validation``, fitted on ``corpus.train``.

    Measured on the characters ``config`` evaluates the RNN on (its
    ``seq_len`` and ``validation_chars``; default: the shipped model's, all
    the held-out plays), with the vocabulary the RNN is trained with.
    """
    if not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be an rnnbook.data.shakespeare.Corpus (load_shakespeare()), "
                        f"got {type(corpus).__name__}")
    check_config(config)
    if isinstance(orders, int) or not orders:
        raise ValueError(f"orders must be a non-empty tuple of model orders, got {orders!r}")
    vocab = Vocabulary.from_text(corpus.train)
    ngrams = {order: fit_ngram(corpus.train, order, k, vocab).loss(
        corpus.validation, config.seq_len, config.validation_chars) for order in orders}
    text = corpus.validation if config.validation_chars is None \
        else corpus.validation[:config.validation_chars + 1]
    characters = (len(text) - 1) // config.seq_len * config.seq_len
    return BaselineLosses(len(vocab), math.log(len(vocab)), ngrams, k, characters)


# --- "hello, I am Andy": why the tiny model needs a state ------------------------------------

@dataclass(frozen=True)
class BigramCeiling:
    """What follows each character of a sentence, and the most a bigram can get right.

    ``successors[c]``: next character -> how many times it follows ``c``.
    A bigram predicts one next character per character read, so at best it
    gets the most frequent successor of each right: ``best_correct`` of
    ``steps`` steps. ``ambiguous``: the characters followed by more than one.
    """

    text: str
    successors: dict[str, dict[str, int]]
    steps: int
    best_correct: int

    @property
    def ambiguous(self) -> dict[str, dict[str, int]]:
        return {c: nexts for c, nexts in self.successors.items() if len(nexts) > 1}


def bigram_ceiling(text: str = SENTENCE) -> BigramCeiling:
    """What follows each character of ``text`` (18-3's "hello, I am Andy"), counted."""
    pairs = char_pairs(text)
    successors: dict[str, Counter] = {}
    for current, following in pairs:
        successors.setdefault(current, Counter())[following] += 1
    best = sum(max(nexts.values()) for nexts in successors.values())
    return BigramCeiling(text, {c: dict(n.most_common()) for c, n in successors.items()},
                         len(pairs), best)
