"""Word order and memory, the argument of section 18-1, as code.

A bag of words forgets order; a feed-forward network fed one word at a time
forgets the past. Both are shown here on the seed's sentences.
"""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"[A-Za-z']+")


def tokenize(sentence: str) -> list[str]:
    """Lower-cased words of an English sentence, punctuation dropped."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    words = _WORD.findall(sentence.lower())
    if not words:
        raise ValueError(f"sentence must contain at least one word, got {sentence!r}")
    return words


def vocabulary(*sentences: str) -> list[str]:
    """Sorted list of the distinct words in ``sentences``."""
    if not sentences:
        raise ValueError("vocabulary needs at least one sentence")
    return sorted({word for sentence in sentences for word in tokenize(sentence)})


def _index(vocab: list[str]) -> dict[str, int]:
    if not isinstance(vocab, (list, tuple)) or not vocab:
        raise TypeError("vocab must be a non-empty list of words, e.g. vocabulary(sentence)")
    return {word: i for i, word in enumerate(vocab)}


def bag_of_words(sentence: str, vocab: list[str]) -> np.ndarray:
    """Word counts of ``sentence`` over ``vocab``: the order of words is lost."""
    index = _index(vocab)
    counts = np.zeros(len(vocab), dtype=np.int64)
    for word in tokenize(sentence):
        if word not in index:
            raise ValueError(f"word {word!r} is not in the vocabulary {list(vocab)}")
        counts[index[word]] += 1
    return counts


def one_hot_sequence(sentence: str, vocab: list[str]) -> np.ndarray:
    """One one-hot row per word, in order: shape (T, len(vocab))."""
    index = _index(vocab)
    words = tokenize(sentence)
    rows = np.zeros((len(words), len(vocab)))
    for t, word in enumerate(words):
        if word not in index:
            raise ValueError(f"word {word!r} is not in the vocabulary {list(vocab)}")
        rows[t, index[word]] = 1.0
    return rows
