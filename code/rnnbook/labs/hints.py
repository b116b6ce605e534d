"""What to tell a student whose line raised a usual error, in their language (Labs 01-03).

:func:`hint_for` reads an exception (TensorFlow's or Python's) and returns a
short hint that points at the mistake without giving the answer, or None
for an error it does not know. :func:`one_line_error` is the original error
in one line, without TensorFlow's ``{{function_node ...}}`` and
``[Op:...]`` noise. ``rnnbook.labs.hint_handler`` shows both in a notebook
instead of the traceback.
"""

from __future__ import annotations

import linecache
import re
from collections.abc import Callable
from dataclasses import dataclass

from rnnbook.show.language import Text, say

#: Parts of a TensorFlow error message that mean nothing to a student: the
#: "{{function_node ...}}" prefix and the "[Op:Pack] name: stack" suffix.
_TF_NOISE = re.compile(r"\{\{.*?\}\}\s*|\s*\[Op:\w+\].*$", re.MULTILINE)
_LONGEST_LINE = 300         # characters of the original error shown


@dataclass(frozen=True)
class _Hint:
    """One known error: its exception classes (names), what its message says, the hint."""

    errors: tuple[str, ...]
    pattern: re.Pattern
    en: str
    zh_TW: str
    fields: Callable[[re.Match, BaseException], dict] = lambda match, error: {}


def hint_for(error: BaseException) -> Text | None:
    """The hint for ``error``, in every language, or None if it is not a usual mistake."""
    names = {cls.__name__ for cls in type(error).__mro__}
    message = _clean(str(error))
    for hint in HINTS:
        match = hint.pattern.search(message) if names & set(hint.errors) else None
        if match:
            return say(hint.en, hint.zh_TW, **{**match.groupdict(), **hint.fields(match, error)})
    return None


def one_line_error(error: BaseException) -> str:
    """'InvalidArgumentError: Input shape axis 0 must equal 1, got shape [3,4]'."""
    lines = [line.strip() for line in _clean(str(error)).splitlines() if line.strip()]
    text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return text if len(text) <= _LONGEST_LINE else text[:_LONGEST_LINE - 1] + "…"


def _clean(message: str) -> str:
    return _TF_NOISE.sub("", message).strip()


def _axes(match: re.Match, error: BaseException) -> dict:
    """The axes that exist, from TensorFlow's 'not in range [-3, 3)'; and which call it was."""
    count = int(match["high"])
    stack = _called(error, "stack")
    return dict(last=count - 1, count=count,
                about_stack=_STACK_AXES if stack else Text("", ""))


def _called(error: BaseException, function: str) -> bool:
    """Whether ``tf.<function>`` raised ``error``: a frame of its traceback is that function,
    or a line of it calls it (TensorFlow hides its own frames from tracebacks)."""
    call = re.compile(rf"(?<![\w.])(?:tf\.)?{function}\(")
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == function and "tensorflow" in code.co_filename:
            return True
        if call.search(linecache.getline(code.co_filename, tb.tb_lineno)):
            return True
        tb = tb.tb_next
    return False


def _dtype_names(match: re.Match, error: BaseException) -> dict:
    """TensorFlow calls float32 'float' and float64 'double' in these messages."""
    names = {"float": "float32", "double": "float64", "half": "float16"}
    return dict(wanted=names.get(match["wanted"], match["wanted"]),
                got=names.get(match["got"], match["got"]))


def _how_many(match: re.Match, error: BaseException) -> dict:
    """'from 1 to 4' (Python's words) as '1到4' in Chinese; a single number as it is."""
    if match["least"] is None:
        return dict(takes=match["most"])
    return dict(takes=say("from {least} to {most}", "{least}到{most}", least=match["least"],
                          most=match["most"]))


def _listed_names(match: re.Match, error: BaseException) -> dict:
    """Python's "'b' and 'c'" with the Chinese enumeration comma in Chinese."""
    return dict(names=Text(match["names"], match["names"].replace(" and ", "、")))


def _function(name: str | None) -> Text:
    """'`f`' for a function Python named, 'this function' when it did not."""
    if name is None:
        return Text("this function", "這個函式")
    return say("`{name}`", "`{name}`", name=name)


#: Several tensors given to tf.stack one by one: the second is taken as the axis.
_ONE_LIST = Text("`tf.stack` takes one list of tensors: gather them in square brackets, "
                 "`tf.stack([…], axis=…)`; a tensor after the first one is taken as the axis.",
                 "`tf.stack`接受的是一個由張量組成的串列：請用方括號把它們括起來，寫成"
                 "`tf.stack([…], axis=…)`；第一個張量後面的張量會被當成軸。")
_READ_DOCS = Text("Compare the call with the function's documentation.",
                  "請對照函式的說明文件檢查這個呼叫。")
