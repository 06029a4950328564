"""How translations stand against their source, for trainers' pages.

A translation is *current* when it was made from the source texts as they are now,
*stale* when they have changed since, and a language an item has no translation in is
*missing* for it. Learners see a translation only when it is current for the version
they are shown and covers every part of it (app.domain.localized.usable); while a change
to a published question waits for review, that is the published version, not the
current one.

Each version stores the source hash of its texts (`QuestionVersion.source_hash`), so
telling stale from current costs one read of the versions' hashes and one of the
translations' for any number of questions, with no record rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.domain import localized, translation
from app.domain.records import QuestionRecord, ScenarioRecord
from app.domain.translation import CURRENT, STALE
from app.domain.translation_slots import Path, Slot, slots, values
from app.extensions import db
from app.models import Question, QuestionVersion, Scenario
from app.queries import translations as translation_queries
from app.queries.banks import current_version, records_for_versions

MISSING = "missing"
STATUSES = (CURRENT, STALE, MISSING)
_CHUNK = 5000
_REVISIONS_LOOKED_AT = 50  # how far back a stale case translation's source is looked for


@dataclass(frozen=True)
class TranslationState:
    """One translation of a question as its page shows it."""

    language: str
    status: str  # current, stale or missing
    shown: bool  # learners see it (current for the version they are shown, covering it)
    stem: str  # the translated stem ("" if it has none)
    source_hash: str  # what it was made from ("" when missing)
    current_hash: str  # what the source texts hash to now


def of_question(
    question_id: int,
    record: QuestionRecord,
    languages: Iterable[str] = (),
    live: QuestionRecord | None = None,
) -> list[TranslationState]:
    """The question's translations by language, checked against `record`, and a missing
    one for each of `languages` it has no translation in. Whether learners see each is
    checked against `live`, the version they are shown while a change to it waits for
    review (else against `record`)."""
    now = translation.source_hash(record)
    found = translation_queries.of_questions([question_id]).get(question_id, {})
    states = [
        TranslationState(
            language=tag,
            status=translation.status_of(t, now),
            shown=localized.usable(live or record, t),
            stem=str(t.fields.get("stem", "")),
            source_hash=t.source_hash,
            current_hash=now,
        )
        for tag, t in found.items()
    ]
    states += [
        TranslationState(tag, MISSING, False, "", "", now) for tag in set(languages) - set(found)
    ]
    return sorted(states, key=lambda state: state.language)


def source_hashes(question_ids: Iterable[int]) -> dict[int, str]:
    """Question id → the hash of its current version's translatable texts (stored with
    the version)."""
    ids = sorted(set(question_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            select(Question.id, QuestionVersion.source_hash)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.id.in_(ids[start : start + _CHUNK]))
        )
        found |= {qid: made for qid, made in db.session.execute(stmt)}
    return found


def statuses(question_ids: Iterable[int], languages: Iterable[str]) -> dict[int, dict[str, str]]:
    """Question id → language → current, stale or missing, for the list's rows."""
    ids, wanted = sorted(set(question_ids)), sorted(set(languages))
    made = translation_queries.hashes_of(ids, wanted)
    now = source_hashes(made)
    return {
        qid: {
            tag: (CURRENT if made[qid][tag] == now.get(qid) else STALE)
            if tag in made.get(qid, {})
            else MISSING
            for tag in wanted
        }
        for qid in ids
    }


def ids_with_status(bank_id: int, language: str, status: str) -> list[int]:
    """The ids of the bank's questions whose translation into `language` is current, or
    stale (missing ones are found by the list's query itself)."""
    made = translation_queries.hashes_in_bank(bank_id, language)
    now = source_hashes(made)
    return sorted(
        qid for qid, made_from in made.items() if (made_from == now.get(qid)) == (status == CURRENT)
    )


