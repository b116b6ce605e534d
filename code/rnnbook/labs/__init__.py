"""Checkers behind the exercises of the chapter's three labs (Corelab, Demo 18-3).

    Lab 1  tf.unstack along an axis                   check_unstack(answer, source, axis=0)
           the axis that gives pieces of a shape      check_unstack_axis(axis, source, shape)
           a toy RNN's running sums, step by step     check_running_sum(states, sequences)
    Lab 2  tf.stack along an axis                     check_stack(answer, sources, axis=0)
           the axis that gives a result of a shape    check_stack_axis(axis, sources, shape)
           every state of an RNN: unstack, step, stack
                                                      check_rnn_states(states, sequences, U, W, b)
    Labs 1-2  a shape question before an exercise,
              answered in the page without a kernel   puzzle("lab01-unstack-axis1")
    Lab 3  one step of the 18-2 RNN cell              check_rnn_step(rnn_step)
           the loop around it: unstack, step, stack   check_rnn_loop(rnn_loop)
           how many weights the cell learns           check_parameter_count(count, 28, 128)

A checker never raises because of the student's answer: it returns a
:class:`CheckResult` that says, in the student's language, what is right or
wrong (shape, dtype, values) and names the likely mistake. It raises
ValueError or TypeError only when the exercise itself is set up wrongly by
the page (a bad axis or source).

Answers are compared as NumPy arrays. Values that carry a dtype (tf.Tensor,
NumPy array) must match the source's dtype exactly; plain Python numbers only
need the same kind (integer, float, bool), since Python has no int32.

Imported in a Jupyter kernel, this package also installs
:mod:`rnnbook.labs.hint_handler`: a student's usual TensorFlow mistakes show a
short hint instead of a traceback.
"""

from rnnbook.labs import hint_handler
from rnnbook.labs.axis_choice import check_stack_axis, check_unstack_axis
from rnnbook.labs.common import CheckResult
from rnnbook.labs.parameters import check_parameter_count
from rnnbook.labs.puzzles import puzzle
from rnnbook.labs.rnn_states import check_rnn_states
from rnnbook.labs.rnn_step import check_rnn_loop, check_rnn_step
from rnnbook.labs.running_sum import check_running_sum
from rnnbook.labs.stack import check_stack
from rnnbook.labs.unstack import check_unstack

__all__ = ["CheckResult", "check_parameter_count", "check_rnn_loop", "check_rnn_states",
           "check_rnn_step",
           "check_running_sum", "check_stack", "check_stack_axis", "check_unstack",
           "check_unstack_axis", "puzzle"]

hint_handler.install()
