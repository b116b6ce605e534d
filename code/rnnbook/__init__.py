"""rnnbook: the code behind the executable RNN chapter (sections 18-1 to 18-3).

Importing the package first, before TensorFlow, keeps TensorFlow's C++ start-up
lines (oneDNN, CPU feature notes) out of notebooks and the built book: the
variable is read once, when TensorFlow loads its native library.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"
