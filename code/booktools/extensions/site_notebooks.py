"""Every executable page's student notebook in the built site: download and Colab.

A Sphinx extension (listed in _config.yml). For each executable page the
build writes ``_sources/<page>.ipynb`` (booktools.notebooks.student) with the
numbers this build measured and, for Colab, a set-up cell that installs the
book's package from the exact commit being built. The theme's ".ipynb"
download button serves that file; the Colab button opens it from the
published site's branch (``notebooks_branch``, where the publishing workflow
puts the built site), since Colab opens notebooks from GitHub only; the
Binder button opens the notebook that Binder's postBuild writes beside the
page, not the Markdown page.
"""

from __future__ import annotations

import re
from pathlib import Path

from booktools.notebooks.book_index import book_index
from booktools.notebooks.student import (COLAB_EXTRAS, exact_commit, read_glue,
                                         student_notebook)


def pinned(requirements: Path, names) -> list[str]:
    """The exact pins ``name==version`` of ``names`` in a requirements file."""
    pins = {}
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if match:
            pins[match[1].lower()] = f"{match[1]}=={match[2]}"
    missing = [name for name in names if name.lower() not in pins]
    if missing:
        raise ValueError(f"{requirements} has no exact pin (name==version) for {missing}")
    return [pins[name.lower()] for name in names]


def github_repository(repository_url: str) -> tuple[str, str]:
    """(owner, repo) of a GitHub repository URL; Colab opens notebooks from GitHub only."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(\.git)?/?",
                         str(repository_url))
    if not match:
        raise ValueError(f"repository_url must be https://github.com/<owner>/<repo>, "
                         f"got {repository_url!r}")
    return match[1], match[2]


def package_spec(repository_url: str, revision: str) -> str:
    """pip's name for the book's package at one commit of its GitHub repository."""
    owner, repo = github_repository(repository_url)
    return f"rnnbook @ git+https://github.com/{owner}/{repo}@{revision}"


def colab_url(colab: str, repository_url: str, branch: str, pagename: str) -> str:
    """Colab's address of a page's notebook on the published site's branch."""
    owner, repo = github_repository(repository_url)
    return f"{colab.rstrip('/')}/github/{owner}/{repo}/blob/{branch}/_sources/{pagename}.ipynb"


def binder_notebook_url(url: str) -> str:
    """A Binder launch URL that opens the page's student notebook instead of its .md."""
    return re.sub(r"(urlpath=[^&]*?)\.md(?=$|&)", r"\1.ipynb", url)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    import nbformat

    if not context.get("ipynb_source"):  # set by the theme for notebook pages only
        return
    options = app.config.html_theme_options
    repository = options.get("repository_url", "")
    root = Path(app.srcdir)
    revision = exact_commit(root) or options.get("repository_branch", "main")
    notebook = student_notebook(
        Path(app.env.doc2path(pagename)), root, _index(app),
        glue=read_glue(app.env.mystnb_config.output_folder, pagename),
        package=package_spec(repository, revision),
        extras=pinned(root / "requirements.txt", COLAB_EXTRAS))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)  # replaces the theme's copy of the executed notebook
    colab = options.get("launch_buttons", {}).get("colab_url")
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "Colab" and colab:
                button["url"] = colab_url(colab, repository, app.config.notebooks_branch,
                                          pagename)
            elif button.get("text") == "Binder":
                button["url"] = binder_notebook_url(button["url"])


def _index(app):
    """The book's index, read once per build."""
    if not hasattr(app, "_booktools_index"):
        app._booktools_index = book_index(Path(app.srcdir))
    return app._booktools_index


def record_commit(app, config) -> None:
    """The commit the notebooks install, as a config value whose change rewrites every page.

    A cached build after a new commit has no page to re-read; Sphinx rewrites all
    pages (and so every notebook's set-up cell) only when an "html" config value changes.
    """
    config.notebooks_commit = exact_commit(Path(app.srcdir)) or ""


def setup(app) -> dict:
    app.add_config_value("notebooks_branch", "gh-pages", "html")
    app.add_config_value("notebooks_commit", "", "html")
    app.connect("config-inited", record_commit)
    # After the theme has copied the executed notebook and made its buttons (priority 501).
    app.connect("html-page-context", _on_page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
