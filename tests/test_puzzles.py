"""The shape puzzles of Labs 01 and 02 (rnnbook.labs.puzzles) against TensorFlow and the checkers.

Each puzzle states an answer and options; TensorFlow itself (tf.unstack,
tf.stack, tf.split, tf.concat) says what each option's op gives, and the
lab's checker, run on TensorFlow's mistaken answer, says what the page must
say for that option. The ids the pages use exist, and the notebook's
fallback (HTML and plain text) asks without telling.
"""

import json
import re
from html import unescape

import pytest
import tensorflow as tf
from conftest import ROOT

from booktools.extensions.edition_pages import keep_own_language
from booktools.extensions.page_widgets import widgets_on
from rnnbook.labs import (check_stack, check_stack_axis, check_unstack, check_unstack_axis,
                          puzzle)
from rnnbook.labs.common import CORRECT, NOT_YET
from rnnbook.labs.puzzles import PUZZLES, WORDS, Puzzle, by_id
from rnnbook.show.language import LANGUAGES, Text, set_language

IDS = list(PUZZLES)
PAGES = sorted((ROOT / "book").rglob("*.md"))
LABS = [ROOT / "book" / e / "labs" / f"{lab}.md" for e in LANGUAGES for lab in ("lab01", "lab02")]
USED = re.compile(r'^puzzle\("([^"]+)"\)$', re.M)


@pytest.fixture(autouse=True)
def _language_as_usual():
    yield
    set_language(None)


def source(p):
    """x (unstack) or the list of tensors (stack), as TensorFlow tensors of distinct numbers."""
    size = 1
    for s in p.shape:
        size *= s
    if p.op == "unstack":
        return tf.reshape(tf.range(size), p.shape)
    return [tf.reshape(tf.range(size) + i * size, p.shape) for i in range(p.count)]


def tensorflow_runs(p, kind, axis):
    """What TensorFlow gives for an answer that applies ``kind`` ("axis", "split", "concat")."""
    x = source(p)
    if p.op == "unstack":
        if kind == "split":
            return tf.split(x, p.shape[axis], axis=axis)
        return tf.unstack(x, axis=axis)
    if kind == "concat":
        return tf.concat(x, axis=axis)
    return tf.stack(x, axis=axis)


def value_of(p, result):
    if p.op == "unstack":
        return (len(result), tuple(result[0].shape))
    return tuple(result.shape)


def tensorflow_answers(p):
    """(kind, axis, TensorFlow's result) for the right answer and every mistake of a result puzzle."""
    answers = [("axis", p.axis)] + [(m[0], m[1] if len(m) > 1 else p.axis) for m in p.mistakes]
    return [(kind, axis, tensorflow_runs(p, kind, axis)) for kind, axis in answers]


def tensorflow_piece_or_result(p, axis):
    """An axis puzzle: the shape TensorFlow gives on ``axis`` (a piece's or the result's), or None."""
    try:
        result = tensorflow_runs(p, "axis", axis)
    except (tf.errors.InvalidArgumentError, ValueError):
        return None
    return tuple(result[0].shape) if p.op == "unstack" else tuple(result.shape)


def checker_on(p, answer):
    """The lab's checker on an answer given as TensorFlow computed it (or an axis)."""
    if p.asks == "axis":
        check = check_unstack_axis if p.op == "unstack" else check_stack_axis
        return check(answer, source(p), p.wanted)
    check = check_unstack if p.op == "unstack" else check_stack
    return check(answer, source(p), p.axis)


# --------------------------------------------------------------------------- against TensorFlow


@pytest.mark.parametrize("pid", IDS)
def test_the_stated_answer_is_tensorflow_s(pid):
    p = puzzle(pid)
    (right,) = [option for option in p.options if option.correct]
    if p.asks == "axis":
        wanted = tensorflow_piece_or_result(p, p.axis)
        assert p.wanted == wanted
        gives = [k for k in range(len(p.shape) + (p.op == "stack"))
                 if tensorflow_piece_or_result(p, k) == wanted]
        assert gives == [p.answer] == [right.value]
    else:
        assert p.answer == value_of(p, tensorflow_runs(p, "axis", p.axis)) == right.value


@pytest.mark.parametrize("pid", IDS)
def test_every_option_is_what_tensorflow_gives_and_the_wrong_ones_differ(pid):
    p = puzzle(pid)
    assert len(p.options) >= 3
    if p.asks == "axis":
        assert [option.value for option in p.options] == sorted(p.axes)
        for option in p.options:
            gives = tensorflow_piece_or_result(p, option.value)
            assert (gives == p.wanted) == option.correct, (option.value, gives)
    else:
        values = sorted(value_of(p, result) for _, _, result in tensorflow_answers(p))
        assert sorted(option.value for option in p.options) == values
        for option in p.options:
            assert (option.value == p.answer) == option.correct
    assert [option.correct for option in p.options].count(True) == 1


