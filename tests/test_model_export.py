"""The character model exported for the browser (booktools.extensions.model_export), and gru.js on it.

The export keeps Keras' layout; the book's NumPy GRU (rnnbook.rnn.gru), reading
the tensors by the manifest alone (gate order z, r, h; the (2, 3H) bias of
reset_after=True; the recurrent kernel), must give Keras' own logits, step
by step, on the float16-rounded weights. The same weights with the gates or
the bias rows read in another order must not: the check can tell.
_static/charmodel/gru.js, the step the reader's browser runs, is then run in
Node on the export and held to the NumPy reference (tests/test_char_widget.py
runs it in Chromium after a build).
"""

import hashlib
import html
import json
import re
import shutil
import subprocess
from dataclasses import replace
from types import SimpleNamespace

import keras
import numpy as np
import pytest
from conftest import ROOT

from booktools.extensions.model_export import (
    ALIGNMENT,
    FORMAT,
    PASSAGES,
    WIDGET_SCRIPT,
    WIDGET_STYLE,
    _on_page_context,
    export_model,
    has_widget,
    held_out_passages,
    is_current,
    model_tensors,
    pack,
    read_export,
    rounded,
    with_model_facts,
)
from rnnbook.charrnn import PRESETS, SHIPPED_WEIGHTS, Vocabulary, build_model, load
from rnnbook.charrnn.model import step_model
from rnnbook.charrnn.storage import write_model_folder
from rnnbook.data.shakespeare import VALIDATION_PLAYS
from rnnbook.rnn.gru import GATE_ORDER, gru_step

TEXT = "ROMEO:\nBut soft, what light through yonder window breaks?\n"
GRU_JS = ROOT / "_static" / "charmodel" / "gru.js"
NODE_SCRIPT = ROOT / "tests" / "node_gru.js"


def read_as(bias, kernels, order="zrh", bias_rows=(0, 1)):
    """A GRU's weights as a reader taking the gate blocks in ``order`` and the bias rows in
    ``bias_rows`` would hand them to rnnbook.rnn.gru (which takes Keras' order, z r h, 0 1)."""
    H = bias.shape[1] // 3
    columns = np.concatenate([np.arange(H) + H * order.index(gate) for gate in GATE_ORDER])
    return [kernel[:, columns] for kernel in kernels] + [bias[list(bias_rows)][:, columns]]


def reference_logits(tensors, layers, ids, order="zrh", bias_rows=(0, 1)):
    """The logits after each id by rnnbook.rnn.gru, from the exported tensors and manifest only."""
    embedding = tensors[layers[0]["tensors"]["embeddings"]]
    grus = [spec for spec in layers if spec["type"] == "GRU"]
    dense = layers[-1]["tensors"]
    states = [np.zeros(spec["units"]) for spec in grus]
    rows = []
    for i in ids:
        x = embedding[i]
        for n, spec in enumerate(grus):
            names = spec["tensors"]
            kernel, recurrent, bias = read_as(
                tensors[names["bias"]], [tensors[names["kernel"]],
                                         tensors[names["recurrent_kernel"]]], order, bias_rows)
            states[n] = x = gru_step(x, states[n], kernel, recurrent, bias)
        rows.append(x @ tensors[dense["kernel"]] + tensors[dense["bias"]])
    return np.array(rows)                                                      # (T, V)


def keras_logits(model, ids):
    """Keras' logits after each id, one step at a time (rnnbook's StepModel)."""
    step = step_model(model)
    states, rows = step.initial_states(), []
    for i in ids:
        logits, states = step.advance(int(i), states)
        rows.append(logits)
    return np.array(rows)


def rounded_model(model, tensors_by_name, config, vocab_size):
    """A copy of ``model`` holding the weights the browser gets (float16, rounded)."""
    copy = build_model(config, vocab_size)
    names = [name for name, _ in model_tensors(model)[0]]
    copy.set_weights([tensors_by_name[name] for name in names])
    return copy


