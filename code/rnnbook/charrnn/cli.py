"""The command line of the character model (18-3)::

    python -m rnnbook.charrnn train --preset shipped --out FOLDER [--force]
    python -m rnnbook.charrnn evaluate --weights FOLDER
    python -m rnnbook.charrnn sample --weights FOLDER --prompt P --length 500

FOLDER holds a model's three files; the shipped model's is
``code/rnnbook/weights/shakespeare``.
A mistake of the command's user (a bad argument, a missing or damaged model
folder) is printed as one line, ``error: ...``, on stderr, with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace

from rnnbook.arguments import folder_path, positive_int
from rnnbook.charrnn.config import PRESETS
from rnnbook.charrnn.errors import BadArgument, UserError
from rnnbook.charrnn.model import known_ids
from rnnbook.charrnn.sampling import MAX_SAMPLE_LENGTH, generate, sampling_settings
from rnnbook.charrnn.storage import DIGESTS_KEY, METRICS_FILE, load, writable_model_folder
from rnnbook.charrnn.training import evaluate, train
from rnnbook.data.shakespeare import load_shakespeare

_DESCRIPTION = "The character model of section 18-3 (the RNN text generator), in Keras."


def _format_epoch(record: dict, epochs: int) -> str:
    """One progress line: epoch, train and validation loss (nats/char), elapsed time."""
    return (f"epoch {record['epoch']:>3}/{epochs}  train {record['train_loss']:.4f}  "
            f"validation {record['validation_loss']:.4f}  elapsed {record['seconds']:7.1f} s")


def _train_command(args) -> int:
    config = PRESETS[args.preset]
    if args.epochs is not None:
        config = replace(config, epochs=_flag(positive_int, "--epochs", args.epochs))
    out = writable_model_folder(_flag(folder_path, "--out", args.out), args.force)
    corpus = load_shakespeare()
    print(f"training preset {args.preset!r} on {len(corpus.train):,} characters; validation: "
          f"{', '.join(corpus.validation_plays)}", flush=True)
    print(f"config: {asdict(config)}", flush=True)
    trained = train(config, corpus, out, overwrite=args.force,
                    progress=lambda record: print(_format_epoch(record, config.epochs),
                                                  flush=True))
    metrics = trained.metrics
    print(f"done: validation loss {metrics['final_validation_loss']:.4f} nats/char, "
          f"{metrics['parameters']:,} parameters, {metrics['characters_per_second']:,.0f} "
          f"characters/s, {metrics['total_seconds']:.0f} s; wrote {out}", flush=True)
    return 0


def _evaluate_command(args) -> int:
    trained = load(_flag(folder_path, "--weights", args.weights))
    metrics = trained.metrics
    if DIGESTS_KEY not in metrics:
        print(f"warning: {METRICS_FILE} records no SHA-256 of the weights and vocabulary "
              f"(written before digests were), so they were not checked", flush=True)
    corpus = load_shakespeare(tuple(metrics["validation_plays"]))
    if corpus.digest != metrics["corpus_digest"]:
        print("warning: the corpus differs from the one the model was trained on", flush=True)
    loss = evaluate(trained.model, trained.vocab, corpus.validation, trained.config)
    recorded = metrics["final_validation_loss"]
    print(f"validation loss {loss:.4f} nats/char (recorded {recorded:.4f}, "
          f"difference {loss - recorded:+.1e}) on {', '.join(corpus.validation_plays)}",
          flush=True)
    return 0


def _sample_command(args) -> int:
    settings = _flag(sampling_settings, args.length, args.temperature, args.top_k, args.seed,
                     _flag_name)
    trained = load(_flag(folder_path, "--weights", args.weights))
    _flag(known_ids, trained.vocab, args.prompt, "--prompt")
    _print_as_written(args.prompt, generate(trained.model, trained.vocab, args.prompt,
                                            *settings))
    return 0


def _print_as_written(prompt: str, characters: Iterator[str]) -> None:
    """The prompt, then each character as soon as it is drawn (flushed), then a new line."""
    print(prompt, end="", flush=True)
    for character in characters:
        print(character, end="", flush=True)
    print(flush=True)


def _flag(check: Callable, *args):
    """``check(*args)`` on the command's arguments: a ValueError or TypeError it raises is
    the user's mistake, raised again as a :class:`BadArgument` (one line, exit status 2)."""
    try:
        return check(*args)
    except (ValueError, TypeError) as error:
        raise BadArgument(str(error)) from None


def _flag_name(name: str) -> str:
    """The command's spelling of an argument of ``sample``: ``top_k`` -> ``--top-k``."""
    return "--" + name.replace("_", "-")


class _Parser(argparse.ArgumentParser):
    """argparse, whose mistakes are raised as :class:`BadArgument`, like the command's own."""

    def error(self, message: str):
        raise BadArgument(f"{message} (see {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m rnnbook.charrnn", description=_DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("train", help="train a preset; write weights, vocab and metrics")
    p.add_argument("--preset", choices=sorted(PRESETS), default="shipped")
    p.add_argument("--out", required=True, help="folder for the three files")
    p.add_argument("--force", action="store_true",
                   help="replace the model already in --out (refused otherwise)")
    p.add_argument("--epochs", type=int, default=None,
                   help="override the preset's epochs (an integer >= 1)")
    p.set_defaults(run=_train_command)
    p = commands.add_parser("evaluate", help="re-measure the recorded validation loss")
    p.add_argument("--weights", required=True, help="folder written by train")
    p.set_defaults(run=_evaluate_command)
    p = commands.add_parser("sample", help="write text from a prompt, as it is drawn")
    p.add_argument("--weights", required=True, help="folder written by train")
    p.add_argument("--prompt", default="P",
                   help="text to start from, in the model's vocabulary (default: P)")
    p.add_argument("--length", type=int, default=500,
                   help=f"characters to write, 0 to {MAX_SAMPLE_LENGTH:,} (default: 500)")
    p.add_argument("--temperature", type=float, default=1.0,
                   help="a finite number > 0 dividing the logits (default: 1.0)")
    p.add_argument("--top-k", type=int, default=None,
                   help="draw among the k most likely characters, k >= 1 (default: all)")
    p.add_argument("--seed", type=int, default=0, help="an integer >= 0 (default: 0)")
    p.set_defaults(run=_sample_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when done, 2 (and one line on stderr) for the user's mistake.

    1 when the reader of stdout stops reading (``sample ... | head``), quietly.
    """
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _discard_stdout()
        return 1


def _discard_stdout() -> None:
    """Point stdout at the null device, so Python's last flush at exit does not fail again."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
