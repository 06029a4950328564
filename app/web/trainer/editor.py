"""The question editor's form: the fields every question shares, parsed into a
QuestionRecord; each type's own section comes from its plug-in (`TypeWeb` hooks in its
`web.py`, `editor.html` in its templates).

List fields (options, pairs, steps, rubric) arrive as numbered rows such as
`options-0-text`; rows are taken in the order of their numbers (the editor's script
renumbers them in screen order before it submits) and blank rows are dropped. The
helpers for such rows are here, for the plug-ins to share.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from werkzeug.datastructures import MultiDict

from app.domain.records import HintRecord, OptionRecord, QuestionRecord
from app.web import question_type_parts
from app.web.question_type_parts import Rows
from app.web.trainer.forms import QuestionForm

ROW = re.compile(r"^([a-z_]+)-(\d+)-(\w+)$")


def numbered_rows(data: MultiDict, field: str) -> list[tuple[int, dict[str, str]]]:
    """The (number, row) pairs of one list field, in number order, blank rows dropped."""
    rows: dict[int, dict[str, str]] = {}
    for name in data:
        match = ROW.match(name)
        if match and match.group(1) == field:
            value = data.get(name, "").replace("\r\n", "\n").strip()  # textareas send CRLF
            rows.setdefault(int(match.group(2)), {})[match.group(3)] = value
    return [
        (n, rows[n])
        for n in sorted(rows)
        if any(v for k, v in rows[n].items() if k not in ("id", "correct"))
    ]


def rows_of(data: MultiDict, field: str) -> list[dict[str, str]]:
    """The non-blank rows of one list field, in number order."""
    return [row for _n, row in numbered_rows(data, field)]


def lines(text: str | None) -> list[str]:
    """Non-blank lines, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def row_ids(rows: list[dict[str, str]], prefix: str = "") -> list[str]:
    """Each row's id, inventing a fresh one where a row has none: a, b, c… for options,
    or the prefix and a number (p1, p2…) for pairs and steps."""
    taken = {r["id"] for r in rows if r.get("id")}
    candidates = [] if prefix else list(string.ascii_lowercase)
    candidates += [f"{prefix or 'o'}{n}" for n in range(1, 1000)]
    fresh = iter(c for c in candidates if c not in taken)
    return [r.get("id") or next(fresh) for r in rows]


def shown_rows(
    items: Iterable[Any] | None,
    posted: list[dict[str, Any]] | None,
    blank: int,
    row: Callable[[Any], dict[str, Any]] = lambda item: dict(vars(item)),
) -> list[dict[str, Any]]:
    """The rows of one list the editor shows: a record's own `items` (one blank row when
    it has none), else the rows `posted` for a new question, else `blank` blank rows."""
    if items is not None:
        return [row(item) for item in items] or [{}]
    return posted or [{} for _ in range(blank)]


# --- options, shared by the choice types ----------------------------------------------------


def read_options(data: MultiDict, one_correct: bool) -> list[OptionRecord]:
    """The posted options. With `one_correct` the key is one radio group, `correct`,
    holding the chosen row's number; otherwise each row has its own `correct` box."""
    rows = rows_of(data, "options")
    options = [
        OptionRecord(oid, r.get("text", ""), r.get("correct") == "on", r.get("feedback", ""))
        for oid, r in zip(row_ids(rows), rows, strict=True)
    ]
    if one_correct:
        chosen = data.get("correct")
        numbers = [n for n, _row in numbered_rows(data, "options")]
        for option, number in zip(options, numbers, strict=True):
            option.correct = chosen is not None and str(number) == chosen
    return options


def option_rows(record: QuestionRecord | None, posted: MultiDict | None, blank: int) -> Rows:
    """The option rows to show (see `shown_rows`); a posted radio choice ticks its row."""
    found = []
    for number, row in numbered_rows(posted, "options") if posted is not None else []:
        row = dict(row)
        if posted is not None and posted.get("correct") == str(number):
            row["correct"] = "on"
        found.append(row)
    return {"options": shown_rows(record.options if record else None, found, blank)}


