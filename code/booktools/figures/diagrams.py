"""One function per diagram of the chapter; each returns a :class:`Diagram`.

Layout convention: time runs left to right, inputs x at the bottom, states s in
the middle, outputs o on top. :func:`booktools.figures.drawing.draw` renders any of them;
``python -m booktools.figures`` writes them all to figures/.
"""

from __future__ import annotations

from collections.abc import Sequence

from rnnbook.arguments import positive_int
from booktools.figures.drawing import PIECE_COLOURS, Diagram

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
    diagram.add_note(1.9, ROW["state"], "$=$", size=28)
    return diagram


def time_steps(steps: int = 4) -> Diagram:
    """An RNN whose output depends on ``steps`` inputs: "time step = 4" (18-2)."""
    diagram = chain(steps, shared=True)
    diagram.add_note((steps - 1) * STEP / 2, ROW["input"] - 0.75, f"$T = {steps}$", size=20)
    return diagram



#: Where a task has inputs or outputs: at the first step, the last, or every step.
_WHERE = ("first", "last", "every")


def task_chain(inputs: str = "every", outputs: str = "every", shown: int = 2) -> Diagram:
    """An RNN unrolled over T steps, with an x_t or an o_t only where the task has one (18-2).

    ``inputs`` and ``outputs`` are "first", "last" or "every". The first ``shown``
    steps and the last (T) are drawn; a dashed W edge and an ellipsis in each row
    that continues stand for the steps in between, as in :func:`mnist_rows`.
    """
    shown = positive_int("shown", shown)
    for name, where in (("inputs", inputs), ("outputs", outputs)):
        if where not in _WHERE:
            raise ValueError(f"{name} must be one of {_WHERE}, got {where!r}")
    indices = [str(t) for t in range(1, shown + 1)] + ["T"]
    last = len(indices) - 1
    has = {"first": lambda k: k == 0, "last": lambda k: k == last, "every": lambda k: True}
    diagram = Diagram()
    for k, index in enumerate(indices):
        x = k * STEP + (0.6 if k == last else 0)            # room for the ellipsis
        diagram.add_node(f"s{k}", x, ROW["state"], _sub("s", index), "state")
        if has[inputs](k):
            diagram.add_node(f"x{k}", x, ROW["input"], _sub("x", index), "input")
            diagram.add_edge(f"x{k}", f"s{k}", "$U$")
        if has[outputs](k):
            diagram.add_node(f"o{k}", x, ROW["output"], _sub("o", index), "output")
            diagram.add_edge(f"s{k}", f"o{k}", "$V$")
        if k > 0:
            diagram.add_edge(f"s{k-1}", f"s{k}", "$W$", dashed=(k == last))
    for row, where in (("input", inputs), ("output", outputs)):
        if where == "every":
            diagram.add_note((shown - 0.5) * STEP + 0.3, ROW[row], "⋯", size=22)
    return diagram


#: The three kinds of sequence task, top to bottom in :func:`sequence_tasks`:
#: (mark drawn beside the panel, where the inputs are, where the outputs are).
SEQUENCE_TASKS = {
    "one-to-many": (r"$1 \to T$", "first", "every"),
    "many-to-one": (r"$T \to 1$", "every", "last"),
    "many-to-many": (r"$T \to T$", "every", "every"),
}
TASK_GAP = 1.8                 # vertical distance between two panels' facing rows


def sequence_tasks() -> Diagram:
    """One-to-many, many-to-one and many-to-many, stacked top to bottom (18-2).

    Each panel is a :func:`task_chain`, marked on its left by its shape
    (1 -> T, T -> 1, T -> T); the kinds' names are the page's to give. Stacked,
    not side by side, so that the figure stays narrow enough for a phone.
    """
    diagram = Diagram()
    height = ROW["output"] - ROW["input"] + TASK_GAP
    for k, (name, (mark, inputs, outputs)) in enumerate(SEQUENCE_TASKS.items()):
        panel = task_chain(inputs, outputs)
        panel.add_note(-1.45, ROW["state"], mark, size=19, width=1.2)
        diagram = diagram.merged(panel, prefix=f"{name}:", dy=-k * height)
    return diagram


# --- Demo 18-3 and the labs: array axes and MNIST rows -----------------------------

CELL = 0.5                     # side of an array cell (drawing.CELL_SIZE)
PIECE_GAP = 0.3                # space between the pieces of an unstacked array