@pytest.mark.parametrize("pid", IDS)
def test_each_option_s_feedback_is_the_checker_s_on_tensorflow_s_mistake(pid):
    p = puzzle(pid)
    options = {option.value: option for option in p.options}
    if p.asks == "axis":
        answers = [(axis, axis) for axis in p.axes]
    else:
        answers = [(value_of(p, result), result) for _, _, result in tensorflow_answers(p)]
    for value, answer in answers:
        expected = checker_on(p, answer)
        option = options[value]
        assert option.feedback == expected.text()            # both languages, word for word
        verdict = CORRECT if option.correct else NOT_YET
        for language in LANGUAGES:
            assert option.feedback.in_language(language).startswith(verdict.in_language(language))
        assert option.feedback.en != option.feedback.zh_TW


@pytest.mark.parametrize("pid", [pid for pid in IDS if PUZZLES[pid].asks == "result"])
def test_every_wrong_result_gets_a_diagnosis_that_names_the_mistake(pid):
    # Not the checker's generic "expected shape ...": the mistake by name, in both languages.
    names = {"en": ("this is the unstack on axis", "this is the stack on axis", "`tf.split`",
                    "`tf.concat`"),
             "zh-TW": ("取unstack的結果", "取stack的結果", "`tf.split`", "`tf.concat`")}
    for option in PUZZLES[pid].options:
        if not option.correct:
            for language in LANGUAGES:
                said = option.feedback.in_language(language)
                assert any(name in said for name in names[language]), said


def test_counting_axes_from_one_is_answered_with_the_axes_there_are():
    p = puzzle("lab02-stack-which-axis")
    (from_one,) = [option for option in p.options if option.value == 3]
    assert "there is no axis 3" in from_one.feedback.en and "沒有軸3" in from_one.feedback.zh_TW
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError)):
        tf.stack(source(p), axis=3)


@pytest.mark.parametrize("pid", IDS)
def test_the_notebook_s_line_of_tensorflow_shows_the_answer(pid):
    p = puzzle(pid)
    shown = eval(p.try_it, {"tf": tf})                           # noqa: S307 (our own line)
    if p.asks == "axis":
        assert [tuple(shape) for shape in shown].index(p.wanted) == p.answer
    elif p.op == "unstack":
        assert (len(shown), tuple(shown[0])) == p.answer
    else:
        assert tuple(shown) == p.answer


# --------------------------------------------------------------------------- ids and pages


def test_ids_are_unique_and_every_page_s_puzzle_exists():
    used = {page: USED.findall(page.read_text(encoding="utf-8")) for page in PAGES}
    assert all(used[lab] for lab in LABS), used
    for ids in used.values():
        assert len(ids) == len(set(ids))
        assert set(ids) <= set(PUZZLES), set(ids) - set(PUZZLES)
    assert {pid for ids in used.values() for pid in ids} == set(PUZZLES)   # none unused
    with pytest.raises(ValueError, match="two puzzles have the id 'lab01-unstack-axis0'"):
        by_id([PUZZLES["lab01-unstack-axis0"], PUZZLES["lab01-unstack-axis0"]])
    with pytest.raises(TypeError, match="expected Puzzle objects"):
        by_id(["lab01-unstack-axis0"])


def test_each_puzzle_comes_right_before_an_exercise_in_its_own_lab():
    for page in LABS:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r'puzzle\("([^"]+)"\)\n```\n\n```\{exercise-start\}', text):
            assert match[1].startswith(page.stem), (page, match[1])
        assert len(re.findall(r'puzzle\("', text)) == len(
            re.findall(r'puzzle\("[^"]+"\)\n```\n\n```\{exercise-start\}', text)), page


# --------------------------------------------------------------------------- bad input


def test_an_unknown_id_or_a_non_string_is_refused_clearly():
    with pytest.raises(ValueError, match="no puzzle 'lab09'; the puzzles are lab01-unstack-axis0"):
        puzzle("lab09")
    with pytest.raises(TypeError, match="a puzzle's id must be a str, got int"):
        puzzle(1)


@pytest.mark.parametrize("arguments, error, message", [
    (dict(op="concat"), ValueError, "op must be one of"),
    (dict(asks="shape"), ValueError, "asks must be one of"),
    (dict(shape=[4, 3]), TypeError, "shape must be a non-empty tuple of positive ints"),
    (dict(shape=(4, 0)), TypeError, "shape must be a non-empty tuple of positive ints"),
    (dict(axis=2), ValueError, r"axis must be an int in 0\.\.1"),
    (dict(axis="1"), ValueError, "axis must be an int"),
    (dict(count=3), ValueError, "count .* must be a positive int for stack and 0 for unstack"),
    (dict(mistakes=(("concat", 0),)), ValueError, r"first item is one of \('axis', 'split'\)"),
    (dict(mistakes=("split",)), ValueError, "each mistake must be a tuple"),
    (dict(mistakes=(("axis", 1),)), ValueError, "two options give the same result"),
    (dict(axes=(0, 1)), ValueError, "a result puzzle lists mistakes, not axes"),
    (dict(question="Which?"), TypeError, "question must be a Text or None, got str"),
    (dict(id=""), TypeError, "id must be a non-empty str"),
])
def test_a_badly_set_puzzle_is_refused_with_what_is_wrong(arguments, error, message):
    setting = dict(id="p", op="unstack", asks="result", shape=(4, 3), axis=1, count=0,
                   mistakes=(("axis", 0),))
    with pytest.raises(error, match=message):
        Puzzle(**{**setting, **arguments})


