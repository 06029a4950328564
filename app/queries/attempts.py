"""Read-only views of attempts: what the learner sees while answering, and results.

The key (correct answers, feedback, explanations) is only included when `reveal` is
true; callers decide that from the attempt's mode, state and the scheme's review policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.domain import localized, question_types
from app.domain.answer_ids import AnswerIds
from app.domain.records import QuestionRecord, ScenarioRecord, clause_sort_key, outcome_feedback
from app.domain.scoring import (
    OTHER,
    ItemScore,
    PooledClauses,
    pooled_clause_scores,
    score_attempt,
)
from app.domain.wording import wording
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    AttemptMode,
    AttemptStatus,
    Question,
    QuestionVersion,
    Response,
    Scheme,
)
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.queries import translations as translation_queries
from app.queries.language import section_titles


@dataclass
class ItemView:
    """One slot of an attempt as a page or the API shows it."""

    position: int
    section: str
    flagged: bool
    answered: bool
    response: Any
    confidence: int | None
    view: dict[str, Any]
    scenario: dict[str, str] | None
    checked: bool = False
    key: dict[str, Any] | None = field(default=None)
    recall: int | None = None  # the learner's own recall rating (review sets), 1–4
    bank_id: int | None = None  # the question's bank, whose files its texts may show
    language: str | None = None  # the language the item shows in (None: not known)
    case_language: str | None = None  # its case text's, which may have no translation
    toggle: str | None = None  # practice: the other language it can be switched to

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the API."""
        data = {
            "position": self.position,
            "section": self.section,
            "flagged": self.flagged,
            "answered": self.answered,
            "response": self.response,
            "confidence": self.confidence,
            "question": self.view,
            "scenario": self.scenario,
            "bank": self.bank_id,  # texts refer to its files as asset:<name>
            "language": self.language,
        }
        if self.key is not None:
            data["review"] = self.key
        return data


def may_reveal(attempt: Attempt, now: datetime | None = None) -> bool:
    """May the learner see keys and explanations of this (closed) attempt now?"""
    if attempt.status == AttemptStatus.OPEN:
        return False
    if attempt.mode != AttemptMode.MOCK:
        return True
    policy = attempt.scheme.review_policy if attempt.scheme else "immediately"
    if policy == "immediately":
        return True
    if policy == "after_deadline":
        return attempt.deadline_at is None or (now or utcnow()) > attempt.deadline_at
    return False


def review_opens_at(attempt: Attempt, now: datetime | None = None) -> datetime | None:
    """When a closed attempt's keys become visible, if that is later than now; None when
    they are visible already or never will be."""
    if may_reveal(attempt, now) or attempt.status == AttemptStatus.OPEN:
        return None
    policy = attempt.scheme.review_policy if attempt.scheme else "immediately"
    return attempt.deadline_at if policy == "after_deadline" else None


def review_closed(now: datetime) -> ColumnElement[bool]:
    """SQL twin of `not may_reveal` for closed attempts (needs Scheme outer-joined)."""
    policy = func.coalesce(Scheme.review_policy, "immediately")
    return and_(
        Attempt.mode == AttemptMode.MOCK,
        policy != "immediately",
        or_(
            policy != "after_deadline",
            and_(Attempt.deadline_at.is_not(None), Attempt.deadline_at >= now),
        ),
    )


def _embargoed(column: Any, user_id: int, now: datetime | None) -> Select[Any]:
    """`column` (of the question) for the questions of the learner's mock exams that are
    open or whose review is closed."""
    return (
        select(column)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .outerjoin(Scheme, Scheme.id == Attempt.scheme_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.mode == AttemptMode.MOCK,
            or_(Attempt.status == AttemptStatus.OPEN, review_closed(now or utcnow())),
        )
    )


def embargoed_questions(user_id: int, now: datetime | None = None) -> set[str]:
    """Keys of the questions in the learner's mock exams that are open or whose review is
    closed: practice must neither draw them nor show their key, or it would answer the
    exam (or say which of its answers were right)."""
    return set(db.session.scalars(_embargoed(Question.key, user_id, now)))