def scenario_statuses(
    bank_id: int, cases: Iterable[tuple[str, str, str]], languages: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Case text key → language → current, stale or missing, for (key, title, text)."""
    stored = translation_queries.of_scenarios(bank_id)
    wanted = sorted(set(languages))
    found: dict[str, dict[str, str]] = {}
    for key, title, text in cases:
        now = translation.scenario_hash(ScenarioRecord(key, title, text))
        made = stored.get(key, {})
        found[key] = {
            tag: translation.status_of(made[tag], now) if tag in made else MISSING for tag in wanted
        }
    return found


@dataclass(frozen=True)
class Sheet:
    """The side-by-side page of one translation: the source's texts, slot by slot, and
    the translation's (empty when missing)."""

    language: str
    source_language: str
    status: str  # current, stale or missing
    slots: list[Slot]
    values: dict[Path, str]
    made_from: str  # the source hash now: what a save is made from
    base: str  # the digest of the stored translation's texts ("" when missing)
    # For a stale translation whose source is still on file: the earlier source text of
    # each slot that changed since ("" for a text the source did not have then).
    changed: dict[Path, str] = field(default_factory=dict)
    # The question's type cannot translate its own parts (`data`): learners see it in its
    # source language whatever its translation holds.
    source_only: bool = False
    kind: str = ""  # the question's type key, which names its own parts ("" for a case)


def question_sheet(question: Question, language: str) -> Sheet:
    """A question's translation into `language` beside its current source texts."""
    version = current_version(question)
    record = records_for_versions([(version.id, version.content_hash)])[version.id]
    now = translation.source_hash(record)
    stored = translation_queries.of_questions([question.id]).get(question.id, {}).get(language)
    shown = slots(translation.source_texts(record))
    status = translation.status_of(stored, now) if stored else MISSING
    earlier = (
        _made_from_version(question.id, stored.source_hash) if stored and status == STALE else None
    )
    return Sheet(
        language=language,
        source_language=question.bank.language,
        status=status,
        slots=shown,
        values=values(stored.fields, shown) if stored else {},
        made_from=now,
        base=translation.digest(stored.fields) if stored else "",
        changed=_changed(shown, translation.source_texts(earlier)) if earlier else {},
        source_only=translation.data_texts(record) is None,
        kind=record.type,
    )


def _changed(shown: list[Slot], earlier: dict[str, Any]) -> dict[Path, str]:
    """Each slot whose source text differs from the earlier source's, with that text."""
    before = values(earlier, shown)
    return {slot.path: before[slot.path] for slot in shown if before[slot.path] != slot.source}


def _made_from_version(question_id: int, made_from: str) -> QuestionRecord | None:
    """The newest of the question's versions whose texts hash to `made_from` (what a
    stale translation was made from), or None when none does."""
    stmt = (
        select(QuestionVersion.id, QuestionVersion.content_hash)
        .where(
            QuestionVersion.question_id == question_id,
            QuestionVersion.source_hash == made_from,
        )
        .order_by(QuestionVersion.number.desc())
        .limit(1)
    )
    found = db.session.execute(stmt).first()
    if found is None:
        return None
    vid, content = found
    return records_for_versions([(vid, content)])[vid]


def scenario_sheet(
    bank_id: int, source_language: str, case: ScenarioRecord, language: str
) -> Sheet:
    """A case text's translation into `language` beside its current title and text."""
    now = translation.scenario_hash(case)
    stored = translation_queries.of_scenario(bank_id, case.id).get(language)
    shown = slots(translation.scenario_texts(case))
    status = translation.status_of(stored, now) if stored else MISSING
    earlier = (
        _made_from_revision(bank_id, case.id, stored.source_hash)
        if stored and status == STALE
        else None
    )
    return Sheet(
        language=language,
        source_language=source_language,
        status=status,
        slots=shown,
        values=values(stored.fields, shown) if stored else {},
        made_from=now,
        base=translation.digest(stored.fields) if stored else "",
        changed=_changed(shown, dict(translation.scenario_texts(earlier))) if earlier else {},
    )


def _made_from_revision(bank_id: int, key: str, made_from: str) -> ScenarioRecord | None:
    """The newest recent revision of a case text whose title and text hash to
    `made_from`, or None."""
    stmt = (
        select(Scenario.title, Scenario.text)
        .where(Scenario.bank_id == bank_id, Scenario.key == key)
        .order_by(Scenario.id.desc())
        .limit(_REVISIONS_LOOKED_AT)
    )
    for title, text in db.session.execute(stmt):
        revision = ScenarioRecord(key, title, text)
        if translation.scenario_hash(revision) == made_from:
            return revision
    return None
