"""18-3's baselines: character counts without a state, next to the RNN."""

import json
import math
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest

from rnnbook.charrnn import PRESETS, SHIPPED_WEIGHTS, Vocabulary
from rnnbook.data.shakespeare import load_shakespeare
from rnnbook.experiments.ngram_baselines import (
    BaselineLosses,
    baseline_losses,
    bigram_ceiling,
    fit_ngram,
)

TEXT = "the cat sat on the mat; the hat.\n" * 3


def _reference_bigram_loss(train: str, held_out: str, k: float, vocab: Vocabulary) -> float:
    """Add-k bigram, counted with a Counter, on every character of held_out after its first."""
    V = len(vocab)
    pairs = Counter(pairwise(train))
    firsts = Counter(train[:-1])
    total = 0.0
    for previous, char in pairwise(held_out):
        total -= math.log((pairs[previous, char] + k) / (firsts[previous] + k * V))
    return total / (len(held_out) - 1)


def test_the_bigram_matches_a_count_by_hand():
    vocab = Vocabulary.from_text(TEXT)
    held_out = "the mat sat on the cat."
    model = fit_ngram(TEXT, 2, k=0.5, vocab=vocab)
    # One window holding all of held_out: every character after the first is predicted.
    expected = _reference_bigram_loss(TEXT, held_out, 0.5, vocab)
    assert model.loss(held_out, seq_len=len(held_out) - 1) == pytest.approx(expected, rel=1e-12)


def test_the_unigram_is_the_smoothed_frequency_of_each_character():
    vocab = Vocabulary.from_text(TEXT)
    model = fit_ngram(TEXT, 1, k=1.0, vocab=vocab)
    counts = Counter(TEXT)
    held_out = "tea"
    expected = -np.mean([math.log((counts[c] + 1) / (len(TEXT) + len(vocab)))
                         for c in held_out[1:]])
    assert model.loss(held_out, seq_len=2) == pytest.approx(expected, rel=1e-12)


def test_probabilities_of_every_context_sum_to_one():
    vocab = Vocabulary.from_text(TEXT)
    model = fit_ngram(TEXT, 3, k=0.1, vocab=vocab)
    for context in ("th", "at", "e ", "m;"):  # seen, seen, seen, never seen
        ids = np.array([list(vocab.encode(context)) + [c] for c in range(len(vocab))])
        assert np.exp(model.log_probabilities(ids)).sum() == pytest.approx(1.0)


def test_only_the_characters_the_rnn_is_measured_on_count():
    model = fit_ngram(TEXT, 2)
    # 25 characters, windows of 10: two windows, characters 1..20 predicted; 21.. are not.
    text = "the cat sat on the mat. "
    assert model.loss(text + "t", seq_len=10) == model.loss(text[:21] + "aaa", seq_len=10)


@pytest.fixture(scope="module")
def corpus():
    return load_shakespeare()


@pytest.fixture(scope="module")
def baselines(corpus):
    return baseline_losses(corpus)


def test_memory_lowers_the_held_out_loss(baselines):
    assert baselines.bigram < baselines.unigram < baselines.uniform
    assert baselines.uniform == pytest.approx(math.log(baselines.vocabulary_size))
    assert BaselineLosses.bits(baselines.unigram) == pytest.approx(baselines.unigram / math.log(2))


def test_baselines_are_measured_on_the_characters_the_shipped_model_is(baselines):
    metrics = json.loads((SHIPPED_WEIGHTS / "metrics.json").read_text(encoding="utf-8"))
    assert baselines.characters == metrics["validation_characters_evaluated"]
    assert baselines.vocabulary_size == metrics["vocabulary_size"]
    assert metrics["final_validation_loss"] < baselines.bigram


def test_a_longer_context_helps_until_the_counts_run_out(corpus):
    losses = baseline_losses(corpus, orders=(3, 4, 6), config=PRESETS["demo"]).ngrams
    assert losses[4] < losses[3] and losses[6] > losses[4]


def test_after_l_comes_l_once_and_o_once():
    ceiling = bigram_ceiling()
    assert ceiling.successors["l"] == {"l": 1, "o": 1}
    assert ceiling.successors[" "] == {"I": 1, "a": 1, "A": 1}
    assert set(ceiling.ambiguous) == {"l", " "}
    assert (ceiling.best_correct, ceiling.steps) == (12, 15)


def test_bad_arguments_are_explained(corpus):
    with pytest.raises(ValueError, match="order must be an integer in 1..6"):
        fit_ngram(TEXT, 0)
    with pytest.raises(TypeError, match="text must be a str"):
        fit_ngram(b"bytes", 2)
    with pytest.raises(ValueError, match="text must not be empty"):
        fit_ngram("", 2)
    with pytest.raises(ValueError, match="k must be a finite number > 0"):
        fit_ngram(TEXT, 2, k=0)
    with pytest.raises(TypeError, match="vocab must be an rnnbook.charrnn.Vocabulary"):
        fit_ngram(TEXT, 2, vocab="abc")
    with pytest.raises(ValueError, match="at least seq_len \\+ 1 = 101 characters"):
        fit_ngram(TEXT, 2).loss("short")
    with pytest.raises(TypeError, match="corpus must be an rnnbook.data.shakespeare.Corpus"):
        baseline_losses("all of Shakespeare")
    with pytest.raises(ValueError, match="orders must be a non-empty tuple"):
        baseline_losses(corpus, orders=2)
    with pytest.raises(ValueError, match="text must be a string of at least 2 characters"):
        bigram_ceiling("h")
