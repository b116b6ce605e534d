"""Checkers behind the exercises of the chapter's three labs (Corelab, Demo 18-3).

    Lab 1  tf.unstack a data set along axis 0     check_unstack(answer, source, axis=0)
    Lab 2  tf.stack data sets along axis 0 and 1  check_stack(answer, sources, axis=0)
    Lab 3  one step of the 18-2 RNN cell          check_rnn_step(rnn_step)

A checker never raises because of the student's answer: it returns a
:class:`CheckResult` that says what is right or wrong (shape, dtype, values)
and names the likely mistake. It raises ValueError or TypeError only when the
exercise itself is set up wrongly by the page (a bad axis or source).

Answers are compared as NumPy arrays. Values that carry a dtype (tf.Tensor,
NumPy array) must match the source's dtype exactly; plain Python numbers only
need the same kind (integer, float, bool), since Python has no int32.
"""

from rnnbook.labs.common import CheckResult
from rnnbook.labs.rnn_step import check_rnn_step
from rnnbook.labs.stack import check_stack
from rnnbook.labs.unstack import check_unstack

__all__ = ["CheckResult", "check_rnn_step", "check_stack", "check_unstack"]
