"""Kept readiness results say what the model says: after a refresh every learner's row
equals the model run on their sums (now and at every trend point, on the team and
organization pages alike); an answer, a new day, a rebuild or a changed blueprint makes
rows stale, and readers then run the model for those learners instead."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from app.analytics import calibration, organization
from app.analytics import readiness as model
from app.analytics import team_readiness as tr
from app.analytics.answers import grouped_answers
from app.analytics.calibration import summing
from app.errors import PermissionDenied
from app.extensions import db
from app.models import (
    SYSTEM,
    ReadinessBasis,
    ReadinessResult,
    ReadinessRevision,
    ReadinessSum,
    Response,
    Role,
    Scheme,
)
from app.models.base import utcnow
from app.services import answering, readiness_results, readiness_sums
from tests.factories import make_team, sit_auditor_exam, sit_exam

POPULATION = {"mean": 0.4, "spread": 0.9, "offsets": None, "section_spread": 0.3}


def _schemes() -> list[Scheme]:
    return sorted(
        (s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections),
        key=lambda s: s.id,
    )


def _rebuild_with_a_population() -> None:
    """Rebuild, then give every scheme's kept calibration a population (a handful of test
    learners are too few to learn one, and without one no result is kept)."""
    readiness_sums.rebuild(SYSTEM)
    basis = db.session.scalars(select(ReadinessBasis)).one()
    basis.calibration = {
        code: {**value, "population": POPULATION} for code, value in basis.calibration.items()
    }
    db.session.commit()
    calibration.forget()


def _computed(ids: list[int], now) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """The model on the learners' sums, as a page runs it when nothing is kept."""
    answers = grouped_answers(ids, _schemes(), now, **summing(now))
    found = {}
    for scheme in _schemes():
        current = tr.forecast_now(answers, scheme)
        found[scheme.code] = current, tr.weekly_trend(answers, scheme, current=current)
    return found


def _assert_same(kept: tr.Forecasts, current: pd.DataFrame, trend: pd.DataFrame) -> None:
    got = kept.current.reset_index(drop=True)
    want = current.sort_values("learner_id").reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    assert got["learner_id"].tolist() == want["learner_id"].tolist()
    for column in want.columns:
        if want[column].dtype.kind == "f":
            assert np.allclose(got[column], want[column], equal_nan=True, atol=1e-12), column
        elif column == "last_answered":
            assert got[column].isna().tolist() == want[column].isna().tolist()
            gap = (got[column] - want[column]).abs().dropna()
            assert gap.empty or gap.max() < pd.Timedelta(milliseconds=1)
        else:
            assert got[column].tolist() == want[column].tolist(), column
    # A point without a forecast is NaN or absent: every reader takes them alike.
    order = ["week_end", "learner_id"]
    got_trend = kept.trend.dropna().sort_values(order).reset_index(drop=True)
    want_trend = trend.dropna().sort_values(order).reset_index(drop=True)
    assert got_trend[["week_end", "learner_id"]].equals(want_trend[["week_end", "learner_id"]])
    assert np.allclose(got_trend["p_pass"], want_trend["p_pass"], equal_nan=True, atol=1e-12)


@pytest.fixture
def cohort(banks, make_user):
    learners = [make_user() for _ in range(4)]
    sit_exam(learners[0], right=True)
    sit_exam(learners[1], right=True, mode="practice", count=12, clauses=["8"], seed=4)
    sit_exam(learners[2], seed=5)
    sit_auditor_exam(learners[2], right=True)
    old = sit_exam(learners[3], right=True, seed=7)
    for item in old.items:  # weeks ago: the trend's earlier points have something to say
        if item.response is not None:
            item.response.answered_at -= timedelta(days=23)
    db.session.commit()
    manager = make_user(role=Role.MANAGER)
    team = make_team(manager, members=[*learners, make_user()])  # one member never answered
    return {"learners": learners, "team": team}


def test_kept_results_equal_the_model_now_and_at_every_trend_point(cohort):
    _rebuild_with_a_population()
    done = readiness_results.refresh(SYSTEM)
    ids = [u.id for u in cohort["learners"]]
    assert done.learners == done.recomputed == 4
    assert done.rows == 4 * len(_schemes())
    now = utcnow()
    kept = tr.scheme_forecasts(ids, _schemes(), now)
    want = _computed(ids, now)
    for scheme in _schemes():
        assert kept[scheme.code].kept == 4
        _assert_same(kept[scheme.code], *want[scheme.code])
    # A second refresh finds nothing to do.
    assert readiness_results.refresh(SYSTEM).recomputed == 0


