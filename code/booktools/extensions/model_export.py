"""The shipped character model, exported for the reader's browser (18-3's Shakespeare widget).

    python -m booktools.extensions.model_export OUT_DIR       # writes OUT_DIR/shakespeare.{json,bin}

A Sphinx extension (listed in _config.yml). When the HTML builder starts, it
writes the model of ``code/rnnbook/weights/shakespeare/`` into the built site,
``_static/charmodel/shakespeare.bin`` (every tensor, float16, little-endian,
one after the other) and ``_static/charmodel/shakespeare.json`` (the
manifest: each tensor's name, shape, dtype, byte offset and length; the
vocabulary; the layers and what the browser needs to know of them; a few
held-out passages). The weights are read from the shipped folder by
:func:`rnnbook.charrnn.load` (so their SHA-256 is checked) and are not
committed a second time. A build whose shipped weights did not change keeps
the files it wrote before (the manifest records the source files' SHA-256).

Pages that hold the widget's placeholder (``<div class="charmodel">``) get
the widget's script and style; the others load nothing more. In the page,
``_static/charmodel/widget.js`` fetches the manifest and the weights only
when the reader first uses the widget, and runs the model in a Web Worker
(``worker.js``, with ``gru.js``: the GRU step in plain JavaScript).

The layout is Keras' own, unchanged: the browser reads it as Keras does.
For a GRU with ``reset_after=True`` (Keras' default):

    kernel            (E, 3H)   columns: update gate z, reset gate r, candidate h
    recurrent_kernel  (H, 3H)   same column order
    bias              (2, 3H)   row 0 is added to x @ kernel, row 1 to h @ recurrent_kernel
    z = sigmoid(x_z + h_z);  r = sigmoid(x_r + h_r);  h~ = tanh(x_h + r * h_h)
    h' = z * h + (1 - z) * h~
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

#: The manifest's format: a reader of another version must refuse it.
FORMAT = "rnnbook.charmodel/1"
#: Where the export goes inside the built site's _static folder, and its files' stem.
STATIC_FOLDER = "charmodel"
MODEL_NAME = "shakespeare"
#: What marks a page that holds the widget (the placeholder's class).
PLACEHOLDER = 'class="charmodel"'
#: The widget's files in _static (the repository's _static/charmodel/).
WIDGET_SCRIPT = f"{STATIC_FOLDER}/widget.js"
WIDGET_STYLE = f"{STATIC_FOLDER}/widget.css"
#: What the worker runs (their digest, with the weights', versions the URLs it fetches).
WORKER_FILES = ("worker.js", "gru.js")
#: Tensor offsets in the binary file are multiples of this many bytes.
ALIGNMENT = 16
#: The held-out passages the widget offers to colour by surprise: (play, first line of
#: the speech it starts with). About PASSAGE_CHARACTERS each, cut after a whole speech.
PASSAGES = (("Macbeth", "MACBETH:\nSo foul and fair a day"),
            ("Much Ado About Nothing", "BEATRICE:\nI pray you, is Signior Mountanto"),
            ("Richard II", "KING RICHARD II:\nOld John of Gaunt"),
            ("The Tempest", "PROSPERO:\nBe collected"))
PASSAGE_CHARACTERS = 400


# --------------------------------------------------------------------------- the tensors


def _require_gru(layer) -> None:
    """Refuse a recurrent layer the browser's step does not compute, saying why."""
    config = layer.get_config()
    wanted = {"activation": "tanh", "recurrent_activation": "sigmoid", "reset_after": True,
              "use_bias": True}
    if type(layer).__name__ != "GRU":
        raise ValueError(f"layer {layer.name!r} is a {type(layer).__name__}: the browser "
                         f"runs GRU layers only (train with cell='gru')")
    wrong = {key: config.get(key) for key, value in wanted.items() if config.get(key) != value}
    if wrong:
        raise ValueError(f"layer {layer.name!r} has {wrong}: the browser's GRU step "
                         f"computes {wanted} (Keras' defaults)")


