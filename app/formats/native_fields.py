"""Turn native bank data (the dicts and lists YAML or JSON gives) into records.

Every field is read by its expected kind. A value of the wrong kind is reported in
plain words at its line; where the intent is clear (a number where text belongs) the
source text is kept and a warning says to quote it. Clause numbers are the exception:
an unquoted `10.10` is the number 10.1 to every other YAML tool, so it is an error.
"""

from __future__ import annotations

import datetime
import difflib
from typing import Any

from app.domain.records import (
    Location,
    Problem,
)
from app.formats.native_lines import Path, SourceMap

FORMAT = "clausewise-bank/1"
TOP_KEYS = ("format", "bank", "scenarios", "questions")
BANK_KEYS = ("id", "title", "language", "licence", "edition", "description")
SCENARIO_KEYS = ("id", "title", "text")
QUESTION_KEYS = (
    *("id", "type", "level", "clauses", "edition", "difficulty", "marks", "title", "stem"),
    *("options", "answer", "feedback_true", "feedback_false", "pairs", "extra_matches"),
    *("steps", "answers", "rubric", "model_answer", "explanation", "tags", "scenario"),
)
OPTION_KEYS = ("id", "text", "correct", "feedback")
PAIR_KEYS = ("id", "prompt", "match")
STEP_KEYS = ("id", "text")
CRITERION_KEYS = ("criterion", "marks", "guidance")
SINGULAR = {
    "questions": "question",
    "scenarios": "scenario",
    "options": "option",
    "pairs": "pair",
    "steps": "step",
    "rubric": "rubric criterion",
    "clauses": "clause",
    "tags": "tag",
    "answers": "answer",
    "extra_matches": "extra match",
}


def describe(data: object, path: Path) -> str:
    """A person's name for a place in the document, such as `question q-1, option b`."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int) and parts:
            item = node[step] if isinstance(node, list) and step < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = ident if isinstance(ident, str) and ident else str(step + 1)
            parts[-1] = f"{SINGULAR.get(parts[-1], 'item')} {label}"
        else:
            parts.append(str(step))
        node = _child(node, step)
    return ", ".join(parts) or "the file"


def _child(node: object, step: str | int) -> object:
    """One step down the data, or None where the path leaves it."""
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _kind(value: object) -> str:
    """How a person would call the kind of a value YAML produced."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value"


class FieldReader:
    """Reads typed fields out of the data and collects located problems."""

    def __init__(self, data: object, source: str, source_map: SourceMap) -> None:
        self.data = data
        self.source = source
        self.source_map = source_map
        self.problems: list[Problem] = []
        self.reported: set[Path] = set()

    def report(self, path: Path, message: str, severity: str = "error") -> None:
        """Record a problem at the line of a path."""
        location = Location(file=self.source, line=self.source_map.line(path))
        self.problems.append(Problem(location, message, severity))
        self.reported.add(path)

    def where(self, path: Path) -> str:
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
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.report((*path, str(key)), f"{self.where(path)}: unknown field {key!r}{hint}")

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
                self.report(
                    path if key not in obj else field, f"{self.where(path)}: {key} is missing"
                )
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, list | dict):
            self.report(field, f"{self.where(path)}: {key} must be text, not {_kind(value)}")
            return default
        typed = self.source_text(field, value)
        self.report(
            field,
            f"{self.where(path)}: {key} {typed} was read as {_kind(value)}; "
            "put it in quotes to keep it as text",
            "warning",
        )
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
            self.report((*path, key), f"{self.where(path)}: write {key} without quotes", "warning")
            return int(value)
        self.report(
            (*path, key),
            f"{self.where(path)}: {key} must be a whole number such as 1, 2 or 3; found {value!r}",
        )
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
            self.report((*path, key), f"{self.where(path)}: write {key} without quotes", "warning")
            return parsed
        self.report((*path, key), f"{self.where(path)}: {key} must be a number; found {value!r}")
        return default

    def boolean(
        self, obj: dict[str, Any], path: Path, key: str, default: bool | None
    ) -> bool | None:
        """A true/false field such as answer or correct."""
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return default if value is None else value
        words = {"true": True, "false": False, "yes": True, "no": False}
        if isinstance(value, str) and value.strip().lower() in words:
            self.report(
                (*path, key), f"{self.where(path)}: write {key} as true or false", "warning"
            )
            return words[value.strip().lower()]
        self.report(
            (*path, key), f"{self.where(path)}: {key} must be true or false; found {value!r}"
        )
        return default

    def texts(self, obj: dict[str, Any], path: Path, key: str, clauses: bool = False) -> list[str]:
        """A list of texts, such as tags or clause numbers."""
        value, field = obj.get(key), (*path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            example = '["8.5.1"]' if clauses else "[first, second]"
            found = _kind(value)
            if not isinstance(value, dict):
                found = f"{self.source_text(field, value)} ({found})"
            self.report(
                field,
                f"{self.where(path)}: {key} must be a list such as {key}: {example}; found {found}",
            )
            return [] if isinstance(value, dict) else [self.source_text(field, value)]
        return [
            t for i, item in enumerate(value) if (t := self._list_text(field, i, item, clauses))
        ]

    def _list_text(self, field: Path, index: int, item: object, clause: bool) -> str | None:
        """One item of a list of texts."""
        if isinstance(item, str):
            return item
        if item is None or isinstance(item, list | dict):
            self.report((*field, index), f"{self.where(field)}: item {index + 1} must be text")
            return None
        typed = self.source_text((*field, index), item)
        if clause:
            self.report(
                (*field, index),
                f"{self.where(field)}: clause {typed} is written as a number; put it in quotes "
                f'("{typed}"), since unquoted 10.10 would be read as 10.1',
            )
        else:
            self.report((*field, index), f"{self.where(field)}: put {typed} in quotes", "warning")
        return typed

    def records(
        self, obj: dict[str, Any], path: Path, key: str
    ) -> list[tuple[dict[str, Any], Path]]:
        """The mappings of a list field such as options, each with its path."""
        value, field = obj.get(key), (*path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(field, f"{self.where(path)}: {key} must be a list of entries")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((item, (*field, index)))
            else:
                self.report(
                    (*field, index),
                    f"{self.where(field)}: entry {index + 1} must be a mapping of fields "
                    "such as {id: a, text: ...}",
                )
        return found