def embargoed_items(user_id: int, now: datetime | None = None) -> Select[Any] | None:
    """The learner's attempt items (any attempt) whose question is embargoed (see
    `embargoed_questions`), as a select of their ids; None when there are none. The
    learner's own figures leave their answers out: a clause's mastery could otherwise say
    which of those answers was right."""
    questions = _embargoed(Question.id, user_id, now)
    if db.session.scalar(select(questions.exists())) is not True:
        return None
    return (
        select(AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .where(Attempt.user_id == user_id, QuestionVersion.question_id.in_(questions))
    )


def _key_of(
    record: QuestionRecord, ids: AnswerIds, score: float | None, clauses: list[str]
) -> dict[str, Any]:
    """What a learner sees after the fact: the key, feedback, explanation, clauses.

    Ids are the attempt's public ones, like everything else the learner sees.
    """
    kind = question_types.get(record.type)
    return {
        "correct_response": kind.public_response(record, kind.correct_response(record), ids),
        "score": score,
        "marks": record.marks,
        "explanation": record.explanation,
        "outcome_feedback": outcome_feedback(record, score),
        "clauses": clauses,
        "option_feedback": {
            ids.public("option", o.id): o.feedback for o in record.options if o.feedback
        },
        "correct_options": [ids.public("option", o.id) for o in record.options if o.correct],
        "rubric": [vars(c) for c in record.rubric],
        "correct_steps": [step.text for step in record.steps],
        "model_answer": record.model_answer,
    }


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items in order, with responses and version hashes: two queries."""
    stmt = (
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
        .options(
            selectinload(AttemptItem.response),
            joinedload(AttemptItem.version).load_only(
                QuestionVersion.content_hash, QuestionVersion.scenario_id
            ),
        )
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(stmt))


def item_records(items: list[AttemptItem]) -> dict[int, QuestionRecord]:
    """Version id → the record each item showed (from the per-process cache)."""
    return bank_queries.records_for_versions(
        [(item.version_id, item.version.content_hash) for item in items]
    )


def _languages(attempt: Attempt) -> tuple[str | None, str | None]:
    """The attempt's exam language and, in practice, the other language items may be
    switched to."""
    return attempt.language, (attempt.settings or {}).get("toggle")


def item_views(attempt: Attempt, reveal: bool) -> list[ItemView]:
    """Every item of an attempt, in order, with keys only where `reveal` (or checked),
    each in the language it shows in."""
    items = attempt_items(attempt)
    records = item_records(items)
    exam, other = _languages(attempt)
    wanted = {tag for tag in [*(item.language for item in items), exam, other] if tag}
    shown = translation_queries.for_versions(records, wanted) if wanted else {}
    keyed = [item.version_id for item in items if reveal or item.checked_at is not None]
    clauses = bank_queries.mapped_clauses(keyed) if keyed else {}  # for keys only
    scenario_ids = [i.version.scenario_id for i in items if i.version.scenario_id]
    scenarios = bank_queries.scenarios_by_id(scenario_ids) if scenario_ids else {}
    # Practice never shows the key of a question that is also in an exam not yet reviewed.
    embargoed = (
        embargoed_questions(attempt.user_id)
        if keyed and attempt.mode != AttemptMode.MOCK
        else set()
    )
    views = []
    for item in items:
        source = records[item.version_id]
        scenario_id = item.version.scenario_id
        info = shown.get(item.version_id)
        record, case, languages = _present(
            source, scenarios.get(scenario_id) if scenario_id else None, info, item.language
        )
        view = item_view(
            attempt.answer_secret,
            item,
            record,
            item.response,
            case,
            (reveal or item.checked_at is not None) and record.id not in embargoed,
            clauses.get(item.version_id, []),
            languages=languages,
        )
        if attempt.mode != AttemptMode.MOCK and info is not None:
            view.toggle = _toggle(source, info, languages[0], exam, other)
        views.append(view)
    return views


# The languages an item view shows in: the question's and its case text's.
Languages = tuple[str | None, str | None]


def _present(
    source: QuestionRecord,
    case: ScenarioRecord | None,
    info: translation_queries.Shown | None,
    language: str | None,
) -> tuple[QuestionRecord, ScenarioRecord | None, Languages]:
    """The item's record and case text in `language` where they have a usable
    translation, else in their source language; and the languages they are in. Without
    translations read (`info` None) the item shows in the language stored with it, its
    source's (None for items from before languages were stored)."""
    if info is None:
        return source, case, (language, language if case is not None else None)
    record, shown = localized.present(source, info.source_language, language, info.translations)
    if case is None:
        return record, None, (shown, None)
    # The case text follows the question: a question in its source keeps its source case.
    case, case_shown = localized.present_case(
        case, info.source_language, shown, info.case_translations
    )
    return record, case, (shown, case_shown)


def _toggle(
    source: QuestionRecord,
    info: translation_queries.Shown,
    now: str | None,
    exam: str | None,
    other: str | None,
) -> str | None:
    """The language a practice item can be switched to (None when it has no other)."""
    target = other if now != other else (exam or info.source_language)
    if target is None or target == now:
        return None
    _record, shown = localized.present(source, info.source_language, target, info.translations)
    return target if shown == target else None


class NewItem(NamedTuple):
    """An attempt item as the start writes it (the row's values, without the ORM)."""

    position: int
    version_id: int
    section: str
    display_order: list[str] | None
    flagged: bool = False
    checked_at: datetime | None = None
    language: str | None = None


def new_item_views(
    secret: str,
    rows: list[dict[str, Any]],
    records: dict[int, QuestionRecord],
    cases: dict[int, ScenarioRecord],
    shown: dict[int, translation_queries.Shown],
) -> list[ItemView]:
    """The items of an attempt just drawn, from the rows the start wrote and the
    translations it read (no answers, no keys, no reads): the reply to a start needs no
    second look at what it wrote."""
    views = []
    for row in rows:
        item = NewItem(**row)
        record, case, languages = _present(
            records[item.version_id],
            cases.get(item.version_id),
            shown.get(item.version_id),
            item.language,
        )
        views.append(item_view(secret, item, record, None, case, False, [], languages=languages))
    return views


def item_view(
    secret: str,
    item: AttemptItem | NewItem,
    record: QuestionRecord,
    response: Response | None,
    scenario: ScenarioRecord | None,
    show: bool,
    clauses: list[str],
    languages: Languages = (None, None),
) -> ItemView:
    """One item as the learner sees it, with its key only if `show`. `record` and
    `scenario` are in the languages given (`localized.present`); a translated record
    keeps its source's ids and order, so nothing here depends on the language."""
    kind = question_types.get(record.type)
    ids = question_types.answer_ids(secret, item.position, record)
    value = response.value if response else None
    # A saved ordering is shown in the learner's own order when they come back.
    order = value if record.type == "ordering" and value else item.display_order or None
    score = response.score if response else None
    return ItemView(
        position=item.position,
        section=item.section,
        flagged=bool(item.flagged),
        answered=value not in (None, "", [], {}),
        response=kind.public_response(record, value, ids),
        confidence=response.confidence if response else None,
        view=kind.learner_view(record, order, ids),
        scenario={"title": scenario.title, "text": scenario.text} if scenario else None,
        checked=item.checked_at is not None,
        recall=response.recall if response else None,
        key=_key_of(record, ids, score, clauses) if show else None,
        bank_id=record.bank_id,
        language=languages[0],
        case_language=languages[1],
    )


def history_rows(user_id: int) -> list[Attempt]:
    """The learner's attempts, newest first."""
    stmt = select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.id.desc())
    return list(db.session.scalars(stmt))


