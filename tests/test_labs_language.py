"""Labs 01 and 02 speak the student's language: every verdict and diagnosis of
check_unstack and check_stack (and CheckResult itself) in English and in
Traditional Chinese as used in Taiwan; ``speaks_both`` is shared by the other
tests of the labs' messages."""

import re

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import pytest
import tensorflow as tf

from rnnbook.labs import CheckResult, check_stack, check_unstack
from rnnbook.show.language import ALL, Text, set_language

DATA = tf.reshape(tf.range(12), (4, 3))          # the Lab 01 source, int32
A = tf.reshape(tf.range(12), (4, 3))             # the Lab 02 sources, int32
B = A + 100

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: Characters only Simplified Chinese writes (their Traditional forms differ).
SIMPLIFIED = set("张数据个这们对误维输变组时间请为应该转换类结长还没会进让从给"
                 "开经过实现态码单错与样么边处传决则显历读写")
#: Words of mainland usage where Taiwan says something else (Taiwan's word after the arrow).
MAINLAND = {"數據": "資料", "列表": "串列", "代碼": "程式碼", "單元格": "儲存格", "默認": "預設",
            "信息": "訊息", "調用": "呼叫", "返回": "傳回", "運行": "執行", "函數": "函式",
            "張量的維": "軸", "數據類型": "資料型別", "類型": "型別"}
#: English words that must not be left in a Chinese message (outside `code`).
ENGLISH_PROSE = re.compile(r"\b(the|you|your|is|are|of|and|not|with|this|returned|expected|"
                           r"instead|got|shape|axis|tensors?|list|element|values?|dtype)\b",
                           re.IGNORECASE)


@pytest.fixture(autouse=True)
def english_messages():
    """Messages in English, whatever the environment says (tests of Chinese set it)."""
    set_language("en")
    yield
    set_language(None)


def speaks_both(text: Text) -> Text:
    """Assert ``text`` is English in English and Taiwan's Chinese in Chinese; return it."""
    assert isinstance(text, Text), f"expected a Text, got {type(text).__name__}: {text!r}"
    assert not CJK.search(text.en), f"Chinese in the English text: {text.en}"
    chinese = re.sub(r"`[^`]*`", "", text.zh_TW)
    assert CJK.search(chinese), f"no Chinese in the Chinese text: {text.zh_TW}"
    assert not SIMPLIFIED & set(chinese), f"Simplified characters in: {text.zh_TW}"
    assert not [word for word in MAINLAND if word in chinese], f"mainland usage in: {text.zh_TW}"
    prose = re.sub(r"\([^()]*\)|\[[^\]]*\]|[\w.]*_\w*|s_\S+", "", chinese)
    assert not ENGLISH_PROSE.search(prose), f"English left in the Chinese text: {text.zh_TW}"
    return text


def says(result: CheckResult, passed: bool, english: str, chinese: str) -> tuple[str, str]:
    """Assert the verdict and each language's phrase in its line; return (English, Chinese)."""
    assert result.passed == passed, str(result)
    en, zh = in_both(result)
    assert english in en and chinese in zh, (en, zh)
    assert zh.startswith("✅ 正確：" if passed else "❌ 還不對："), zh
    return en, zh


def in_both(result: CheckResult) -> tuple[str, str]:
    """(English, Chinese) of a result's whole line, each as ``str`` shows it."""
    speaks_both(result.message)
    set_language("zh-TW")
    chinese = str(result)
    set_language("en")
    return str(result), chinese


# ------------------------------------------------------------------ CheckResult


def test_check_result_verdicts_in_both_languages():
    result = CheckResult(False, Text("use `tf.stack`", "請用`tf.stack`"))
    assert in_both(result) == ("❌ Not yet: use `tf.stack`", "❌ 還不對：請用`tf.stack`")
    assert in_both(CheckResult(True, Text("fine", "很好")))[1] == "✅ 正確：很好"


def test_check_result_html_holds_each_language_in_its_span():
    result = CheckResult(False, Text("use `tf.stack` <now>", "請用`tf.stack`"))
    set_language(ALL)
    html = result._repr_html_()
    assert html.startswith('<p class="rnnbook-check"><strong>')
    assert '<span class="rnnbook-text" lang="zh-TW">❌ 還不對</span>' in html
    assert '<span class="rnnbook-text" lang="en">: use <code>tf.stack</code> &lt;now&gt;' in html
    assert str(result) == "❌ 還不對：請用`tf.stack` / ❌ Not yet: use `tf.stack` <now>"
    set_language("zh-TW")
    assert 'lang="en"' not in result._repr_html_()


def test_a_plain_str_message_is_the_same_in_every_language():
    set_language("zh-TW")
    assert str(CheckResult(False, "wrong")) == "❌ 還不對：wrong"


def test_check_result_refuses_a_message_that_is_not_text():
    with pytest.raises(TypeError, match="message must be a Text or a str"):
        CheckResult(True, 5)


def test_check_result_stays_truthy_only_when_passed():
    assert CheckResult(True, Text("a", "甲")) and not CheckResult(False, Text("a", "甲"))


# ------------------------------------------------------------------ check_unstack


