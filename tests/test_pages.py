"""The two editions stay in step: same pages, code cells, figures, labels and glue keys.

Also the page conventions (docs/authoring.md, "Rules the tests enforce"): every figure has
alt text and a caption in its page's language, each page links to its
counterpart, pages import rnnbook before TensorFlow, and no page installs
packages.
"""

import ast
import re

import jupytext
import pytest

from booktools.book import markdown_config, toc_pages
from booktools.extensions.page_mistakes import code_difference, code_without_comments
from booktools.extensions.shared_execution import read_page
from conftest import ROOT

BOOK = ROOT / "book"
EDITIONS = {"zh-TW": "zh", "en": "en"}
CJK = re.compile(r"[\u4e00-\u9fff]")
MYST = markdown_config(ROOT)


def _pages(edition):
    return sorted(p.relative_to(BOOK / edition) for p in (BOOK / edition).rglob("*.md"))


PAGES = _pages("en")


def _text(edition, page):
    return (BOOK / edition / page).read_text(encoding="utf-8")


def _code_cells(edition, page):
    notebook = jupytext.read(BOOK / edition / page, fmt="md:myst")
    return [code_without_comments(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def _figures(edition, page):
    """(source, options, caption) of every figure, in page order.

    Two kinds: a ```{figure} directive (source: the SVG path) and a code cell
    whose output is made a figure by its ``mystnb`` metadata (source: "cell").
    """
    found = []
    for cell in jupytext.read(BOOK / edition / page, fmt="md:myst").cells:
        if cell.cell_type == "markdown":
            found += _figure_directives(cell.source)
        elif "figure" in cell.metadata.get("mystnb", {}):
            options = dict(cell.metadata["mystnb"].get("image", {}))
            figure = cell.metadata["mystnb"]["figure"]
            options["name"] = figure.get("name", "")
            found.append(("cell", options, figure.get("caption", "")))
    return found


def _figure_directives(text):
    found = []
    for match in re.finditer(r"```\{figure\} (\S+)\n(.*?)\n```", text, re.S):
        lines = match.group(2).splitlines()
        options = dict(re.match(r":(\w+):\s*(.*)", line).groups()
                       for line in lines if line.startswith(":"))
        caption = " ".join(line for line in lines if line and not line.startswith(":"))
        found.append((match.group(1), options, caption))
    return found


def _labels(text, prefix):
    targets = re.findall(rf"^\(({prefix}-[\w-]+)\)=", text, re.M)
    names = re.findall(rf"^\s*:?(?:name|label): ({prefix}-[\w-]+)", text, re.M)
    equations = re.findall(rf"\$\$ \(({prefix}-[\w-]+)\)", text)
    return [label.split("-", 1)[1] for label in targets + names + equations]


def _glue_keys(text):
    return sorted(set(re.findall(r"\{glue:\w+\}`(\w+)", text)))


def test_both_editions_have_the_same_pages():
    assert PAGES, "no English pages found"
    zh = _pages("zh-TW")
    assert zh == PAGES, (
        f"only in book/zh-TW: {sorted(map(str, set(zh) - set(PAGES)))}; only in book/en: "
        f"{sorted(map(str, set(PAGES) - set(zh)))}: every page is written in both editions, "
        "with the same file name")


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_same_code_cells(page):
    """The message is the build's (booktools.extensions.page_mistakes): the first differing cell and lines."""
    pages = [BOOK / edition / page for edition in EDITIONS]
    difference = code_difference({p: read_page(p, MYST) for p in pages}, ROOT)
    assert difference is None, str(difference)
    assert _code_cells("zh-TW", page) == _code_cells("en", page)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_same_figures_in_the_same_order(page):
    def shape(edition, prefix):
        return [(source, options.get("width"), options["name"].removeprefix(prefix))
                for source, options, _ in _figures(edition, page)]

    assert shape("zh-TW", "zh-") == shape("en", "en-")


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_same_labels_and_glue_keys(page):
    zh, en = _text("zh-TW", page), _text("en", page)
    assert _labels(zh, "zh") == _labels(en, "en")
    assert _glue_keys(zh) == _glue_keys(en)
    assert not re.search(r"([({`]|\} )en-", zh), "the zh-TW edition refers to an English label"
    assert not re.search(r"([({`]|\} )zh-", en), "the English edition refers to a zh-TW label"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_figures_have_alt_text_and_caption_in_the_page_language(edition, page):
    for path, options, caption in _figures(edition, page):
        assert options.get("alt"), f"{path} has no alt text"
        assert caption, f"{path} has no caption"
        prefix = EDITIONS[edition] + "-fig-"          # zh-fig-… in zh-TW, en-fig-… in English
        assert options.get("name", "").startswith(prefix), (
            f"{path}: its label is {options.get('name')!r}; a figure's label is "
            f"{prefix}<name> in book/{edition}/ (the same <name> in both editions)")
        in_chinese = bool(CJK.search(options["alt"])) and bool(CJK.search(caption))
        assert in_chinese == (edition == "zh-TW"), f"{path}: alt/caption not in {edition}"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_links_to_its_counterpart(edition, page):
    other = "en" if edition == "zh-TW" else "zh-TW"
    depth = "../" * (len(page.parts) - 1)
    assert f"]({depth}../{other}/{page.as_posix()})" in _text(edition, page)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_imports_rnnbook_before_tensorflow_and_installs_nothing(edition, page):
    code = "\n".join(_code_cells(edition, page))
    assert "pip install" not in code
    imports = re.findall(r"^(?:import|from) (\w+)", code, re.M)
    heavy = [i for i, name in enumerate(imports) if name in {"tensorflow", "keras"}]
    if heavy:
        assert "rnnbook" in imports[: heavy[0]], "import rnnbook before TensorFlow/Keras"


KERAS_RUNS = {"fit", "predict", "evaluate"}


def keras_calls_without_verbose(code: str) -> list[str]:
    """The Keras fit/predict/evaluate calls in ``code`` that do not pass ``verbose``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:                       # IPython magics: not Python, nothing to check
        return []
    return [ast.unparse(node)[:80] for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in KERAS_RUNS
            and not any(keyword.arg == "verbose" for keyword in node.keywords)]


def test_keras_calls_without_verbose_are_found():
    assert keras_calls_without_verbose("model.fit(x, y, epochs=2)\nm.predict(x, verbose=0)") == [
        "model.fit(x, y, epochs=2)"]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_pages_run_without_the_build_s_tools_and_quietly(page):
    """Quiet pages: Keras runs pass verbose=0 (no progress bars). Pages run without the
    build's tools: glue comes from rnnbook.show.glue, never myst_nb (absent on Colab)."""
    code = "\n".join(_code_cells("en", page))
    assert not re.search(r"^\s*(?:from|import) myst_nb", code, re.M), (
        f"{page} imports myst_nb: glue with `from rnnbook.show.glue import glue`")
    loud = keras_calls_without_verbose(code)
    assert not loud, f"{page}: pass verbose=0 to {loud}"


def test_every_page_is_in_the_table_of_contents():
    """A page on disk and not in _toc.yml is never built; one in _toc.yml and not on disk fails
    the build. Every list and count of pages in the code and the tests comes from _toc.yml."""
    listed = set(toc_pages(ROOT))
    for edition in EDITIONS:
        on_disk = {f"book/{edition}/{page.with_suffix('').as_posix()}"
                   for page in _pages(edition)}
        in_toc = {name for name in listed if name.startswith(f"book/{edition}/")}
        assert not on_disk - in_toc, (
            f"{sorted(on_disk - in_toc)} not in _toc.yml: add each under the "
            f"{edition} edition's part (docs/authoring.md, Add a page), or delete the file")
        assert not in_toc - on_disk, (
            f"_toc.yml lists {sorted(in_toc - on_disk)}, which are not files: write the "
            "page (both editions) or remove it from _toc.yml")
