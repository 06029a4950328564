"""The question editor's form: one form for every type, its sections chosen by the
question-type registry (`QuestionType.fields`), parsed into a QuestionRecord.

List fields (options, pairs, steps, rubric) arrive as numbered rows such as
`options-0-text`; rows are taken in the order of their numbers (the editor's script
renumbers them in screen order before it submits) and blank rows are dropped.
"""

from __future__ import annotations

import re
import string
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from app.domain import question_types
from app.domain.records import (
    LEVELS,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.web import question_type_parts

ROW = re.compile(r"^(options|pairs|steps|rubric)-(\d+)-(\w+)$")
# Blank rows offered on a new question, per list field.
BLANK_ROWS = {"options": 4, "pairs": 3, "steps": 4, "rubric": 3}


class QuestionForm(FlaskForm):
    """The fields every question has; type-specific rows are parsed by `record_from`."""

    key = StringField(
        _l("Question id"),
        validators=[DataRequired(), Length(max=100), Regexp(r"^[A-Za-z0-9._-]+$")],
        description=_l("Stable and unique, e.g. f-8.2.4-03. It cannot change later."),
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    stem = TextAreaField(_l("Question"), validators=[DataRequired()])
    level = SelectField(
        _l("Level"), choices=[SelectChoice(lv, lv.title()) for lv in LEVELS], default="foundation"
    )
    difficulty = SelectField(
        _l("Difficulty"),
        choices=[
            SelectChoice("1", _l("1 · easy")),
            SelectChoice("2", _l("2 · medium")),
            SelectChoice("3", _l("3 · hard")),
        ],
        default="2",
    )
    # An int default shows as "1"; the stubs want a Decimal, which would show as "1.00".
    marks = DecimalField(_l("Marks"), default=1, validators=[NumberRange(min=0.1, max=100)])  # type: ignore[call-overload]
    clauses = SelectMultipleField(_l("Clauses (ISO/IEC 20000-1:2018)"), choices=[])
    scenario = SelectField(_l("Scenario"), choices=[], default="")
    explanation = TextAreaField(
        _l("Explanation"),
        description=_l("Why the key is right and the tempting options are wrong; name the clause."),
    )
    tags = StringField(_l("Tags"), description=_l("Comma-separated."))
    # the version the editor was opened on (a save over a newer one is refused first)
    base_version = IntegerField(
        widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=1_000_000)]
    )
    # true/false
    answer = SelectField(
        _l("The statement is"),
        choices=[SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))],
        default="true",
    )
    feedback_true = TextAreaField(_l("Feedback for “true”"))
    feedback_false = TextAreaField(_l("Feedback for “false”"))
    # lines
    extra_matches = TextAreaField(_l("Extra responses that match no premise (one per line)"))
    answers = TextAreaField(_l("Accepted answers (one per line; case and spacing are ignored)"))
    model_answer = TextAreaField(_l("Model answer"))


def numbered_rows(data: MultiDict, field: str) -> list[tuple[int, dict[str, str]]]:
    """The (number, row) pairs of one list field, in number order, blank rows dropped."""
    rows: dict[int, dict[str, str]] = {}
    for name in data:
        match = ROW.match(name)
        if match and match.group(1) == field:
            rows.setdefault(int(match.group(2)), {})[match.group(3)] = data.get(name, "").strip()
    return [
        (n, rows[n])
        for n in sorted(rows)
        if any(v for k, v in rows[n].items() if k not in ("id", "correct"))
    ]


def rows_of(data: MultiDict, field: str) -> list[dict[str, str]]:
    """The non-blank rows of one list field, in number order."""
    return [row for _n, row in numbered_rows(data, field)]


def _lines(text: str | None) -> list[str]:
    """Non-blank lines, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _next_ids(rows: list[dict[str, str]], prefix: str = "") -> list[str]:
    """Each row's id, inventing a fresh one where a row has none: a, b, c… for options,
    or the prefix and a number (p1, p2…) for pairs and steps."""
    taken = {r["id"] for r in rows if r.get("id")}
    candidates = [] if prefix else list(string.ascii_lowercase)
    candidates += [f"{prefix or 'o'}{n}" for n in range(1, 1000)]
    fresh = iter(c for c in candidates if c not in taken)
    return [r.get("id") or next(fresh) for r in rows]


def _marks(value: str) -> float:
    """A rubric line's marks; 0 when not a number (validation then says so)."""
    try:
        return float(value)
    except ValueError:
        return 0.0


