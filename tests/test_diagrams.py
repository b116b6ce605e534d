"""Each diagram shows what its section says: nodes, edges, weight labels, steps."""

from collections import Counter

import pytest
from matplotlib.figure import Figure

from booktools.figures import diagrams
from booktools.figures.drawing import Diagram, draw


def nodes_of_kind(diagram, kind):
    return [node for node in diagram.nodes if node.kind == kind]


def edge_labels(diagram):
    return [edge.label for edge in diagram.edges if edge.label]


def _labels(diagram):
    return Counter(edge_labels(diagram))


def test_shared_chain_uses_one_u_v_w_at_every_step():
    chain = diagrams.chain(4, shared=True)
    assert len(nodes_of_kind(chain, "input")) == 4
    assert len(nodes_of_kind(chain, "state")) == 4
    assert len(nodes_of_kind(chain, "output")) == 4
    assert _labels(chain) == Counter({"$U$": 4, "$V$": 4, "$W$": 3})


def test_unshared_chain_gives_every_position_its_own_weights():
    chain = diagrams.chain(4, shared=False)
    labels = edge_labels(chain)
    assert len(labels) == len(set(labels)) == 11
    assert {"$U_{1}$", "$U_{4}$", "$V_{4}$", "$W_{3}$"} <= set(labels)


def test_state_edges_run_forward_in_time():
    chain = diagrams.chain(3)
    recurrent = [(e.source, e.target) for e in chain.edges if e.label == "$W$"]
    assert recurrent == [("s0", "s1"), ("s1", "s2")]
    xs = [chain.node(f"s{t}").x for t in range(3)]
    assert xs == sorted(xs)


def test_folded_rnn_loops_w_on_the_state():
    folded = diagrams.folded_rnn()
    loops = [e for e in folded.edges if e.source == e.target]
    assert [(e.source, e.label) for e in loops] == [("s", "$W$")]
    assert _labels(folded) == Counter({"$U$": 1, "$V$": 1, "$W$": 1})


def test_folded_and_unrolled_shows_both_views_with_the_same_weights():
    both = diagrams.folded_and_unrolled()
    assert len(nodes_of_kind(both, "state")) == 1 + 3
    assert {n.label for n in nodes_of_kind(both, "state")} == {
        "$s_t$", "$s_{t-1}$", "$s_{t}$", "$s_{t+1}$"}
    assert set(edge_labels(both)) == {"$U$", "$V$", "$W$"}
    assert any(note.text == "$=$" for note in both.notes)


def test_time_steps_diagram_has_t_steps_and_says_so():
    diagram = diagrams.time_steps(4)
    assert len(nodes_of_kind(diagram, "input")) == 4
    assert [n.text for n in diagram.notes] == ["$T = 4$"]


def test_branching_net_joins_the_word_branches():
    net = diagrams.branching_net(("leave", "Taiwan"))
    assert [n.label for n in nodes_of_kind(net, "token")] == ["leave", "Taiwan"]
    assert ("s0", "s1") in [(e.source, e.target) for e in net.edges]
    assert "$W_{1}$" in edge_labels(net)


def test_feedforward_per_word_has_no_edge_between_steps():
    net = diagrams.feedforward_per_word(("I", "will", "leave", "Taiwan"))
    for edge in net.edges:
        assert edge.source[1:] == edge.target[1:]  # same step index on both ends
    assert len(nodes_of_kind(net, "token")) == 4


def test_draw_puts_every_label_on_the_figure():
    diagram = diagrams.folded_and_unrolled()
    figure = draw(diagram)
    assert isinstance(figure, Figure)
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert {n.label for n in diagram.nodes} <= texts
    assert set(edge_labels(diagram)) <= texts
    assert figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)  # readable on a dark page


def test_tokens_show_spaces_visibly():
    chain = diagrams.chain(2, inputs=["a", " "])
    assert [n.label for n in nodes_of_kind(chain, "token")] == ["a", "␣"]


@pytest.mark.parametrize("steps", [0, -1])
def test_non_positive_steps_are_rejected(steps):
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        diagrams.chain(steps)


def test_bad_diagram_input_is_explained():
    with pytest.raises(TypeError, match="steps must be a positive integer, got str"):
        diagrams.time_steps("4")
    with pytest.raises(ValueError, match="indices must name each of the 3 steps, got 2"):
        diagrams.chain(3, indices=("a", "b"))
    with pytest.raises(ValueError, match="inputs must give one token per step"):
        diagrams.chain(3, inputs=["a"])
    with pytest.raises(ValueError, match="at least two words"):
        diagrams.branching_net("leave")
    with pytest.raises(ValueError, match="non-empty sequence of words"):
        diagrams.feedforward_per_word([])


