"""One function per diagram of the chapter; each returns a :class:`Diagram`.

Layout convention: time runs left to right, inputs x at the bottom, states s in
the middle, outputs o on top. :func:`rnnbook.drawing.draw` renders any of them;
``python -m rnnbook.figures`` writes them all to figures/.
"""

from __future__ import annotations

from collections.abc import Sequence

from rnnbook._checks import positive_int
from rnnbook.drawing import Diagram

STEP = 1.8                     # horizontal distance between time steps
ROW = {"input": 0.0, "state": 1.5, "output": 3.0}


def _sub(symbol: str, index: str) -> str:
    return f"${symbol}_{{{index}}}$"


def _step_indices(steps: int, indices: Sequence[str] | None) -> list[str]:
    steps = positive_int("steps", steps)
    if indices is None:
        return [str(t) for t in range(1, steps + 1)]
    indices = [str(i) for i in indices]
    if len(indices) != steps:
        raise ValueError(f"indices must name each of the {steps} steps, got {len(indices)}")
    return indices


def chain(steps: int = 4, shared: bool = True, indices: Sequence[str] | None = None,
          inputs: Sequence[str] | None = None) -> Diagram:
    """An RNN unrolled over ``steps`` time steps (18-1, 18-2).

    ``shared=True`` labels every edge with the same U, W, V (the RNN);
    ``shared=False`` gives each position its own U_t, W_t, V_t, the design
    whose parameters grow with the number of steps. ``inputs`` replaces the
    x_t symbols by tokens (words or characters).
    """
    names = _step_indices(steps, indices)
    if inputs is not None and len(inputs) != steps:
        raise ValueError(f"inputs must give one token per step ({steps}), got {len(inputs)}")
    diagram = Diagram()
    for t, index in enumerate(names):
        x = t * STEP
        if inputs is None:
            diagram.add_node(f"x{t}", x, ROW["input"], _sub("x", index), "input")
        else:
            diagram.add_node(f"x{t}", x, ROW["input"], _token(inputs[t]), "token")
        diagram.add_node(f"s{t}", x, ROW["state"], _sub("s", index), "state")
        diagram.add_node(f"o{t}", x, ROW["output"], _sub("o", index), "output")
        diagram.add_edge(f"x{t}", f"s{t}", "$U$" if shared else _sub("U", index))
        diagram.add_edge(f"s{t}", f"o{t}", "$V$" if shared else _sub("V", index))
        if t > 0:
            previous = names[t - 1]
            diagram.add_edge(f"s{t-1}", f"s{t}", "$W$" if shared else _sub("W", previous))
    return diagram


def _token(text: str) -> str:
    """A word or character as it should appear in a node (spaces made visible)."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"tokens must be non-empty strings, got {text!r}")
    return "␣" if text == " " else text.replace("$", r"\$")


def feedforward_per_word(words: Sequence[str] = ("I", "will", "leave", "Taiwan")) -> Diagram:
    """A feed-forward net applied to one word at a time: no edge links the steps (18-1)."""
    if isinstance(words, str) or len(words) == 0:
        raise ValueError("words must be a non-empty sequence of words")
    diagram = Diagram()
    for t, word in enumerate(words):
        x = t * STEP
        diagram.add_node(f"x{t}", x, ROW["input"], _token(word), "token")
        diagram.add_node(f"h{t}", x, ROW["state"], "$h$", "state")
        diagram.add_node(f"o{t}", x, ROW["output"], _sub("o", str(t + 1)), "output")
        diagram.add_edge(f"x{t}", f"h{t}", "$U$")
        diagram.add_edge(f"h{t}", f"o{t}", "$V$")
    return diagram


def branching_net(words: Sequence[str] = ("leave", "Taiwan")) -> Diagram:
    """The first idea of 18-1: one branch per word, joined, each with its own weights.

    The branch of an earlier word feeds the branch of the next, so the output
    at "Taiwan" depends on whether "leave" or "arrive" came before.
    """
    if isinstance(words, str) or len(words) < 2:
        raise ValueError("words must be a sequence of at least two words")
    return chain(len(words), shared=False, inputs=words)


def folded_rnn() -> Diagram:
    """The folded view of 18-2: x_t -> s_t -> o_t with W looping on the state."""
    diagram = Diagram()
    diagram.add_node("x", 0, ROW["input"], "$x_t$", "input")
    diagram.add_node("s", 0, ROW["state"], "$s_t$", "state")
    diagram.add_node("o", 0, ROW["output"], "$o_t$", "output")
    diagram.add_edge("x", "s", "$U$")
    diagram.add_edge("s", "o", "$V$")
    diagram.add_edge("s", "s", "$W$")
    return diagram


def folded_and_unrolled() -> Diagram:
    """Folded (left) = unrolled over t-1, t, t+1 (right), with one U, V, W (18-2)."""
    unrolled = chain(3, shared=True, indices=("t-1", "t", "t+1"))
    diagram = folded_rnn().merged(unrolled, dx=3.2, prefix="u")
    diagram.add_note(1.9, ROW["state"], "$=$", size=20)
    return diagram


def time_steps(steps: int = 4) -> Diagram:
    """An RNN whose output depends on ``steps`` inputs: "time step = 4" (18-2)."""
    diagram = chain(steps, shared=True)
    diagram.add_note((steps - 1) * STEP / 2, ROW["input"] - 0.75, f"$T = {steps}$", size=14)
    return diagram
