"""``glue``: a page's measured numbers, wherever the page runs (every page).

In the book build, myst-nb's ``glue`` stores a value under a name for the
prose (``{glue:text}`name```). A student's notebook (Binder, Colab, a laptop)
may have no myst-nb, and has no use for it: the student notebook already
shows the build's value in its text. There ``glue`` does nothing visible
(or shows the value, with ``display=True``, as Jupyter would), so a page's
code runs the same with or without myst-nb.

myst-nb's public ``glue`` is the only part of the book's build tools rnnbook
touches, and only when a page calls it.
"""

from __future__ import annotations


def glue(name: str, variable, display: bool = True) -> None:
    """Keep ``variable`` under ``name`` for the page's prose (myst-nb), or show it if asked."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str naming the value, got {name!r}")
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:              # Colab or a laptop without the book's build tools
        myst_nb_glue = None
    if myst_nb_glue is not None:
        myst_nb_glue(name, variable, display=display)
    elif display:
        from IPython.display import display as show

        show(variable)
