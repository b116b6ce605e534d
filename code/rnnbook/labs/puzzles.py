"""Shape puzzles of Labs 01 and 02: a question before an exercise, answered in the page.

    puzzle("lab01-unstack-axis1")    # a code cell before the exercise displays it

Most readers read the book without a kernel, so each puzzle is answered in
the page (``_static/puzzles/puzzles.js``) and, in a notebook, shows its
question and a line of TensorFlow to try. A puzzle is a small setting (the
op, the input's shape, the axis asked about, the likely mistakes) and
everything it shows is computed from it:

- the answer, from NumPy's own stack and unstack (tests/test_puzzles.py
  checks each against TensorFlow);
- for each option, the feedback of the lab's checker (check_unstack,
  check_stack, check_unstack_axis, check_stack_axis) given an answer that
  makes that option's mistake, so the page says what the checker says.

Four kinds of question (``asks``):

    op="unstack", asks="result"   what tf.unstack(x, axis=k) returns     options: lists
    op="unstack", asks="axis"     which axis gives pieces of a shape     options: axes
    op="stack",   asks="result"   the shape of tf.stack(tensors, axis=k)  options: shapes
    op="stack",   asks="axis"     which axis gives a result of a shape    options: axes

A result puzzle's mistakes are ``("axis", k)`` (the op on axis k),
``("split",)`` (tf.split, which keeps the axis: unstack only) and
``("concat", k)`` (tf.concat along axis k: stack only); an axis puzzle's
options are the axes it lists.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from rnnbook.labs.axis_choice import check_stack_axis, check_unstack_axis
from rnnbook.labs.common import CheckResult, count_of_shape
from rnnbook.labs.stack import check_stack
from rnnbook.labs.unstack import check_unstack
from rnnbook.show.language import LANGUAGES, Text, as_text, say, to_html

OPS = ("unstack", "stack")
ASKS = ("result", "axis")
MISTAKES = {"unstack": ("axis", "split"), "stack": ("axis", "concat")}

#: The words of the puzzle's frame, in both languages (the page's script shows its own).
WORDS = {
    "title": Text("Quick check", "小測驗"),
    "check": Text("Check", "檢查答案"),
    "choose": Text("Choose an answer first.", "請先選一個答案。"),
}
TRY_IT = Text("Choose an answer, then try it with TensorFlow in a new cell: `{code}`",
              "先選好答案，再到新的程式碼儲存格用TensorFlow試試看：`{code}`")


@dataclass(frozen=True)
class Option:
    """One answer a reader may choose: its words, what it stands for, the checker's feedback."""

    label: Text
    value: tuple | int          # (count, shape) or a shape for results; an axis for axes
    correct: bool
    feedback: Text              # the checker's verdict and message for this answer


