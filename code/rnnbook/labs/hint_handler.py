"""A hint instead of a traceback for a student's usual mistakes, in a notebook (Labs 01-03).

``import rnnbook.labs`` in a Jupyter kernel (Binder, Colab, a laptop, the
book's build) calls :func:`install`: from then on, an exception raised by the
student's own line that :func:`rnnbook.labs.hints.hint_for` recognises (the
positional ``num`` of ``tf.unstack``, an axis out of range, mixed dtypes, ...)
shows as a short hint in the page's language with TensorFlow's error in one
line below it, instead of a 20-30 line TensorFlow traceback. The cell still
fails, so "Run all" stops there as before.

Anything else keeps IPython's usual traceback: an error the hints do not
know, and any error raised inside rnnbook itself (a checker's set-up error
is for the page's author, and a bug must stay visible).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rnnbook.labs.hints import hint_for, one_line_error
from rnnbook.show.language import Text, say, to_html

_RNNBOOK = Path(__file__).resolve().parents[1]      # code/rnnbook: errors from here are ours
_MARK = "_rnnbook_hints"                            # set on a shell whose handler is ours


def install(shell=None) -> bool:
    """Show hints in ``shell`` (default: the running IPython, if any); True if installed.

    Does nothing outside IPython, and leaves alone a shell that already has
    another custom exception handler. Installing twice is harmless.
    """
    shell = shell if shell is not None else _running_ipython()
    if shell is None:
        return False
    if getattr(shell, _MARK, False):
        return True
    if shell.custom_exceptions:
        return False
    shell.set_custom_exc((Exception,), _handle)
    setattr(shell, _MARK, True)
    return True


def _running_ipython():
    ipython = sys.modules.get("IPython")     # a kernel has imported it; a script has not
    return ipython.get_ipython() if ipython is not None else None


def _handle(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: a hint when there is one, else the traceback."""
    hint = _hint(value, tb)
    if hint is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    else:
        _show_hint(hint, value)
    return None


def _hint(error: BaseException, tb) -> Text | None:
    """The hint for an error the student's line raised, or None (then: the traceback)."""
    try:
        return hint_for(error) if raised_by_student(tb) else None
    except Exception:       # a failing hint must never hide the error it is about
        return None


def raised_by_student(tb) -> bool:
    """True unless a frame of the traceback ``tb`` is in rnnbook's own code."""
    while tb is not None:
        file = Path(tb.tb_frame.f_code.co_filename)    # may be "<string>", not a path
        if file.is_absolute() and _RNNBOOK in file.resolve().parents:
            return False
        tb = tb.tb_next
    return True


def hint_message(hint: Text, error: BaseException) -> tuple[Text, Text]:
    """The two lines shown: the hint, and the original error in one line."""
    return (say("💡 Hint: {hint}", "💡 提示：{hint}", hint=hint),
            say("Original error: {error}", "原始錯誤：{error}", error=one_line_error(error)))


def _show_hint(hint: Text, error: BaseException) -> None:
    from IPython.display import display

    head, original = hint_message(hint, error)
    display({"text/plain": f"{head}\n{original}",
             "text/html": f'<div class="rnnbook-hint"><p>{to_html(head)}</p>'
                          f'<p class="rnnbook-error">{to_html(original)}</p></div>'}, raw=True)