#: `if tensor:` or `a and b` on a tensor of several values.
_AMBIGUOUS = Text("a tensor of several values is neither True nor False: `if`, `and`, `or` "
                  "and `not` need one truth value. Compare whole tensors with "
                  "`tf.reduce_all(…)` or `tf.reduce_any(…)`.",
                  "由好幾個值組成的張量本身不是True也不是False：`if`、`and`、`or`和`not`需要單一個"
                  "真假值。要比較整個張量，請用`tf.reduce_all(…)`或`tf.reduce_any(…)`。")
_STACK_AXES = Text(" `tf.stack` numbers the axes of its result, which has one axis more than "
                   "each tensor it stacks.",
                   "`tf.stack`的軸是指結果的軸，而結果比每個被stack的張量多一個軸。")

#: The known mistakes, most specific first. Each hint names the mistake and
#: where to look; none writes the answer.
HINTS = [
    _Hint(("InvalidArgumentError",),
          re.compile(r"Input shape axis (?P<axis>-?\d+) must equal (?P<num>\d+), got shape "
                     r"(?P<shape>\[[\d,]*\])"),
          "the second positional argument of `tf.unstack` is `num`, the number of pieces, not "
          "the axis: `tf.unstack(x, {num})` means num={num}, but axis {axis} does not have "
          "size {num} (shape {shape}). Name the axis: `axis=…`.",
          "`tf.unstack`的第二個位置引數是`num`，也就是要拆成幾份，而不是軸："
          "`tf.unstack(x, {num})`代表num={num}，但軸{axis}的大小不是{num}（形狀{shape}）。"
          "請用名稱指定軸：`axis=…`。"),
    _Hint(("ValueError",),
          re.compile(r"[Aa]xis`? = (?P<axis>-?\d+) not in (?:range )?"
                     r"\[(?P<low>-?\d+), (?P<high>\d+)\)"),
          "there is no axis {axis} here: the {count} axes are numbered 0 to {last}, or "
          "{low} to -1 counted from the end.{about_stack}",
          "這裡沒有軸{axis}：{count}個軸的編號是0到{last}，從後面數回來則是{low}到-1。"
          "{about_stack}",
          _axes),
    _Hint(("InvalidArgumentError",),
          re.compile(r"cannot compute Pack as input #(?P<index>\d+)\(zero-based\) was expected "
                     r"to be a (?P<wanted>\w+) tensor but is a (?P<got>\w+) tensor"),
          "`tf.stack` needs tensors of one dtype: the first is {wanted} but the one at index "
          "{index} is {got}. Make them the same with `tf.cast(…, tf.{wanted})` (or "
          "`tf.{got}`).",
          "`tf.stack`的張量必須是同一種資料型別：第一個是{wanted}，索引{index}的那個卻是{got}。"
          "請用`tf.cast(…, tf.{wanted})`（或`tf.{got}`）把它們轉成同一種。",
          _dtype_names),
    _Hint(("InvalidArgumentError",),
          re.compile(r"cannot compute (?P<op>\w+) as input #(?P<index>\d+)\(zero-based\) was "
                     r"expected to be a (?P<wanted>\w+) tensor but is a (?P<got>\w+) tensor"),
          "TensorFlow does not mix dtypes in one operation ({op}): one operand is {wanted}, "
          "the other {got}. Convert one with `tf.cast(…, tf.{wanted})`, or create it with "
          "the right dtype.",
          "TensorFlow不會在同一個運算（{op}）裡混用資料型別：一個運算元是{wanted}，另一個是{got}。"
          "請用`tf.cast(…, tf.{wanted})`轉換其中一個，或一開始就用正確的資料型別建立它。",
          _dtype_names),
    _Hint(("InvalidArgumentError",),
          re.compile(r"Shapes of all inputs must match: values\[0\]\.shape = (?P<first>\[[\d,]*\]) "
                     r"!= values\[(?P<index>\d+)\]\.shape = (?P<other>\[[\d,]*\])"),
          "`tf.stack` needs tensors of one shape: the first has shape {first} but the one at "
          "index {index} has {other}. (`tf.concat` is the one that joins tensors of different "
          "lengths along an axis they already have.)",
          "`tf.stack`的張量必須形狀相同：第一個的形狀是{first}，索引{index}的那個卻是{other}。"
          "（要沿著原本就有的軸接起長度不同的張量，用的是`tf.concat`。）"),
    _Hint(("InvalidArgumentError",),
          re.compile(r"Matrix size-incompatible: In\[0\]: (?P<left>\[[\d,]*\]), "
                     r"In\[1\]: (?P<right>\[[\d,]*\])"),
          "`tf.matmul(a, m)` needs the last size of `a` to equal the first size of `m`: here "
          "{left} times {right}. Check which matrix goes with which vector, and their order.",
          "`tf.matmul(a, m)`需要`a`的最後一個大小等於`m`的第一個大小：這裡是{left}乘以{right}。"
          "請檢查哪個矩陣該配哪個向量，以及它們的先後順序。"),
    _Hint(("TypeError",),
          re.compile(r"(?P<function>[\w.<>]+)\(\) takes (?:from (?P<least>\d+) to )?"
                     r"(?P<most>\d+) positional arguments? but (?P<given>\d+) (?:was|were) "
                     r"given"),
          "`{function}` was called with {given} positional arguments but takes {takes}. "
          "Compare the call with the function's definition: a missing comma or bracket, or "
          "several tensors not gathered in one list, often cause this.",
          "呼叫`{function}`時給了{given}個位置引數，但它只接受{takes}個。請對照函式的定義檢查"
          "這個呼叫：常見的原因是少了逗號或括號，或是好幾個張量沒有放進同一個串列。",
          _how_many),
    _Hint(("TypeError",),
          re.compile(r"(?P<function>[\w.<>]+)\(\) missing (?P<count>\d+) required positional "
                     r"arguments?: (?P<names>.+)"),
          "`{function}` needs more arguments: {names} missing. Compare the call with the "
          "function's definition.",
          "`{function}`需要更多引數：缺少{names}。請對照函式的定義檢查這個呼叫。",
          _listed_names),
    _Hint(("TypeError",),
          re.compile(r"Too many arguments were given\. Expected (?P<most>\d+) but got "
                     r"(?P<given>\d+)"),
          "this TensorFlow function takes at most {most} positional arguments, and it was "
          "given {given}. {advice}",
          "這個TensorFlow函式最多只接受{most}個位置引數，這裡卻給了{given}個。{advice}",
          lambda match, error: dict(advice=_ONE_LIST if _called(error, "stack") else _READ_DOCS)),
    _Hint(("TypeError",),
          re.compile(r"(?:(?P<function>[\w.<>]+)\(\) )?[Gg]ot an unexpected keyword argument "
                     r"'(?P<name>\w+)'"),
          "{named} has no argument named `{name}`: check its spelling (`tf.unstack` and "
          "`tf.stack` call theirs `axis`).",
          "{named}沒有名為`{name}`的引數：請檢查拼字（`tf.unstack`和`tf.stack`的引數叫做`axis`）。",
          lambda match, error: dict(named=_function(match["function"]))),
    _Hint(("ValueError",),
          re.compile(r"truth value of an array with more than one element is ambiguous"),
          "{advice}", "{advice}",
          lambda match, error: dict(advice=_ONE_LIST if _called(error, "stack") else _AMBIGUOUS)),
    _Hint(("AttributeError",),
          re.compile(r"'list' object has no attribute '(?P<name>\w+)'"),
          "a Python list has no `.{name}`: `tf.unstack` returns a list of tensors. Ask one "
          "element (`pieces[0].{name}`), count them with `len(…)`, or `tf.stack` them into "
          "one tensor first.",
          "Python的串列沒有`.{name}`：`tf.unstack`傳回的是由張量組成的串列。請改問其中一個元素"
          "（`pieces[0].{name}`）、用`len(…)`算個數，或先用`tf.stack`把它們合成一個張量。"),
    _Hint(("AttributeError",),
          re.compile(r"'NoneType' object has no attribute '(?P<name>\w+)'"),
          "this value is None, so it has no `.{name}`: is the exercise's variable still "
          "`None`, or does a function end without `return`?",
          "這個值是None，所以沒有`.{name}`：是不是題目的變數還是`None`，"
          "或是某個函式最後沒有`return`？"),
    _Hint(("NameError",),
          re.compile(r"name '(?P<name>\w+)' is not defined"),
          "`{name}` is not defined yet: run the page's cells above this one first, in order, "
          "or check the spelling.",
          "`{name}`還沒有定義：請先依序執行這一格上面的程式碼儲存格，或檢查拼字。"),
    _Hint(("ValueError",),
          re.compile(r"Can't convert non-rectangular Python sequence to Tensor"),
          "the rows of this nested list have different lengths, and a tensor needs every row "
          "to have the same length.",
          "這個巢狀串列的各列長度不一樣，而張量的每一列都必須一樣長。"),
    _Hint(("IndexError",),
          re.compile(r"list index out of range"),
          "Python counts from 0: a list of n elements has indices 0 to n-1 (and -1, the last). "
          "`len(…)` tells how many elements the list has.",
          "Python從0開始數：有n個元素的串列，索引是0到n-1（-1是最後一個）。"
          "`len(…)`可以告訴你串列有幾個元素。"),
]
