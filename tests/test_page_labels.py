"""What a page's cells print is data; words go through ``show``, in the page's language.

A zh-TW page speaks Traditional Chinese (Taiwan usage) and an English page
English, labels printed by its code cells included. Both editions run the same
code, so a label written into a ``print`` would read English on the zh-TW page:
a label is ``show(en, zh_TW)`` (``rnnbook.show.language``), and ``print`` is for
data (arrays, shapes, a generated text, a corpus excerpt).

The scan reads each ``print(...)`` of every page's code cells and collects the
text it writes literally: its string arguments, the literal parts of its
f-strings and any string constant an f-string field shows as it is (a table
header such as ``{'model':<16}``). It leaves out what the print computes (a
field ``{', '.join(plays)}``, a call's arguments) and code written in the text:
identifiers such as ``x_1`` or ``summed_cross_entropy``, keyword arguments such
as ``axis=0``. An English word is then three letters or more of a-z. A print
whose words are code or data that reads the same in both editions is listed in
``ALLOWED`` with its reason.
"""

import ast
import re

import jupytext
import pytest
from conftest import ROOT

BOOK = ROOT / "book"
EDITIONS = ("zh-TW", "en")

#: (page, the text the print writes literally) -> why it may stay a print. The
#: text is as :func:`printed_text` gives it, f-string fields written as ``{}``.
ALLOWED = {
    ("labs/lab02.md", "stack : {}"): "names `tf.stack`, code that reads the same in both editions",
    ("labs/lab02.md", "concat: {}"): "names `tf.concat`, code that reads the same in both "
                                     "editions",
}

#: (page, text) -> why it is still a print: labels another change is to convert.
#: Each must still be on the page (a test says when one can be removed from here).

#: A dotted name (``keras.layers.SimpleRNN``), an identifier with an underscore or
#: a digit (``x_1``), a keyword argument (``axis=``), an attribute or a call
#: (``.shape``, ``len(``): code, not prose.
_CODE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z_]\w*(?:_\w*|\d\w*)"
                   r"|[A-Za-z]\w*=(?!=)|\.[A-Za-z]\w*|[A-Za-z]\w*\(")
_WORD = re.compile(r"[A-Za-z]{3,}")


def printed_text(call: ast.Call) -> str:
    """The text a ``print`` call writes literally, its computed parts as ``{}``, parts joined
    by a space as print joins its arguments."""
    return " ".join(_literal(argument) for argument in call.args)


def _literal(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(part) for part in node.values)
    if isinstance(node, ast.FormattedValue):
        shown = node.value
        return shown.value if isinstance(shown, ast.Constant) and isinstance(shown.value, str) \
            else "{}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _literal(node.left) + _literal(node.right)
    return "{}"


def english_words(text: str) -> list[str]:
    """The English words of ``text``: 3+ letters a-z, code (identifiers, ``axis=``) left out."""
    return _WORD.findall(_CODE.sub(" ", text))


def labelled_prints(source: str) -> list[tuple[str, list[str]]]:
    """(literal text, its English words) of every print in ``source`` that writes words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "print":
            text = printed_text(node)
            words = english_words(text)
            if words:
                found.append((text, words))
    return found


def _pages():
    return [(edition, page.relative_to(BOOK / edition).as_posix())
            for edition in EDITIONS for page in sorted((BOOK / edition).rglob("*.md"))]


def _code_cells(edition, page):
    notebook = jupytext.read(BOOK / edition / page, fmt="md:myst")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


PAGES = _pages()


# ------------------------------------------------------------------ the scanner itself


@pytest.mark.parametrize("source, words", [
    ('print("vocabulary:", vocab)', ["vocabulary"]),
    ('print(f"epoch {e}: train loss {loss:.2f}")', ["epoch", "train", "loss"]),
    ("print(f\"{'model':<16} {'test accuracy':>13}\")", ["model", "test", "accuracy"]),
    ('print("held out: " + ", ".join(plays))', ["held", "out"]),
    ('print("%d steps" % n)', ["steps"]),
    ('print(f"largest difference from keras.layers.SimpleRNN: {d:.1e}")',
     ["largest", "difference", "from"]),
    ('for t in range(3):\n    print(f"t = {t}: largest change")', ["largest", "change"]),
])
def test_the_scan_finds_english_labels(source, words):
    assert labelled_prints(source) == [(labelled_prints(source)[0][0], words)]


@pytest.mark.parametrize("source", [
    "print(outputs)",
    "print(trace.outputs[0].round(3))",
    'print("x_1 =", steps[0].numpy().tolist())',
    'print(f"  [{k}] {row.numpy()}")',
    'print("U", U.shape, " W", W.shape)',
    'print("axis=0:", on_axis_0.shape)',
    "print(f\"{name:<16} {', '.join(plays)}\")",
    'print(sample(model, vocab, "Portia", length=400))',
    'print(repr(written))',
    "print()",
    'show("vocabulary:", "字彙表：")',
    'print("字彙表：", vocab)',
])
def test_the_scan_leaves_data_and_code_alone(source):
    assert labelled_prints(source) == []


def test_the_allowlist_names_pages_that_exist():
    pages = {page for _, page in PAGES}
    assert {page for page, _ in ALLOWED} <= pages


# ------------------------------------------------------------------ the pages


@pytest.mark.parametrize("edition, page", PAGES, ids=[f"{e}/{p}" for e, p in PAGES])
def test_printed_labels_are_shown_in_the_page_language(edition, page):
    labels = [f"{text!r}: {', '.join(words)}"
              for source in _code_cells(edition, page)
              for text, words in labelled_prints(source)
              if (page, text) not in ALLOWED]
    assert not labels, (
        f"{edition}/{page} prints English words; make each label "
        f"show(en, zh_TW) (rnnbook.show.language), or list a print of data in ALLOWED:\n  "
        + "\n  ".join(labels))
