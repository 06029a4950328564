"""Aiken: single-choice questions as one stem line, lettered options and `ANSWER: X`.

Reading reports each malformed question with its line and keeps the well-formed ones;
writing keeps single-choice questions only and lists every other type as skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from string import ascii_uppercase

from app.domain.records import (
    BankRecord,
    ExportResult,
    Location,
    OptionRecord,
    ParseResult,
    Problem,
    QuestionRecord,
    Unsupported,
)

_OPTION = re.compile(r"([A-Z])\s*[.)]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)")
_SLUG = re.compile(r"[^a-z0-9]+")


def read(content: bytes | str, source: str = "<input>") -> ParseResult:
    """Parse Aiken bytes (or decoded text); malformed questions become problems."""
    reader = _Reader(source)
    reader.run(_decode(content, source, reader.result.problems))
    return reader.result


def write(bank: BankRecord) -> ExportResult:
    """Aiken bytes for the bank's single-choice questions; every other question is skipped."""
    blocks: list[str] = []
    skipped: list[Unsupported] = []
    for question in bank.questions:
        block = _block(question)
        if block is None:
            skipped.append(Unsupported(question.type, question.id, Location("", path=question.id)))
        else:
            blocks.append(block)
    data = "\n\n".join(blocks) + "\n" if blocks else ""
    return ExportResult(data.encode("utf-8"), skipped)


def _one_line(text: str) -> str:
    # Aiken has no line breaks; a Markdown soft break renders as a space anyway.
    return " ".join(text.split())


def _block(q: QuestionRecord) -> str | None:
    """The Aiken text of a question, or None if Aiken cannot hold it faithfully."""
    if q.type != "single_choice" or not 2 <= len(q.options) <= len(ascii_uppercase):
        return None
    stem, texts = _one_line(q.stem), [_one_line(o.text) for o in q.options]
    correct = [n for n, option in enumerate(q.options) if option.correct]
    # A stem that looks like an option or an ANSWER line would be misread.
    if not stem or _OPTION.fullmatch(stem) or _ANSWER.fullmatch(stem) or not all(texts):
        return None
    if len(correct) != 1:
        return None
    options = [f"{ascii_uppercase[n]}. {text}" for n, text in enumerate(texts)]
    return "\n".join([stem, *options, f"ANSWER: {ascii_uppercase[correct[0]]}"])


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
            message = f"line {number} is not valid UTF-8 (byte {exc.start + 1}); save as UTF-8"
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
            self.fail(draft, draft.line, "there is no ANSWER line")

    def start(self, stem: str, number: int) -> _Draft:
        """Begin the next question of the file."""
        self.count += 1
        return _Draft(self.count, number, stem)

    def fail(self, draft: _Draft, line: int, message: str) -> None:
        """Report a problem with a question, which will then not be imported."""
        draft.broken = True
        name = f"question {draft.number}"
        if draft.stem:
            short = draft.stem if len(draft.stem) <= 40 else draft.stem[:39] + "…"
            name = f"question {draft.number} ('{short}')"
        where = Location(self.source, line)
        self.result.problems.append(Problem(where, f"{name}: {message}", "error"))

    def text(self, draft: _Draft | None, line: str, number: int, blank: bool) -> _Draft:
        """A line that is neither option nor ANSWER: a new stem, or a stem running on."""
        if draft is None:
            return self.start(line, number)
        if draft.options:
            self.fail(draft, draft.line, "there is no ANSWER line after its options")
            return self.start(line, number)
        if blank:
            self.fail(draft, draft.line, "the question has no options")
            return self.start(line, number)
        if not draft.long_stem:
            draft.long_stem = True
            self.fail(draft, number, "the question text runs onto a second line; use one line")
        return draft

    def option(self, draft: _Draft | None, letter: str, text: str, number: int) -> _Draft:
        """One lettered option of the current question."""
        if draft is None:
            draft = self.start("", number)
            self.fail(draft, number, f"option {letter} has no question line before it")
        if letter in draft.letters:
            self.fail(draft, number, f"the option letter {letter} is used twice")
        elif not text:
            self.fail(draft, number, f"option {letter} has no text")
        else:
            draft.options.append((letter, text))
        return draft

    def answer(self, draft: _Draft | None, value: str, number: int) -> None:
        """The ANSWER line: check the question and keep it if nothing was wrong."""
        if draft is None:
            message = "this ANSWER line has no question before it"
            self.result.problems.append(Problem(Location(self.source, number), message, "error"))
            return
        letter = value.upper()
        if len(draft.options) < 2:
            self.fail(draft, draft.line, "the question has fewer than two options")
        if not re.fullmatch(r"[A-Z]", letter):
            self.fail(draft, number, f"the ANSWER line gives '{value}', not one option letter")
        elif letter not in draft.letters:
            self.fail(draft, number, f"the answer letter {letter} has no option")
        if not draft.broken:
            self.keep(draft, letter)

    def keep(self, draft: _Draft, answer: str) -> None:
        """Add a well-formed question to the bank."""
        options = [OptionRecord(k.lower(), text, k == answer) for k, text in draft.options]
        where = Location(self.source, draft.line)
        question = QuestionRecord(
            id=f"{self.prefix}-{draft.number}",
            type="single_choice",
            stem=draft.stem,
            options=options,
            location=where,
        )
        self.result.bank.questions.append(question)