def _grid(diagram: Diagram, prefix: str, x0: float, y0: float, labels, fills) -> None:
    """Cells of a 2-D array, row i going down from y0, column j going right from x0."""
    for i, (row_labels, row_fills) in enumerate(zip(labels, fills)):
        for j, (label, fill) in enumerate(zip(row_labels, row_fills)):
            diagram.add_node(f"{prefix}{i}_{j}", x0 + j * CELL, y0 - i * CELL, label, "cell",
                             fill)


def _pieces(diagram: Diagram, prefix: str, x0: float, y0: float, pieces, fills) -> None:
    """1-D arrays drawn as rows of cells one under another, each with its list index."""
    for k, (piece, fill) in enumerate(zip(pieces, fills)):
        y = y0 - k * (CELL + PIECE_GAP)
        diagram.add_note(x0 - 0.6, y, f"[{k}]", size=16)
        for j, label in enumerate(piece):
            diagram.add_node(f"{prefix}{k}_{j}", x0 + j * CELL, y, label, "cell", fill)


def unstack_axes(rows: int = 4, cols: int = 3) -> Diagram:
    """tf.unstack of a (rows, cols) array on axis 0 (top) and on axis 1 (bottom) (Lab 01).

    Colours show which cells of the source end up in which piece: axis 0 gives
    ``rows`` pieces of shape (cols,), axis 1 gives ``cols`` pieces of shape (rows,).
    """
    rows, cols = positive_int("rows", rows), positive_int("cols", cols)
    if max(rows, cols) > len(PIECE_COLOURS):
        raise ValueError(f"rows and cols must be at most {len(PIECE_COLOURS)} to get a colour "
                         f"per piece, got ({rows}, {cols})")
    values = [[str(i * cols + j) for j in range(cols)] for i in range(rows)]
    columns = [list(column) for column in zip(*values)]
    diagram = Diagram()
    panel_height = max(rows, cols) * (CELL + PIECE_GAP) + 1.2
    x_pieces = cols * CELL + 2.2
    for axis, pieces in ((0, values), (1, columns)):
        y0 = -axis * panel_height
        fills = ([[PIECE_COLOURS[i]] * cols for i in range(rows)] if axis == 0
                 else [list(PIECE_COLOURS[:cols]) for _ in range(rows)])
        _grid(diagram, f"a{axis}_src", 0, y0, values, fills)
        diagram.add_note((cols - 1) * CELL / 2, y0 + 0.6, f"$({rows}, {cols})$", size=16)
        diagram.add_note(cols * CELL + 0.6, y0 - (rows - 1) * CELL / 2, "→", size=24)
        diagram.add_note(x_pieces + 1.0, y0 + 0.6, f"axis={axis}", size=16)
        _pieces(diagram, f"a{axis}_piece", x_pieces, y0, pieces, PIECE_COLOURS)
    return diagram


def stack_axes(count: int = 2, length: int = 3) -> Diagram:
    """tf.stack of ``count`` vectors of ``length`` on axis 0 and on axis 1 (Lab 02).

    Axis 0 puts each source in a row, shape (count, length); axis 1 puts each in
    a column, shape (length, count). Colours follow the sources.
    """
    count, length = positive_int("count", count), positive_int("length", length)
    if count > len(PIECE_COLOURS):
        raise ValueError(f"count must be at most {len(PIECE_COLOURS)}, got {count}")
    names = "abcdef"[:count]
    sources = [[f"${name}_{j}$" for j in range(length)] for name in names]
    diagram = Diagram()
    _pieces(diagram, "src", 0.45, 0, sources, PIECE_COLOURS)
    x_result = 0.45 + length * CELL + 1.6
    diagram.add_note(x_result - 0.8, -(count - 1) * (CELL + PIECE_GAP) / 2, "→", size=24)
    _grid(diagram, "axis0_", x_result, 0, sources,
          [[PIECE_COLOURS[k]] * length for k in range(count)])
    diagram.add_note(x_result + (length - 1) * CELL / 2, 0.6,
                     f"axis=0  $({count}, {length})$", size=16)
    x_axis1 = x_result + length * CELL + 1.0
    transposed = [list(row) for row in zip(*sources)]
    _grid(diagram, "axis1_", x_axis1, 0, transposed, [list(PIECE_COLOURS[:count])] * length)
    diagram.add_note(x_axis1 + (count - 1) * CELL / 2, 0.6,
                     f"axis=1  $({length}, {count})$", size=16)
    return diagram