def node_steps(manifest_path, ids):
    """gru.js in Node on an export: its logits (T, V) and surprise (T - 1) for ``ids``."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node (Node.js) is not on PATH: gru.js is then tested only in Chromium, "
                    "after a build (tests/test_char_widget.py)")
    result = subprocess.run([node, str(NODE_SCRIPT), str(GRU_JS), str(manifest_path),
                             json.dumps([int(i) for i in ids])],
                            capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise RuntimeError(f"gru.js failed in Node: {result.stderr.strip()}")
    found = json.loads(result.stdout)
    return np.array(found["logits"]), np.array(found["surprise"])


def surprise_of(logits, ids):
    """-log P(ids[t + 1] | ids[..t]) from the logits after each id (nats), t = 0 .. T - 2."""
    top = logits.max(axis=1)
    log_z = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return log_z[:-1] - logits[np.arange(len(ids) - 1), ids[1:]]


# --------------------------------------------------------------------------- a small GRU


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small two-layer GRU model folder (random weights), exported without passages."""
    config = replace(PRESETS["tiny"], cell="gru", layers=2, units=12)
    vocab = Vocabulary.from_text(TEXT)
    model = build_model(config, len(vocab))
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(0, 0.6, w.shape).astype(np.float32)
                       for w in model.get_weights()])
    folder = tmp_path_factory.mktemp("small")
    metrics = {"config": config.__dict__, "corpus_digest": "0" * 64,
               "validation_plays": [], "final_validation_loss": 1.0}
    write_model_folder(folder, model, config, vocab, metrics)
    manifest_path = export_model(folder, folder / "site", name="small", passages=False)
    manifest, tensors = read_export(manifest_path)
    return SimpleNamespace(folder=folder, model=model, vocab=vocab, config=config,
                           manifest_path=manifest_path, manifest=manifest, tensors=tensors)


def test_the_manifest_names_every_tensor_with_its_shape_dtype_and_place(small):
    m = small.manifest
    assert m["format"] == FORMAT and m["dtype"] == "float16" and m["byte_order"] == "little"
    assert m["vocabulary"] == small.vocab.characters
    assert [t["name"] for t in m["tensors"]] == [
        "embedding/embeddings", "rnn_0/kernel", "rnn_0/recurrent_kernel", "rnn_0/bias",
        "rnn_1/kernel", "rnn_1/recurrent_kernel", "rnn_1/bias", "logits/kernel", "logits/bias"]
    H, V, E = 12, len(small.vocab), small.config.embedding_dim
    shapes = {t["name"]: tuple(t["shape"]) for t in m["tensors"]}
    assert shapes["rnn_0/kernel"] == (E, 3 * H)
    assert shapes["rnn_1/kernel"] == (H, 3 * H)
    assert shapes["rnn_0/recurrent_kernel"] == (H, 3 * H)
    assert shapes["rnn_0/bias"] == (2, 3 * H)                 # reset_after=True: two rows
    assert shapes["logits/kernel"] == (H, V)
    end = 0
    for t in m["tensors"]:
        assert t["offset"] % ALIGNMENT == 0 and t["offset"] >= end
        assert t["bytes"] == 2 * int(np.prod(t["shape"]))
        end = t["offset"] + t["bytes"]
    binary = (small.manifest_path.parent / m["file"]).read_bytes()
    assert len(binary) == m["bytes"] == end
    assert hashlib.sha256(binary).hexdigest() == m["sha256"]
    assert m["parameters"] == small.model.count_params()
    gru = m["layers"][1]
    assert (gru["type"], gru["gate_order"], gru["reset_after"]) == ("GRU", ["z", "r", "h"], True)


def test_the_tensors_are_keras_weights_rounded_to_float16(small):
    for name, array in model_tensors(small.model)[0]:
        expected = array.astype(np.float16).astype(np.float32)
        np.testing.assert_array_equal(small.tensors[name], expected, err_msg=name)


