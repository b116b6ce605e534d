"""The Shakespeare model shipped in code/rnnbook/weights/shakespeare/ still is what its
metrics say.

Re-measures the validation loss of the committed weights on the held-out plays
with today's code and corpus, so weights, code and recorded numbers cannot
drift apart (18-3); checks that the files are the ones metrics.json records,
and that they are package data of rnnbook, found without the repository.
"""

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

import rnnbook
from rnnbook.charrnn import (PRESETS, SHIPPED_WEIGHTS, CharRNNConfig, evaluate, file_sha256,
                             load)
from rnnbook.data.shakespeare import load_shakespeare


@pytest.fixture(scope="module")
def shipped():
    return load(SHIPPED_WEIGHTS)


def test_the_weights_are_package_data():
    assert isinstance(SHIPPED_WEIGHTS, Path)
    assert SHIPPED_WEIGHTS == Path(rnnbook.__file__).parent / "weights" / "shakespeare"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "weights/shakespeare/*" in pyproject["tool"]["setuptools"]["package-data"]["rnnbook"]


def test_metrics_record_how_the_model_was_made():
    metrics = json.loads((SHIPPED_WEIGHTS / "metrics.json").read_text(encoding="utf-8"))
    for key in ("config", "corpus_digest", "train_loss", "validation_loss", "total_seconds"):
        assert key in metrics, key
    assert len(metrics["validation_loss"]) == metrics["config"]["epochs"]
    assert metrics["total_seconds"] <= 30 * 60, "the shipped model must train in 30 minutes"


def test_the_shipped_preset_is_what_trained_the_shipped_weights(shipped):
    assert PRESETS["shipped"] == shipped.config == CharRNNConfig.from_dict(
        shipped.metrics["config"])


def test_corpus_is_the_one_the_model_was_trained_on(shipped):
    assert load_shakespeare().digest == shipped.metrics["corpus_digest"]


def test_validation_loss_matches_the_recorded_one(shipped):
    measured = evaluate(shipped.model, shipped.vocab, load_shakespeare().validation,
                        shipped.config)
    assert abs(measured - shipped.metrics["final_validation_loss"]) <= 1e-4   # nats/char


def test_metrics_record_the_sha256_of_the_committed_files(shipped):
    assert shipped.metrics["sha256"] == {name: file_sha256(SHIPPED_WEIGHTS / name)
                                         for name in ("model.weights.h5", "vocab.json")}


def test_a_corrupted_copy_is_refused(tmp_path):
    copy = shutil.copytree(SHIPPED_WEIGHTS, tmp_path / "shakespeare")
    weights = copy / "model.weights.h5"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01                                       # one bit of one weight
    weights.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"model\.weights\.h5 does not match the SHA-256 "
                                         r"recorded in metrics\.json: .* retrain or restore"):
        load(copy)


def test_weights_file_is_small():
    size = (SHIPPED_WEIGHTS / "model.weights.h5").stat().st_size
    assert size <= 5 * 2**20, f"weights are {size / 2**20:.1f} MiB; ship a few MB at most"
