"""The kept readiness sums equal a recomputation from the raw answers: after a rebuild,
then after practice checks, submitted and expired attempts, a trainer's marks and a
changed mark (a rescore), a retired question and answers moved in time; and a new question
version (new answer classes) makes readers sum the answers until the next rebuild."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from app.analytics import answers as answers_module
from app.analytics.answers import (
    MONDAY,
    WEEKS,
    day_end,
    day_of,
    grouped_answers,
    kept_sums,
    week_index,
)
from app.analytics.calibration import summing
from app.errors import PermissionDenied
from app.extensions import db
from app.models import (
    SYSTEM,
    Question,
    QuestionVersion,
    ReadinessBasis,
    ReadinessSum,
    Response,
    Role,
    Scheme,
)
from app.models.base import utcnow
from app.queries import banks as bank_queries
from app.services import answering, authoring, marking, readiness_sums
from tests.factories import sit_auditor_exam, sit_exam

COLUMNS = ["answers", "weight", "right", "weighted_age"]


def _schemes() -> list[Scheme]:
    return [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]


def _kept(now, weeks: int) -> pd.DataFrame:
    found = kept_sums(None, day_end(now), **_settings(now), weeks=weeks)
    assert found is not None, "the kept sums were not used"
    return _indexed(found.rows)


def _settings(now) -> dict:
    settings = summing(now)
    return {
        "half_life_days": settings["half_life_days"],
        "difficulties": settings["difficulties"],
        "repeat_weight": settings["repeat_weight"],
    }


def _recomputed(now, weeks: int) -> pd.DataFrame:
    raw = grouped_answers(None, _schemes(), now, weeks=weeks, kept=False, **summing(now))
    return _indexed(raw.rows)


def _indexed(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.set_index(["learner_id", "item_id", "week"]).sort_index()


def _assert_equal(now) -> None:
    for weeks in (0, WEEKS):
        _assert_equal_in(now, weeks)


def _assert_equal_in(now, weeks: int) -> None:
    kept, raw = _kept(now, weeks), _recomputed(now, weeks)
    assert list(kept.index) == list(raw.index)
    # Equal up to the databases' time arithmetic (SQLite's julianday keeps milliseconds:
    # 1.2e-8 days; the kept side is exact).
    for column in COLUMNS:
        assert kept[column].to_numpy() == pytest.approx(raw[column].to_numpy(), rel=1e-7, abs=1e-7)
    latest = (kept["answered_at"] - raw["answered_at"]).abs().max()
    assert latest < pd.Timedelta(milliseconds=1)


def _mark_every_essay(marker, attempt, share: float) -> None:
    for item in attempt.items:
        if item.version.type == "essay" and item.response is not None:
            marking.mark_response(marker, item.response.id, item.version.marks * share, "")


def test_the_kept_sums_follow_every_way_an_answer_becomes_final_or_changes(banks, make_user):
    learners = [make_user() for _ in range(3)]
    trainer = make_user(role=Role.TRAINER)
    sit_exam(learners[0], right=True)
    sit_exam(learners[1], mode="practice", count=10, clauses=["8"], seed=4)
    early = sit_auditor_exam(learners[2], right=True)
    _mark_every_essay(trainer, early, 0.5)

    basis = readiness_sums.rebuild(SYSTEM)
    assert basis.half_life_days is None or basis.half_life_days > 0
    now = utcnow() + timedelta(days=3)
    _assert_equal(now)

    # After the rebuild: a checked practice answer, a submitted mock, an expired one.
    practice = sit_exam(
        learners[1], right=True, mode="practice", count=5, clauses=["8"], seed=9, submit=False
    )
    answering.check_practice_answer(learners[1], practice.id, 1)
    sit_exam(learners[0], seed=8)
    late = sit_exam(learners[2], seed=10, right=True, submit=False)
    late.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert answering.expire_overdue() == 1
    # Essays marked after the rebuild, then a mark changed (the attempt is rescored).
    second = sit_auditor_exam(learners[0], seed=6)
    _mark_every_essay(trainer, second, 1.0)
    _mark_every_essay(trainer, second, 0.25)
    _mark_every_essay(trainer, early, 1.0)
    # A retired question's answers still count, as they do when summed from scratch.
    question_id = db.session.scalar(
        select(Question.id).where(Question.live_version_id == second.items[0].version_id)
    )
    if question_id is not None:
        authoring.transition(trainer, question_id, "retire")
    # Answers moved in time (as the demo's seeding does) move their weights.
    responses = db.session.scalars(select(Response).where(Response.score.is_not(None))).all()
    responses[0].answered_at -= timedelta(days=20)  # into another calendar week
    responses[1].answered_at -= timedelta(days=200)  # older than any trend looks back
    db.session.commit()

    _assert_equal(now)
    _assert_equal(now + timedelta(days=40))  # the same sums, read later
    # Weeks apart as the trend reads them: some answers three weeks back, then a rebuild.
    for response in responses[2:12]:
        response.answered_at -= timedelta(days=21)
    db.session.commit()
    readiness_sums.rebuild(SYSTEM)
    _assert_equal(now)
    assert len(set(_kept(now, WEEKS).index.get_level_values("week"))) >= 3


def test_a_new_question_version_sends_readers_back_to_the_answers(banks, make_user):
    learner = make_user()
    sit_exam(learner, right=True)
    readiness_sums.rebuild(SYSTEM)
    now = utcnow()
    assert kept_sums(None, now, **_settings(now)) is not None
    assert kept_sums(None, now, **_settings(now), weeks=WEEKS + 2) is None  # not kept apart
    trainer = make_user(role=Role.TRAINER)
    question = db.session.scalars(select(Question).where(Question.status == "published")).first()
    version = db.session.get(QuestionVersion, question.live_version_id)
    record = bank_queries.record_for_version(version.id, version.content_hash)
    authoring.save_question(trainer, question.bank_id, replace(record, id="kept-sums-new"))
    # The new version's answer class is not kept: readers sum the answers, until a rebuild.
    assert kept_sums(None, now, **_settings(now)) is None
    assert len(grouped_answers(None, _schemes(), now, weeks=0, **summing(now)).rows)
    readiness_sums.rebuild(SYSTEM)
    _assert_equal(now)


def test_only_an_administrator_rebuilds_and_a_rebuild_replaces_everything(banks, make_user):
    with pytest.raises(PermissionDenied):
        readiness_sums.rebuild(make_user(role=Role.TRAINER))
    sit_exam(make_user(), right=True)
    readiness_sums.rebuild(make_user(role=Role.ADMIN))
    rows = db.session.scalar(select(func.count()).select_from(ReadinessSum))
    readiness_sums.rebuild(SYSTEM)
    assert db.session.scalar(select(func.count()).select_from(ReadinessSum)) == rows
    assert db.session.scalar(select(func.count()).select_from(ReadinessBasis)) == 1


def test_the_rebuild_command_reports_what_it_built(app, banks, make_user):
    sit_exam(make_user(), right=True)
    result = app.test_cli_runner().invoke(args=["readiness", "rebuild"])
    assert result.exit_code == 0, result.output
    rows = db.session.scalar(select(func.count()).select_from(ReadinessSum))
    assert rows > 0 and f"Readiness sums rebuilt: {rows} rows" in result.output


def _final(learner) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.user_id == learner.id, Response.score.is_not(None))
            .order_by(Response.id)
        )
    )


def _wednesday_noon(weeks_back: int, now) -> datetime:
    """Wednesday 12:00 UTC of the calendar week `weeks_back` before now's."""
    monday = MONDAY + 7.0 * (week_index(day_of(now)) - weeks_back)
    return datetime.fromtimestamp((monday + 2.5) * 86400.0, tz=UTC)