def record_from(form: QuestionForm, data: MultiDict, qtype: str) -> QuestionRecord:
    """The question the form describes, for validation by the registry."""
    kind = question_types.get(qtype)
    record = QuestionRecord(
        id=(form.key.data or "").strip(),
        type=qtype,
        stem=(form.stem.data or "").strip(),
        level=form.level.data,
        clauses=list(form.clauses.data or []),
        difficulty=int(form.difficulty.data or 2),
        marks=float(form.marks.data or 1),
        title=(form.title.data or "").strip(),
        explanation=(form.explanation.data or "").strip(),
        tags=[t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
        scenario=form.scenario.data or None,
    )
    if "options" in kind.fields:
        rows = rows_of(data, "options")
        record.options = [
            OptionRecord(oid, r.get("text", ""), r.get("correct") == "on", r.get("feedback", ""))
            for oid, r in zip(_next_ids(rows), rows, strict=True)
        ]
        if qtype == "single_choice":  # one radio group: `correct` holds the chosen row number
            chosen = data.get("correct")
            numbers = [n for n, _row in numbered_rows(data, "options")]
            for option, number in zip(record.options, numbers, strict=True):
                option.correct = chosen is not None and str(number) == chosen
    if "answer" in kind.fields:
        record.answer = form.answer.data == "true"
        record.feedback_true = (form.feedback_true.data or "").strip()
        record.feedback_false = (form.feedback_false.data or "").strip()
    if "pairs" in kind.fields:
        rows = rows_of(data, "pairs")
        record.pairs = [
            PairRecord(pid, r.get("prompt", ""), r.get("match", ""))
            for pid, r in zip(_next_ids(rows, "p"), rows, strict=True)
        ]
        record.extra_matches = _lines(form.extra_matches.data)
    if "steps" in kind.fields:
        rows = rows_of(data, "steps")
        record.steps = [
            StepRecord(sid, r.get("text", ""))
            for sid, r in zip(_next_ids(rows, "s"), rows, strict=True)
        ]
    if "answers" in kind.fields:
        record.answers = _lines(form.answers.data)
    if "rubric" in kind.fields:
        record.rubric = [
            RubricCriterion(
                r.get("criterion", ""), _marks(r.get("marks", "")), r.get("guidance", "")
            )
            for r in rows_of(data, "rubric")
        ]
        record.model_answer = (form.model_answer.data or "").strip()
        if record.rubric:
            record.marks = sum(c.marks for c in record.rubric)
    read_editor = question_type_parts.hooks(qtype).read_editor
    if read_editor is not None:  # a plug-in type's own fields (its editor.html)
        record.data = read_editor(data)
    return record


def rows_for(record: QuestionRecord | None, field: str, qtype: str) -> list[dict[str, Any]]:
    """Rows to show in the editor: the question's own, or blank ones for a new question."""
    if record is not None:
        items = getattr(record, field)
        if field == "rubric":
            return [
                {"criterion": c.criterion, "marks": c.marks, "guidance": c.guidance} for c in items
            ]
        return [dict(vars(item)) for item in items] or [{}]
    if qtype == "multiple_response" and field == "options":
        return [{} for _ in range(5)]
    return [{} for _ in range(BLANK_ROWS.get(field, 3))]


def fill_form(form: QuestionForm, record: QuestionRecord) -> None:
    """Put a stored question into the form for editing."""
    form.key.data = record.id
    form.title.data = record.title
    form.stem.data = record.stem
    form.level.data = record.level
    form.difficulty.data = str(record.difficulty)
    form.marks.data = record.marks
    form.clauses.data = list(record.clauses)
    form.scenario.data = record.scenario or ""
    form.explanation.data = record.explanation
    form.tags.data = ", ".join(record.tags)
    form.answer.data = "true" if record.answer else "false"
    form.feedback_true.data = record.feedback_true
    form.feedback_false.data = record.feedback_false
    form.extra_matches.data = "\n".join(record.extra_matches)
    form.answers.data = "\n".join(record.answers)
    form.model_answer.data = record.model_answer
