"""Write every diagram of the chapter to figures/ as byte-reproducible SVG.

    python -m booktools.figures [--out figures] [--check]

The SVGs are committed; a test redraws them and fails when a committed file
differs from what the code draws now. Reproducible means: a fixed hash salt for
the ids matplotlib writes, no date in the metadata, glyphs as paths.

Glyphs as paths, unlike the charts (rnnbook.show.chart, text as text): a diagram
holds symbols only, the same in both editions, and paths draw them exactly
(subscripts, ␣, ↵) whatever fonts the reader has. Their size is the text's size
all the same: booktools.figures.figure_text reads it from each glyph's scale.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

from booktools.figures import diagrams
from booktools.book import ROOT
from booktools.figures.drawing import Diagram, draw

#: File stem -> the function that describes the diagram. One entry per figure.
FIGURES: dict[str, Callable[[], Diagram]] = {
    "feedforward-per-word": diagrams.feedforward_per_word,
    "branching-net": diagrams.branching_net,
    "chain-unshared": lambda: diagrams.chain(4, shared=False),
    "chain-shared": lambda: diagrams.chain(4, shared=True),
    "rnn-folded-unrolled": diagrams.folded_and_unrolled,
    "time-steps-4": lambda: diagrams.time_steps(4),
    "sequence-tasks": diagrams.sequence_tasks,
    "unstack-axes": diagrams.unstack_axes,
    "stack-axes": diagrams.stack_axes,
    "mnist-rows": diagrams.mnist_rows,
    "char-model-hello": diagrams.char_model,
    "char-loss-hello": diagrams.summed_loss,
    "char-generation": diagrams.generation,
}

DEFAULT_DIR = ROOT / "figures"


def svg_bytes(diagram: Diagram) -> bytes:
    """The diagram as SVG bytes, identical on every run with the same matplotlib."""
    figure = draw(diagram)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "rnnbook", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def png_bytes(stem: str, dpi: int = 96) -> bytes:
    """The figure ``stem`` as PNG at the size the book shows its SVG (96 px per inch).

    For student notebooks: JupyterLab does not show SVG attachments.
    """
    if stem not in FIGURES:
        raise ValueError(f"no figure named {stem!r}; figures are {sorted(FIGURES)}")
    figure = draw(FIGURES[stem]())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def write_all(out_dir: Path = DEFAULT_DIR) -> list[Path]:
    """Draw every figure into ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, describe in FIGURES.items():
        path = out_dir / f"{stem}.svg"
        path.write_bytes(svg_bytes(describe()))
        written.append(path)
    return written


def stale(out_dir: Path = DEFAULT_DIR) -> list[str]:
    """Names of figures whose file is missing or differs from what the code draws now."""
    out_dir = Path(out_dir)
    return [stem for stem, describe in FIGURES.items()
            if not (out_dir / f"{stem}.svg").is_file()
            or (out_dir / f"{stem}.svg").read_bytes() != svg_bytes(describe())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any figure is out of date")
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale(args.out)
        for stem in out_of_date:
            print(f"out of date: {args.out / stem}.svg (run `make figures`)")
        return 1 if out_of_date else 0
    for path in write_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