def _spread(responses: list[Response], start: datetime) -> None:
    for i, response in enumerate(responses):
        response.answered_at = start + timedelta(minutes=i)
    db.session.commit()


def test_changes_to_answers_older_than_the_kept_weeks_land_in_their_row(banks, make_user):
    learner, trainer = make_user(), make_user(role=Role.TRAINER)
    exam = sit_auditor_exam(learner, right=True)
    _mark_every_essay(trainer, exam, 0.5)
    now = utcnow()
    _spread(_final(learner), _wednesday_noon(30, now))  # long before the trend looks back
    readiness_sums.rebuild(SYSTEM, now)
    _mark_every_essay(trainer, db.session.get(type(exam), exam.id), 1.0)  # a re-mark
    _assert_equal(now)
    moved = _final(learner)
    moved[0].answered_at += timedelta(hours=5)  # within its old week
    moved[1].answered_at = _wednesday_noon(2, now)  # out of the old row, into a kept week
    db.session.commit()
    _assert_equal(now)


def test_a_rows_latest_answer_follows_answers_moved_earlier_or_away(banks, make_user):
    learner = make_user()
    sit_exam(learner, right=True)
    now = utcnow()
    responses = _final(learner)
    _spread(responses, _wednesday_noon(3, now))
    readiness_sums.rebuild(SYSTEM, now)
    for response in responses:  # a day earlier, the same calendar week
        response.answered_at -= timedelta(days=1)
    db.session.commit()
    _assert_equal(now)
    for response in responses[::2]:  # two weeks later
        response.answered_at = _wednesday_noon(1, now)
    db.session.commit()
    _assert_equal(now)


def test_an_answer_at_monday_midnight_is_in_the_week_it_starts(banks, make_user):
    learner = make_user()
    sit_exam(learner, right=True)
    now = utcnow()
    readiness_sums.rebuild(SYSTEM, now)
    monday = datetime.fromtimestamp((MONDAY + 7.0 * (week_index(day_of(now)) - 2)) * 86400.0, UTC)
    first, second = _final(learner)[:2]
    first.answered_at = monday
    second.answered_at = monday - timedelta(seconds=1)
    db.session.commit()
    _assert_equal(now)
    assert set(_kept(now, WEEKS).index.get_level_values("week")) >= {2, 3}


def test_a_reader_never_mixes_a_basis_with_the_sums_of_the_next(app, banks, make_user, monkeypatch):
    learner = make_user()
    sit_exam(learner, right=True)
    start = utcnow()
    readiness_sums.rebuild(SYSTEM, start)
    now = start + timedelta(days=3)
    before = _settings(now)
    original = answers_module.answer_classes
    rebuilt = []

    def classes_then_a_rebuild_elsewhere(*args, **kwargs):
        found = original(*args, **kwargs)
        if not rebuilt:  # another process's hourly rebuild commits between the reads
            rebuilt.append(True)
            with app.app_context():
                readiness_sums.rebuild(SYSTEM, start + timedelta(days=1))
                db.session.remove()
        return found

    db.session.commit()
    monkeypatch.setattr(answers_module, "answer_classes", classes_then_a_rebuild_elsewhere)
    assert kept_sums(None, now, **before, weeks=0) is None  # it noticed, and sums afresh
    assert rebuilt
