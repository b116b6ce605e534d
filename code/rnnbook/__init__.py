"""rnnbook: the code behind the executable RNN chapter (sections 18-1 to 18-3).

What a page, a notebook or a student imports: 18-2's equations, the
hand-written cell, the labs' checkers, MNIST and Shakespeare, the character
model. The machinery that builds the book lives in ``booktools``.

Import the package first, before TensorFlow or Keras: it holds TensorFlow's
native start-up lines (absl, oneDNN, CPU features) back while TensorFlow loads,
on any CPU and with any of TensorFlow's switches (see ``quiet_tensorflow``), and
asks TensorFlow's C++ runtime to log errors only once loaded.
"""

import os

from rnnbook import quiet_tensorflow

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
quiet_tensorflow.install()

__version__ = "0.1.0"
