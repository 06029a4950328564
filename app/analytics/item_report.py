"""Item analysis of a bank or a scheme over a period: the query, the maths, a cache.

Only closed attempts (submitted or expired) whose submission falls in the period count.
A scheme's report uses its mock exams only (the test whose reliability it describes); a
bank's report uses every attempt that showed its items, practice included.
Each question version is analysed on its own (the item id is the version id), so a fixed
item starts with fresh figures. An essay answer still awaiting marking is left out
rather than counted as zero; an item shown but left unanswered scores zero.

Freshness: a report is kept per process under its scope and period together with a
fingerprint of the data (count of closed attempts, latest submission, latest trainer
mark). Each request runs the one-row fingerprint query; the report is recomputed only
when a new attempt closes or an answer is marked.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, func, select

from app.analytics.form_report import Form, FormRow, form_rows
from app.analytics.item_languages import language_breakdown, language_gaps
from app.analytics.items import ItemAnalysis, TestSummary, flags, item_analysis
from app.domain import question_types
from app.domain.markdown import excerpt
from app.domain.messages import Message
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    AttemptMode,
    AttemptStatus,
    Bank,
    Question,
    QuestionOption,
    QuestionVersion,
    Response,
)
from app.queries.banks import records_for_versions

MIN_ATTEMPTS = 30
_CACHE: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], ItemReport]] = OrderedDict()
_CACHE_SIZE = 32


@dataclass
class ItemRow:
    """One analysed item (a question version) with its figures and flags."""

    version_id: int
    question_id: int
    key: str
    version: int
    type: str
    title: str
    figures: dict[str, float]
    flags: list[Message] = field(default_factory=list)
    # By the language the item was shown in: {language, n, facility, sd, discrimination}
    # each, when it was shown in more than one.
    languages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ItemReport:
    """What the item-analysis page shows."""

    rows: list[ItemRow]
    test: TestSummary | None
    distractors: dict[int, list[dict[str, Any]]]
    responses: int
    forms: list[FormRow] = field(default_factory=list)

    @property
    def flagged(self) -> list[ItemRow]:
        """Rows with a reason to look other than too few attempts (flag order kept)."""
        return [row for row in self.rows if row.flags and not _only_too_few(row.flags)]

    @property
    def judged(self) -> list[ItemRow]:
        """Rows with enough attempts and no flag."""
        return [row for row in self.rows if not row.flags]

    @property
    def too_few(self) -> list[ItemRow]:
        """Rows whose only reason is too few attempts to judge."""
        return [row for row in self.rows if row.flags and _only_too_few(row.flags)]


@dataclass(frozen=True)
class Scope:
    """Which attempts and items: a bank's items, or a scheme's attempts, in a period."""

    bank_id: int | None = None
    scheme_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def _closed(scope: Scope) -> list[Any]:
    """Conditions on Attempt for the scope's period and scheme."""
    conditions: list[ColumnElement[bool]] = [Attempt.status.in_(AttemptStatus.closed())]
    if scope.scheme_id is not None:
        conditions += [Attempt.scheme_id == scope.scheme_id, Attempt.mode == AttemptMode.MOCK]
    if scope.since is not None:
        conditions.append(Attempt.submitted_at >= scope.since)
    if scope.until is not None:
        conditions.append(Attempt.submitted_at < scope.until)
    return conditions


def _fingerprint(scope: Scope) -> tuple[Any, ...]:
    """A one-row summary that changes when an attempt closes or an answer is marked."""
    closed = db.session.execute(
        select(func.count(Attempt.id), func.max(Attempt.submitted_at)).where(*_closed(scope))
    ).one()
    marked = db.session.scalar(select(func.max(Response.graded_at)))
    return (str(db.engine.url), *closed, marked)