def test_the_numpy_reference_on_the_manifest_gives_keras_logits(small):
    ids = small.vocab.encode(TEXT)
    copy = rounded_model(small.model, small.tensors, small.config, len(small.vocab))
    ours = reference_logits(small.tensors, small.manifest["layers"], ids)
    theirs = keras_logits(copy, ids)
    assert np.max(np.abs(ours - theirs)) < 1e-5


@pytest.mark.parametrize("order, bias_rows", [("rzh", (0, 1)), ("zhr", (0, 1)),
                                              ("zrh", (1, 0)), ("zrh", (0, 0))])
def test_another_gate_order_or_bias_layout_would_not(small, order, bias_rows):
    ids = small.vocab.encode(TEXT)
    copy = rounded_model(small.model, small.tensors, small.config, len(small.vocab))
    wrong = reference_logits(small.tensors, small.manifest["layers"], ids, order, bias_rows)
    assert np.max(np.abs(wrong - keras_logits(copy, ids))) > 1e-2


# --------------------------------------------------------------------------- gru.js in Node


def test_gru_js_in_node_gives_the_numpy_reference_s_logits_and_keras_own(small):
    ids = small.vocab.encode(TEXT)
    logits, surprise = node_steps(small.manifest_path, ids)
    reference = reference_logits(small.tensors, small.manifest["layers"], ids)
    assert logits.shape == reference.shape == (len(ids), len(small.vocab))
    # The same float16 weights, both in float64: only the order of the sums differs.
    assert np.max(np.abs(logits - reference)) < 1e-9
    np.testing.assert_allclose(surprise, surprise_of(reference, ids), atol=1e-9)
    # Keras on the same rounded weights computes in float32.
    copy = rounded_model(small.model, small.tensors, small.config, len(small.vocab))
    assert np.max(np.abs(logits - keras_logits(copy, ids))) < 1e-5
    # Keras on the trained float32 weights: what rounding them to float16 costs.
    assert np.max(np.abs(logits - keras_logits(small.model, ids))) < 0.02


def test_gru_js_in_node_refuses_an_export_it_cannot_read(small, tmp_path):
    site = shutil.copytree(small.manifest_path.parent, tmp_path / "site")
    manifest = json.loads((site / small.manifest_path.name).read_text(encoding="utf-8"))
    cases = {"format": {**manifest, "format": "other/1"},
             "bytes": {**manifest, "bytes": manifest["bytes"] + 2},
             "gate order": {**manifest, "layers": [
                 {**layer, "gate_order": ["r", "z", "h"]} if layer["type"] == "GRU" else layer
                 for layer in manifest["layers"]]}}
    messages = {"format": "not a rnnbook.charmodel/1 manifest",
                "bytes": "the weights file has",
                "gate order": "is not a GRU this step computes"}
    for case, changed in cases.items():
        path = site / f"{case.replace(' ', '_')}.json"
        path.write_text(json.dumps(changed), encoding="utf-8")
        with pytest.raises(RuntimeError, match=messages[case]):
            node_steps(path, [1, 2])


def test_an_export_knows_whether_it_is_current(small, tmp_path):
    assert is_current(small.manifest_path, small.folder)
    other = shutil.copytree(small.folder, tmp_path / "other", ignore=shutil.ignore_patterns("site"))
    (other / "vocab.json").write_text(Vocabulary.from_text(TEXT + "xyz").to_json() + "\n",
                                      encoding="utf-8")
    assert not is_current(small.manifest_path, other)
    assert not is_current(tmp_path / "missing.json", small.folder)


def test_a_damaged_or_foreign_export_is_refused(small, tmp_path):
    site = shutil.copytree(small.manifest_path.parent, tmp_path / "site")
    binary = site / small.manifest["file"]
    binary.write_bytes(binary.read_bytes()[:-2] + b"\0\0")
    with pytest.raises(ValueError, match="does not match its manifest"):
        read_export(site / small.manifest_path.name)
    (site / "foreign.json").write_text(json.dumps({"format": "other/1"}), encoding="utf-8")
    with pytest.raises(ValueError, match="is not a rnnbook.charmodel/1 manifest"):
        read_export(site / "foreign.json")


