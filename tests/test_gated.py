"""18-3's why gates: the GRU's equations, and a SimpleRNN next to a GRU on one budget."""

import json

import numpy as np
import pytest

import rnnbook.rnn.gru
from rnnbook.charrnn import SHIPPED_WEIGHTS, evaluate, file_sha256
from rnnbook.data.shakespeare import load_shakespeare
from rnnbook.experiments.cell_comparison import (
    CELLS,
    COMPARISON,
    GRU_EQUATIONS,
    RESULTS_FILE,
    TINY_BUDGET,
    CellBudget,
    build_cell_model,
    compare_cells,
    gru_states,
    load_cell_model,
    load_comparison,
    state_gradient_norms,
    train_cell,
    write_comparison,
)
from rnnbook.experiments.gradients_through_time import backprop_states
from rnnbook.rnn.equations import RNNWeights


def test_gated_names_the_book_s_one_numpy_gru():
    # rnnbook.rnn.gru is tested against Keras' GRU layer (tests/test_gru.py).
    assert gru_states is rnnbook.rnn.gru.gru_states


def test_the_latex_names_the_book_s_symbols():
    for symbol in ("s_t", "x_t", "s_{t-1}", "U_z", "W_z", "U_r", "W_r", r"\tilde{s}_t", r"\odot"):
        assert symbol in GRU_EQUATIONS
    assert GRU_EQUATIONS.startswith(r"\begin{aligned}") and GRU_EQUATIONS.count(r"\\") == 3


@pytest.fixture(scope="module")
def corpus():
    return load_shakespeare()


@pytest.fixture(scope="module")
def tiny_runs(corpus):
    return compare_cells(corpus, TINY_BUDGET)


def test_both_cells_train_on_one_budget(tiny_runs):
    assert set(tiny_runs) == set(CELLS)
    for cell, run in tiny_runs.items():
        assert run["model"].get_layer("rnn_0").__class__ is CELLS[cell]
        assert run["steps"] == [10, 20] and len(run["validation_loss"]) == 2
        assert run["final_validation_loss"] < np.log(len(run["vocab"]))     # learnt something
    simple, gru = tiny_runs["simple"]["parameters"], tiny_runs["gru"]["parameters"]
    assert abs(simple - gru) / gru < 0.25                                   # about as many


def test_training_is_reproducible(corpus, tiny_runs):
    again = train_cell("gru", corpus, TINY_BUDGET)
    assert again["validation_loss"] == tiny_runs["gru"]["validation_loss"]


def test_the_book_s_two_models_have_about_as_many_weights():
    simple, gru = (build_cell_model(cell, 69).count_params() for cell in ("simple", "gru"))
    assert abs(simple - gru) / gru < 0.05


def test_the_gru_budget_is_a_character_model_config():
    config = CellBudget().config("gru")
    assert (config.cell, config.units, config.layers, config.seq_len) == ("gru", 128, 1, 100)
    assert config.total_steps == CellBudget().steps


def test_gradient_norms_of_a_trained_model_are_backprop_through_time(corpus, tiny_runs):
    model, vocab = tiny_runs["simple"]["model"], tiny_runs["simple"]["vocab"]
    text = corpus.validation[:5000]
    norms = state_gradient_norms(model, vocab, text, window=20, count=4)
    assert norms.shape == (20,) and np.all(norms > 0) and norms[-1] > norms[0]
    # The reference: 18-2's equations backpropagated in NumPy (rnnbook.experiments.gradients_through_time), on the
    # SimpleRNN's weights (kernel = U.T, recurrent kernel = W.T) and the embedded characters.
    kernel, recurrent, b = model.get_layer("rnn_0").get_weights()
    dense, c = model.get_layer("logits").get_weights()
    weights = RNNWeights(U=kernel.T, W=recurrent.T, V=dense.T, b=b, c=c)
    ids = vocab.encode(text)
    starts = np.linspace(0, len(ids) - 21, 4).astype(int)
    windows = ids[starts[:, None] + np.arange(21)]
    embedded = np.asarray(model.get_layer("embedding")(windows[:, :-1]), dtype=np.float64)
    expected = np.linalg.norm(backprop_states(embedded, windows[:, -1], weights), axis=-1)
    np.testing.assert_allclose(norms, np.exp(np.log(expected).mean(axis=0)), rtol=1e-3)


def test_written_results_load_back(tmp_path, corpus):
    results = write_comparison(tmp_path, corpus, TINY_BUDGET)
    assert load_comparison(tmp_path) == json.loads(json.dumps(results))
    model, vocab, budget = load_cell_model("gru", tmp_path)
    assert budget == TINY_BUDGET
    loss = evaluate(model, vocab, corpus.validation, budget.config("gru"))
    assert loss == pytest.approx(results["cells"]["gru"]["final_validation_loss"], abs=1e-6)


@pytest.mark.skipif(not (COMPARISON / RESULTS_FILE).is_file(), reason="comparison not written")
def test_the_book_s_comparison_is_what_its_weights_give(corpus):
    results = load_comparison()
    assert results["corpus_digest"] == corpus.digest
    for cell in CELLS:
        assert results["cells"][cell]["sha256"] == file_sha256(COMPARISON / f"{cell}.weights.h5")
        model, vocab, budget = load_cell_model(cell)
        assert budget == CellBudget()
        recorded = results["cells"][cell]["final_validation_loss"]
        measured = evaluate(model, vocab, corpus.validation, budget.config(cell))
        assert measured == pytest.approx(recorded, abs=1e-4)
    shipped = json.loads((SHIPPED_WEIGHTS / "metrics.json").read_text(encoding="utf-8"))
    assert shipped["final_validation_loss"] < results["cells"]["gru"]["final_validation_loss"]


def test_bad_arguments_are_explained(corpus, tmp_path, tiny_runs):
    with pytest.raises(ValueError, match="cell must be one of \\('simple', 'gru'\\)"):
        build_cell_model("lstm", 10)
    with pytest.raises(ValueError, match="vocab_size must be a positive integer"):
        build_cell_model("gru", 0)
    with pytest.raises(TypeError, match="corpus must be an rnnbook.data.shakespeare.Corpus"):
        train_cell("gru", "Hamlet", TINY_BUDGET)
    with pytest.raises(TypeError, match="budget must be a CellBudget"):
        train_cell("gru", corpus, {"steps": 10})
    with pytest.raises(ValueError, match="must be a multiple of evaluate_every"):
        CellBudget(steps=150, evaluate_every=100)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        CellBudget(learning_rate=0)
    with pytest.raises(FileNotFoundError, match="python -m rnnbook.experiments.cell_comparison --out"):
        load_comparison(tmp_path)
    with pytest.raises(ValueError, match="text must hold at least window \\+ 1 = 101"):
        state_gradient_norms(tiny_runs["gru"]["model"], tiny_runs["gru"]["vocab"], "ROMEO:")