def test_an_answer_makes_its_learners_results_stale_until_the_next_refresh(cohort, make_user):
    _rebuild_with_a_population()
    readiness_results.refresh(SYSTEM)
    learner = cohort["learners"][1]
    before = db.session.scalar(
        select(ReadinessRevision.revision).where(ReadinessRevision.learner_id == learner.id)
    )
    practice = sit_exam(
        learner, right=True, mode="practice", count=3, clauses=["8"], seed=9, submit=False
    )
    answering.check_practice_answer(learner, practice.id, 1)
    after = db.session.scalar(
        select(ReadinessRevision.revision).where(ReadinessRevision.learner_id == learner.id)
    )
    assert after == (before or 0) + 1
    ids = [u.id for u in cohort["learners"]]
    now = utcnow()
    kept = tr.scheme_forecasts(ids, _schemes(), now)
    want = _computed(ids, now)
    for scheme in _schemes():
        assert kept[scheme.code].kept == 3  # the other three are still read
        _assert_same(kept[scheme.code], *want[scheme.code])  # and the fourth is computed
    assert readiness_results.refresh(SYSTEM).recomputed == 1
    assert tr.scheme_forecasts(ids, _schemes(), now)[_schemes()[0].code].kept == 4


def test_a_new_day_a_rebuild_or_a_changed_blueprint_makes_every_result_stale(cohort):
    _rebuild_with_a_population()
    readiness_results.refresh(SYSTEM)
    ids = [u.id for u in cohort["learners"]]
    code = _schemes()[0].code
    tomorrow = utcnow() + timedelta(days=1)
    assert tr.scheme_forecasts(ids, _schemes(), tomorrow)[code].kept == 0
    assert readiness_results.refresh(SYSTEM, tomorrow).recomputed == 4
    assert tr.scheme_forecasts(ids, _schemes(), tomorrow)[code].kept == 4
    _schemes()[0].blueprint = {**_schemes()[0].blueprint, "pass_mark": 0.51}
    db.session.commit()
    changed = tr.scheme_forecasts(ids, _schemes(), tomorrow)
    assert changed[code].kept == 0 and changed[_schemes()[1].code].kept == 4
    readiness_sums.rebuild(SYSTEM)  # its own calibration: no population for so few learners
    calibration.forget()
    assert all(f.kept == 0 for f in tr.scheme_forecasts(ids, _schemes(), tomorrow).values())
    assert readiness_results.refresh(SYSTEM, tomorrow).rows == 0  # nothing can be kept


def test_the_team_and_organization_pages_read_what_the_model_would_say(cohort):
    team = cohort["team"]
    scheme = _schemes()[0]
    now = utcnow()
    _rebuild_with_a_population()
    computed = tr.team_report(team.id, scheme, now)
    org_computed = organization.organization_report(now)
    readiness_results.refresh(SYSTEM)
    organization.forget()
    kept = tr.team_report(team.id, scheme, now)
    org_kept = organization.organization_report(now)
    assert len(kept.table) == 5  # the member who never answered is listed too
    for column in ("p_pass", "p_low", "p_high", "change"):
        assert np.allclose(kept.table[column], computed.table[column], equal_nan=True), column
    assert kept.table["status"].tolist() == computed.table["status"].tolist()
    assert kept.table["missing"].tolist() == computed.table["missing"].tolist()
    order = ["week_end", "learner_id"]
    mine, theirs = (t.dropna().sort_values(order) for t in (kept.trend, computed.trend))
    assert mine[order].to_numpy().tolist() == theirs[order].to_numpy().tolist()
    assert np.allclose(mine["p_pass"], theirs["p_pass"])
    for mine, theirs in zip(org_kept.schemes, org_computed.schemes, strict=True):
        assert (mine.counts, mine.histogram) == (theirs.counts, theirs.histogram)
        assert np.allclose(mine.trend["mean_p_pass"], theirs.trend["mean_p_pass"], equal_nan=True)
    assert db.session.scalar(select(func.count()).select_from(ReadinessResult)) > 0


