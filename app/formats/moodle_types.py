"""The Moodle XML hooks of a question type, and the helpers the types' hooks share.

A type that Moodle XML can hold gives a `MoodleHooks` in its `formats.py` (the `moodle`
slot of its `TypeFormats`): the Moodle question kind it is written as, the writer of its
own elements, and the reader that fills its fields from one `<question>` element. The
reader reports what is wrong as message codes ("moodle.*", app/formats/texts.py) on the
`MoodleItem`, with the element path of the fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import HintRecord, Location, OptionRecord, Problem, QuestionRecord
from app.formats.html_markdown import html_to_markdown
from app.formats.html_media import PLUGINFILE, asset_name
from app.formats.xml_support import (
    child_paths,
    format_number,
    option_letter,
    parse_number,
    sub,
)

LISTS = frozenset({"question", "answer", "subquestion", "tag", "hint"})
# Moodle's combined feedback elements and the record fields they fill.
COMBINED = (
    ("correctfeedback", "correct_feedback"),
    ("partiallycorrectfeedback", "partial_feedback"),
    ("incorrectfeedback", "incorrect_feedback"),
)


def _always(el: Element) -> bool:
    """Every `<question>` of the hook's kind is the type's."""
    return True


@dataclass(frozen=True)
class MoodleHooks:
    """How one question type travels in Moodle XML.

    - `kind`: the Moodle question type (`<question type="…">`) it is written as and read
      from, e.g. "multichoice".
    - `write(el, q)`: append the type's own elements to the `<question>` element `el`;
      the writer has written name, texts, grade, penalty, hidden and idnumber before,
      and writes the tags after.
    - `read(item, q)`: fill the type's fields of `q` (whose `type` is already the
      type's key, and whose shared fields are read) from `item.el`, reporting problems
      through `item.error` and `item.warn`. It may change `q.type` to another type's key
      when the element reads better as that type.
    - `accepts(el)`: whether a `<question>` of `kind` is this type's, when several types
      share a kind (multichoice: `<single>` tells single choice from multiple response).
    """

    kind: str
    write: Callable[[Element, QuestionRecord], None]
    read: Callable[[MoodleItem, QuestionRecord], None]
    accepts: Callable[[Element], bool] = _always


_PLUGINFILE_TARGET = re.compile(r"\]\(@@PLUGINFILE@@/([^)\s]+)\)")


def markdown_files(text: str) -> str:
    """Markdown with Moodle's file references (`](@@PLUGINFILE@@/name)`) as `asset:name`."""
    if PLUGINFILE not in text:
        return text
    return _PLUGINFILE_TARGET.sub(
        lambda m: f"](asset:{asset_name(PLUGINFILE + m.group(1)) or m.group(1)})", text
    )


def rich_text(holder: Element | None, default_format: str = "html") -> str:
    """Markdown for a Moodle text holder (`<questiontext format=…><text>`)."""
    if holder is None:
        return ""
    raw = holder.findtext("text") or ""
    fmt = (holder.get("format") or default_format).lower()
    if fmt == "html":
        return html_to_markdown(raw)
    if fmt == "markdown":  # Markdown is kept as written, so an export comes back unchanged
        return markdown_files(raw) if raw.strip() else ""
    return raw.strip()


@dataclass
class Answer:
    """One `<answer>` of a question, read once."""

    path: str
    number: int
    text: str
    plain: str
    fraction: float
    feedback: str


@dataclass
class MoodleItem:
    """The `<question>` being read: where it is, what to call it, and its complaints."""

    el: Element
    path: str
    number: int
    source: str
    problems: list[Problem]
    failed: bool = False

    @property
    def name(self) -> str:
        """The question's <name>, stripped."""
        return (self.el.findtext("name/text") or "").strip()

    @property
    def label(self) -> str:
        """The `question` parameter of its messages: 'its name', else its position."""
        return f"'{self.name}'" if self.name else str(self.number)

    def location(self, path: str | None = None) -> Location:
        """The location of the question or of one of its elements."""
        return Location(file=self.source, path=path or self.path)

    def error(self, message: Message, path: str | None = None) -> None:
        """Record an error that keeps this question out of the import."""
        self.failed = True
        self.problems.append(Problem(self.location(path), message))

    def warn(self, message: Message, path: str | None = None) -> None:
        """Record a warning; the question is still imported."""
        self.problems.append(Problem(self.location(path), message, "warning"))

    def children(self, name: str) -> list[tuple[Element, str]]:
        """Direct children with a given name, with their element paths."""
        return [(c, p) for c, p in child_paths(self.el, self.path, LISTS) if c.tag == name]

    def answers(self) -> list[Answer]:
        """Every <answer>, with its fraction checked."""
        found = []
        for number, (el, path) in enumerate(self.children("answer"), start=1):
            raw = el.get("fraction")
            fraction = 0.0 if raw is None else parse_number(raw)
            if fraction is None:
                self.error(
                    Message(
                        "moodle.fraction",
                        {"question": self.label, "answer": number, "fraction": raw},
                    ),
                    path,
                )
                fraction = 0.0
            plain = (el.findtext("text") or "").strip()
            text = rich_text(el, "moodle_auto_format")
            feedback = rich_text(el.find("feedback"))
            found.append(Answer(path, number, text, plain, fraction, feedback))
        return found


