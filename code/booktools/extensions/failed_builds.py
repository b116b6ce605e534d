"""A failed build stays failed when run again (Sphinx extension; the book build).

Sphinx saves the environment (what it read) before it writes, and the next
build reads only the pages that changed. With ``-W --keep-going`` a page whose
warnings failed the build is saved as read: run again unchanged, it is not
read, its warnings are not repeated, and the build says "succeeded". Sphinx
already forgets the environment when a build raises; this does the same when
warnings failed it, so the next build reads every page again (the execution
cache keeps that cheap: nothing re-executes) and reports the same warnings.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx


def warnings_failed(app: Sphinx) -> bool:
    """True when this build's warnings make it fail (-W, with or without --keep-going)."""
    return bool(app._warncount) and (app.keep_going or app.warningiserror)


def forget_a_failed_build(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and warnings_failed(app):
        Path(app.doctreedir, ENV_PICKLE_FILENAME).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", forget_a_failed_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
