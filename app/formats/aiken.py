"""Aiken: choice questions as one stem line, lettered options and `ANSWER: X`.

Aiken is plain text, as Moodle reads and writes it: reading escapes Markdown syntax so
every character shows as written; writing gives the text a reader sees, without markup.

Reading reports each malformed question with its line and keeps the well-formed ones,
as questions of the type whose Aiken hook reads them (single choice). Writing keeps the
questions whose type's Aiken hook gives their options and lists every other as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from string import ascii_uppercase

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    ParseResult,
    Problem,
    QuestionRecord,
    Unsupported,
)
from app.formats import export_notes, type_formats
from app.formats.html_markdown import plain_text

_OPTION = re.compile(r"([A-Z])\s*[.)]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class AikenHooks:
    """What Aiken's reader and writer ask a question type (its `TypeFormats.aiken`)."""

    # The option texts of a question and the index of the right one; None when Aiken
    # cannot hold the question (the writer lists it as skipped).
    write: Callable[[QuestionRecord], tuple[list[str], int] | None]
    # Fill a question of this type (id, type and stem already set) from the lettered
    # options `(letter, text)` and the answer letter; None: Aiken items never read as
    # this type. The first type (in the types' order) with a reader gets every item.
    read: Callable[[QuestionRecord, list[tuple[str, str]], str], None] | None = None


def read(content: bytes | str, source: str = "<input>") -> ParseResult:
    """Parse Aiken bytes (or decoded text); malformed questions become problems."""
    reader = _Reader(source)
    reader.run(_decode(content, source, reader.result.problems))
    return reader.result


def write(bank: BankRecord) -> ExportResult:
    """Aiken bytes for the bank's questions that Aiken holds; every other one is skipped."""
    blocks: list[str] = []
    skipped: list[Unsupported] = []
    warnings: list[Problem] = []
    for question in bank.questions:
        block = _block(question)
        if block is None:
            skipped.append(Unsupported(question.type, question.id, Location("", path=question.id)))
        else:
            blocks.append(block)
            warnings += export_notes.lost_extras(question, "Aiken")
    data = "\n\n".join(blocks) + "\n" if blocks else ""
    return ExportResult(data.encode("utf-8"), skipped, warnings)


def _one_line(text: str) -> str:
    """A Markdown text as Aiken's plain text, on one line: what a reader sees, with no
    markup (Moodle shows Aiken text as it is and writes its own that way)."""
    return " ".join(plain_text(text).split())


