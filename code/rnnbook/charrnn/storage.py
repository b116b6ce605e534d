"""The model folder: three files written all or nothing, and read back checked (18-3).

``model.weights.h5`` (weights only), ``vocab.json`` and ``metrics.json``;
``metrics.json`` also records the SHA-256 of the other two, and :func:`load`
refuses a folder whose files do not match it (a damaged or swapped file); a
folder written before the digests were recorded loads unchecked.
:func:`write_model_folder` writes the three files all or nothing, and
:func:`writable_model_folder` refuses to replace a model unless asked to
(``overwrite=True``, ``--force``).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import keras

from rnnbook.arguments import boolean, folder_path
from rnnbook.charrnn.config import CharRNNConfig
from rnnbook.charrnn.errors import (FolderNotWritableError, ModelExistsError, ModelFolderError,
                                    ModelNotFoundError)
from rnnbook.charrnn.model import build_model
from rnnbook.charrnn.vocabulary import Vocabulary

WEIGHTS_FILE = "model.weights.h5"
VOCAB_FILE = "vocab.json"
METRICS_FILE = "metrics.json"
#: The files of a model folder, in the order train moves them into place: metrics.json,
#: which holds the other two's SHA-256, last.
MODEL_FILES = (WEIGHTS_FILE, VOCAB_FILE, METRICS_FILE)
#: The key of metrics.json that maps WEIGHTS_FILE and VOCAB_FILE to their SHA-256 (hex).
DIGESTS_KEY = "sha256"
#: What load() needs of metrics.json, and what the evaluate command reads.
_REQUIRED_METRICS = ("config", "corpus_digest", "validation_plays", "final_validation_loss")
#: The shipped model, package data of rnnbook (pages run in any working directory: the
#: book's build, Binder, Thebe's kernel at the repository root, Colab).
SHIPPED_WEIGHTS = Path(importlib.resources.files("rnnbook") / "weights" / "shakespeare")


@dataclass(frozen=True)
class TrainedModel:
    """A character model, ready to write: what :func:`train` and :func:`load` return (18-3).

    ``model`` (from :func:`~rnnbook.charrnn.model.build_model`) with the
    vocabulary it was trained with, the configuration it was built and
    trained with, and the record of its training (``metrics.json``: losses,
    times, corpus digest; the SHA-256 of the files once written).
    """

    model: keras.Model
    vocab: Vocabulary
    config: CharRNNConfig
    metrics: dict


# --- writing --------------------------------------------------------------------------------

def writable_model_folder(out_dir, overwrite: bool = False) -> Path:
    """``out_dir`` as a Path, once it is sure that a model may be written there.

    Refuses a folder that already holds any of :data:`MODEL_FILES` unless
    ``overwrite`` (:class:`ModelExistsError`); creates the folder and writes
    and removes a probe file (:class:`FolderNotWritableError`). Section 18-3's
    shipped model trains for 25 minutes: these mistakes are found first.
    """
    folder = folder_path("out_dir", out_dir)
    if not boolean("overwrite", overwrite):
        _refuse_existing_model(folder)
    _probe_writable(folder)
    return folder


def _refuse_existing_model(folder: Path) -> None:
    existing = [name for name in MODEL_FILES if (folder / name).exists()]
    if existing:
        raise ModelExistsError(f"{folder} already holds a model ({', '.join(existing)}): "
                               f"replace it with --force (overwrite=True in Python), or "
                               f"choose another folder")


def _probe_writable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise FolderNotWritableError(f"cannot write a model to {folder}: it is a file, "
                                     f"not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-probe-") as probe:
            probe.write(b"can train write here?")
            probe.flush()
    except OSError as error:
        raise FolderNotWritableError(f"cannot write a model to {folder}: {error}") from None


def write_model_folder(folder: Path, model: keras.Model, config: CharRNNConfig,
                       vocab: Vocabulary, metrics: dict) -> dict:
    """Write the three files of a model to ``folder``, all or nothing; return the metrics.

    They are written to a hidden folder inside ``folder`` (the same file
    system), then each moved into place with ``os.replace``, metrics.json
    last. An exception while writing leaves the old model whole. A crash
    between two moves leaves new weights beside the old metrics.json, whose
    SHA-256 no longer matches them, so :func:`load` refuses the pair.
    """
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        metrics = _write_model_files(staging, model, config, vocab, metrics)
        for name in MODEL_FILES:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return metrics


def _write_model_files(folder: Path, model: keras.Model, config: CharRNNConfig,
                       vocab: Vocabulary, metrics: dict) -> dict:
    """Weights, vocabulary, then metrics with the SHA-256 of the first two; each synced."""
    _save_weights(model, config, folder / WEIGHTS_FILE)
    (folder / VOCAB_FILE).write_text(vocab.to_json() + "\n", encoding="utf-8")
    metrics = {**metrics, DIGESTS_KEY: {name: file_sha256(folder / name)
                                        for name in (WEIGHTS_FILE, VOCAB_FILE)}}
    (folder / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    for name in MODEL_FILES:
        _sync(folder / name)
    return metrics


def _sync(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes, in hex (as recorded in metrics.json)."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _save_weights(model: keras.Model, config: CharRNNConfig, path: Path) -> None:
    """The model's weights alone, in Keras' ``.weights.h5`` format.

    A compiled model's ``save_weights`` also writes the optimizer's state (Adam's two
    moments: three times the size), so the weights go through an uncompiled twin.
    Keras 3.15 (TensorFlow backend) converts each variable with ``np.array(variable)``,
    whose ``__array__`` has no ``copy`` keyword, which NumPy >= 2 reports as deprecated;
    the values written are unaffected, so only that message is ignored, only here.
    """
    twin = build_model(config, model.get_layer("logits").units)
    twin.set_weights(model.get_weights())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                message=r"__array__ implementation doesn't accept a copy keyword")
        twin.save_weights(path)


# --- reading --------------------------------------------------------------------------------

def load(out_dir) -> TrainedModel:
    """The model, vocabulary, config and metrics that :func:`train` wrote to ``out_dir`` (18-3).

    Raises :class:`ModelNotFoundError` (a FileNotFoundError) when a file is
    missing, and :class:`ModelFolderError` (a ValueError) when one cannot be
    read, when the weights or the vocabulary do not match the SHA-256 that
    metrics.json records, or when the weights do not fit the model that
    metrics.json and vocab.json describe. A metrics.json without ``"sha256"``
    (written before digests were recorded) is loaded without that check.
    """
    folder = folder_path("out_dir", out_dir)
    _require_model_files(folder)
    metrics = _read_metrics(folder / METRICS_FILE)
    _verify_digests(folder, metrics)
    vocab = _read_vocabulary(folder / VOCAB_FILE)
    config = _recorded_config(folder / METRICS_FILE, metrics)
    return TrainedModel(_read_weights(folder / WEIGHTS_FILE, config, vocab), vocab, config,
                        metrics)


def _require_model_files(folder: Path) -> None:
    train_first = f"train a model first (python -m rnnbook.charrnn train --out {folder})"
    if not folder.is_dir():
        raise ModelNotFoundError(f"{folder} is not a folder: {train_first}")
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelNotFoundError(f"{folder} is missing {', '.join(missing)}: {train_first}")


def _damaged(path: Path, problem: str) -> ModelFolderError:
    return ModelFolderError(f"{path} {problem}; retrain the model or restore the file")


def _read_metrics(path: Path) -> dict:
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:                          # not JSON, or not UTF-8
        raise _damaged(path, f"is not a JSON document ({error})") from None
    if not isinstance(metrics, dict):
        raise _damaged(path, f"holds a {type(metrics).__name__}, not a JSON object")
    missing = [key for key in _REQUIRED_METRICS if key not in metrics]
    if missing:
        raise _damaged(path, f"lacks {', '.join(missing)}")
    return metrics


def _verify_digests(folder: Path, metrics: dict) -> None:
    """Refuse a weights or vocabulary file whose SHA-256 is not the recorded one."""
    recorded = metrics.get(DIGESTS_KEY)
    if recorded is None:
        return                                           # an older folder: loaded unchecked
    names = (WEIGHTS_FILE, VOCAB_FILE)
    if not isinstance(recorded, dict) or not all(isinstance(recorded.get(n), str)
                                                 for n in names):
        raise _damaged(folder / METRICS_FILE, f'has a "{DIGESTS_KEY}" entry that does not '
                                              f"give the SHA-256 of {' and '.join(names)}")
    for name in names:
        found = file_sha256(folder / name)
        if found != recorded[name]:
            raise ModelFolderError(
                f"{folder / name} does not match the SHA-256 recorded in {METRICS_FILE}: "
                f"recorded {recorded[name][:16]}..., found {found[:16]}...; retrain or "
                f"restore the file")


def _read_vocabulary(path: Path) -> Vocabulary:
    try:
        return Vocabulary.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError) as error:
        raise _damaged(path, f"is not a vocabulary ({error})") from None


def _recorded_config(path: Path, metrics: dict) -> CharRNNConfig:
    try:
        return CharRNNConfig.from_dict(metrics["config"])
    except (ValueError, TypeError) as error:
        raise _damaged(path, f"records an invalid config ({error})") from None


def _read_weights(path: Path, config: CharRNNConfig, vocab: Vocabulary) -> keras.Model:
    """The model that ``config`` and ``vocab`` describe, with the weights of ``path``.

    Keras warns about the layers it skips before it raises for weights that
    do not fit; those warnings are dropped with the failure (the message says
    it all), and a load that works keeps its warnings.
    """
    model = build_model(config, len(vocab))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.load_weights(path)
    except OSError as error:                             # h5py: not HDF5, truncated
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise _damaged(path, f"is not a readable weights file ({problem})") from None
    except ValueError:                                   # Keras: other layers or shapes
        raise _damaged(path, f"does not fit the model that {METRICS_FILE} and {VOCAB_FILE} "
                             f"describe ({config.layers} {config.cell} layer(s) of "
                             f"{config.units} units, {len(vocab)} characters)") from None
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    return model
