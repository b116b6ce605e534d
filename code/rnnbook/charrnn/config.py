"""How a character model is built and trained, and the three presets (18-3)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from rnnbook.arguments import finite_positive_float, non_negative_int, positive_int, real_in

#: The recurrent layers a character model can have. The book trains and ships the GRU
#: (the only one the reader's browser runs); the LSTM stays to compare with, as in the
#: runs that chose the GRU (see PRESETS).
CELLS = ("gru", "lstm")


@dataclass(frozen=True)
class CharRNNConfig:
    """The model and its training, section 18-3.

    An epoch is ``steps_per_epoch`` batches of ``batch_size`` windows of
    ``seq_len`` characters. Adam's learning rate decays from
    ``learning_rate`` to ``learning_rate * final_lr_fraction`` along a cosine
    over the whole run; gradients are clipped to a global norm of
    ``clip_norm``. ``dropout`` is applied to the output of each recurrent
    layer during training. The validation loss is measured on the first
    ``validation_chars`` characters of the validation text (None: all of it),
    see :func:`~rnnbook.charrnn.training.evaluate`.
    """

    cell: str = "gru"
    embedding_dim: int = 64
    units: int = 256
    layers: int = 2
    dropout: float = 0.0
    seq_len: int = 100
    batch_size: int = 128
    learning_rate: float = 2e-3
    final_lr_fraction: float = 0.05
    clip_norm: float = 1.0
    epochs: int = 10
    steps_per_epoch: int = 100
    validation_chars: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {self.cell!r}")
        for name in ("embedding_dim", "units", "layers", "seq_len", "batch_size", "epochs",
                     "steps_per_epoch"):
            positive_int(name, getattr(self, name))
        if self.validation_chars is not None:
            positive_int("validation_chars", self.validation_chars)
        real_in("dropout", self.dropout, 0.0, 1.0, high_open=True)
        real_in("final_lr_fraction", self.final_lr_fraction, 0.0, 1.0)
        for name in ("learning_rate", "clip_norm"):
            finite_positive_float(name, getattr(self, name))
        non_negative_int("seed", self.seed)

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    @property
    def characters_per_epoch(self) -> int:
        return self.steps_per_epoch * self.batch_size * self.seq_len

    @classmethod
    def from_dict(cls, data: dict) -> CharRNNConfig:
        """The config of a metrics file (``metrics["config"]``); unknown keys are an error."""
        if not isinstance(data, dict):
            raise TypeError(f"data must be a dict, got {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        extra = sorted(set(data) - names)
        if extra:
            raise ValueError(f"unknown CharRNNConfig fields {extra}; expected some of "
                             f"{sorted(names)}")
        return cls(**data)


def check_config(config: object) -> CharRNNConfig:
    """``config`` if it is a :class:`CharRNNConfig`, else a TypeError that says what is wanted."""
    if not isinstance(config, CharRNNConfig):
        raise TypeError(f"config must be a CharRNNConfig (e.g. PRESETS['demo']), "
                        f"got {type(config).__name__}")
    return config


#: "tiny": the tests (seconds). "demo": the live demo a page trains (about 40 s on a
#: 2-core CPU, already names in capitals and line breaks). "shipped": the model behind
#: the page's samples (about 25 min on the same CPU: ``python -m rnnbook.charrnn train
#: --preset shipped --out code/rnnbook/weights/shakespeare``).
#: Chosen from short runs on this corpus: at equal size and time a GRU learnt faster
#: than an LSTM (validation 1.84 vs 2.08 nats/char after 120 steps); 128 windows of
#: 100 characters beat 256 in equal time; 8e-3 beat 5e-3 and 3e-3. About 0.8M
#: parameters (3.3 MB of weights) suit what 30 minutes of this CPU can train.
PRESETS = {
    "tiny": CharRNNConfig(cell="gru", embedding_dim=8, units=16, layers=1, seq_len=16, batch_size=8,
                          learning_rate=1e-2, epochs=2, steps_per_epoch=10,
                          validation_chars=512),
    "demo": CharRNNConfig(cell="gru", embedding_dim=32, units=256, layers=1, seq_len=100,
                          batch_size=128, learning_rate=6e-3, epochs=3, steps_per_epoch=25,
                          validation_chars=25_600),
    "shipped": CharRNNConfig(cell="gru", embedding_dim=64, units=288, layers=2, dropout=0.0,
                             seq_len=100, batch_size=128, learning_rate=8e-3,
                             epochs=8, steps_per_epoch=150),
}