def test_only_an_administrator_refreshes_and_the_command_reports_it(app, cohort, make_user):
    with pytest.raises(PermissionDenied):
        readiness_results.refresh(make_user(role=Role.MANAGER))
    _rebuild_with_a_population()
    result = app.test_cli_runner().invoke(args=["readiness", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Readiness results refreshed: 4 of 4 learners recomputed" in result.output
    readiness_sums.rebuild(SYSTEM)  # its own calibration: too few learners for a population
    calibration.forget()
    result = app.test_cli_runner().invoke(args=["readiness", "refresh"])
    assert result.exit_code == 0 and "Readiness results are not kept yet" in result.output


# Found by an independent review of the kept results.


@pytest.fixture
def learners(banks, make_user):
    people = [make_user() for _ in range(3)]
    sit_exam(people[0], right=True)
    sit_exam(people[1], seed=5)
    sit_exam(people[2], right=True, mode="practice", count=12, clauses=["8"], seed=4)
    return people


def test_a_learner_whose_answers_were_all_withdrawn_is_not_stale_forever(learners):
    """A learner whose every final answer stopped counting (a score withdrawn, a response
    deleted: `_track` handles both) keeps sums rows that sum to nothing. The model gives
    them no row: refresh must not look for one on every run, and no page shows them."""
    _rebuild_with_a_population()
    readiness_results.refresh(SYSTEM)
    gone = learners[2]
    for response in db.session.scalars(select(Response).where(Response.user_id == gone.id)):
        response.score = None
    db.session.commit()
    counted = db.session.scalar(
        select(func.count(func.distinct(ReadinessSum.learner_id))).where(ReadinessSum.answers > 0)
    )
    first = readiness_results.refresh(SYSTEM)  # their rows sum to nothing: not looked at
    assert first.learners == counted and first.recomputed == 0
    found = tr.scheme_forecasts([u.id for u in learners], _schemes(), utcnow())
    assert all(gone.id not in f.current["learner_id"].tolist() for f in found.values())


def _rebuild_with_a_learnt_population() -> None:
    """As `_rebuild_with_a_population`, with what a platform of 30+ learners learns too:
    a section offset and an exam mix for every section of each blueprint."""
    _rebuild_with_a_population()
    basis = db.session.scalars(select(ReadinessBasis)).one()
    stored = {}
    for scheme in _schemes():
        sections = model.sections_of(scheme.exam_blueprint)
        value = dict(basis.calibration[scheme.code])
        value["population"] = {
            **value["population"],
            "offsets": [0.1 * (j % 3 - 1) for j in range(len(sections))],
        }
        value["exam_shifts"] = [
            [[shift, n] for shift, n in mix]
            for mix in model.exam_mix(sections, model.DIFFICULTY_STEP)
        ]
        stored[scheme.code] = value
    basis.calibration = stored
    db.session.commit()
    calibration.forget()


def test_a_blueprint_that_gains_a_section_still_shows_readiness(learners):
    """The calibration kept with the basis was learnt for the old blueprint (its section
    offsets and exam mix are per section of it): after a change, pages must not use it
    (a section more crashed the model; a section resized forecast the old exam), nor keep
    results, until the next rebuild learns it again."""
    _rebuild_with_a_learnt_population()
    readiness_results.refresh(SYSTEM)
    foundation = next(s for s in _schemes() if s.code == "foundation")
    blueprint = dict(foundation.blueprint)
    blueprint["sections"] = [
        *blueprint["sections"],
        {"id": "annex", "title": "Annex", "clauses": ["99"], "items": 2},
    ]
    foundation.blueprint = blueprint
    db.session.commit()
    ids = [u.id for u in learners]
    found = tr.scheme_forecasts(ids, [foundation], utcnow())
    assert found["foundation"].kept == 0
    assert calibration.calibrations(utcnow())["foundation"].population is None
    assert readiness_results.refresh(SYSTEM).schemes == len(_schemes()) - 1


def test_a_changed_model_setting_makes_kept_results_stale(learners, monkeypatch):
    """A release that changes one of the model's settings (as if deployed mid-day:
    monkeypatched) makes every kept row stale: kept and computed learners on one page
    never come from two versions of the model."""
    _rebuild_with_a_population()
    readiness_results.refresh(SYSTEM)
    monkeypatch.setattr(model, "MIN_TOTAL_SHARE", 0.9)  # the new release
    monkeypatch.setattr(model, "INTERVAL", (20.0, 80.0))
    ids = [u.id for u in learners]
    now = utcnow()
    kept = tr.scheme_forecasts(ids, _schemes(), now)
    want = _computed(ids, now)
    for scheme in _schemes():
        _assert_same(kept[scheme.code], *want[scheme.code])