@dataclass(frozen=True)
class Puzzle:
    """A shape question about ``tf.unstack`` or ``tf.stack``, its answer computed (Labs 01-02).

    ``shape`` is the shape of ``x`` (unstack) or of each of the ``count``
    tensors (stack); ``axis`` is the axis of the question; ``mistakes`` the
    wrong options of a result puzzle, ``axes`` the options of an axis
    puzzle; ``question`` replaces the standard question when given.
    """

    id: str
    op: str
    asks: str
    shape: tuple
    axis: int
    count: int = 0
    mistakes: tuple = ()
    axes: tuple = ()
    question: Text | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise TypeError(f"a puzzle's id must be a non-empty str, got {self.id!r}")
        if self.op not in OPS:
            raise ValueError(f"puzzle {self.id}: op must be one of {OPS}, got {self.op!r}")
        if self.asks not in ASKS:
            raise ValueError(f"puzzle {self.id}: asks must be one of {ASKS}, got {self.asks!r}")
        if not isinstance(self.shape, tuple) or not self.shape or not all(
                type(size) is int and size > 0 for size in self.shape):
            raise TypeError(f"puzzle {self.id}: shape must be a non-empty tuple of positive "
                            f"ints, got {self.shape!r}")
        if type(self.count) is not int or (self.op == "stack") != (self.count > 0):
            raise ValueError(f"puzzle {self.id}: count (how many tensors to stack) must be a "
                             f"positive int for stack and 0 for unstack, got {self.count!r}")
        if type(self.axis) is not int or not 0 <= self.axis < self._result_ndim:
            raise ValueError(f"puzzle {self.id}: axis must be an int in 0..{self._result_ndim - 1}"
                             f", got {self.axis!r}")
        if self.question is not None and not isinstance(self.question, Text):
            raise TypeError(f"puzzle {self.id}: question must be a Text or None, "
                            f"got {type(self.question).__name__}")
        self._check_options()

    def _check_options(self) -> None:
        if self.asks == "result":
            if self.axes:
                raise ValueError(f"puzzle {self.id}: a result puzzle lists mistakes, not axes")
            for mistake in self.mistakes:
                if (not isinstance(mistake, tuple) or not mistake
                        or mistake[0] not in MISTAKES[self.op]):
                    raise ValueError(f"puzzle {self.id}: each mistake must be a tuple whose "
                                     f"first item is one of {MISTAKES[self.op]}, got {mistake!r}")
        else:
            if self.mistakes:
                raise ValueError(f"puzzle {self.id}: an axis puzzle lists axes, not mistakes")
            if self.axis not in self.axes or not all(type(k) is int for k in self.axes):
                raise ValueError(f"puzzle {self.id}: axes must be ints including the answer "
                                 f"{self.axis}, got {self.axes!r}")
        options = self.options       # every option computed now: a wrong one fails at import
        if len({option.value for option in options}) != len(options):
            raise ValueError(f"puzzle {self.id}: two options give the same result")
        if [option.correct for option in options].count(True) != 1:
            raise ValueError(f"puzzle {self.id}: the checker must accept exactly one option")

    # ------------------------------------------------------------------ the setting

    @property
    def _result_ndim(self) -> int:
        """The axes ``axis`` may name: those of x (unstack) or of the stacked result (stack)."""
        return len(self.shape) + (self.op == "stack")

    @cached_property
    def _source(self):
        """x (unstack) or the list of tensors (stack): distinct numbers, so mistakes show."""
        size = int(np.prod(self.shape))
        if self.op == "unstack":
            return np.arange(size).reshape(self.shape)
        return [np.arange(size).reshape(self.shape) + i * size for i in range(self.count)]

    def _run(self, kind: str, axis: int | None = None):
        """What an answer computes: the op on ``axis``, or the op a mistake puts in its place."""
        axis = self.axis if axis is None else axis
        if self.op == "unstack":
            if kind == "split":
                return np.split(self._source, self.shape[axis], axis)
            return list(np.moveaxis(self._source, axis, 0))
        if kind == "concat":
            return np.concatenate(self._source, axis)
        return np.stack(self._source, axis)

    @property
    def wanted(self) -> tuple:
        """The shape an axis puzzle names: each piece's (unstack) or the result's (stack)."""
        result = self._run("axis")
        return result[0].shape if self.op == "unstack" else result.shape

    @property
    def answer(self) -> tuple | int:
        """The right answer: (count, piece shape), the stacked shape, or the axis."""
        if self.asks == "axis":
            return self.axis
        return self._value(self._run("axis"))

    def _value(self, result) -> tuple:
        if self.op == "unstack":
            return (len(result), result[0].shape)
        return result.shape

    # ------------------------------------------------------------------ the options

    def check(self, answer) -> CheckResult:
        """The lab's checker on ``answer``: a list or a tensor (result puzzles), an axis."""
        if self.asks == "axis":
            check = check_unstack_axis if self.op == "unstack" else check_stack_axis
            return check(answer, self._source, self.wanted)
        check = check_unstack if self.op == "unstack" else check_stack
        return check(answer, self._source, self.axis)

    @cached_property
    def options(self) -> tuple[Option, ...]:
        """Every option, the right one among them: axes in order, results in a fixed shuffle."""
        if self.asks == "axis":
            return tuple(self._option(axis, axis) for axis in sorted(self.axes))
        answers = [("axis",), *self.mistakes]
        options = [self._option(self._value(result), result)
                   for result in (self._run(*answer) for answer in answers)]
        # The same order on every build, but not one that gives the answer's place away.
        return tuple(sorted(options, key=lambda option: hashlib.sha256(
            f"{self.id} {option.value}".encode()).hexdigest()))

    def _option(self, value, answer) -> Option:
        result = self.check(answer)
        return Option(self._label(value), value, bool(result), result.text())

    def _label(self, value) -> Text:
        if self.asks == "axis":
            return as_text(f"`axis={value}`")
        if self.op == "unstack":
            return say("a list of {tensors}", "由{tensors}組成的串列",
                       tensors=count_of_shape(*value))
        return say("shape {shape}", "形狀{shape}", shape=value)

    # ------------------------------------------------------------------ the words

    @property
    def text(self) -> Text:
        """The question, in both languages."""
        if self.question is not None:
            return self.question
        shape, axis, count = self.shape, self.axis, self.count
        if self.op == "unstack" and self.asks == "result":
            return say("What does `tf.unstack(source, axis={axis})` return for `source` of shape {shape}?",
                       "`source`的形狀是{shape}，`tf.unstack(source, axis={axis})`會傳回什麼？",
                       axis=axis, shape=shape)
        if self.op == "unstack":
            return say("`source` has shape {shape}. Which axis must `tf.unstack` remove to give "
                       "tensors of shape {wanted}?",
                       "`source`的形狀是{shape}。`tf.unstack`要拿掉哪一個軸，才會得到形狀為{wanted}的張量？",
                       shape=shape, wanted=self.wanted)
        if self.asks == "result":
            return say("`sources` is a list of {count} tensors of shape {shape}. What is the shape "
                       "of `tf.stack(sources, axis={axis})`?",
                       "`sources`是由{count}個形狀為{shape}的張量組成的串列。"
                       "`tf.stack(sources, axis={axis})`的形狀是什麼？",
                       count=count, shape=shape, axis=axis)
        return say("Which axis gives shape {wanted} when stacking {count} tensors of shape "
                   "{shape}?",
                   "把{count}個形狀為{shape}的張量stack起來時，哪一個軸會得到形狀{wanted}？",
                   wanted=self.wanted, count=count, shape=shape)

    @property
    def try_it(self) -> str:
        """A line of TensorFlow that shows the answer when run (the notebook's prompt)."""
        zeros = f"tf.zeros({self.shape})"
        if self.op == "unstack" and self.asks == "result":
            return f"[t.shape for t in tf.unstack({zeros}, axis={self.axis})]"
        if self.op == "unstack":
            return f"[tf.unstack({zeros}, axis=k)[0].shape for k in range({len(self.shape)})]"
        tensors = f"[{zeros}] * {self.count}"
        if self.asks == "result":
            return f"tf.stack({tensors}, axis={self.axis}).shape"
        return f"[tf.stack({tensors}, axis=k).shape for k in range({self._result_ndim})]"

    def data(self) -> dict:
        """What the page's script needs, every text in both languages."""
        def both(text: Text) -> dict:
            return {language: text.in_language(language) for language in LANGUAGES}

        return {"id": self.id, "question": both(self.text),
                "words": {name: both(text) for name, text in WORDS.items()},
                "options": [{"label": both(option.label), "correct": option.correct,
                             "feedback": both(option.feedback)} for option in self.options]}

    # ------------------------------------------------------------------ display

    def _prompt(self) -> Text:
        return say(TRY_IT.en, TRY_IT.zh_TW, code=self.try_it)

    def __repr__(self) -> str:
        lines = [str(say("{title}: {question}", "{title}：{question}", title=WORDS["title"],
                         question=self.text))]
        lines += [f"  {letter}. {option.label}" for letter, option in zip("ABCDEFGH",
                                                                          self.options)]
        return "\n".join([*lines, str(self._prompt())])

    def _repr_html_(self) -> str:
        options = "".join(f"<li>{to_html(option.label)}</li>" for option in self.options)
        # ASCII JSON with <, > and & escaped: it cannot close its script element.
        data = json.dumps(self.data(), ensure_ascii=True).replace("<", "\\u003c") \
            .replace(">", "\\u003e").replace("&", "\\u0026")
        return (f'<div class="shape-puzzle" data-puzzle="{html.escape(self.id)}">'
                f'<div class="shape-puzzle-fallback">'
                f"<p><strong>{to_html(WORDS['title'])}</strong> {to_html(self.text)}</p>"
                f'<ol type="A">{options}</ol><p>{to_html(self._prompt())}</p></div>'
                f'<script type="application/json" class="shape-puzzle-data">{data}</script>'
                f"</div>")


