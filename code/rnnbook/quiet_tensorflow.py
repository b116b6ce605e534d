"""Load TensorFlow without its native start-up lines (every page, every kernel).

While its C++ library loads, TensorFlow writes lines such as absl's "All log
messages before absl::InitializeLog() is called are written to STDERR" and
oneDNN's "oneDNN custom operations are on ...". Which lines appear depends on
the CPU and on ``TF_ENABLE_ONEDNN_OPTS``, and ``TF_CPP_MIN_LOG_LEVEL`` does not
silence them: they are written before TensorFlow reads it. They go to file
descriptor 2 directly, below Python's ``sys.stderr``, so a page, a notebook or
a student's kernel would show them and the book build (warnings are errors)
would fail.

:func:`install` puts an import hook in front of Python's finders. When
``tensorflow`` is first imported (by a page, by Keras, by rnnbook itself),
descriptor 2 points at a temporary file while the package executes, then is
restored. If the import fails, what TensorFlow wrote is replayed, so the
reason is never lost. Only the import is covered: Python warnings still reach
``sys.stderr``, and nothing printed after the import is touched.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import sys
import tempfile

PACKAGE = "tensorflow"


@contextlib.contextmanager
def native_stderr_held():
    """Point file descriptor 2 at a temporary file; replay it if the body raises."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            with _python_stderr_kept(saved):
                yield
        except BaseException:
            _restore(saved)
            held.seek(0)
            os.write(2, held.read())
            raise
        else:
            _restore(saved)


@contextlib.contextmanager
def _python_stderr_kept(saved: int):
    """Keep Python's own stderr (warnings) on the real stream while 2 is held.

    In a Jupyter kernel sys.stderr is not descriptor 2 and needs nothing.
    """
    stream = sys.stderr
    try:
        on_descriptor_2 = stream.fileno() == 2
    except (AttributeError, OSError, ValueError):
        on_descriptor_2 = False
    if not on_descriptor_2:
        yield
        return
    with open(os.dup(saved), "w", encoding=stream.encoding, errors=stream.errors,
              buffering=1) as kept:
        sys.stderr = kept
        try:
            yield
        finally:
            sys.stderr = stream
            _rebind_logging_handlers(kept, stream)


def _rebind_logging_handlers(old, new) -> None:
    """Handlers made during the import (TensorFlow's own) write to sys.stderr again."""
    import logging

    loggers = [logging.getLogger()] + [logger for logger in
                                       logging.Logger.manager.loggerDict.values()
                                       if isinstance(logger, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is old:
                handler.setStream(new)


def _restore(saved: int) -> None:
    os.dup2(saved, 2)
    os.close(saved)


class _QuietLoader(importlib.abc.Loader):
    """Executes the real loader with descriptor 2 held, then steps aside."""

    def __init__(self, loader: importlib.abc.Loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        with native_stderr_held():
            self.loader.exec_module(module)
        module.__spec__.loader = module.__loader__ = self.loader


class QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` as Python would and wraps its loader, once."""

    def find_spec(self, name, path=None, target=None):
        if name != PACKAGE:
            return None
        uninstall()
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> None:
    """Hold TensorFlow's start-up lines at its first import (a no-op once loaded)."""
    if PACKAGE in sys.modules or any(isinstance(f, QuietTensorFlowFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, QuietTensorFlowFinder())


def uninstall() -> None:
    """Remove the import hook (TensorFlow has been found, or was never wanted)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, QuietTensorFlowFinder)]
