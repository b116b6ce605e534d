"""Lab 03's parameter-count checker: the right count, and each usual slip named (both languages)."""

import numpy as np
import pytest

from rnnbook.labs.parameters import check_parameter_count, parameter_count
from rnnbook.show.language import set_language


@pytest.fixture(params=["en", "zh-TW"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language(None)


def test_the_count_is_what_keras_counts():
    from rnnbook.rnn.cell import HandwrittenRNN

    layer = HandwrittenRNN(units=16)
    layer.build((None, 28, 5))
    assert layer.count_params() == parameter_count(5, 16)


def test_the_right_count_passes(language):
    result = check_parameter_count(28 * 128 + 128 * 128 + 128)
    assert result and "20,096" in str(result)
    assert check_parameter_count(np.int64(20_096)) and check_parameter_count(20_096.0)


@pytest.mark.parametrize(("answer", "en", "zh"), [
    (28 * 128 + 128 * 128, "bias b", "偏差b"),
    (28 * 128 + 128, "left out W", "漏了W"),
    (28 * 128 + 28 * 28 + 128, "(units, units)", "(單元數, 單元數)"),
    (20_096 * 28, "one copy per time step", "每個時間步各算一份"),
    (12345, "count the numbers in U (28, 128)", "請數一數U (28, 128)"),
    (None, "still None", "還是None"),
    (2009.5, "whole number", "整數"),
    (True, "whole number", "整數"),
])
def test_each_slip_is_named_in_the_student_s_language(language, answer, en, zh):
    result = check_parameter_count(answer)
    assert not result
    assert (zh if language == "zh-TW" else en) in str(result)
    assert "20,096" not in str(result) and "20096" not in str(result)   # never the answer


def test_the_page_s_setup_mistakes_are_errors():
    with pytest.raises(ValueError, match="units must be a positive integer"):
        check_parameter_count(1, units=0)
