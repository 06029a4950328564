"""Turn native bank data (the dicts and lists YAML or JSON gives) into records.

Every field is read by its expected kind. A value of the wrong kind is reported in
plain words at its line; where the intent is clear (a number where text belongs) the
source text is kept and a warning says to quote it. Clause numbers are the exception:
an unquoted `10.10` is the number 10.1 to every other YAML tool, so it is an error.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable
from typing import Any

from app.domain.messages import Message
from app.domain.question_types.base import TYPE_FIELDS
from app.domain.records import (
    Location,
    Problem,
)
from app.formats.native_lines import Path, SourceMap

FORMAT = "clausewise-bank/1"
TOP_KEYS = ("format", "bank", "scenarios", "questions")
BANK_KEYS = ("id", "title", "language", "licence", "edition", "description")
SCENARIO_KEYS = ("id", "title", "text")
# The keys every question shares; its type reads its own (TypeFormats.native_keys).
QUESTION_KEYS = (
    *(
        "id",
        "type",
        "level",
        "clauses",
        "edition",
        "difficulty",
        "cognitive",
        "marks",
        "title",
        "stem",
    ),
    *("explanation", "tags", "scenario"),
    *("correct_feedback", "partial_feedback", "incorrect_feedback", "hints"),
    "translations",
)
# The type-specific fields of QuestionRecord (all but `data`), in their written order.
FIELD_KEYS: tuple[str, ...] = tuple(k for k in TYPE_FIELDS if k != "data")
OPTION_KEYS = ("id", "text", "correct", "feedback")
PAIR_KEYS = ("id", "prompt", "match")
STEP_KEYS = ("id", "text")
CRITERION_KEYS = ("criterion", "marks", "guidance")
HINT_KEYS = ("text", "show_num_correct", "clear_wrong")
# How an entry of a list is named in messages, by the list's key ("option b"); an entry
# of a list not named here is an "item".
ENTRY_NAMES: dict[str, Callable[[str], Message]] = {
    "questions": lambda label: Message("native.where.questions", {"label": label}),
    "scenarios": lambda label: Message("native.where.scenarios", {"label": label}),
    "options": lambda label: Message("native.where.options", {"label": label}),
    "pairs": lambda label: Message("native.where.pairs", {"label": label}),
    "steps": lambda label: Message("native.where.steps", {"label": label}),
    "rubric": lambda label: Message("native.where.rubric", {"label": label}),
    "clauses": lambda label: Message("native.where.clauses", {"label": label}),
    "tags": lambda label: Message("native.where.tags", {"label": label}),
    "answers": lambda label: Message("native.where.answers", {"label": label}),
    "extra_matches": lambda label: Message("native.where.extra_matches", {"label": label}),
    "hints": lambda label: Message("native.where.hints", {"label": label}),
}

# A place in the document: a catalogue phrase, or a field name as the file spells it.
Where = Message | str


def describe(data: object, path: Path) -> Message:
    """A person's name for a place in the document, such as `question q-1, option b`."""
    parts: list[Where] = []
    node = data
    for step in path:
        if isinstance(step, int) and parts:
            item = node[step] if isinstance(node, list) and step < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = ident if isinstance(ident, str) and ident else str(step + 1)
            key = parts[-1] if isinstance(parts[-1], str) else ""
            name = ENTRY_NAMES.get(key)
            parts[-1] = name(label) if name else Message("native.where.item", {"label": label})
        else:
            parts.append(str(step))
        node = _child(node, step)
    if not parts:
        return Message("native.where.file")
    found = parts[0]
    for part in parts[1:]:
        found = Message("native.where.within", {"outer": found, "inner": part})
    return found if isinstance(found, Message) else Message("native.where.key", {"key": found})


def _child(node: object, step: str | int) -> object:
    """One step down the data, or None where the path leaves it."""
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _kind(value: object) -> Message:
    """How a person would call the kind of a value YAML produced."""
    if isinstance(value, bool):
        return Message("native.kind.true_false")
    if isinstance(value, int | float):
        return Message("native.kind.number")
    if isinstance(value, datetime.date):
        return Message("native.kind.date")
    if isinstance(value, list):
        return Message("native.kind.list")
    if isinstance(value, dict):
        return Message("native.kind.mapping")
    return Message("native.kind.value")