def model_tensors(model) -> tuple[list[tuple[str, np.ndarray]], list[dict]]:
    """The weights of a :func:`rnnbook.charrnn.build_model` GRU model, in Keras' layout.

    Returns ``(tensors, layers)``: ``tensors`` is a list of (name, float32 array),
    names ``embedding/embeddings``, ``rnn_<i>/kernel``, ``rnn_<i>/recurrent_kernel``,
    ``rnn_<i>/bias``, ``logits/kernel``, ``logits/bias``; ``layers`` describes each
    layer for the browser. Raises ValueError for any layer it cannot run.
    """
    from rnnbook.charrnn.model import rnn_layers

    embedding = model.get_layer("embedding")
    dense = model.get_layer("logits")
    tensors = [("embedding/embeddings", embedding.embeddings)]
    layers = [{"name": "embedding", "type": "Embedding",
               "tensors": {"embeddings": "embedding/embeddings"}}]
    for layer in rnn_layers(model):
        _require_gru(layer)
        cell = layer.cell
        names = {key: f"{layer.name}/{key}" for key in ("kernel", "recurrent_kernel", "bias")}
        tensors += [(names["kernel"], cell.kernel),
                    (names["recurrent_kernel"], cell.recurrent_kernel),
                    (names["bias"], cell.bias)]
        layers.append({"name": layer.name, "type": "GRU", "units": int(layer.units),
                       "reset_after": True, "gate_order": ["z", "r", "h"],
                       "activation": "tanh", "recurrent_activation": "sigmoid",
                       "tensors": names})
    if dense.get_config()["activation"] != "linear" or not dense.use_bias:
        raise ValueError("layer 'logits' must be a Dense layer with a bias and no activation")
    tensors += [("logits/kernel", dense.kernel), ("logits/bias", dense.bias)]
    layers.append({"name": "logits", "type": "Dense",
                   "tensors": {"kernel": "logits/kernel", "bias": "logits/bias"}})
    return [(name, np.asarray(value, dtype=np.float32)) for name, value in tensors], layers


def pack(tensors: list[tuple[str, np.ndarray]], dtype: str = "float16") -> tuple[bytes, list]:
    """The tensors as one little-endian buffer, and the manifest's entry for each.

    Each entry: ``name``, ``shape``, ``dtype``, ``offset`` and ``bytes`` (of the
    buffer); offsets are multiples of :data:`ALIGNMENT`. A value float16 cannot
    hold (beyond +-65504) is an error, not an infinity.
    """
    if dtype not in ("float16", "float32"):
        raise ValueError(f"dtype must be 'float16' or 'float32', got {dtype!r}")
    chunks, entries, offset = [], [], 0
    for name, array in tensors:
        with np.errstate(over="ignore"):
            stored = np.asarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
        if not np.all(np.isfinite(stored)):
            raise ValueError(f"{name} does not fit in {dtype} (or holds NaN or infinity): "
                             f"largest magnitude {float(np.max(np.abs(array))):g}")
        data = stored.tobytes(order="C")
        padding = -offset % ALIGNMENT
        chunks.append(b"\0" * padding)
        offset += padding
        entries.append({"name": name, "shape": list(stored.shape), "dtype": dtype,
                        "offset": offset, "bytes": len(data)})
        chunks.append(data)
        offset += len(data)
    return b"".join(chunks), entries


def rounded(tensors: list[tuple[str, np.ndarray]], dtype: str = "float16") -> list:
    """The tensors as the browser gets them: rounded to ``dtype``, back in float32."""
    return [(name, np.asarray(array).astype(dtype).astype(np.float32))
            for name, array in tensors]


# --------------------------------------------------------------------------- passages


