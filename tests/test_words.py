"""Section 18-1's word-order argument."""

import numpy as np
import pytest

from rnnbook.experiments.word_order import bag_of_words, one_hot_sequence, tokenize, vocabulary


def test_reordered_sentences_have_identical_bags():
    vocab = vocabulary("I am handsome", "Am I handsome")
    assert vocab == ["am", "handsome", "i"]
    assert np.array_equal(bag_of_words("I am handsome", vocab),
                          bag_of_words("Am I handsome", vocab))


def test_one_hot_sequence_keeps_order():
    vocab = vocabulary("I am handsome")
    statement = one_hot_sequence("I am handsome", vocab)
    question = one_hot_sequence("Am I handsome", vocab)
    assert statement.shape == (3, 3)
    assert (statement.sum(axis=1) == 1).all()
    assert not np.array_equal(statement, question)
    assert np.array_equal(statement.sum(axis=0), question.sum(axis=0))


def test_bag_counts_repeated_words():
    vocab = vocabulary("the cat saw the dog")
    assert bag_of_words("the cat saw the dog", vocab)[vocab.index("the")] == 2


def test_tokenize_drops_punctuation_and_case():
    assert tokenize("Hello, I am Andy!") == ["hello", "i", "am", "andy"]


def test_bad_input_is_explained():
    with pytest.raises(TypeError, match="sentence must be a str, got int"):
        tokenize(42)
    with pytest.raises(ValueError, match="at least one word"):
        tokenize("?!")
    with pytest.raises(ValueError, match="'dog' is not in the vocabulary"):
        bag_of_words("cat dog", ["cat"])
    with pytest.raises(ValueError, match="'dog' is not in the vocabulary"):
        one_hot_sequence("dog", ["cat"])
    with pytest.raises(TypeError, match="vocab must be a non-empty list"):
        bag_of_words("cat", "cat")
    with pytest.raises(ValueError, match="at least one sentence"):
        vocabulary()