class FieldReader:
    """Reads typed fields out of the data and collects located problems."""

    def __init__(self, data: object, source: str, source_map: SourceMap) -> None:
        self.data = data
        self.source = source
        self.source_map = source_map
        self.problems: list[Problem] = []
        self.reported: set[Path] = set()

    def report(self, path: Path, message: Message, severity: str = "error") -> None:
        """Record a problem at the line of a path."""
        location = Location(file=self.source, line=self.source_map.line(path))
        self.problems.append(Problem(location, message, severity))
        self.reported.add(path)

    def where(self, path: Path) -> Message:
        """The name of an object for messages."""
        return describe(self.data, path)

    def source_text(self, path: Path, value: object) -> str:
        """A scalar as it was typed in the file."""
        if path in self.source_map.raw:
            return self.source_map.raw[path]
        return str(value).lower() if isinstance(value, bool) else str(value)

    def check_keys(self, obj: dict[str, Any], path: Path, allowed: tuple[str, ...]) -> None:
        """Report fields this object does not have, suggesting a close spelling."""
        for key in obj:
            if str(key) in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            where = self.where(path)
            if close:
                params = {"where": where, "key": repr(key), "close": close[0]}
                message = Message("native.unknown_field_hint", params)
            else:
                message = Message("native.unknown_field", {"where": where, "key": repr(key)})
            self.report((*path, str(key)), message)

    def text(
        self,
        obj: dict[str, Any],
        path: Path,
        key: str,
        default: str | None = "",
        required: bool = False,
    ) -> str | None:
        """A text field; numbers, dates and true/false are kept as typed, with a warning."""
        value, field = obj.get(key), (*path, key)
        if value is None:
            if required:
                message = Message("native.missing", {"where": self.where(path), "key": key})
                self.report(path if key not in obj else field, message)
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, list | dict):
            wrong = {"where": self.where(path), "key": key, "kind": _kind(value)}
            self.report(field, Message("native.not_text", wrong))
            return default
        typed = self.source_text(field, value)
        params = {"where": self.where(path), "key": key, "typed": typed, "kind": _kind(value)}
        self.report(field, Message("native.read_as", params), "warning")
        return typed

    def integer(self, obj: dict[str, Any], path: Path, key: str, default: int) -> int:
        """A whole-number field such as difficulty."""
        value = obj.get(key)
        if value is None:
            return default
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer():
                return int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            self._unquote(path, key)
            return int(value)
        params = {"where": self.where(path), "key": key, "found": repr(value)}
        self.report((*path, key), Message("native.whole_number", params))
        return default

    def number(self, obj: dict[str, Any], path: Path, key: str, default: float) -> float:
        """A numeric field such as marks."""
        value = obj.get(key)
        if value is None:
            return default
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            parsed = float(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is not None:
            self._unquote(path, key)
            return parsed
        params = {"where": self.where(path), "key": key, "found": repr(value)}
        self.report((*path, key), Message("native.number", params))
        return default

    def _unquote(self, path: Path, key: str) -> None:
        """Warn that a number was written in quotes."""
        message = Message("native.unquote", {"where": self.where(path), "key": key})
        self.report((*path, key), message, "warning")

    def boolean(
        self, obj: dict[str, Any], path: Path, key: str, default: bool | None
    ) -> bool | None:
        """A true/false field such as answer or correct."""
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return default if value is None else value
        words = {"true": True, "false": False, "yes": True, "no": False}
        if isinstance(value, str) and value.strip().lower() in words:
            message = Message("native.boolean_word", {"where": self.where(path), "key": key})
            self.report((*path, key), message, "warning")
            return words[value.strip().lower()]
        params = {"where": self.where(path), "key": key, "found": repr(value)}
        self.report((*path, key), Message("native.boolean", params))
        return default

    def texts(self, obj: dict[str, Any], path: Path, key: str, clauses: bool = False) -> list[str]:
        """A list of texts, such as tags or clause numbers."""
        value, field = obj.get(key), (*path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            example = (
                Message("native.example.clauses") if clauses else Message("native.example.list")
            )
            where, kind = self.where(path), _kind(value)
            if isinstance(value, dict):
                params = {"where": where, "key": key, "example": example, "kind": kind}
                message = Message("native.not_list", params)
            else:
                typed = self.source_text(field, value)
                found = {
                    "where": where,
                    "key": key,
                    "example": example,
                    "kind": kind,
                    "typed": typed,
                }
                message = Message("native.not_list_typed", found)
            self.report(field, message)
            return [] if isinstance(value, dict) else [self.source_text(field, value)]
        return [
            t for i, item in enumerate(value) if (t := self._list_text(field, i, item, clauses))
        ]

    def _list_text(self, field: Path, index: int, item: object, clause: bool) -> str | None:
        """One item of a list of texts."""
        if isinstance(item, str):
            return item
        if item is None or isinstance(item, list | dict):
            place = {"where": self.where(field), "number": index + 1}
            self.report((*field, index), Message("native.item_text", place))
            return None
        typed = self.source_text((*field, index), item)
        params = {"where": self.where(field), "typed": typed}
        if clause:
            self.report((*field, index), Message("native.clause_number", params))
        else:
            self.report((*field, index), Message("native.quote", params), "warning")
        return typed

    def records(
        self, obj: dict[str, Any], path: Path, key: str
    ) -> list[tuple[dict[str, Any], Path]]:
        """The mappings of a list field such as options, each with its path."""
        value, field = obj.get(key), (*path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            message = Message("native.not_entries", {"where": self.where(path), "key": key})
            self.report(field, message)
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((item, (*field, index)))
            else:
                params = {"where": self.where(field), "number": index + 1}
                self.report((*field, index), Message("native.entry_mapping", params))
        return found