def _wrong_values():
    answer = [t.numpy() for t in tf.unstack(DATA, axis=0)]
    answer[2] = answer[2].copy()
    answer[2][1] = 99
    return answer


UNSTACK_CASES = {
    "correct": (tf.unstack(DATA, axis=0), "gives a list of 4 tensors of shape (3,)",
                "會得到由4個形狀為(3,)的張量組成的串列"),
    "other-axis": (tf.unstack(DATA, axis=1), "this is the unstack on axis 1",
                   "這是對軸1取unstack的結果；題目要的是軸0"),
    "one-tensor": (DATA, "you returned one tensor of shape (4, 3)",
                   "你傳回的是一個形狀為(4, 3)的張量"),
    "split": (tf.split(DATA, 4, axis=0), "looks like `tf.split`", "`tf.unstack`則會把那個軸拿掉"),
    "untouched": (None, "your answer is still None", "你的答案還是None：請把`None`換成你的程式碼"),
    "values": (_wrong_values(), "element 2 has the right shape (3,)",
               "元素2的形狀(3,)是對的，但數值不同，第一個不同處在索引(1,)：得到99，應該是7"),
    "reversed": (tf.unstack(DATA, axis=0)[::-1], "reverse order", "順序反了"),
    "dtype": ([tf.cast(t, tf.float32) for t in tf.unstack(DATA, axis=0)],
              "has dtype float32",
              "資料型別是float32；`tf.unstack`會保留來源張量的資料型別（int32）"),
    "string": ("abc", "you returned a string", "你傳回的是字串"),
    "ragged": ([[1, 2], [3]], "ragged", "長短不一"),
    "empty": ([], "you returned an empty list", "你傳回的是空串列"),
    "element-none": ([None] * 4, "element 0 of your list is None", "你的串列的元素0是None"),
    "count": ([DATA], "a list of 1 tensor of shape (4, 3); expected 4 tensors of shape (3,)",
              "你傳回的是由1個形狀為(4, 3)的張量組成的串列；應該是4個形狀為(3,)的張量"),
    "dict": ({}, "you returned a dict", "你傳回的是`dict`"),
}


@pytest.mark.parametrize("case", UNSTACK_CASES)
def test_unstack_speaks_both_languages(case):
    answer, english, chinese = UNSTACK_CASES[case]
    says(check_unstack(answer, DATA, axis=0), case == "correct", english, chinese)


# ------------------------------------------------------------------ check_stack


def _stack_values():
    answer = tf.stack([A, B]).numpy()
    answer[1, 2, 0] = -1
    return answer


STACK_CASES = {
    "correct": (tf.stack([A, B], axis=1), "matches `tf.stack(sources, axis=1)`",
                "你的張量形狀是(4, 2, 3)，和`tf.stack(sources, axis=1)`的結果一致"),
    "other-axis": (tf.stack([A, B], axis=0), "this is the stack on axis 0",
                   "這是對軸0取stack的結果；題目要的是軸1（形狀是(2, 4, 3)而不是(4, 2, 3)）"),
    "concat": (tf.concat([A, B], axis=0), "this is `tf.concat` along axis 0",
               "這是沿著軸0的`tf.concat`"),
    "transposed": (tf.transpose(tf.stack([A, B], axis=1), [2, 1, 0]), "transposed",
                   "轉置後的結果：它的軸順序是(2, 1, 0)"),
    "list": ([A, B], "you returned a list of 2 tensors",
             "你傳回的是由2個張量組成的串列；`tf.stack`會傳回一個形狀為(4, 2, 3)的張量"),
    "one-source": (A, "sources[0] alone", "這只是sources[0]本身"),
    "other-shape": (tf.zeros((5, 5), tf.int32), "your tensor has shape (5, 5)",
                    "你的張量形狀是(5, 5)；應該是(4, 2, 3)"),
    "dtype": (tf.cast(tf.stack([A, B], axis=1), tf.float32), "dtype float32",
              "資料型別是float32；`tf.stack`會保留輸入張量的資料型別（int32）"),
    "untouched": (None, "your answer is still None", "你的答案還是None"),
    "number": (3, "you returned a single number (3)", "你傳回的是單一個數字（3）"),
    "string": ("abc", "your answer is a string", "你的答案是字串"),
}


@pytest.mark.parametrize("case", STACK_CASES)
def test_stack_speaks_both_languages(case):
    answer, english, chinese = STACK_CASES[case]
    says(check_stack(answer, [A, B], axis=1), case == "correct", english, chinese)


def test_stack_values_differ_in_both_languages():
    en, zh = in_both(check_stack(_stack_values(), [A, B], axis=0))
    assert "index (1, 2, 0): got -1, expected 106" in en
    assert "形狀(2, 4, 3)是對的，但數值不同，第一個不同處在索引(1, 2, 0)：得到-1，應該是106" in zh


def test_the_language_checks_can_fail():
    """The checks of speaks_both catch what they are for."""
    for bad in [Text("张量", "張量"), Text("tensor", "张量"), Text("tensor", "列表"),
                Text("tensor", "你的 tensor is wrong"), Text("tensor", "tensor")]:
        with pytest.raises(AssertionError):
            speaks_both(bad)
