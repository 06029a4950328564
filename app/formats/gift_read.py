"""Read GIFT, Moodle's plain-text question format, into Clausewise bank records.

One linear pass groups lines into blank-line separated blocks. Escapes are swapped for
placeholder characters as each line is read, so the structure of a block can be found
with plain string searches; placeholders turn back into text only in finished strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import (
    LEVELS,
    BankRecord,
    Location,
    ParseResult,
    Problem,
    QuestionRecord,
    Unsupported,
)
from app.formats import gift_meta, type_formats
from app.formats.gift_answers import HIDDEN, GiftHooks, classify, leaf, plain
from app.formats.gift_rubric import without_rubric
from app.formats.tags import apply_tags
from app.formats.texts_cases import without_case

_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_CATEGORY = re.compile(r"\$CATEGORY:(.*)", re.IGNORECASE)
# Moodle's question id and tags in a comment line: `// [id:Q-12] [tag:audit]`, `]` as `\]`.
_MOODLE_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_MOODLE_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f])+)\]")
_SLUG = re.compile(r"[^a-z0-9]+")


def read(content: bytes | str, source: str = "<input>") -> ParseResult:
    """Parse GIFT (bytes, or text already decoded) into a bank, collecting every problem."""
    reader = _Reader(source)
    reader.run(decode(content, source, reader.result.problems))
    return reader.result


def decode(content: bytes | str, source: str, problems: list[Problem]) -> str:
    """UTF-8 text of `content` (a BOM is dropped); each undecodable line becomes a problem."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    content = content.removeprefix(b"\xef\xbb\xbf")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    # A newline byte never occurs inside a UTF-8 sequence, so lines decode independently.
    for number, raw in enumerate(content.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            message = Message("gift.not_utf8", {"line": number, "byte": exc.start + 1})
            problems.append(Problem(Location(source, number), message, "error"))
            lines.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(lines)


def slug(text: str) -> str:
    """Lower-case letters and digits of `text` joined by single hyphens."""
    return _SLUG.sub("-", text.lower()).strip("-")


def _hide(found: re.Match[str]) -> str:
    return HIDDEN[found.group(1)]


@dataclass
class _Block:
    """The lines of one question (escapes hidden) and their line numbers."""

    numbers: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """The file line holding character `offset` of the joined block."""
        end = 0
        for number, line in zip(self.numbers, self.lines, strict=True):
            end += len(line) + 1
            if offset < end:
                return number
        return self.numbers[-1]


@dataclass
class _Context:
    """One block being read, with the name its messages use."""

    reader: _Reader
    block: _Block
    label: str
    meta_line: int | None = None
    failed: bool = False

    def error(
        self,
        offset: int | None,
        message: Message,
        severity: str = "error",
        line: int | None = None,
    ) -> None:
        """Report a problem at the line of `offset` (or `line`; else the first line)."""
        if line is None:
            line = self.block.numbers[0] if offset is None else self.block.line_at(offset)
        self.reader.problem(line, message, severity)
        self.failed = self.failed or severity == "error"

    def unsupported(self, kind: str) -> None:
        """Report an item of a kind Clausewise does not grade."""
        where = Location(self.reader.source, self.block.numbers[0])
        self.reader.result.unsupported.append(Unsupported(kind, self.label, where))


class _Reader:
    """State of one pass over a GIFT file: current category and pending metadata."""

    def __init__(self, source: str) -> None:
        stem = PurePath(source).stem
        self.source = source
        self.result = ParseResult(BankRecord(id=slug(stem) or "gift", title=stem))
        self.category = ""
        self.pending: tuple[int, dict[str, Any]] | None = None
        self.moodle_id: str | None = None  # from `// [id:…]` before the coming question
        self.moodle_tags: list[str] = []  # from `// [tag:…]`
        self.ids: set[str] = set()

    def problem(self, line: int, message: Message, severity: str = "error") -> None:
        """Record a problem at a line of the file."""
        self.result.problems.append(Problem(Location(self.source, line), message, severity))

    def run(self, text: str) -> None:
        """Read every block of the file, then check what only the whole file can tell."""
        block = _Block()
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if line.startswith("//"):
                self.comment(number, line)
                continue
            if not line and not block.lines:  # a comment a blank line ends is Moodle's own
                self.moodle_id, self.moodle_tags = None, []
            category = _CATEGORY.match(line)
            if line and not category:
                block.numbers.append(number)
                block.lines.append(_ESCAPE.sub(_hide, raw.rstrip()))
                continue
            if block.lines:
                self.question(block)
                block = _Block()
            if category:
                self.category = category.group(1).strip()
        if block.lines:
            self.question(block)
        self.finish()

    def comment(self, number: int, line: str) -> None:
        """Take in a clausewise bank, scenario or question comment; ignore other comments."""
        parsed = gift_meta.parse_comment(line)
        if parsed is None:
            found = _MOODLE_ID.search(line)
            if found and self.moodle_id is None:  # Moodle takes the first
                self.moodle_id = found.group(1).replace("\\]", "]").strip()
            self.moodle_tags += [t.replace("\\]", "]").strip() for t in _MOODLE_TAG.findall(line)]
            return
        kind, data, error = parsed

        def complain(message: Message, severity: str) -> None:
            self.problem(number, message, severity)

        if error:
            complain(error, "error")
        elif kind == gift_meta.QUESTION:
            self.drop_pending()
            self.pending = (number, data)
        elif kind == gift_meta.SCENARIO:
            scenario = gift_meta.read_scenario(data, complain)
            if scenario and any(s.id == scenario.id for s in self.result.bank.scenarios):
                complain(Message("gift.scenario_twice", {"id": scenario.id}), "error")
            elif scenario:
                self.result.bank.scenarios.append(scenario)
        else:
            gift_meta.apply_bank(self.result.bank, data, complain)

    def drop_pending(self) -> None:
        """Warn about a metadata comment that no question followed."""
        if self.pending:
            self.problem(self.pending[0], Message("gift.meta_unused"), "warning")
            self.pending = None

    def question(self, block: _Block) -> None:
        """Read one block into a question, an unsupported item or problems."""
        start = block.numbers[0]
        moodle = (self.moodle_id, self.moodle_tags)  # they belong to this question only
        self.moodle_id, self.moodle_tags = None, []
        data: dict[str, Any] = {}
        meta_line = None
        if self.pending and self.pending[0] < start:
            (meta_line, data), self.pending = self.pending, None
        text = "\n".join(block.lines)
        title, body_at = _title(text)
        given = data.get("id")
        label = title or (given if isinstance(given, str) else "") or _excerpt(text)
        ctx = _Context(self, block, label, meta_line)
        if title is None:
            ctx.error(body_at, Message("gift.title_unclosed", {"question": ctx.label}))
            return
        question = _parse(ctx, text, title, body_at)
        if question is not None and not ctx.failed:
            self.settle(ctx, question, data, moodle)

    def settle(
        self,
        ctx: _Context,
        question: QuestionRecord,
        data: dict[str, Any],
        moodle: tuple[str | None, list[str]],
    ) -> None:
        """Apply metadata and category, give the question a unique id and keep it."""

        def complain(message: Message, severity: str) -> None:
            ctx.error(None, message, severity, ctx.meta_line)

        gift_meta.apply_question(question, data, ctx.label, complain)
        question.explanation = without_rubric(question)  # the block our export appended
        if question.scenario:  # the case our export put on top of the stem
            question.stem = without_case(
                self.result.bank.scenarios, question.scenario, question.stem
            )
        moodle_id, moodle_tags = moodle
        if not data:  # Moodle's id and tags, when no Clausewise comment says more
            if moodle_id and not question.id:
                given = moodle_id if gift_meta.valid_id(moodle_id) else slug(moodle_id)
                question.id = self.unique(given or f"q{ctx.block.numbers[0]}")
            apply_tags(question, moodle_tags, self.category)
        elif "clauses" not in data:
            apply_tags(question, [], self.category)
        if "level" not in data:
            question.level = _category_level(self.category) or question.level
        if not question.id:
            question.id = self.unique(slug(question.title) or f"q{ctx.block.numbers[0]}")
            question.derived_id = True
        elif question.id in self.ids:
            ctx.error(None, Message("gift.id_used", {"question": ctx.label, "id": question.id}))
        if not ctx.failed:
            self.ids.add(question.id)
            self.result.bank.questions.append(question)

    def unique(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`, … if an earlier question already has it."""
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def finish(self) -> None:
        """Report unused metadata and scenario references the file does not define."""
        self.drop_pending()
        known = {s.id for s in self.result.bank.scenarios}
        for q in self.result.bank.questions:
            if q.scenario and q.scenario not in known and q.location and q.location.line:
                named = {"question": q.title or q.id, "scenario": q.scenario}
                self.problem(q.location.line, Message("gift.scenario_undefined", named))


def _title(text: str) -> tuple[str | None, int]:
    """The `::title::` of a block (None if unclosed) and where the text after it starts."""
    start = len(text) - len(text.lstrip())
    if not text.startswith("::", start):
        return "", 0
    end = text.find("::", start + 2)
    brace = text.find("{", start + 2)
    if end < 0 or 0 <= brace < end:
        return None, start
    return plain(text[start + 2 : end]), end + 2


def _excerpt(text: str) -> str:
    """A short readable name for a block without a title."""
    first = leaf(text.split("\n", 1)[0].split("{", 1)[0].strip().lstrip(":"))
    return first if len(first) <= 40 else first[:39] + "…"


def _category_level(category: str) -> str | None:
    """A qualification level named by a segment of the category path, if any."""
    for segment in re.split(r"[/|]", category):
        if segment.strip().lower() in LEVELS:
            return segment.strip().lower()
    return None


def _parse(ctx: _Context, text: str, title: str, body_at: int) -> QuestionRecord | None:
    """Split a block into stem and answer block and build the question of its kind."""
    opened, closed = text.find("{", body_at), text.find("}", body_at)
    if opened < 0 and closed < 0:
        ctx.unsupported("description")
        return None
    if opened < 0 or 0 <= closed < opened:
        ctx.error(closed, Message("gift.stray_close", {"question": ctx.label}))
        return None
    closed = text.find("}", opened)
    if closed < 0:
        ctx.error(opened, Message("gift.block_unclosed", {"question": ctx.label}))
        return None
    nested = text.find("{", opened + 1, closed)
    if nested >= 0:
        ctx.error(nested, Message("gift.nested_open", {"question": ctx.label}))
        return None
    after = text[closed + 1 :]
    if "{" in after or "}" in after:
        second = min(i for i in (after.find("{"), after.find("}")) if i >= 0)
        ctx.error(closed + 1 + second, Message("gift.two_blocks", {"question": ctx.label}))
        return None
    body = text[opened + 1 : closed]
    general = body.rfind("####")
    explanation = leaf(body[general + 4 :]) if general >= 0 else ""
    body = body[:general] if general >= 0 else body
    kind = classify(body.strip())
    if after.strip() or kind == "numerical":  # a number is a number wherever its block is
        ctx.unsupported("numerical" if kind == "numerical" else "missing_word")
        return None
    reader = None if kind == "unknown" else _reader_of(kind)
    if reader is None and kind != "unknown":
        ctx.unsupported(kind)  # no type reads this kind of block
        return None
    stem = leaf(text[body_at:opened])
    where = Location(ctx.reader.source, ctx.block.numbers[0])
    question = QuestionRecord("", "", stem, title=title, explanation=explanation, location=where)
    if not stem:
        ctx.error(opened, Message("gift.no_stem", {"question": ctx.label}))
    if reader is None:
        ctx.error(opened + 1, Message("gift.block_not_understood", {"question": ctx.label}))
    else:
        question.type = reader[0]
        reader[1].read(ctx, question, body, opened + 1)
    return question


def _reader_of(kind: str) -> tuple[str, GiftHooks] | None:
    """The first type (in the types' order) whose GIFT hook reads answer blocks of `kind`."""
    for question_type in question_types.all_types():
        gift = type_formats.hooks(question_type.key).gift
        if gift is not None and kind in gift.kinds:
            return question_type.key, gift
    return None