def unstack_array(id: str, shape: tuple, axis: int, *mistakes: tuple) -> Puzzle:
    return Puzzle(id, "unstack", "result", shape, axis, mistakes=mistakes)


def _stack(id: str, count: int, shape: tuple, axis: int, *mistakes: tuple,
           question: Text | None = None) -> Puzzle:
    return Puzzle(id, "stack", "result", shape, axis, count, mistakes=mistakes, question=question)


def by_id(puzzles) -> dict[str, Puzzle]:
    """``puzzles`` by their ids; two puzzles with one id are an error."""
    found: dict[str, Puzzle] = {}
    for each in puzzles:
        if not isinstance(each, Puzzle):
            raise TypeError(f"expected Puzzle objects, got {type(each).__name__}")
        if each.id in found:
            raise ValueError(f"two puzzles have the id {each.id!r}")
        found[each.id] = each
    return found


#: Every puzzle of the book, by id: Lab 01 (tf.unstack), then Lab 02 (tf.stack).
PUZZLES = by_id((
    unstack_array("lab01-unstack-axis0", (2, 3, 4), 0, ("axis", 1), ("axis", 2), ("split",)),
    unstack_array("lab01-unstack-axis1", (4, 3, 2), 1, ("axis", 0), ("axis", 2), ("split",)),
    Puzzle("lab01-unstack-which-axis", "unstack", "axis", (5, 4, 3), 1, axes=(0, 1, 2)),
    _stack("lab02-stack-axis0", 4, (2, 3), 0, ("axis", 1), ("axis", 2), ("concat", 0)),
    _stack("lab02-stack-axis1", 3, (4, 2), 1, ("axis", 0), ("axis", 2), ("concat", 1)),
    # Counting axes from 1 gives axis 3: the checker says there is no such axis.
    Puzzle("lab02-stack-which-axis", "stack", "axis", (3, 2), 2, 5, axes=(0, 1, 2, 3)),
    _stack("lab02-stack-states", 5, (2, 4), 1, ("axis", 0), ("axis", 2), ("concat", 1),
           question=say("`states` holds an RNN's {count} states, one tensor of shape (batch, "
                        "state size) = {shape} per time step. What is the shape of "
                        "`tf.stack(states, axis={axis})`?",
                        "`states`存放RNN的{count}個狀態，每個時間步一個形狀為(batch, state size) "
                        "= {shape}的張量。`tf.stack(states, axis={axis})`的形狀是什麼？",
                        count=5, shape=(2, 4), axis=1)),
))


def puzzle(id: str) -> Puzzle:
    """The puzzle ``id`` of :data:`PUZZLES`, to display as a cell's last expression."""
    if not isinstance(id, str):
        raise TypeError(f"a puzzle's id must be a str, got {type(id).__name__}")
    if id not in PUZZLES:
        raise ValueError(f"no puzzle {id!r}; the puzzles are {', '.join(PUZZLES)}")
    return PUZZLES[id]