# --------------------------------------------------------------------------- what is refused


def _model_with(recurrent_layer):
    ids = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(5, 3, name="embedding")(ids)
    x = recurrent_layer(x)
    return keras.Model(ids, keras.layers.Dense(5, name="logits")(x))


@pytest.mark.parametrize("layer, message", [
    (lambda: keras.layers.LSTM(4, return_sequences=True, name="rnn_0"), "GRU layers only"),
    (lambda: keras.layers.GRU(4, return_sequences=True, reset_after=False, name="rnn_0"),
     "reset_after"),
    (lambda: keras.layers.GRU(4, return_sequences=True, activation="relu", name="rnn_0"),
     "activation"),
])
def test_a_layer_the_browser_cannot_run_is_refused_with_the_reason(layer, message):
    with pytest.raises(ValueError, match=message):
        model_tensors(_model_with(layer()))


def test_packing_states_what_is_wrong():
    with pytest.raises(ValueError, match="does not fit in float16"):
        pack([("big", np.array([1e5], np.float32))])
    with pytest.raises(ValueError, match="dtype must be 'float16' or 'float32'"):
        pack([("w", np.zeros(2, np.float32))], dtype="int8")
    data, entries = pack([("a", np.ones(3, np.float32)), ("b", np.ones((2, 2), np.float32))])
    assert [e["offset"] for e in entries] == [0, ALIGNMENT]
    assert len(data) == ALIGNMENT + 8
    assert rounded([("x", np.array([0.1], np.float32))])[0][1][0] == np.float32(np.float16(0.1))


# --------------------------------------------------------------------------- the page


def test_the_held_out_passages_are_whole_speeches_of_held_out_plays():
    characters = load(SHIPPED_WEIGHTS).vocab.characters
    passages = held_out_passages(characters)
    assert [p["play"] for p in passages] == [play for play, _ in PASSAGES]
    for passage in passages:
        text = passage["text"]
        assert passage["play"] in VALIDATION_PLAYS
        assert 200 <= len(text) <= 800, (passage["play"], len(text))
        assert text.split("\n")[0].endswith(":") and text.endswith("\n")
        assert set(text) <= set(characters)


def test_only_pages_with_the_placeholder_get_the_widget_and_the_model_s_facts():
    added = []
    app = SimpleNamespace(
        add_js_file=lambda name, **kw: added.append((name, kw)),
        add_css_file=lambda name, **kw: added.append((name, kw)),
        builder=SimpleNamespace(charmodel_manifest={
            "parameters": 7, "bytes": 14, "passages": [{"play": "P", "text": 'a "b" <c>\n'}]}))
    plain = {"body": "<p>no widget here</p>"}
    _on_page_context(app, "book/en/18-2", "page.html", plain, None)
    assert added == [] and plain["body"] == "<p>no widget here</p>"
    page = {"body": '<p>x</p>\n<div class="charmodel" data-model="shakespeare"></div>'}
    _on_page_context(app, "book/en/18-3", "page.html", page, None)
    assert [name for name, _ in added] == [WIDGET_STYLE, WIDGET_SCRIPT]
    assert added[1][1] == {"loading_method": "defer"}
    assert 'data-parameters="7" data-bytes="14"' in page["body"]
    attribute = re.search(r'data-passages="([^"]*)"', page["body"])[1]
    assert json.loads(html.unescape(attribute)) == app.builder.charmodel_manifest["passages"]
    assert has_widget(page["body"]) and not has_widget(plain["body"])
    assert with_model_facts("<p></p>", {}) == "<p></p>"


