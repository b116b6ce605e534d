"""MyST Markdown as plain Markdown that Jupyter and Colab render (student notebooks).

Each MyST construct the pages use becomes what a bare notebook shows:
labels vanish; notes become quotes; figures become images (attachments, so
they show offline) with their number and caption; ``literalinclude`` becomes
the code it includes; display equations keep their number; roles become
text and links to the published book: ``{term}`` a link to the glossary,
``{ref}`` a link with the section's title, ``{eq}`` the equation's number,
``{cite:t}``/``{cite:p}`` "Author (year)"/"(Author, year)", ``{glue:text}``
the value the build measured (or, without one, a phrase pointing at the
printed output). Exercises are handled by ``booktools.notebooks.student``.
"""

from __future__ import annotations

import ast
import base64
import re
from ast import literal_eval
from dataclasses import dataclass, field
from pathlib import Path

from booktools.notebooks.book_index import BookIndex
from booktools.editions import edition_of

#: Words a student notebook adds around the page's own text, per edition language.
WORDS = {
    "en": {"note": "Note", "figure": "Fig.", "exercise": "Exercise", "solutions": "Solutions",
           "solution": "Solution", "printed": "the value printed by the code above",
           "hidden": "The solutions are in the last section of this notebook, "
                     "“{solutions}”: try the exercise first."},
    "zh-TW": {"note": "注意", "figure": "圖", "exercise": "練習", "solutions": "解答",
              "solution": "解答", "printed": "上方程式碼印出的數值",
              "hidden": "解答在這份筆記本最後一節「{solutions}」：請先自己試試看。"},
}

_LABEL = re.compile(r"^\([\w.-]+\)=[ \t]*\n", re.M)
_NOTE = re.compile(r"^:::\{note\}[ \t]*\n(?P<body>.*?)\n:::[ \t]*$", re.M | re.S)
_FIGURE = re.compile(r"^```\{figure\} (?P<path>\S+)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)\n?"
                     r"(?P<caption>.*?)\n?^```[ \t]*$", re.M | re.S)
_INCLUDE = re.compile(r"^```\{literalinclude\} (?P<path>\S+)\n(?P<options>(?::[\w-]+:.*\n)*)"
                      r"^```[ \t]*$", re.M)
_EQUATION = re.compile(r"^\$\$[ \t]*\n(?P<math>.*?)\n\$\$[ \t]*\((?P<label>[\w.-]+)\)[ \t]*$",
                       re.M | re.S)
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
_LINK_TO_PAGE = re.compile(r"\]\((?P<path>[^)\s:]+?)\.md(?P<anchor>#[^)]*)?\)")
_OPTION = re.compile(r"^:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$", re.M)


@dataclass
class PageContext:
    """Where a page is, what it may point to, and what its build measured."""

    root: Path
    docname: str
    language: str
    index: BookIndex
    glue: dict[str, str] | None = None        # name -> text/plain of the value, None: no build
    attachments: dict[str, dict] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return (self.root / self.docname).parent

    @property
    def words(self) -> dict[str, str]:
        return WORDS[self.language]

    @property
    def edition(self) -> str | None:
        return edition_of(self.docname, self.index.glossaries)


def plain_markdown(text: str, context: PageContext) -> str:
    """``text`` (a Markdown cell of a MyST page) as plain Markdown; attachments go to context."""
    text = _LABEL.sub("", text)
    text = _NOTE.sub(lambda m: _quote(m["body"], context), text)
    text = _FIGURE.sub(lambda m: _figure(m, context), text)
    text = _INCLUDE.sub(lambda m: _include(m, context), text)
    text = _EQUATION.sub(lambda m: _equation(m, context), text)
    text = _ROLE.sub(lambda m: _role(m["role"], m["content"], context), text)
    text = _LINK_TO_PAGE.sub(lambda m: _page_link(m, context), text)
    return text.strip("\n")


def _quote(body: str, context: PageContext) -> str:
    lines = [f"**{context.words['note']}**", ""] + body.strip("\n").splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _options(block: str) -> dict[str, str]:
    return {m["name"]: m["value"].strip() for m in _OPTION.finditer(block)}


def _figure(match: re.Match, context: PageContext) -> str:
    options = _options(match["options"])
    name, data = _image(context.folder / match["path"])
    context.attachments[name] = {"image/png": base64.b64encode(data).decode()}
    number = context.index.numbers.get(options.get("name", ""))
    image = f"![{_one_line(options.get('alt', ''))}](attachment:{name})"
    return image + "\n\n" + caption(match["caption"], number, context)