def flag(text: str | None, default: bool) -> bool:
    """A Moodle yes/no setting (true/1/yes, false/0/no); `default` when it is neither."""
    value = (text or "").strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def is_full(fraction: float) -> bool:
    """True for a fraction of 100 (full marks)."""
    return abs(fraction - 100.0) < 1e-4


# --- the multichoice kind, shared by single choice and multiple response ------------


def is_single(el: Element) -> bool:
    """True when a multichoice `<question>` takes one answer (`<single>`, true by default)."""
    return flag(el.findtext("single"), True)


def choice_answers(item: MoodleItem) -> list[Answer]:
    """A multichoice question's answers, checked for their number and their texts."""
    answers = item.answers()
    if len(answers) < 2:
        item.error(
            Message("moodle.multichoice_answers", {"question": item.label, "count": len(answers)})
        )
    for a in answers:
        if not a.text:
            item.error(
                Message("moodle.answer_text", {"question": item.label, "answer": a.number}), a.path
            )
    return answers


def choice_options(answers: list[Answer], correct: Callable[[Answer], bool]) -> list[OptionRecord]:
    """Options a, b, … from multichoice answers, `correct` telling the right ones."""
    return [
        OptionRecord(option_letter(i), a.text, correct(a), a.feedback)
        for i, a in enumerate(answers)
    ]


def write_choices(el: Element, q: QuestionRecord, single: bool) -> None:
    """A multichoice question's settings and answers.

    In multiple response, wrong picks cost marks so that ticking every box never earns
    full marks.
    """
    sub(el, "single", "true" if single else "false")
    sub(el, "shuffleanswers", "true")
    sub(el, "answernumbering", "abc")
    sub(el, "showstandardinstruction", "0")
    combined_feedback(el, q)
    sub(el, "shownumcorrect", "1")
    right = sum(1 for o in q.options if o.correct) or 1
    wrong = sum(1 for o in q.options if not o.correct) or 1
    for option in q.options:
        if option.correct:
            fraction = 100.0 if single else 100.0 / right
        else:
            fraction = 0.0 if single else -100.0 / wrong
        answer(el, fraction, option.text, option.feedback)


# --- writing elements ---------------------------------------------------------------


def combined_feedback(parent: Element, q: QuestionRecord) -> None:
    """The feedback for right, partly right and wrong answers that Moodle's exporter
    writes for choice, matching and ordering questions (empty ones as Moodle writes them)."""
    for tag, name in COMBINED:
        text = getattr(q, name)
        holder(parent, tag, text, "markdown" if text else "html")


def write_hints(parent: Element, q: QuestionRecord) -> None:
    """One `<hint>` per hint, its options as the empty elements Moodle writes."""
    for hint in q.hints:
        el = holder(parent, "hint", hint.text)
        if hint.show_num_correct:
            sub(el, "shownumcorrect")
        if hint.clear_wrong:
            sub(el, "clearwrong")


def read_feedback_extras(item: MoodleItem, q: QuestionRecord) -> None:
    """Combined feedback and hints, for any kind that carries them."""
    for tag, name in COMBINED:
        setattr(q, name, rich_text(item.el.find(tag)))
    for el, path in item.children("hint"):
        text = rich_text(el)
        if not text:  # Moodle's exporter writes hints left empty in the editor too
            item.warn(Message("moodle.hint_empty", {"question": item.label}), path)
            continue
        show, clear = (_option_set(el.find(tag)) for tag in ("shownumcorrect", "clearwrong"))
        q.hints.append(HintRecord(text, show, clear))


def _option_set(el: Element | None) -> bool:
    """A hint option: set when its element is there (Moodle writes it empty) unless it
    says no."""
    return el is not None and flag(el.text, True)


def holder(parent: Element, tag: str, text: str, fmt: str = "markdown") -> Element:
    """A Moodle text holder: `<tag format=…><text>…</text></tag>`."""
    el = sub(parent, tag, format=fmt)
    sub(el, "text", text)
    return el


def settings(parent: Element, values: tuple[tuple[str, str], ...]) -> None:
    """One child element per (tag, text), in order."""
    for tag, value in values:
        sub(parent, tag, value)


def answer(parent: Element, fraction: float, text: str, feedback: str = "", fmt: str = "") -> None:
    """An `<answer fraction=…>` with its text and (possibly empty) feedback."""
    el = sub(parent, "answer", fraction=format_number(fraction, 5), format=fmt or "markdown")
    sub(el, "text", text)
    holder(el, "feedback", feedback)