def test_jupyter_book_s_every_static_file_on_every_page_leaves_the_widget_s_files_out():
    from booktools.extensions.model_export import without_widget_files

    files = ["rnnbook.js", "charmodel/widget.js", ("charmodel/worker.js", {"defer": "defer"}),
             "charmodel/widget.css", ("other.js", {})]
    assert without_widget_files(files) == ["rnnbook.js", ("other.js", {})]


def test_the_shipped_model_exports_to_1_7_mb_of_float16(tmp_path):
    manifest, tensors = read_export(export_model(SHIPPED_WEIGHTS, tmp_path))
    metrics = json.loads((SHIPPED_WEIGHTS / "metrics.json").read_text(encoding="utf-8"))
    assert manifest["parameters"] == metrics["parameters"]
    assert 2 * metrics["parameters"] <= manifest["bytes"] < 2 * metrics["parameters"] + 1024
    assert manifest["validation_loss"] == metrics["final_validation_loss"]
    assert [layer["units"] for layer in manifest["layers"] if layer["type"] == "GRU"] == [288, 288]
    assert len(manifest["passages"]) == len(PASSAGES)
    assert is_current(tmp_path / "shakespeare.json", SHIPPED_WEIGHTS)


@pytest.fixture(scope="module")
def shipped_export(tmp_path_factory):
    """The shipped model, its export (no passages) and the NumPy reference's logits on it."""
    shipped = load(SHIPPED_WEIGHTS)
    manifest_path = export_model(SHIPPED_WEIGHTS, tmp_path_factory.mktemp("shipped"),
                                 passages=False)
    manifest, tensors = read_export(manifest_path)
    ids = shipped.vocab.encode("P" + TEXT)
    return SimpleNamespace(shipped=shipped, manifest_path=manifest_path, tensors=tensors,
                           ids=ids, reference=reference_logits(tensors, manifest["layers"], ids))


def test_the_shipped_model_s_browser_step_gives_keras_logits(shipped_export):
    e = shipped_export
    copy = rounded_model(e.shipped.model, e.tensors, e.shipped.config, len(e.shipped.vocab))
    assert np.max(np.abs(e.reference - keras_logits(copy, e.ids))) < 1e-4


def test_gru_js_in_node_runs_the_shipped_model_as_the_numpy_reference(shipped_export):
    logits, _ = node_steps(shipped_export.manifest_path, shipped_export.ids)
    assert np.max(np.abs(logits - shipped_export.reference)) < 1e-9


def test_the_bench_s_table_names_each_measure_and_its_target():
    from booktools.bench.widget import TARGETS, speed_table

    lines = speed_table({"chromium": "1.0", "length": 2000, "repeats": 3, "ms per char": 0.8,
                         "first char ms": 250.0, "load ms": 120.0, "keras ms per char": 4.2})
    table = "\n".join(lines)
    assert "| 0.800 | ≤ 1 |" in table and "| 250 | ≤ 1000 |" in table and "4.200" in table
    assert TARGETS == {"ms per char": 1.0, "first char ms": 1000.0}
    assert "| — |" in "\n".join(speed_table({**{"chromium": "1", "length": 1, "repeats": 1,
                                                 "ms per char": 1.0, "first char ms": 1.0,
                                                 "load ms": 1.0}}))


def test_the_build_finds_the_shipped_weights_where_rnnbook_keeps_them():
    from booktools.extensions.model_export import shipped_weights

    assert shipped_weights() == SHIPPED_WEIGHTS and shipped_weights().is_dir()


def test_an_export_is_checked_against_the_files_rnnbook_stores():
    from booktools.extensions.model_export import SOURCE_FILES, source_digests
    from rnnbook.charrnn.storage import VOCAB_FILE, WEIGHTS_FILE, file_sha256

    assert SOURCE_FILES == (WEIGHTS_FILE, VOCAB_FILE)
    digests = source_digests(SHIPPED_WEIGHTS)
    assert digests == {name: file_sha256(SHIPPED_WEIGHTS / name) for name in SOURCE_FILES}