def held_out_passages(vocabulary: str) -> list[dict]:
    """The :data:`PASSAGES`, each ``{"play", "text"}``: whole speeches of a held-out play.

    Each starts at its speech and ends with the last speech that keeps it near
    :data:`PASSAGE_CHARACTERS`. Raises ValueError for a passage not found, or
    one with characters outside ``vocabulary``.
    """
    from rnnbook.data.shakespeare import VALIDATION_PLAYS, play_text

    passages = []
    for play, opening in PASSAGES:
        if play not in VALIDATION_PLAYS:
            raise ValueError(f"{play!r} is not held out "
                             "(rnnbook.data.shakespeare.VALIDATION_PLAYS)")
        text = play_text(play)
        start = text.find(opening)
        if start < 0:
            raise ValueError(f"{play!r} has no speech starting {opening!r}")
        ends = [i for i in range(start + PASSAGE_CHARACTERS // 2, start + 2 * PASSAGE_CHARACTERS)
                if text.startswith("\n\n", i)]
        end = min(ends, key=lambda i: abs(i - start - PASSAGE_CHARACTERS), default=None)
        passage = text[start:end + 1 if end else start + PASSAGE_CHARACTERS]
        unknown = sorted(set(passage) - set(vocabulary))
        if unknown:
            raise ValueError(f"the passage of {play!r} has characters the model does not "
                             f"know: {unknown}")
        passages.append({"play": play, "text": passage})
    return passages


# --------------------------------------------------------------------------- files


def shipped_weights() -> Path:
    """``rnnbook.charrnn.SHIPPED_WEIGHTS``, found without importing Keras.

    Importing rnnbook.charrnn costs seconds (Keras): a build with nothing to
    export, or nothing to do at all, does not pay them.
    """
    import importlib.resources

    return Path(importlib.resources.files("rnnbook") / "weights" / MODEL_NAME)


def file_names(name: str = MODEL_NAME) -> tuple[str, str]:
    """The manifest's and the binary's file names."""
    return f"{name}.json", f"{name}.bin"


#: The model folder's weights and vocabulary (rnnbook.charrnn.storage's WEIGHTS_FILE and
#: VOCAB_FILE, named here so that checking an export does not import Keras).
SOURCE_FILES = ("model.weights.h5", "vocab.json")


def source_digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of the model folder's weights and vocabulary (what the export is from)."""
    def sha256(path: Path) -> str:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()

    return {name: sha256(Path(folder) / name) for name in SOURCE_FILES}


def export_model(folder, out_dir, *, name: str = MODEL_NAME, dtype: str = "float16",
                 passages: bool = True) -> Path:
    """Write ``<name>.bin`` and ``<name>.json`` for the model in ``folder``; return the manifest.

    ``folder`` is a model folder (:func:`rnnbook.charrnn.load` reads it, checking
    the SHA-256 it records); ``passages`` adds the held-out passages (needs the
    corpus). The binary is written first, the manifest, which names the
    binary's SHA-256, last.
    """
    from rnnbook.charrnn import load

    folder, out_dir = Path(folder), Path(out_dir)
    trained = load(folder)
    tensors, layers = model_tensors(trained.model)
    data, entries = pack(tensors, dtype)
    characters = trained.vocab.characters
    manifest_name, binary_name = file_names(name)
    manifest = {
        "format": FORMAT,
        "name": name,
        "file": binary_name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "byte_order": "little",
        "dtype": dtype,
        "vocabulary": characters,
        "unknown_id": 0,
        "parameters": int(sum(array.size for _, array in tensors)),
        "layers": layers,
        "tensors": entries,
        "validation_loss": trained.metrics.get("final_validation_loss"),
        "source": source_digests(folder),
        "passages": held_out_passages(characters) if passages else [],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / binary_name).write_bytes(data)
    (out_dir / manifest_name).write_text(json.dumps(manifest, ensure_ascii=False, indent=1)
                                         + "\n", encoding="utf-8")
    return out_dir / manifest_name


def read_export(manifest_path) -> tuple[dict, dict[str, np.ndarray]]:
    """The manifest and its tensors (float32 arrays, by name), as the browser reads them.

    Refuses another format, a binary of another length or SHA-256, or a tensor
    outside the binary (ValueError).
    """
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{manifest_path} is not a {FORMAT} manifest "
                         f"(format {manifest.get('format')!r})")
    data = (manifest_path.parent / manifest["file"]).read_bytes()
    if len(data) != manifest["bytes"] or hashlib.sha256(data).hexdigest() != manifest["sha256"]:
        raise ValueError(f"{manifest['file']} does not match its manifest {manifest_path} "
                         f"(length or SHA-256): export the model again")
    tensors = {}
    for entry in manifest["tensors"]:
        dtype = np.dtype(entry["dtype"]).newbyteorder("<")
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if entry["offset"] + count * dtype.itemsize > len(data):
            raise ValueError(f"tensor {entry['name']} lies outside {manifest['file']}")
        array = np.frombuffer(data, dtype=dtype, count=count, offset=entry["offset"])
        tensors[entry["name"]] = array.reshape(entry["shape"]).astype(np.float32)
    return manifest, tensors