def test_diagram_layer_rejects_inconsistent_graphs():
    diagram = Diagram()
    diagram.add_node("a", 0, 0, "$a$", "input")
    with pytest.raises(ValueError, match="already exists"):
        diagram.add_node("a", 1, 0, "$b$")
    with pytest.raises(ValueError, match="edge end 'b' is not a node"):
        diagram.add_edge("a", "b")
    with pytest.raises(ValueError, match="node kind must be one of"):
        diagram.add_node("c", 0, 0, "c", "neuron")
    with pytest.raises(ValueError, match="duplicate node names"):
        diagram.merged(diagram)
    with pytest.raises(ValueError, match="no nodes"):
        draw(Diagram())
    with pytest.raises(TypeError, match="draw expects a Diagram"):
        draw("a diagram")
    with pytest.raises(ValueError, match="scale must be positive"):
        draw(diagram, scale=0)


def _cells(diagram, prefix):
    return [n for n in diagram.nodes if n.kind == "cell" and n.name.startswith(prefix)]


def test_unstack_axes_splits_rows_then_columns():
    diagram = diagrams.unstack_axes(4, 3)
    assert len(_cells(diagram, "a0_src")) == len(_cells(diagram, "a1_src")) == 12
    axis0 = _cells(diagram, "a0_piece")
    axis1 = _cells(diagram, "a1_piece")
    assert [n.label for n in axis0 if n.name.startswith("a0_piece1_")] == ["3", "4", "5"]
    assert [n.label for n in axis1 if n.name.startswith("a1_piece1_")] == ["1", "4", "7", "10"]
    assert len({n.fill for n in axis0}) == 4 and len({n.fill for n in axis1}) == 3
    assert {"axis=0", "axis=1"} <= {note.text for note in diagram.notes}


def test_unstack_piece_colours_match_the_source_cells():
    diagram = diagrams.unstack_axes(2, 3)
    source = {n.label: n.fill for n in _cells(diagram, "a1_src")}
    for piece in _cells(diagram, "a1_piece"):
        assert piece.fill == source[piece.label]


def test_stack_axes_puts_sources_in_rows_then_columns():
    diagram = diagrams.stack_axes(2, 3)
    axis0 = {n.name: n.label for n in _cells(diagram, "axis0_")}
    axis1 = {n.name: n.label for n in _cells(diagram, "axis1_")}
    assert [axis0[f"axis0_1_{j}"] for j in range(3)] == ["$b_0$", "$b_1$", "$b_2$"]
    assert [axis1[f"axis1_{i}_1"] for i in range(3)] == ["$b_0$", "$b_1$", "$b_2$"]
    texts = {note.text for note in diagram.notes}
    assert "axis=0  $(2, 3)$" in texts and "axis=1  $(3, 2)$" in texts


def test_mnist_rows_has_one_output_after_the_last_row():
    diagram = diagrams.mnist_rows(28, shown=3)
    assert [n.label for n in nodes_of_kind(diagram, "input")] == [
        "$x_{1}$", "$x_{2}$", "$x_{3}$", "$x_{28}$"]
    assert len(nodes_of_kind(diagram, "output")) == 1
    assert [(e.source, e.target) for e in diagram.edges if e.label == "$V$"] == [("s3", "o")]
    assert [e.dashed for e in diagram.edges if e.label == "$W$"] == [False, False, True]


def test_lab_diagrams_reject_bad_sizes():
    with pytest.raises(ValueError, match="at most 6"):
        diagrams.unstack_axes(7, 3)
    with pytest.raises(ValueError, match="rows must be a positive integer"):
        diagrams.unstack_axes(0, 3)
    with pytest.raises(ValueError, match="count must be at most"):
        diagrams.stack_axes(9, 2)
    with pytest.raises(ValueError, match="shown must be fewer than rows"):
        diagrams.mnist_rows(3, shown=3)


def test_char_model_pairs_each_input_with_the_next_character():
    diagram = diagrams.char_model("hello")
    inputs = [n.label for n in nodes_of_kind(diagram, "token")]
    targets = [n.label for n in nodes_of_kind(diagram, "target")]
    assert list(zip(inputs, targets)) == [("h", "e"), ("e", "l"), ("l", "l"), ("l", "o")]
    assert [(e.source, e.target) for e in diagram.edges if e.dashed] == [
        ("o0", "y0"), ("o1", "y1"), ("o2", "y2"), ("o3", "y3")]


def test_summed_loss_has_one_term_per_step_feeding_the_total():
    diagram = diagrams.summed_loss("hello")
    terms = [n.name for n in nodes_of_kind(diagram, "loss") if n.name != "L"]
    assert terms == ["L0", "L1", "L2", "L3"]
    assert sorted(e.source for e in diagram.edges if e.target == "L") == terms
    for t in range(4):
        assert {e.source for e in diagram.edges if e.target == f"L{t}"} == {f"o{t}", f"y{t}"}


