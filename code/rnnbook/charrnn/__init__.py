"""The character model of section 18-3 (the RNN text generator), in Keras.

The model reads a text one character at a time. At every time step it gets
the current character and is asked for the next one, "h" -> "e", "e" -> "l",
... (:func:`make_dataset`); the loss is the cross-entropy of those guesses,
summed over the time steps, in nats per character. Once trained, it writes:
give it a first character (the seed's "P") and feed each character it picks
back in as the next input (:func:`sample`).

    ids (B, T) -> Embedding -> LSTM/GRU x layers -> Dense -> logits (B, T, V)

One idea a module:

- ``vocabulary``: the characters and their ids (:class:`Vocabulary`);
- ``config``: :class:`CharRNNConfig` and the :data:`PRESETS`;
- ``model``: :func:`build_model`, the one-step :class:`StepModel`,
  :func:`next_char_distribution`, :func:`hidden_activations`;
- ``sampling``: :func:`sample` and :func:`generate`;
- ``training``: :func:`make_dataset`, :func:`train` and :func:`evaluate`;
- ``storage``: the model folder, written all or nothing and read back
  checked against the SHA-256 it records (:func:`load`,
  :data:`SHIPPED_WEIGHTS`, :class:`TrainedModel`);
- ``errors``: the user's mistakes, one line each;
- ``cli``: ``python -m rnnbook.charrnn train|evaluate|sample``.
"""

from rnnbook.charrnn.config import PRESETS, CharRNNConfig
from rnnbook.charrnn.errors import (BadArgument, FolderNotWritableError, ModelExistsError,
                                    ModelFolderError, ModelNotFoundError, UserError)
from rnnbook.charrnn.model import StepModel, build_model, hidden_activations, next_char_distribution
from rnnbook.charrnn.sampling import MAX_SAMPLE_LENGTH, generate, sample
from rnnbook.charrnn.storage import SHIPPED_WEIGHTS, TrainedModel, file_sha256, load
from rnnbook.charrnn.training import evaluate, make_dataset, train
from rnnbook.charrnn.vocabulary import UNKNOWN, Vocabulary

__all__ = [
    "MAX_SAMPLE_LENGTH", "PRESETS", "SHIPPED_WEIGHTS", "UNKNOWN",
    "BadArgument", "CharRNNConfig", "FolderNotWritableError", "ModelExistsError",
    "ModelFolderError", "ModelNotFoundError", "StepModel", "TrainedModel", "UserError",
    "Vocabulary",
    "build_model", "evaluate", "file_sha256", "generate", "hidden_activations", "load",
    "make_dataset", "next_char_distribution", "sample", "train",
]
