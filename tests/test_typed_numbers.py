"""No typed numbers: a measured number in a page's prose is glued (docs/authoring.md, the rules).

The prose is what a reader reads as text: the Markdown's text, the titles and
bodies of directives (admonitions, exercises, figure captions, the glossary),
but not code cells, math, roles (``{glue:text}``, ``{cite:p}``, ``{ref}``...),
inline code, labels, link targets or directives' options.

What counts as a measured number, when typed there: a decimal (``0.97``), a
percentage, a number of four digits or more (``1,115,394``), a number with the
unit of something a run measures or a model is given (``4 units``, ``30 s``,
``12 epochs``, ``5 個單元``, ``3 秒``), a number right after "accuracy" or
"loss". Small whole numbers that define what the text is about (section
``18-2``, ``Lab 01``, a (4, 3) tensor's shape, axis 0, values between 0 and 1,
a formula's constants) are not measurements. Where the rule meets a number
that is not one, the number is listed in ALLOWED with its reason.
"""

import re

import pytest
from conftest import ROOT
from markdown_it.renderer import RendererHTML
from myst_parser.parsers.mdit import create_md_parser

from booktools.book import markdown_config, toc_pages

MD = create_md_parser(markdown_config(ROOT), RendererHTML)

#: Directives whose body is not prose (code, math, a file) and whose argument is not either.
NOT_PROSE = {"code-cell", "code-block", "code", "sourcecode", "literalinclude", "math", "raw",
             "glue:figure", "glue:any", "glue:math", "glue", "bibliography", "toctree"}
#: Directives whose argument is a path or a label, but whose body is prose (a caption...).
ARGUMENT_NOT_PROSE = {"figure", "image", "solution-start", "solution"}

_UNIT_EN = (r"units?|neurons?|epochs?|seconds?|secs?|s|ms|minutes?|mins?|hours?|parameters?|"
            r"weights|nats?|bits|characters? (?:per|a) second|chars/s|[KMG]i?B|steps? per second")
_UNIT_ZH = r"個?單元|個?神經元|個?參數|個?權重|秒|分鐘|小時|輪|個\s*epochs?|毫秒"
_NOT_BEFORE, _NOT_AFTER = r"(?<![0-9A-Za-z_.,])", r"(?![0-9A-Za-z_]|[.,]\d)"
MEASURED = [re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"{_NOT_BEFORE}(?:\d+\.\d+|\d{{1,3}}(?:,\d{{3}})+|\d{{4,}}){_NOT_AFTER}(?!\s*[%％])",  # 0.97, 10,000
    rf"{_NOT_BEFORE}\d+(?:\.\d+)?\s*[%％]",                                             # 97.3%
    rf"{_NOT_BEFORE}\d+\s*(?:(?:{_UNIT_EN})\b|(?:{_UNIT_ZH}))",                           # 4 units
    r"(?:accuracy|loss|準確率|損失)[^0-9.]{0,8}?\d+(?:\.\d+)?(?!\d|-\d)",  # loss 2, not 18-2
)]

#: (page, the number as typed): why it is not a measurement. Keep it short.
ALLOWED = {
    ("book/index.md", "45 分鐘"): "the course's time for the chapter (its syllabus), not measured",
    ("book/index.md", "20 分鐘"): "the course's time for the labs (its syllabus), not measured",
    ("book/index.md", "45 min"): "the course's time for the chapter (its syllabus), not measured",
    ("book/index.md", "20 min"): "the course's time for the labs (its syllabus), not measured",
    ("book/zh-TW/18-1", "10,000"): "the worked example's vocabulary size, given, not measured; "
                                   "the sums that follow are glued",
    ("book/en/18-1", "10,000"): "the worked example's vocabulary size, given, not measured; "
                                "the sums that follow are glued",
}