def _image(path: Path) -> tuple[str, bytes]:
    """A figure's file name and PNG bytes: JupyterLab does not show SVG attachments, so
    the book's diagrams are drawn again as PNG by the figure writer."""
    from booktools.figures.writer import png_bytes

    path = path.resolve()
    if path.suffix == ".png":
        return path.name, path.read_bytes()
    return f"{path.stem}.png", png_bytes(path.stem)


def caption(text: str, number: str | None, context: PageContext) -> str:
    """A figure's caption as an italic paragraph, numbered as in the book."""
    label = f"{context.words['figure']} {number}" if number else context.words["figure"]
    separator = "：" if context.language == "zh-TW" else ": "
    body = _one_line(plain_markdown(text, context))
    return f"*{label}{separator}{body}*" if body else f"*{label}*"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _include(match: re.Match, context: PageContext) -> str:
    options = _options(match["options"])
    source = (context.folder / match["path"]).resolve().read_text(encoding="utf-8")
    if "pyobject" in options:
        source = python_object(source, options["pyobject"])
    return f"```{options.get('language', '')}\n{source.rstrip()}\n```"


def python_object(source: str, name: str) -> str:
    """The source of a function or class (``Class.method`` too) in a module's source."""
    tree, lines = ast.parse(source), source.splitlines()
    nodes = tree.body
    for part in name.split("."):
        node = next((n for n in nodes if getattr(n, "name", None) == part), None)
        if node is None:
            raise ValueError(f"no {name!r} in the included file")
        nodes = getattr(node, "body", [])
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    body = "\n".join(lines[first - 1:node.end_lineno])
    indent = len(body) - len(body.lstrip())
    return "\n".join(line[indent:] for line in body.splitlines())


def _equation(match: re.Match, context: PageContext) -> str:
    number = context.index.numbers.get(match["label"])
    tag = f" \\tag{{{number}}}" if number else ""
    return f"$$\n{match['math'].strip()}{tag}\n$$"


def _role(role: str, content: str, context: PageContext) -> str:
    text, target = _split_target(content)
    if role == "term":
        glossary = context.index.glossaries.get(context.edition)
        return f"[{text}]({context.index.url(glossary)})" if glossary else text
    if role == "ref":
        found = context.index.labels.get(target)
        if found is None:
            return text
        shown = text if text != target else found.title
        return f"[{shown}]({context.index.url(found.docname, found.anchor)})"
    if role == "eq":
        return f"({context.index.numbers.get(target, '?')})"
    if role in ("cite:t", "cite:p"):
        return _citation(role, target, context)
    if role == "glue:text":
        return glued(target, context)
    if role in ("math",):
        return f"${content}$"
    return f"{role}:{content}"      # unknown: the student-notebook test finds it


def _split_target(content: str) -> tuple[str, str]:
    match = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^>]+)>", content, re.S)
    return (match["text"], match["target"]) if match else (content, content)


def _citation(role: str, keys: str, context: PageContext) -> str:
    references = context.index.url("book/references")
    cited = []
    for key in (k.strip() for k in keys.split(",")):
        authors, year = context.index.citations.get(key, (key, ""))
        cited.append(f"[{authors} ({year})]({references})" if role == "cite:t"
                     else f"[{authors}, {year}]({references})")
    return "; ".join(cited) if role == "cite:t" else f"({'; '.join(cited)})"


def glued(name_and_format: str, context: PageContext) -> str:
    """A ``{glue:text}`` value formatted as the book shows it, or a pointer to the output."""
    name, _, spec = name_and_format.partition(":")
    if context.glue is None or name not in context.glue:
        printed = context.words["printed"]
        return f"（{printed}）" if context.language == "zh-TW" else f"({printed})"
    text = context.glue[name]
    try:
        value = literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return format(value, spec) if spec else str(value)


def _page_link(match: re.Match, context: PageContext) -> str:
    target = (context.folder / f"{match['path']}.md").resolve()
    try:
        docname = target.relative_to(context.root.resolve()).with_suffix("").as_posix()
    except ValueError:
        return match[0]
    anchor = (match["anchor"] or "").lstrip("#")
    return f"]({context.index.url(docname, anchor)})"