def score_trend(user_id: int) -> dict[str, list[tuple[datetime, float]]]:
    """Scheme title (a Wording) → (submitted at, percent) of the learner's finished mock
    exams, oldest first."""
    stmt = (
        select(
            Scheme.title,
            Scheme.translations,
            Attempt.submitted_at,
            Attempt.score,
            Attempt.max_score,
        )
        .join(Scheme, Scheme.id == Attempt.scheme_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.mode == AttemptMode.MOCK,
            Attempt.status.in_(AttemptStatus.closed()),
        )
        .order_by(Attempt.submitted_at)
    )
    trend: dict[str, list[tuple[datetime, float]]] = {}
    for title, translations, at, score, maximum in db.session.execute(stmt):
        if maximum:
            assert at is not None and score is not None  # a closed attempt is scored
            trend.setdefault(wording(title, translations), []).append((at, 100 * score / maximum))
    return trend


def item_scores(attempt: Attempt) -> list[ItemScore]:
    """Each item of a closed attempt with its marks, clauses and the fraction it earned."""
    items = attempt_items(attempt)
    records = item_records(items)
    clauses = bank_queries.mapped_clauses([item.version_id for item in items])
    return [
        ItemScore(
            str(item.position),
            item.section,
            tuple(clauses.get(item.version_id, ())),
            records[item.version_id].marks,
            _fraction(item),
        )
        for item in items
    ]


def _fraction(item: AttemptItem) -> float | None:
    """The stored fraction of an item's marks: 0 unanswered, None awaiting marking."""
    if item.response is None or item.response.value is None:
        return 0.0
    return item.response.score


def clause_rows(
    attempt: Attempt, reveal: bool, withheld: set[int] | None = None
) -> list[tuple[str, str, dict[str, float]]]:
    """(clause, title, figures) of an attempt's clause results, in document order.

    While the review is closed the rows are pooled so that none gives an item away.
    """
    titles = bank_queries.clause_titles()
    if not reveal:
        sections = _section_titles(attempt, attempt.result)
        rows = pooled_clause_scores(item_scores(attempt))
        return [_pooled_row(row, titles, sections) for row in rows]
    withheld = withheld_positions(attempt) if withheld is None else withheld
    source = _without(attempt, withheld) if withheld else attempt.result
    clauses = source.get("clauses") or {}
    return [(c, titles.get(c, ""), clauses[c]) for c in sorted(clauses, key=clause_sort_key)]