# --- the form -------------------------------------------------------------------------------


@cache
def question_form(qtype: str) -> type[QuestionForm]:
    """The editor's form class for a type: QuestionForm and the type's own fields."""
    extra = question_type_parts.hooks(qtype).editor_fields
    if not extra:
        return QuestionForm
    return type(f"{qtype.title().replace('_', '')}QuestionForm", (QuestionForm,), dict(extra))


def record_from(form: QuestionForm, data: MultiDict, qtype: str) -> QuestionRecord:
    """The question the form describes, for validation by the registry."""
    record = QuestionRecord(
        id=(form.key.data or "").strip(),
        type=qtype,
        stem=(form.stem.data or "").strip(),
        level=form.level.data,
        clauses=list(form.clauses.data or []),
        difficulty=int(form.difficulty.data or 2),
        cognitive=form.cognitive.data or None,
        marks=float(form.marks.data or 1),
        title=(form.title.data or "").strip(),
        explanation=(form.explanation.data or "").strip(),
        tags=[t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
        scenario=form.scenario.data or None,
        correct_feedback=(form.correct_feedback.data or "").strip(),
        partial_feedback=(form.partial_feedback.data or "").strip(),
        incorrect_feedback=(form.incorrect_feedback.data or "").strip(),
        hints=[
            HintRecord(text, bool(h.form.show_num_correct.data), bool(h.form.clear_wrong.data))
            for h in form.hints
            if (text := (h.form.text.data or "").strip())
        ],
    )
    hooks = question_type_parts.hooks(qtype)
    if hooks.read_record is not None:  # the type's own shared-record fields
        hooks.read_record(form, data, record)
    if hooks.read_editor is not None:  # the type's own `data`
        record.data = hooks.read_editor(data)
    return record


def editor_rows(qtype: str, record: QuestionRecord | None, posted: MultiDict | None) -> Rows:
    """The list rows the type's editor section shows (see `TypeWeb.editor_rows`)."""
    rows = question_type_parts.hooks(qtype).editor_rows
    return rows(record, posted) if rows is not None else {}


def fill_form(form: QuestionForm, record: QuestionRecord) -> None:
    """Put a stored question into the form for editing."""
    form.key.data = record.id
    form.title.data = record.title
    form.stem.data = record.stem
    form.level.data = record.level
    form.difficulty.data = str(record.difficulty)
    form.cognitive.data = record.cognitive or ""
    form.marks.data = record.marks
    form.clauses.data = list(record.clauses)
    form.scenario.data = record.scenario or ""
    form.explanation.data = record.explanation
    form.tags.data = ", ".join(record.tags)
    form.correct_feedback.data = record.correct_feedback
    form.partial_feedback.data = record.partial_feedback
    form.incorrect_feedback.data = record.incorrect_feedback
    while form.hints.entries:  # one row per hint, and a blank one to add another
        form.hints.pop_entry()
    for hint in [*record.hints, HintRecord("")][: form.hints.max_entries]:
        form.hints.append_entry(vars(hint))
    fill = question_type_parts.hooks(record.type).fill_form
    if fill is not None:
        fill(form, record)


# --- the clause picker ----------------------------------------------------------------------


@dataclass
class ClauseNode:
    """A clause of the picker's tree, with the clauses under it."""

    number: str
    title: str
    children: list[ClauseNode] = field(default_factory=list)


def clause_tree(choices: Iterable[tuple[str, str, int]]) -> list[ClauseNode]:
    """The clauses, given as (number, title, depth) in document order, as a tree."""
    roots: list[ClauseNode] = []
    path: list[ClauseNode] = []  # the last node seen at each depth
    for number, title, depth in choices:
        node = ClauseNode(number, title)
        del path[depth:]
        (path[-1].children if path else roots).append(node)
        path.append(node)
    return roots