def response_frame(scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses (attempt_id, item_id, score, max_score, option_id, language) and the
    options of the single-choice items (item_id, option_id, is_key, text), in two
    queries."""
    frame, _forms = _responses_and_forms(scope)
    return frame, _options(frame)


def _responses_and_forms(scope: Scope) -> tuple[pd.DataFrame, dict[int, Form]]:
    """The responses, and attempt id → (scheme id, mode, items drawn): its form."""
    stmt = (
        select(
            AttemptItem.attempt_id,
            AttemptItem.version_id,
            QuestionVersion.marks,
            QuestionVersion.type,
            Response.score,
            Response.value,
            Attempt.scheme_id,
            Attempt.mode,
            # The language it was shown in: the answer's, else the item's (unanswered),
            # else its bank's (attempts from before languages were recorded).
            func.coalesce(Response.language, AttemptItem.language, Bank.language),
        )
        .join(Attempt, and_(Attempt.id == AttemptItem.attempt_id, *_closed(scope)))
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
    )
    if scope.bank_id is not None:
        # Every item of the attempts that showed one of the bank's items: rest scores need
        # the whole attempt, not only the bank's part of it.
        showed = (
            select(AttemptItem.attempt_id)
            .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.bank_id == scope.bank_id)
        )
        stmt = stmt.where(AttemptItem.attempt_id.in_(showed))
    rows = []
    drawn: dict[int, list[Any]] = {}
    for (
        attempt_id,
        vid,
        marks,
        qtype,
        score,
        value,
        scheme_id,
        mode,
        language,
    ) in db.session.execute(stmt):
        drawn.setdefault(attempt_id, [scheme_id, str(mode), 0])[2] += 1
        if score is None and value not in (None, "", [], {}) and qtype == "essay":
            continue  # awaiting marking: not a zero
        option = value if qtype == "single_choice" and isinstance(value, str) else None
        rows.append((attempt_id, vid, (score or 0.0) * marks, marks, option, language))
    columns = ["attempt_id", "item_id", "score", "max_score", "option_id", "language"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame, {attempt: (s, m, n) for attempt, (s, m, n) in drawn.items()}


def _options(frame: pd.DataFrame) -> pd.DataFrame:
    """The options of the frame's single-choice versions, with their texts."""
    versions = sorted(set(frame["item_id"])) if len(frame) else []
    return pd.DataFrame(
        db.session.execute(
            select(
                QuestionOption.version_id,
                QuestionOption.key,
                QuestionOption.correct,
                QuestionOption.text,
            )
            .join(QuestionVersion, QuestionVersion.id == QuestionOption.version_id)
            .where(
                QuestionOption.version_id.in_(versions),
                QuestionVersion.type == "single_choice",
            )
        ).all(),
        columns=["item_id", "option_id", "is_key", "text"],
    )


def item_report(scope: Scope) -> ItemReport:
    """The scope's item analysis, from the cache while the data has not changed."""
    key = (scope,)
    fingerprint = _fingerprint(scope)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == fingerprint:
        _CACHE.move_to_end(key)
        return cached[1]
    report = _compute(scope)
    _CACHE[key] = (fingerprint, report)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return report


def _compute(scope: Scope) -> ItemReport:
    """Query, analyse and label."""
    frame, forms = _responses_and_forms(scope)
    if frame.empty:
        return ItemReport([], None, {}, 0)
    by_language = language_breakdown(frame)
    gaps = language_gaps(by_language)
    frame = frame.drop(columns="language")
    options = _options(frame)
    texts = {(v, k): excerpt(t, 80) for v, k, t in options[["item_id", "option_id", "text"]].values}
    options = options.drop(columns="text")
    labels = _labels(sorted(set(frame["item_id"])))
    guess: dict[Hashable, float] = {vid: label["guess"] for vid, label in labels.items()}
    has_choices = frame["option_id"].notna().any()
    analysis: ItemAnalysis = item_analysis(
        frame if has_choices else frame.drop(columns="option_id"),
        guess,
        options if has_choices and not options.empty else None,
    )
    reasons = flags(analysis.items, analysis.distractors, MIN_ATTEMPTS)
    for vid, gap in gaps.items():
        reasons.setdefault(vid, []).append(gap)
    languages = _languages_by_item(by_language)
    shown = analysis.items
    if scope.bank_id is not None:
        shown = shown.loc[[v for v in shown.index if labels[v]["bank_id"] == scope.bank_id]]
    rows = [
        ItemRow(
            int(vid),
            labels[vid]["question_id"],
            labels[vid]["key"],
            labels[vid]["number"],
            labels[vid]["type"],
            labels[vid]["title"],
            {k: _number(v) for k, v in figures.items()},
            reasons.get(vid, []),
            languages.get(vid, []),
        )
        for vid, figures in shown.to_dict("index").items()
    ]
    distractors: dict[int, list[dict[str, Any]]] = {}
    if analysis.distractors is not None:
        kept = set(shown.index)
        for record in analysis.distractors.reset_index().to_dict("records"):
            if record["item_id"] in kept:
                record["text"] = texts.get((record["item_id"], record["option_id"]), "")
                distractors.setdefault(int(record["item_id"]), []).append(record)
    rows.sort(key=_row_order)
    return ItemReport(
        rows, analysis.test, distractors, len(frame), form_rows(frame, forms, MIN_ATTEMPTS)
    )


def _languages_by_item(table: pd.DataFrame) -> dict[Hashable, list[dict[str, Any]]]:
    """Item id → its figures per language, for the items shown in more than one."""
    found: dict[Hashable, list[dict[str, Any]]] = {}
    for item, group in table.groupby("item_id", sort=False):
        if len(group) > 1:
            found[item] = [
                {
                    k: (v if k == "language" else _number(v))
                    for k, v in row.items()
                    if k != "item_id"
                }
                for row in group.sort_values("n", ascending=False).to_dict("records")
            ]
    return found


def _row_order(row: ItemRow) -> int:
    """Flagged items first, then the judged ones, then those with too few attempts."""
    if not row.flags:
        return 1
    return 2 if _only_too_few(row.flags) else 0


def _number(value: Any) -> float:
    """A plain float (NaN stays NaN) for templates and exports."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _labels(version_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Version id → question id, key, version number, type, title and guess score."""
    stmt = (
        select(
            QuestionVersion.id,
            QuestionVersion.number,
            QuestionVersion.content_hash,
            QuestionVersion.type,
            QuestionVersion.title,
            QuestionVersion.stem,
            Question.id,
            Question.key,
            Question.bank_id,
        )
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.id.in_(version_ids))
    )
    rows = list(db.session.execute(stmt))
    records = records_for_versions([(vid, content_hash) for vid, _n, content_hash, *_ in rows])
    labels = {}
    for vid, number, _hash, qtype, title, stem, qid, key, bank_id in rows:
        kind = question_types.get(qtype)
        labels[vid] = {
            "question_id": qid,
            "bank_id": bank_id,
            "key": key,
            "number": number,
            "type": qtype,
            "title": title or (stem[:80] + ("…" if len(stem) > 80 else "")),
            "guess": kind.random_guess(records[vid]),
        }
    return labels


def flagged_keys(bank_id: int) -> list[str]:
    """Keys of the bank's questions whose live or newest version has flags (all attempts)."""
    report = item_report(Scope(bank_id=bank_id))
    pairs = db.session.execute(
        select(Question.live_version_id, Question.current_version_id).where(
            Question.bank_id == bank_id
        )
    )
    versions = {vid for pair in pairs for vid in pair if vid is not None}
    return sorted(
        {
            row.key
            for row in report.rows
            if row.version_id in versions and row.flags and not _only_too_few(row.flags)
        }
    )


def _only_too_few(reasons: list[Message]) -> bool:
    """True when the only reason is that there are too few attempts to judge."""
    return len(reasons) == 1 and reasons[0].code == "items.too_few"