def test_generation_feeds_each_sample_back_as_the_next_input():
    diagram = diagrams.generation("PAND")
    assert [n.label for n in diagram.nodes if n.name.startswith("x")] == ["P", "A", "N"]
    feedback = [(e.source, e.target) for e in diagram.edges if e.dashed]
    assert feedback == [("y0", "x1"), ("y1", "x2")]
    assert diagram.node("y0").label == diagram.node("x1").label == "A"


def test_character_diagrams_need_two_characters():
    for describe in (diagrams.char_model, diagrams.summed_loss, diagrams.generation):
        with pytest.raises(ValueError, match="at least 2 characters"):
            describe("h")


def _panel(diagram, name):
    return [n for n in diagram.nodes if n.name.startswith(f"{name}:")]


def _labels_of(nodes, kind):
    return [n.label for n in nodes if n.kind == kind]


def test_sequence_tasks_put_inputs_and_outputs_where_each_kind_has_them():
    diagram = diagrams.sequence_tasks()
    steps = ["$s_{1}$", "$s_{2}$", "$s_{T}$"]
    one_to_many = _panel(diagram, "one-to-many")
    assert _labels_of(one_to_many, "input") == ["$x_{1}$"]
    assert _labels_of(one_to_many, "output") == ["$o_{1}$", "$o_{2}$", "$o_{T}$"]
    many_to_one = _panel(diagram, "many-to-one")
    assert _labels_of(many_to_one, "input") == ["$x_{1}$", "$x_{2}$", "$x_{T}$"]
    assert _labels_of(many_to_one, "output") == ["$o_{T}$"]
    many_to_many = _panel(diagram, "many-to-many")
    assert _labels_of(many_to_many, "input") == ["$x_{1}$", "$x_{2}$", "$x_{T}$"]
    assert _labels_of(many_to_many, "output") == ["$o_{1}$", "$o_{2}$", "$o_{T}$"]
    for panel in (one_to_many, many_to_one, many_to_many):
        assert _labels_of(panel, "state") == steps


def test_sequence_tasks_read_top_to_bottom_with_shape_marks_and_no_words():
    diagram = diagrams.sequence_tasks()
    tops = [max(n.y for n in _panel(diagram, name)) for name in diagrams.SEQUENCE_TASKS]
    bottoms = [min(n.y for n in _panel(diagram, name)) for name in diagrams.SEQUENCE_TASKS]
    assert tops == sorted(tops, reverse=True)
    assert all(bottom > top for bottom, top in zip(bottoms, tops[1:]))   # panels don't overlap
    marks = [n.text for n in diagram.notes if "\\to" in n.text]
    assert marks == [r"$1 \to T$", r"$T \to 1$", r"$T \to T$"]
    assert all(n.label.startswith("$") for n in diagram.nodes)           # symbols only
    assert set(edge_labels(diagram)) == {"$U$", "$V$", "$W$"}


def test_task_chain_links_every_output_to_its_state_and_dashes_the_gap():
    chain = diagrams.task_chain(inputs="every", outputs="last", shown=3)
    assert [(e.source, e.target) for e in chain.edges if e.label == "$V$"] == [("s3", "o3")]
    assert [e.dashed for e in chain.edges if e.label == "$W$"] == [False, False, True]
    assert [n.text for n in chain.notes] == ["⋯"]          # only the input row continues


def test_task_chain_rejects_unknown_places():
    with pytest.raises(ValueError, match="inputs must be one of .*got 'all'"):
        diagrams.task_chain(inputs="all")
    with pytest.raises(ValueError, match="outputs must be one of"):
        diagrams.task_chain(outputs=None)
    with pytest.raises(ValueError, match="shown must be a positive integer"):
        diagrams.task_chain(shown=0)


def test_a_note_with_a_width_gets_room_on_the_canvas():
    diagram = Diagram()
    diagram.add_node("a", 0, 0, "$a$", "input")
    narrow = draw(diagram).get_size_inches()[0]
    diagram.add_note(-1.0, 0, r"$1 \to T$", width=1.2)
    wide = draw(diagram).get_size_inches()[0]
    assert wide > narrow + 1.0 * 0.9            # the note's left half (0.6) past its centre


def test_merged_shifts_nodes_and_notes_down_as_well_as_right():
    base = Diagram()
    base.add_node("a", 0, 0, "$a$")
    other = Diagram()
    other.add_node("a", 1, 1, "$b$")
    other.add_note(1, 2, "$=$")
    both = base.merged(other, dx=2, dy=-3, prefix="o")
    assert (both.node("oa").x, both.node("oa").y) == (3, -2)
    assert (both.notes[0].x, both.notes[0].y) == (3, -1)
