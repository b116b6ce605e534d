"""The characters a model knows, and their ids (18-3)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import string

UNKNOWN = "\ufffd"          # "�": id 0, stands for any character outside the vocabulary
_FORMAT = "rnnbook.charrnn.Vocabulary/1"


@dataclass(frozen=True)
class Vocabulary:
    """Characters and their ids; id 0 is always :data:`UNKNOWN` ("�").

    ``Vocabulary.from_text(text)`` numbers the distinct characters of ``text``
    in sorted order, from 1. What happens to a character outside the
    vocabulary is explicit: :meth:`encode` raises (``unknown="error"``) or
    maps it to id 0 (``unknown="replace"``).
    """

    characters: str

    def __post_init__(self) -> None:
        string("characters", self.characters)
        if not self.characters.startswith(UNKNOWN):
            raise ValueError(f"characters must start with the placeholder {UNKNOWN!r} (id 0), "
                             f"got {self.characters[:10]!r}...")
        if len(set(self.characters)) != len(self.characters):
            doubled = sorted({c for c in self.characters if self.characters.count(c) > 1})
            raise ValueError(f"characters must be distinct, these repeat: {doubled}")
        object.__setattr__(self, "_ids", {c: i for i, c in enumerate(self.characters)})

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The placeholder, then the distinct characters of ``text``, sorted."""
        string("text", text)
        if not text:
            raise ValueError("text must not be empty: a vocabulary needs characters")
        return cls(UNKNOWN + "".join(sorted(set(text) - {UNKNOWN})))

    def __len__(self) -> int:
        return len(self.characters)

    def unknown_characters(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that are not in the vocabulary, sorted."""
        return sorted(set(string("text", text)) - self._ids.keys())

    def encode(self, text: str, unknown: str = "error") -> np.ndarray:
        """Ids of the characters of ``text``, shape (T,) int32.

        ``unknown="error"`` raises a ValueError naming characters outside the
        vocabulary; ``unknown="replace"`` maps them to id 0 ("�").
        """
        if unknown not in ("error", "replace"):
            raise ValueError(f"unknown must be 'error' or 'replace', got {unknown!r}")
        missing = self.unknown_characters(text)
        if missing and unknown == "error":
            raise ValueError(f"text has characters outside the vocabulary: {missing}; "
                             f"pass unknown='replace' to map them to {UNKNOWN!r} (id 0)")
        ids = self._ids
        return np.fromiter((ids.get(c, 0) for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids) -> str:
        """The text of a sequence of ids, shape (T,)."""
        array = np.asarray(ids)
        if array.size == 0:
            return ""
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"ids must be a 1-D sequence of integers, got shape {array.shape} "
                             f"and dtype {array.dtype}")
        bad = sorted({int(i) for i in array[(array < 0) | (array >= len(self))]})
        if bad:
            raise ValueError(f"ids must be in 0..{len(self) - 1}, got {bad}")
        return "".join(self.characters[i] for i in array)

    def to_json(self) -> str:
        return json.dumps({"format": _FORMAT, "characters": self.characters}, ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a vocabulary JSON document: {error}") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"not a vocabulary JSON document: expected format "
                             f"{_FORMAT!r}, got {str(data)[:80]!r}")
        return cls(data.get("characters"))
