"""18-3's tiny character model: pairs, one-hot inputs, summed loss, and it learns."""

import numpy as np
import pytest
import tensorflow as tf

from rnnbook.hello import (SENTENCE, char_pairs, one_hot, summed_cross_entropy, train_tiny,
                           vocabulary)


def test_pairs_follow_the_seed():
    assert char_pairs("hello")[:2] == [("h", "e"), ("e", "l")]
    assert len(char_pairs(SENTENCE)) == len(SENTENCE) - 1


def test_one_hot_rows():
    vocab = vocabulary("hello")
    assert vocab == ["e", "h", "l", "o"]
    rows = one_hot("hel", vocab)
    assert rows.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]]


def test_summed_loss_is_the_sum_of_per_step_cross_entropies():
    predicted = tf.constant([[[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]])
    expected = tf.constant([[0, 0, 1]])
    by_hand = -(np.log(0.5) + np.log(0.9) + np.log(0.8))
    assert float(summed_cross_entropy(expected, predicted)) == pytest.approx(by_hand, rel=1e-5)


def test_tiny_model_learns_to_write_the_sentence_again():
    run = train_tiny("hello, I am Andy", updates=200)
    assert run.losses[-1] < 0.05 * run.losses[0]
    assert run.generate("h", len(run.text) - 1) == run.text
    distributions = run.distributions()
    assert distributions.shape == (len(run.text) - 1, len(run.vocab))
    np.testing.assert_allclose(distributions.sum(axis=1), 1.0, rtol=1e-5)


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="at least 2 characters"):
        char_pairs("h")
    with pytest.raises(ValueError, match=r"characters \['z'\] are not in the vocabulary"):
        one_hot("hz", ["h"])
    with pytest.raises(ValueError, match="updates must be a whole number >= 0"):
        train_tiny(updates=-1)
    with pytest.raises(ValueError, match="non-empty string"):
        vocabulary("")


def test_character_plots():
    from rnnbook.plots import distribution_heatmap, loss_curve_plot

    run = train_tiny("hello", updates=20)
    figure = distribution_heatmap(run.distributions(), run.vocab, run.text)
    assert len(figure.axes[0].patches) == 4       # one outline per expected character
    assert loss_curve_plot(run.losses).axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="must have shape"):
        distribution_heatmap(np.zeros((2, 2)), run.vocab, run.text)
    with pytest.raises(ValueError, match="positive numbers"):
        loss_curve_plot([])