def mnist_rows(rows: int = 28, shown: int = 3) -> Diagram:
    """An MNIST digit read row by row: ``rows`` time steps, one output at the end (Lab 03).

    The first ``shown`` steps and the last are drawn; a dashed W edge and an
    ellipsis stand for the steps in between. o = softmax(V s_T) is the class.
    """
    rows, shown = positive_int("rows", rows), positive_int("shown", shown)
    if shown >= rows:
        raise ValueError(f"shown must be fewer than rows ({rows}) to leave steps out, got {shown}")
    indices = [str(t) for t in range(1, shown + 1)] + [str(rows)]
    diagram = Diagram()
    for k, index in enumerate(indices):
        x = k * STEP + (0.6 if k == shown else 0)          # room for the ellipsis
        diagram.add_node(f"x{k}", x, ROW["input"], _sub("x", index), "input")
        diagram.add_node(f"s{k}", x, ROW["state"], _sub("s", index), "state")
        diagram.add_edge(f"x{k}", f"s{k}", "$U$")
        if k > 0:
            diagram.add_edge(f"s{k-1}", f"s{k}", "$W$", dashed=(k == shown))
    last = diagram.node(f"s{shown}")
    diagram.add_node("o", last.x, ROW["output"], "$o$", "output")
    diagram.add_edge(f"s{shown}", "o", "$V$")
    diagram.add_note((shown - 0.5) * STEP + 0.3, ROW["input"], "⋯", size=22)
    return diagram


# --- 18-3: the character model ----------------------------------------------------

TARGET_ROW = 4.4


def _characters(text: str, minimum: int = 2) -> list[str]:
    if not isinstance(text, str) or len(text) < minimum:
        raise ValueError(f"text must be a string of at least {minimum} characters, got {text!r}")
    return list(text)


def char_model(text: str = "hello") -> Diagram:
    """The character model of 18-3 unrolled on ``text``: input and expected character per step.

    Step t reads character t and is expected to output character t+1
    ("h" -> "e", "e" -> "l", ...); the expected characters sit above the outputs.
    """
    chars = _characters(text)
    diagram = chain(len(chars) - 1, shared=True, inputs=chars[:-1])
    for t, target in enumerate(chars[1:]):
        diagram.add_node(f"y{t}", t * STEP, TARGET_ROW, _token(target), "target")
        diagram.add_edge(f"o{t}", f"y{t}", dashed=True)
    return diagram


def summed_loss(text: str = "hello") -> Diagram:
    """The loss of 18-3: one cross-entropy L_t per step between o_t and y_t, summed into L."""
    chars = _characters(text)
    steps = len(chars) - 1
    diagram = chain(steps, shared=True, inputs=chars[:-1])
    total_x = (steps - 1) * STEP / 2
    diagram.add_node("L", total_x, TARGET_ROW + 1.9, "$L$", "loss")
    for t, target in enumerate(chars[1:]):
        x = t * STEP
        diagram.add_node(f"y{t}", x + 0.75, ROW["output"], _token(target), "target")
        diagram.add_node(f"L{t}", x, TARGET_ROW, _sub("L", str(t + 1)), "loss")
        diagram.add_edge(f"o{t}", f"L{t}")
        diagram.add_edge(f"y{t}", f"L{t}")
        diagram.add_edge(f"L{t}", "L")
    diagram.add_note(total_x + 1.3, TARGET_ROW + 1.9, r"$= \sum_t L_t$", size=19)
    return diagram


def generation(text: str = "PAND") -> Diagram:
    """Generating text (18-3): each sampled character is fed back in as the next input.

    ``text[0]`` is the prompt ("P" in the seed); the rest are the characters
    the network samples, drawn above the outputs, each feeding the next step.
    """
    chars = _characters(text)
    steps = len(chars) - 1
    diagram = chain(steps, shared=True, inputs=chars[:-1])
    for t, sampled in enumerate(chars[1:]):
        # Between the columns, so the way back down passes clear of the states.
        diagram.add_node(f"y{t}", (t + 0.5) * STEP, TARGET_ROW, _token(sampled), "token")
        diagram.add_edge(f"o{t}", f"y{t}")
        if t + 1 < steps:
            diagram.add_edge(f"y{t}", f"x{t + 1}", dashed=True, bend=0.15)
    return diagram