def _section_titles(attempt: Attempt, result: dict[str, Any]) -> dict[str, str]:
    """Section id → title in the reader's language: the scheme's wording, else the title
    the result kept when it was scored (in English)."""
    kept = {s["id"]: s["title"] for s in result.get("sections") or []}
    return kept | section_titles(attempt.scheme)


def _pooled_row(
    row: PooledClauses, titles: dict[str, str], sections: dict[str, str]
) -> tuple[str, str, dict[str, Any]]:
    """A pooled row as the result page shows it: number, title and figures (with the
    title of the section the row lies in)."""
    named = [c for c in row.clauses if c != OTHER]
    figures = {
        "score": row.score,
        "max": row.max,
        "percent": row.percent,
        "section": sections.get(row.section, row.section),
    }
    if not named:
        return "", _("Other clauses"), figures
    title = titles.get(named[0], "")
    if OTHER in row.clauses:
        title = _("%(title)s, with other clauses", title=title)
    return named[0], title, figures


def _withheld_items(column: Any, user_id: int) -> Select[Any]:
    """`column` of the learner's closed practice-set, drill and review items whose
    question is also in one of their mocks that is open or whose review is closed."""
    return (
        select(column)
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.mode != AttemptMode.MOCK,
            Attempt.status != AttemptStatus.OPEN,
            QuestionVersion.question_id.in_(_embargoed(Question.id, user_id, None)),
        )
    )


def missed_questions(attempt: Attempt) -> set[str]:
    """Keys of an attempt's questions answered wrong or partly right or left unanswered
    (an essay awaiting its mark is neither), in one query."""
    stmt = (
        select(Question.key)
        .select_from(AttemptItem)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(
            AttemptItem.attempt_id == attempt.id,
            or_(Response.id.is_(None), Response.score < 0.999),
        )
    )
    return set(db.session.scalars(stmt))


def withheld_positions(attempt: Attempt) -> set[int]:
    """Positions of a practice set's, drill's or review's items whose question is also
    in one of the learner's mocks that is open or whose review is closed: while it is,
    nothing of the set may count them, or the set's score would say whether the answer
    (perhaps the one given in the mock) was right. A mock withholds nothing."""
    if attempt.mode == AttemptMode.MOCK or attempt.status == AttemptStatus.OPEN:
        return set()
    stmt = _withheld_items(AttemptItem.position, attempt.user_id)
    return set(db.session.scalars(stmt.where(Attempt.id == attempt.id)))


def attempts_withholding(user_id: int) -> set[int]:
    """Ids of the learner's closed practice sets, drills and reviews that withhold items
    (see `withheld_positions`): lists show no score for them meanwhile."""
    return set(db.session.scalars(_withheld_items(Attempt.id, user_id)))


def _without(attempt: Attempt, withheld: set[int]) -> dict[str, Any]:
    """The attempt's result scored again without the withheld items."""
    kept = [s for s in item_scores(attempt) if int(s.item_id) not in withheld]
    result = score_attempt(kept, None, None).to_dict()
    result["withheld"] = len(withheld)
    return result


def visible_result(
    attempt: Attempt, reveal: bool, withheld: set[int] | None = None
) -> dict[str, Any] | None:
    """An attempt's result as the learner may see it now (None while it is open).

    While the review is closed, per-clause figures are replaced by pooled groups and
    the certainty-based total is left out. Items withheld (`withheld_positions`, unless
    the caller has them) are left out of a practice set's figures.
    """
    if attempt.status == AttemptStatus.OPEN:
        return None
    withheld = withheld_positions(attempt) if withheld is None else withheld
    result = _without(attempt, withheld) if withheld else dict(attempt.result)
    result["review_open"] = reveal
    titles = _section_titles(attempt, result)
    result["sections"] = [{**s, "title": titles[s["id"]]} for s in result.get("sections") or []]
    if not reveal:
        # Certainty-based marks weigh each item by a certainty the learner chose, so a
        # chosen pattern of certainties would let the total name the items right.
        result.pop("cbm", None)
        result["clauses"] = {}
        result["clause_groups"] = [
            {
                "section": row.section,
                "clauses": list(row.clauses),
                "items": row.items,
                "score": round(row.score, 4),
                "max": round(row.max, 4),
                "percent": round(row.percent, 2),
            }
            for row in pooled_clause_scores(item_scores(attempt))
        ]
    return result