# Aiken is plain text: a `*`, `_`, `<` or `&` in it is that character. As Markdown each
# must be escaped, and so must a line start that Markdown would read as a heading, a
# quote or a list.
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^(\s*)(\d*)([#>+=-]|[.)])(?=\s|$)")


def markdown_of_plain(text: str) -> str:
    """Markdown that shows a plain text exactly as it is."""
    escaped = _INLINE_SYNTAX.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", escaped)


def _block(q: QuestionRecord) -> str | None:
    """The Aiken text of a question, or None if Aiken cannot hold it faithfully."""
    aiken = type_formats.hooks(q.type).aiken
    item = None if aiken is None else aiken.write(q)
    if item is None or not 2 <= len(item[0]) <= len(ascii_uppercase):
        return None
    stem, texts = _one_line(q.stem), [_one_line(text) for text in item[0]]
    # A stem that looks like an option or an ANSWER line would be misread.
    if not stem or _OPTION.fullmatch(stem) or _ANSWER.fullmatch(stem) or not all(texts):
        return None
    options = [f"{ascii_uppercase[n]}. {text}" for n, text in enumerate(texts)]
    return "\n".join([stem, *options, f"ANSWER: {ascii_uppercase[item[1]]}"])


def _decode(content: bytes | str, source: str, problems: list[Problem]) -> str:
    """UTF-8 text of `content` (a BOM is dropped); each undecodable line becomes a problem."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    content = content.removeprefix(b"\xef\xbb\xbf")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    for number, raw in enumerate(content.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            message = Message("aiken.not_utf8", {"line": number, "byte": exc.start + 1})
            problems.append(Problem(Location(source, number), message, "error"))
            lines.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(lines)


@dataclass
class _Draft:
    """A question being read: its number in the file, stem line and options so far."""

    number: int
    line: int
    stem: str
    options: list[tuple[str, str]] = field(default_factory=list)
    broken: bool = False
    long_stem: bool = False

    @property
    def letters(self) -> list[str]:
        """The option letters read so far."""
        return [letter for letter, _ in self.options]


class _Reader:
    """State of one pass over an Aiken file."""

    def __init__(self, source: str) -> None:
        stem = PurePath(source).stem
        self.source = source
        self.prefix = _SLUG.sub("-", stem.lower()).strip("-") or "aiken"
        self.result = ParseResult(BankRecord(id=self.prefix, title=stem))
        self.count = 0

    def run(self, text: str) -> None:
        """Read every line; a question ends at its ANSWER line."""
        draft: _Draft | None = None
        blank = False
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            answer, option = _ANSWER.fullmatch(line), _OPTION.fullmatch(line)
            if not line:
                blank = True
                continue
            if answer:
                self.answer(draft, answer.group(1).strip(), number)
                draft = None
            elif option:
                draft = self.option(draft, option.group(1), option.group(2).strip(), number)
            else:
                draft = self.text(draft, line, number, blank)
            blank = False
        if draft:
            self.fail(
                draft, draft.line, Message("aiken.no_answer_line", {"question": _name(draft)})
            )

    def start(self, stem: str, number: int) -> _Draft:
        """Begin the next question of the file."""
        self.count += 1
        return _Draft(self.count, number, stem)

    def fail(self, draft: _Draft, line: int, message: Message) -> None:
        """Report a problem with a question, which will then not be imported."""
        draft.broken = True
        self.result.problems.append(Problem(Location(self.source, line), message, "error"))

    def text(self, draft: _Draft | None, line: str, number: int, blank: bool) -> _Draft:
        """A line that is neither option nor ANSWER: a new stem, or a stem running on."""
        if draft is None:
            return self.start(line, number)
        if draft.options:
            self.fail(
                draft,
                draft.line,
                Message("aiken.no_answer_after_options", {"question": _name(draft)}),
            )
            return self.start(line, number)
        if blank:
            self.fail(draft, draft.line, Message("aiken.no_options", {"question": _name(draft)}))
            return self.start(line, number)
        if not draft.long_stem:
            draft.long_stem = True
            self.fail(draft, number, Message("aiken.long_stem", {"question": _name(draft)}))
        return draft

    def option(self, draft: _Draft | None, letter: str, text: str, number: int) -> _Draft:
        """One lettered option of the current question."""
        if draft is None:
            draft = self.start("", number)
            named = {"question": _name(draft), "letter": letter}
            self.fail(draft, number, Message("aiken.option_first", named))
        named = {"question": _name(draft), "letter": letter}
        if letter in draft.letters:
            self.fail(draft, number, Message("aiken.letter_twice", named))
        elif not text:
            self.fail(draft, number, Message("aiken.option_no_text", named))
        else:
            draft.options.append((letter, text))
        return draft

    def answer(self, draft: _Draft | None, value: str, number: int) -> None:
        """The ANSWER line: check the question and keep it if nothing was wrong."""
        if draft is None:
            message = Message("aiken.answer_alone")
            self.result.problems.append(Problem(Location(self.source, number), message, "error"))
            return
        letter = value.upper()
        if len(draft.options) < 2:
            self.fail(
                draft, draft.line, Message("aiken.too_few_options", {"question": _name(draft)})
            )
        if not re.fullmatch(r"[A-Z]", letter):
            given = {"question": _name(draft), "value": value}
            self.fail(draft, number, Message("aiken.answer_not_letter", given))
        elif letter not in draft.letters:
            named = {"question": _name(draft), "letter": letter}
            self.fail(draft, number, Message("aiken.answer_no_option", named))
        if not draft.broken:
            self.keep(draft, letter)

    def keep(self, draft: _Draft, answer: str) -> None:
        """Add a well-formed question to the bank, as the type that reads Aiken items."""
        where = Location(self.source, draft.line)
        reader = _reader()
        if reader is None:
            self.result.unsupported.append(Unsupported("choice", draft.stem, where))
            return
        stem = markdown_of_plain(draft.stem)
        question = QuestionRecord(
            id=f"{self.prefix}-{draft.number}", type=reader[0], stem=stem, location=where
        )
        question.derived_id = True  # Aiken has no ids: the file's name and a number
        options = [(letter, markdown_of_plain(words)) for letter, words in draft.options]
        reader[1](question, options, answer)
        self.result.bank.questions.append(question)


def _name(draft: _Draft) -> Message:
    """How messages name a question: its number, and its stem when it has one."""
    if not draft.stem:
        return Message("aiken.question", {"number": draft.number})
    short = draft.stem if len(draft.stem) <= 40 else draft.stem[:39] + "…"
    return Message("aiken.question_stem", {"number": draft.number, "stem": short})


def _reader() -> tuple[str, Callable[[QuestionRecord, list[tuple[str, str]], str], None]] | None:
    """The first type (in the types' order) whose Aiken hook reads items, and its reader."""
    for question_type in question_types.all_types():
        aiken = type_formats.hooks(question_type.key).aiken
        if aiken is not None and aiken.read is not None:
            return question_type.key, aiken.read
    return None