def test_a_badly_set_axis_puzzle_is_refused():
    with pytest.raises(ValueError, match="axes must be ints including the answer 1"):
        Puzzle("p", "unstack", "axis", (5, 4, 3), 1, axes=(0, 2))
    with pytest.raises(ValueError, match="an axis puzzle lists axes, not mistakes"):
        Puzzle("p", "unstack", "axis", (5, 4, 3), 1, mistakes=(("axis", 0),), axes=(0, 1))
    with pytest.raises(ValueError, match="exactly one axis must give shape"):    # the checker's
        Puzzle("p", "unstack", "axis", (3, 3, 4), 0, axes=(0, 1, 2))


def test_a_well_set_puzzle_needs_no_more_than_its_setting():
    p = Puzzle("p", "stack", "result", (2,), 0, 3, mistakes=(("axis", 1), ("concat", 0)))
    assert p.answer == (3, 2) and sorted(o.value for o in p.options) == [(2, 3), (3, 2), (6,)]
    assert p.text.en == ("`sources` is a list of 3 tensors of shape (2,). "
                         "What is the shape of `tf.stack(sources, axis=0)`?")


# --------------------------------------------------------------------------- what a reader sees


def _visible(html):
    """The HTML's text a notebook shows: tags and the script's data left out."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


def _han(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("pid", IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notebook_asks_in_its_language_without_telling_the_answer(pid, language):
    p = puzzle(pid)
    set_language(language)
    for shown in (_visible(p._repr_html_()), repr(p)):
        assert p.text.in_language(language).replace("`", "") in shown.replace("`", "")
        assert WORDS["title"].in_language(language) in shown
        assert p.try_it in shown
        for option in p.options:
            assert option.label.in_language(language).replace("`", "") in shown.replace("`", "")
            assert option.feedback.in_language(language) not in shown
        assert "✅" not in shown and "❌" not in shown
        assert _han(shown) == (language == "zh-TW")
    html = p._repr_html_()
    assert "✅" not in html and "正確" not in html               # not even in the page's data
    assert [lang for lang in re.findall(r'lang="([^"]+)"', html)] == \
        [language] * len(re.findall(r'lang="', html))


def test_the_answer_is_not_always_in_the_same_place():
    places = {[o.correct for o in p.options].index(True) for p in PUZZLES.values()}
    assert len(places) >= 3


@pytest.mark.parametrize("pid", IDS)
def test_the_page_s_data_holds_both_languages_and_survives_each_edition(pid):
    p = puzzle(pid)
    set_language("all")
    html = p._repr_html_()
    assert html.startswith(f'<div class="shape-puzzle" data-puzzle="{pid}">')
    assert [w.folder for w in widgets_on(html)] == ["puzzles"]
    for language in LANGUAGES:
        own = keep_own_language(html, language)
        data = json.loads(re.search(r'<script type="application/json" class="shape-puzzle-data">'
                                    r"(.*?)</script>", own, re.S)[1])
        assert data == json.loads(json.dumps(p.data()))
        other = LANGUAGES[1 - LANGUAGES.index(language)]
        assert f'lang="{other}"' not in own and _han(_visible(own)) == (language == "zh-TW")
    script = re.search(r"<script[^>]*>(.*?)</script>", html, re.S)[1]
    assert "<" not in script and ">" not in script and script.isascii()
    data = p.data()
    for texts in [data["question"], *data["words"].values(),
                  *(o[k] for o in data["options"] for k in ("label", "feedback"))]:
        assert set(texts) == set(LANGUAGES) and all(texts.values())
    assert data["words"]["check"] == {"en": "Check", "zh-TW": "檢查答案"}
    assert [o["correct"] for o in data["options"]] == [o.correct for o in p.options]


def test_a_puzzle_prints_as_its_question_and_lettered_options():
    set_language("en")
    lines = repr(puzzle("lab02-stack-which-axis")).splitlines()
    assert lines[0] == ("Quick check: Which axis gives shape (3, 2, 5) when stacking 5 tensors of "
                        "shape (3, 2)?")
    assert lines[1:5] == ["  A. `axis=0`", "  B. `axis=1`", "  C. `axis=2`", "  D. `axis=3`"]
    assert lines[5].startswith("Choose an answer, then try it with TensorFlow in a new cell: `[")
    assert isinstance(puzzle("lab02-stack-which-axis").text, Text)
    set_language("zh-TW")
    assert repr(puzzle("lab02-stack-which-axis")).startswith(
        "小測驗：把5個形狀為(3, 2)的張量stack起來時，哪一個軸會得到形狀(3, 2, 5)？\n  A. `axis=0`")