def prose(text: str, offset: int = 0):
    """(line, text) of every piece of prose in MyST ``text`` (line 1-based, plus ``offset``)."""
    for token in MD.parse(text):
        line = offset + (token.map[0] + 1 if token.map else 0)
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "text":
                    yield line, child.content
                elif child.type == "softbreak":
                    line += 1
        elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
            name, _, argument = token.info[1:].partition("}")
            if name == "code-cell":                 # a figure the cell draws: its caption
                for caption in re.findall(r"^\s*caption:\s*(.+)$", token.content, re.M):
                    yield line, re.sub(r"\$[^$]*\$|\{[\w:-]+\}`[^`]*`", "", caption)
            if name in NOT_PROSE:
                continue
            if name not in ARGUMENT_NOT_PROSE and argument.strip():
                yield line, argument.strip()
            body, skipped = _without_options(token.content)
            yield from prose(body, line + skipped)


def _without_options(body: str) -> tuple[str, int]:
    """A directive's body without its options (``:key: value`` lines or a ``---`` block)."""
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        return "\n".join(lines[end + 1:]), end + 1
    count = 0
    while count < len(lines) and re.match(r"^\s*:[\w-]+:", lines[count]):
        count += 1
    return "\n".join(lines[count:]), count


def typed_numbers(text: str):
    """(line, the number as typed) of every measured-looking number in the prose of ``text``."""
    found = []
    for line, piece in prose(text):
        matches = [match for pattern in MEASURED for match in pattern.finditer(piece)]
        found += [(line, match.group(0).strip()) for match in sorted(matches, key=lambda m: m.span())]
    return found


def _pages():
    return [name for name in toc_pages(ROOT) if (ROOT / f"{name}.md").is_file()]


@pytest.mark.parametrize("page", _pages())
def test_no_measured_number_is_typed_in_the_prose(page):
    found = [(line, typed) for line, typed in typed_numbers((ROOT / f"{page}.md").read_text(
        encoding="utf-8")) if (page, typed) not in ALLOWED and (page + ".md", typed) not in ALLOWED]
    assert not found, (
        f"{page}.md types numbers a run measures: "
        + ", ".join(f"line {line}: {typed!r}" for line, typed in found)
        + ". Compute the value in a code cell, glue('name', value, display=False) with "
          "`from rnnbook.show.glue import glue`, and write {glue:text}`name` in the prose; "
          "a number that is not a measurement goes in ALLOWED in tests/test_typed_numbers.py "
          "with its reason.")


def test_every_allowed_number_is_still_in_its_page():
    """An entry that no longer matches anything is removed, so the list stays short."""
    for page, typed in ALLOWED:
        name = page.removesuffix(".md")
        assert typed in [t for _, t in typed_numbers((ROOT / f"{name}.md").read_text(
            encoding="utf-8"))], f"ALLOWED has ({page!r}, {typed!r}), no longer in the page"


PLANTED = """\
# A page

The cell has 4 units and trained in 12 seconds to an accuracy of 97.3%.
它有 4 個單元，花了 3 秒。Loss: 2 nats.

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: Trained for 30 s, $T = 1000$.
---
units = 4  # the code may say it
```

```{figure} ../figures/x.svg
:width: 80%
:name: en-fig-x

A caption that says 128 units.
```

:::{exercise-start} Train 10 epochs
:label: en-ex-1
:::

The loss of 18-2's cell. Measured: {glue:text}`acc:.1%`, $x_{10} = 0.5$, `shape (128, 4)`, [18-2](18-2.md#s-1000),
{cite:p}`elman1990finding`, section 18-2, Lab 01, a (4, 3) tensor on axis 0, MNIST's 28×28.

(en-label-2024)=
## Between 0 and 1
"""


def test_a_typed_measurement_fails_and_what_is_not_prose_passes():
    assert typed_numbers(PLANTED) == [
        (3, "4 units"), (3, "12 seconds"), (3, "accuracy of 97.3"), (3, "97.3%"),
        (4, "4 個單元"), (4, "3 秒"), (4, "Loss: 2"), (4, "2 nats"), (6, "30 s"),
        (19, "128 units"), (22, "10 epochs")]


def test_a_planted_4_units_in_a_real_page_is_found_at_its_line():
    text = (ROOT / "book" / "en" / "18-2.md").read_text(encoding="utf-8")
    at = text.index("\n\n", text.index("\n# ")) + 2                  # after the title
    planted = text[:at] + "Our cell has 4 units.\n\n" + text[at:]
    assert typed_numbers(planted) == [(text.count("\n", 0, at) + 1, "4 units")]
