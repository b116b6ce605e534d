"""A tiny graph-drawing layer over matplotlib for the chapter's diagrams.

A :class:`Diagram` is a plain description (nodes with positions and symbols,
edges with labels, free-standing notes), so tests can check *what* a figure
shows; :func:`draw` turns it into a matplotlib Figure. Figures carry symbols
(x_t, s_t, o_t, U, V, W, characters), never prose, so one figure serves both
editions of the book.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Figure objects are built directly (not through pyplot), so no backend or
# window is involved and drawing never changes the notebook's backend.
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

#: Fill colours by node kind. Light fills with dark ink on a white canvas stay
#: readable when the book's dark theme puts the image on a dark page.
KIND_COLOURS = {
    "input": "#dbeafe",    # x_t
    "state": "#fde68a",    # s_t
    "output": "#dcfce7",   # o_t
    "target": "#fce7f3",   # expected output y_t
    "loss": "#fee2e2",
    "token": "#f3f4f6",    # a word or character
    "cell": "#f3f4f6",     # one entry of an array (stack/unstack diagrams)
}
#: Colours that tell the pieces of an array apart (unstack/stack diagrams).
PIECE_COLOURS = ("#bfdbfe", "#fde68a", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa")
INK = "#111827"
NODE_RADIUS = 0.38
CELL_SIZE = 0.5         # side of an array cell, in diagram units
INCHES_PER_UNIT = 0.9   # one unit of diagram coordinates at scale 1
#: Font sizes (points) of node labels and edge labels. Large for the layout, so that
#: the widest diagram, shrunk to a 375 px phone's article, still shows its smallest
#: text (a subscript, 0.7 of its label) at 7 CSS px (tests/test_figure_legibility.py).
LABEL_SIZE = 17.5
EDGE_LABEL_SIZE = 16
#: Width of a character of a node label, in diagram units (for token boxes).
_CHAR_WIDTH = 0.62 * LABEL_SIZE / (72 * INCHES_PER_UNIT)


@dataclass(frozen=True)
class Node:
    """A circle (a box for tokens, a square for array cells) at (x, y) holding a symbol.

    ``fill`` overrides the colour of the node's kind (to tell pieces apart).
    """

    name: str
    x: float
    y: float
    label: str
    kind: str = "state"
    fill: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_COLOURS:
            raise ValueError(f"node kind must be one of {sorted(KIND_COLOURS)}, got {self.kind!r}")


@dataclass(frozen=True)
class Edge:
    """An arrow from ``source`` to ``target`` with an optional weight label.

    A self-loop (source == target) is drawn as an arc on the node's right, the
    folded RNN's recurrence. ``bend`` curves an ordinary edge (arc3 radius).
    """

    source: str
    target: str
    label: str = ""
    dashed: bool = False
    bend: float = 0.0


@dataclass(frozen=True)
class Note:
    """A free-standing symbol or brace text, e.g. ``t = 1`` or ``=``.

    ``width`` (diagram units) is how wide the text is, for a note at the edge of
    a figure: the canvas then leaves it room. At 0 only its centre is counted.
    """

    x: float
    y: float
    text: str
    size: float = 17
    width: float = 0.0


@dataclass
class Diagram:
    """Nodes, edges and notes; the unit that tests inspect and :func:`draw` renders."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def add_node(self, name: str, x: float, y: float, label: str, kind: str = "state",
                 fill: str | None = None) -> Node:
        if any(node.name == name for node in self.nodes):
            raise ValueError(f"a node named {name!r} already exists")
        node = Node(name, x, y, label, kind, fill)
        self.nodes.append(node)
        return node

    def add_edge(self, source: str, target: str, label: str = "", dashed: bool = False,
                 bend: float = 0.0) -> Edge:
        names = self.node_names()
        for end in (source, target):
            if end not in names:
                raise ValueError(f"edge end {end!r} is not a node; nodes are {sorted(names)}")
        edge = Edge(source, target, label, dashed, bend)
        self.edges.append(edge)
        return edge

    def add_note(self, x: float, y: float, text: str, size: float = 17,
                 width: float = 0.0) -> Note:
        note = Note(x, y, text, size, width)
        self.notes.append(note)
        return note

    def node_names(self) -> set[str]:
        return {node.name for node in self.nodes}

    def node(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node named {name!r}")

    def merged(self, other: Diagram, dx: float = 0.0, prefix: str = "",
               dy: float = 0.0) -> Diagram:
        """This diagram plus ``other`` shifted right by ``dx`` and up by ``dy``, its names
        prefixed."""
        moved = Diagram()
        for node in other.nodes:
            moved.nodes.append(replace(node, name=prefix + node.name, x=node.x + dx,
                                       y=node.y + dy))
        for edge in other.edges:
            moved.edges.append(replace(edge, source=prefix + edge.source,
                                       target=prefix + edge.target))
        for note in other.notes:
            moved.notes.append(replace(note, x=note.x + dx, y=note.y + dy))
        clash = self.node_names() & moved.node_names()
        if clash:
            raise ValueError(f"merging would duplicate node names {sorted(clash)}; pass a prefix")
        return Diagram(self.nodes + moved.nodes, self.edges + moved.edges,
                       self.notes + moved.notes)


def draw(diagram: Diagram, scale: float = 1.0) -> Figure:
    """Render ``diagram`` as a matplotlib Figure with a white canvas."""
    if not isinstance(diagram, Diagram):
        raise TypeError(f"draw expects a Diagram, got {type(diagram).__name__}")
    if not diagram.nodes:
        raise ValueError("cannot draw a diagram with no nodes")
    lefts = ([n.x - _half_width(n) for n in diagram.nodes]
             + [n.x - n.width / 2 for n in diagram.notes])
    rights = ([n.x + _half_width(n) for n in diagram.nodes]
              + [n.x + n.width / 2 for n in diagram.notes])
    ys = [n.y for n in diagram.nodes] + [n.y for n in diagram.notes]
    pad = 0.55
    left, right = min(lefts) - pad + NODE_RADIUS, max(rights) + pad - NODE_RADIUS
    right += 0.6 if _has_loop(diagram) else 0
    bottom, top = min(ys) - pad, max(ys) + pad
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    inches = INCHES_PER_UNIT * scale
    width, height = (right - left) * inches, (top - bottom) * inches
    fig = Figure(figsize=(width, height), facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    by_name = {node.name: node for node in diagram.nodes}
    for edge in diagram.edges:
        _draw_edge(ax, by_name[edge.source], by_name[edge.target], edge, points=inches * 72)
    for node in diagram.nodes:
        _draw_node(ax, node)
    for note in diagram.notes:
        ax.text(note.x, note.y, note.text, ha="center", va="center", fontsize=note.size,
                color=INK)
    return fig


def _has_loop(diagram: Diagram) -> bool:
    return any(edge.source == edge.target for edge in diagram.edges)


def _half_width(node: Node) -> float:
    """Half the width of a node's shape: a token's box is wide enough for its word."""
    if node.kind == "token":
        return max(NODE_RADIUS, 0.5 * _CHAR_WIDTH * len(node.label) + 0.12)
    return CELL_SIZE / 2 if node.kind == "cell" else NODE_RADIUS


def _draw_node(ax, node: Node) -> None:
    r = NODE_RADIUS
    fill = node.fill or KIND_COLOURS[node.kind]
    if node.kind == "token":
        half = _half_width(node)
        patch = FancyBboxPatch((node.x - half, node.y - r * 0.8), 2 * half, 1.6 * r,
                               boxstyle="round,pad=0.02,rounding_size=0.12",
                               facecolor=fill, edgecolor=INK, linewidth=1.2)
    elif node.kind == "cell":
        half = CELL_SIZE / 2
        patch = FancyBboxPatch((node.x - half, node.y - half), CELL_SIZE, CELL_SIZE,
                               boxstyle="square,pad=0", facecolor=fill, edgecolor=INK,
                               linewidth=1.0)
    else:
        patch = Circle((node.x, node.y), r, facecolor=fill, edgecolor=INK, linewidth=1.2)
    ax.add_patch(patch)
    ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=LABEL_SIZE,
            color=INK)


def _draw_edge(ax, source: Node, target: Node, edge: Edge, points: float) -> None:
    """Draw one arrow; ``points`` is the size of one diagram unit in points."""
    style = dict(arrowstyle="-|>", mutation_scale=14, color=INK, linewidth=1.3,
                 linestyle="--" if edge.dashed else "-")
    if source is target:
        dx, dy = 0.77 * NODE_RADIUS, 0.64 * NODE_RADIUS   # on the circle, 40 degrees up/down
        start = (source.x + dx, source.y + dy)
        end = (source.x + dx, source.y - dy)
        arrow = FancyArrowPatch(start, end, connectionstyle="arc3,rad=-2.2", **style)
        label_at = (source.x + 1.05, source.y)
    else:
        arrow = FancyArrowPatch((source.x, source.y), (target.x, target.y),
                                connectionstyle=f"arc3,rad={edge.bend}",
                                shrinkA=NODE_RADIUS * points, shrinkB=NODE_RADIUS * points,
                                **style)
        label_at = _label_position(source, target, edge.bend)
    ax.add_patch(arrow)
    if edge.label:
        ax.text(*label_at, edge.label, ha="center", va="center", fontsize=EDGE_LABEL_SIZE,
                color=INK,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))


def _label_position(source: Node, target: Node, bend: float) -> tuple[float, float]:
    """Midpoint of the edge, nudged off the line so the label does not sit on the arrow."""
    mx, my = (source.x + target.x) / 2, (source.y + target.y) / 2
    dx, dy = target.x - source.x, target.y - source.y
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    nx, ny = -dy / length, dx / length           # left normal of the edge
    offset = 0.24 + abs(bend) * length * 0.5
    sign = -1 if bend > 0 else 1
    if abs(dy) > abs(dx):                        # vertical edges: put labels to the left
        return mx - 0.28 - abs(bend) * length * 0.5, my
    return mx + sign * nx * offset, my + sign * ny * offset
