"""rnnbook.arguments: the argument checks every public function shares, and their messages."""

import numpy as np
import pytest

from rnnbook.arguments import (boolean, checked_by, finite_positive_float, folder_path, integer_in,
                             non_negative_int, positive_int, real_in)


def test_non_negative_int():
    assert non_negative_int("length", 0) == 0 and non_negative_int("seed", np.int64(7)) == 7
    with pytest.raises(ValueError, match="length must be an integer >= 0, got -1"):
        non_negative_int("length", -1)
    for value in (1.0, True, "3", None):
        with pytest.raises(TypeError, match="seed must be an integer >= 0, got"):
            non_negative_int("seed", value)


def test_finite_positive_float():
    assert finite_positive_float("temperature", 1) == 1.0
    assert finite_positive_float("temperature", np.float32(0.5)) == 0.5
    for value in (0, -0.5, float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="temperature must be a finite number > 0, got"):
            finite_positive_float("temperature", value)
    for value in (True, "1.0", None):
        with pytest.raises(TypeError, match="temperature must be a finite number > 0, got"):
            finite_positive_float("temperature", value)


def test_folder_path(tmp_path):
    assert folder_path("out_dir", str(tmp_path)) == tmp_path == folder_path("out_dir", tmp_path)
    for value in ("", "  "):
        with pytest.raises(ValueError, match="out_dir must name a folder, got"):
            folder_path("out_dir", value)
    with pytest.raises(TypeError, match=r"out_dir must be a folder path \(str or pathlib.Path\)"):
        folder_path("out_dir", 3)


def test_positive_int_messages_are_unchanged():
    with pytest.raises(ValueError, match=r"^units must be a positive integer \(>= 1\), got 0$"):
        positive_int("units", 0)
    with pytest.raises(TypeError, match=r"^units must be a positive integer, got float 2\.0$"):
        positive_int("units", 2.0)


def test_integer_in():
    assert integer_in("axis", -2, -2, 1) == -2 and integer_in("layer", np.int32(1), 0, 1) == 1
    with pytest.raises(ValueError, match=r"^layer must be an integer in 0..1 \(the model has 2 "
                                         r"recurrent layers\), got 2$"):
        integer_in("layer", 2, 0, 1, "the model has 2 recurrent layers")
    for value in (1.0, True, None):
        with pytest.raises(TypeError, match="axis must be an integer in -2..1, got"):
            integer_in("axis", value, -2, 1)


def test_boolean():
    assert boolean("overwrite", False) is False
    for value in (0, 1, "no", None):
        with pytest.raises(TypeError, match="overwrite must be True or False, got"):
            boolean("overwrite", value)


def test_real_in():
    assert real_in("dropout", 0, 0.0, 1.0, high_open=True) == 0.0
    assert real_in("fraction", 1, 0.0, 1.0) == 1.0
    for value in (1.0, -0.1, float("nan"), True, "0.5"):
        with pytest.raises(ValueError, match=r"dropout must be a number in \[0.0, 1.0\), got"):
            real_in("dropout", value, 0.0, 1.0, high_open=True)


def test_checked_by_gives_the_function_the_checked_arguments():
    def check(n):
        return {"n": positive_int("n", n)}

    @checked_by(check)
    def double(n):
        return 2 * n

    assert double(np.int64(3)) == 6 and type(double(np.int64(3))) is int
    with pytest.raises(ValueError, match="n must be a positive integer"):
        double(0)
    with pytest.raises(TypeError):           # a wrong call gets Python's own message
        double(1, 2)