def is_current(manifest_path: Path, folder: Path) -> bool:
    """Whether ``manifest_path`` is an export, in this format, of the model in ``folder``."""
    try:
        manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
        binary = Path(manifest_path).parent / manifest["file"]
        return (manifest.get("format") == FORMAT and binary.is_file()
                and binary.stat().st_size == manifest["bytes"]
                and manifest.get("source") == source_digests(folder))
    except (OSError, ValueError, KeyError, TypeError):
        return False


# --------------------------------------------------------------------------- Sphinx


def has_widget(body: str) -> bool:
    """Whether a page's HTML body holds the widget's placeholder."""
    return PLACEHOLDER in body


def widget_version(static: Path, manifest: dict) -> str:
    """A short digest of the worker's scripts and the weights: a new one misses the cache."""
    digest = hashlib.sha256(manifest.get("sha256", "").encode())
    for name in WORKER_FILES:
        digest.update((Path(static) / STATIC_FOLDER / name).read_bytes())
    return digest.hexdigest()[:10]


def placeholder_attributes(manifest: dict, version: str = "") -> str:
    """What the placeholder learns from the manifest before anything is downloaded.

    The size of the weights and the number of parameters (the widget says them
    before it loads), and the held-out passages (the widget lists them), as
    HTML attributes.
    """
    import html

    passages = json.dumps(manifest.get("passages", []), ensure_ascii=False)
    return (f' data-parameters="{int(manifest["parameters"])}"'
            f' data-bytes="{int(manifest["bytes"])}"'
            f' data-version="{html.escape(version, quote=True)}"'
            f' data-passages="{html.escape(passages, quote=True)}"')


def with_model_facts(body: str, manifest: dict, version: str = "") -> str:
    """``body`` with each placeholder given :func:`placeholder_attributes`."""
    if not has_widget(body):
        return body
    return body.replace(f"<div {PLACEHOLDER}",
                        f"<div {PLACEHOLDER}{placeholder_attributes(manifest, version)}")


def without_widget_files(files: list) -> list:
    """``html_js_files`` or ``html_css_files`` without the widget's files.

    Jupyter Book adds every .js and .css file under _static to every page;
    the widget's files (and the worker's, which is no page script) are
    added by :func:`_on_page_context` only to the pages that hold the widget.
    """
    def name(entry) -> str:
        return str(entry[0] if isinstance(entry, (tuple, list)) else entry)

    return [entry for entry in files if not name(entry).startswith(f"{STATIC_FOLDER}/")]


def _page_scripts_only(app, config) -> None:
    config.html_js_files = without_widget_files(config.html_js_files)
    config.html_css_files = without_widget_files(config.html_css_files)


def _export_into_site(app) -> None:
    """Write the export into the built site's _static (skipped when it is current)."""
    if app.builder.format != "html":
        return
    from sphinx.util import logging

    out_dir = Path(app.outdir) / "_static" / STATIC_FOLDER
    manifest = out_dir / file_names()[0]
    if not is_current(manifest, shipped_weights()):
        logger = logging.getLogger(__name__)
        logger.info("exporting the character model for the browser... ", nonl=True)
        export_model(shipped_weights(), out_dir)
        logger.info("done")
    app.builder.charmodel_manifest = json.loads(manifest.read_text(encoding="utf-8"))
    app.builder.charmodel_version = widget_version(Path(app.srcdir) / "_static",
                                                   app.builder.charmodel_manifest)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    if has_widget(body):
        context["body"] = with_model_facts(body, app.builder.charmodel_manifest,
                                           getattr(app.builder, "charmodel_version", ""))
        app.add_css_file(WIDGET_STYLE)
        app.add_js_file(WIDGET_SCRIPT, loading_method="defer")


def setup(app) -> dict:
    app.connect("config-inited", _page_scripts_only)
    app.connect("builder-inited", _export_into_site)
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m booktools.extensions.model_export",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder for shakespeare.json and .bin")
    parser.add_argument("--weights", type=Path, default=None,
                        help="a model folder (default: the shipped model)")
    args = parser.parse_args(argv)
    from rnnbook.charrnn import SHIPPED_WEIGHTS

    print(export_model(args.weights or SHIPPED_WEIGHTS, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
