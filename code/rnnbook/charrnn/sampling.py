"""Writing: the model's characters, drawn one at a time and read back in (18-3).

:func:`generate` is the algorithm; its arguments are checked in a wrapper
(:func:`~rnnbook.arguments.checked_by`), and it is run up to its first
character when called, so that every mistake is raised at the call.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator

import keras
import numpy as np

from rnnbook.arguments import checked_by, finite_positive_float, non_negative_int, positive_int
from rnnbook.charrnn.errors import BadArgument
from rnnbook.charrnn.model import check_model_vocab, known_ids, step_model
from rnnbook.charrnn.vocabulary import Vocabulary
from rnnbook.rnn.equations import unchecked_softmax

#: The most characters sample() writes in one call: about two minutes at the shipped
#: model's pace on a 2-core CPU.
MAX_SAMPLE_LENGTH = 100_000


def sample(model: keras.Model, vocab: Vocabulary, prompt: str, length: int,
           temperature: float = 1.0, top_k: int | None = None, seed: int = 0) -> str:
    """``prompt`` followed by ``length`` characters the model writes, one at a time (18-3).

    Each character is drawn from softmax(logits / temperature), among the
    ``top_k`` most likely if given (``top_k=1``: always the most likely);
    it is then read back in as the next input. The placeholder "�" is never
    written. The same ``seed`` gives the same text. ``length`` is at most
    :data:`MAX_SAMPLE_LENGTH`. :func:`generate` gives the same characters one
    by one, as they are drawn.
    """
    return prompt + "".join(generate(model, vocab, prompt, length, temperature, top_k, seed))


def sampling_settings(length, temperature, top_k, seed,
                      spell: Callable[[str], str] = str) -> tuple[int, float, int | None, int]:
    """``length``, ``temperature``, ``top_k`` and ``seed`` of :func:`sample`, checked (18-3).

    ``spell`` turns an argument's name into the name a message gives it
    (the command's: ``"top_k"`` -> ``"--top-k"``).
    """
    length = non_negative_int(spell("length"), length)
    if length > MAX_SAMPLE_LENGTH:
        raise ValueError(f"{spell('length')} must be at most {MAX_SAMPLE_LENGTH:,} characters "
                         f"(MAX_SAMPLE_LENGTH), got {length:,}")
    temperature = finite_positive_float(spell("temperature"), temperature)
    if top_k is not None:
        top_k = positive_int(spell("top_k"), top_k)
    return length, temperature, top_k, non_negative_int(spell("seed"), seed)


def _sampling_arguments(model, vocab, prompt, length, temperature, top_k, seed) -> dict:
    check_model_vocab(model, vocab)
    known_ids(vocab, prompt, "prompt")
    length, temperature, top_k, seed = sampling_settings(length, temperature, top_k, seed)
    return dict(length=length, temperature=temperature, top_k=top_k, seed=seed)


def _started(generator_function: Callable[..., Iterator[str]]) -> Callable[..., Iterator[str]]:
    """Decorator: the generator runs up to its first character when called, not when read.

    So a mistake found on the way (a temperature too small for this model)
    is raised at the call, before any character, as the others are.
    """
    @functools.wraps(generator_function)
    def started(*args, **kwargs) -> Iterator[str]:
        characters = generator_function(*args, **kwargs)
        first = next(characters, None)
        return characters if first is None else itertools.chain([first], characters)

    return started


@checked_by(_sampling_arguments)
@_started
def generate(model: keras.Model, vocab: Vocabulary, prompt: str, length: int,
             temperature: float = 1.0, top_k: int | None = None,
             seed: int = 0) -> Iterator[str]:
    """The ``length`` characters :func:`sample` writes after ``prompt``, yielded as drawn (18-3).

    Mistakes, including a temperature too small for this model, are raised
    when ``generate`` is called, before any character. Each generator
    carries its own recurrent state.
    """
    rng = np.random.default_rng(seed)
    step = step_model(model)
    states = step.initial_states()
    for char_id in vocab.encode(prompt):                                  # read the prompt
        logits, states = step.advance(int(char_id), states)
    probabilities = _distribution(logits, temperature, top_k)
    for written in range(1, length + 1):
        char_id = int(rng.choice(len(vocab), p=probabilities))
        yield vocab.characters[char_id]                                   # write it,
        if written < length:                                              # read it back in
            logits, states = step.advance(char_id, states)
            probabilities = _distribution(logits, temperature, top_k)


def _distribution(logits: np.ndarray, temperature: float, top_k: int | None) -> np.ndarray:
    """The probabilities (K,) over the K-character vocabulary that the next id is drawn
    from: softmax(logits / temperature).

    Kept to the ``top_k`` most likely ids (exactly k, ties to the smaller
    id); ``top_k=1`` is the most likely id, whatever the temperature. Never
    id 0 ("�"). Raises :class:`BadArgument` when the temperature is so small
    that logits / temperature overflows and softmax has no finite answer.
    """
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model's logits are not finite (NaN or infinity): its weights "
                         "are damaged")
    if top_k == 1:
        return _one_hot(_most_likely(logits), len(logits))
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = logits / temperature
        scaled[0] = -np.inf                                               # never write "�"
        probabilities = unchecked_softmax(_top_k_only(scaled, top_k))
    if not np.all(np.isfinite(probabilities)):
        raise BadArgument(f"temperature {temperature!r} is too small for this model: "
                          f"logits / temperature overflows and softmax gives NaN; use a "
                          f"larger temperature, or top-k 1 for the most likely character")
    return probabilities


def _most_likely(logits: np.ndarray) -> int:
    """The id of the largest logit, "�" (id 0) aside; ties to the smaller id."""
    return 1 + int(np.argmax(logits[1:]))


def _one_hot(index: int, size: int) -> np.ndarray:
    probabilities = np.zeros(size)
    probabilities[index] = 1.0
    return probabilities


def _top_k_only(scores: np.ndarray, top_k: int | None) -> np.ndarray:
    """``scores`` with all but the ``top_k`` largest set to -inf; exactly k kept, even on ties.

    Ties go to the smaller id (a stable sort), so the draw stays seeded.
    """
    if top_k is None:
        return scores
    kept = np.argsort(-scores, kind="stable")[:top_k]
    only = np.full_like(scores, -np.inf)
    only[kept] = scores[kept]
    return only
