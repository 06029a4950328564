"""A learner's own readiness, as their progress page shows it: the figures their manager sees.

Per scheme the learner has practised (answers at its levels) or that a team target names
for them: the member-table row of `team_readiness.scheme_table` (status, pass probability
and range, four-week change, what evidence is missing), the sections weakest first with
the effective answers behind each, the heatmap's clauses weakest first with their
mastery now and four weeks ago, the pass probability at the last eight week ends, and a
practice set for each gap the bank can fill; and the learner's weekly goal and streak
(`weekly_goal`).

One `grouped_answers` query, with the platform's calibration (`calibration.summing`,
`team_readiness.calibrated`), so the figures are those of the manager's pages. With a
calibrated population a learner's figures depend on their own answers alone; on a small
platform without one, pages learn the population from the people they show, so the query
then takes the learner's team mates too, as the team pages do (their figures are not
returned). Access checks are the caller's: this reads whatever id it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import or_, select

from app.analytics import overview
from app.analytics import team_readiness as tr
from app.analytics.answers import Answers, grouped_answers
from app.analytics.calibration import calibrations, summing
from app.analytics.readiness import OVERALL, sections_of
from app.analytics.weekly_goal import GoalProgress, goal_progress
from app.domain.assembly import practice_set_supply
from app.domain.blueprint import Blueprint
from app.domain.messages import Message
from app.extensions import db
from app.models import Scheme, TeamMembership, TeamTarget, TeamTargetMember, User
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries

PRACTICE_SIZE = 10  # questions a one-click practice set asks for, when the bank has them
MOST = 100  # the most questions a practice set may ask for (the start form's limit)
WEAKEST = 5  # clauses listed


@dataclass(frozen=True)
class Practice:
    """A practice set the page offers: on `clauses` (all of the scheme when empty)."""

    scheme_code: str
    clauses: tuple[str, ...]
    count: int  # questions asked for: never more than the bank can draw


@dataclass(frozen=True)
class Gap:
    """One piece of missing evidence (the model's message) and the practice that fills it."""

    message: Message
    practice: Practice | None  # None when the bank has no question for it


@dataclass(frozen=True)
class SectionMastery:
    """A blueprint section: the model's mastery and the effective answers behind it."""

    id: str
    title: str
    mastery: float
    evidence: float


@dataclass(frozen=True)
class ClauseMastery:
    """A heatmap clause: mastery now and TREND_WEEKS ago, effective answers, a practice set."""

    clause: str
    title: str
    mastery: float
    evidence: float
    practice: Practice | None
    earlier: float | None = None  # mastery TREND_WEEKS ago; None without an answer by then

    @property
    def change(self) -> float | None:
        """Mastery now less mastery TREND_WEEKS ago (None when there was no evidence then)."""
        return None if self.earlier is None else self.mastery - self.earlier

    @property
    def trend(self) -> str:
        """`up`, `down` or `flat` as the readiness trend arrows say it; `new` without an
        earlier figure."""
        return "new" if self.change is None else tr.trend_arrow(self.change)


@dataclass
class SchemeProgress:
    """What the page shows of one scheme."""

    scheme: Scheme
    row: dict[str, Any]  # the learner's member-table row (`team_readiness.scheme_table`)
    targeted: bool  # a team target names this scheme for the learner
    gaps: list[Gap]  # empty unless the status is `insufficient`
    sections: list[SectionMastery]  # weakest first
    clauses: list[ClauseMastery]  # every clause with evidence, weakest first
    trend: list[tuple[datetime, float | None]]  # week end → p_pass, oldest first

    @property
    def weakest(self) -> list[ClauseMastery]:
        """Up to WEAKEST clauses, weakest first."""
        return self.clauses[:WEAKEST]


@dataclass
class LearnerProgress:
    """The learner's progress page."""

    now: datetime
    schemes: list[SchemeProgress]
    goal: GoalProgress
    # Answers to questions of mocks whose review is closed are left out until it opens.
    held_back: bool = False

    @property
    def weeks_back(self) -> int:
        """How many weeks back the clauses' earlier mastery was taken."""
        return tr.TREND_WEEKS


def learner_progress(user_id: int, now: datetime) -> LearnerProgress:
    """The learner's readiness per scheme they practised or are targeted on (module docstring)."""
    active = overview.schemes()
    targeted = targeted_schemes(user_id)
    heatmaps = {s.code: tr.heatmap_clauses(s) for s in active}
    blueprints: list[Scheme | Blueprint] = [*active]
    blueprints += [tr.heatmap_blueprint(s, heatmaps[s.code]) for s in active]
    hidden = attempt_views.embargoed_items(user_id, now)  # mocks whose review is closed
    readers = _readers(user_id, active, now)
    answers = grouped_answers(readers, blueprints, now, **summing(now), hidden=hidden)
    me = _person(user_id)
    found = []
    for scheme in active:
        current = tr.forecast_now(answers, scheme)
        mine = current[current["learner_id"] == user_id]
        practised = len(mine) > 0 and int(mine["answers"].iloc[0]) > 0
        if not practised and scheme.code not in targeted:
            continue
        found.append(
            _scheme_progress(me, answers, scheme, current, heatmaps[scheme.code], targeted)
        )
    return LearnerProgress(now, found, goal_progress(user_id, now), hidden is not None)


def _scheme_progress(
    me: pd.DataFrame,
    answers: Answers,
    scheme: Scheme,
    current: pd.DataFrame,
    clauses: list[str],
    targeted: set[str],
) -> SchemeProgress:
    """One scheme's part of the page, from the model run `current` (`forecast_now`)."""
    user_id = int(me["learner_id"].iloc[0])
    trend = tr.weekly_trend(answers, scheme, current=current)
    row = tr.scheme_table(me, answers, scheme, current=current, trend=trend).iloc[0].to_dict()
    mine = current[current["learner_id"] == user_id]
    model = mine.iloc[0].to_dict() if len(mine) else {}
    mastery = tr.clause_mastery(answers, scheme, clauses)
    mastery = mastery[mastery["learner_id"] == user_id]
    earlier = tr.clause_mastery(answers, scheme, clauses, weeks_back=tr.TREND_WEEKS)
    earlier = earlier[earlier["learner_id"] == user_id]
    own = trend[trend["learner_id"] == user_id].set_index("week_end")["p_pass"]
    return SchemeProgress(
        scheme=scheme,
        row=row,
        targeted=scheme.code in targeted,
        gaps=_gaps(scheme, row, model.get("needed") or {}),
        sections=_sections(scheme, model),
        clauses=_clauses(scheme, mastery, earlier),
        trend=[(moment, _number(own.get(pd.Timestamp(moment)))) for moment in _weeks(answers)],
    )


def _readers(user_id: int, schemes: Sequence[Scheme], now: datetime) -> list[int]:
    """Whose answers the model reads: the learner's alone when every scheme has the
    platform's population, else the learner and the members of their teams."""
    fits = calibrations(now)
    if all(fits.get(s.code) and fits[s.code].population is not None for s in schemes):
        return [user_id]
    teams = select(TeamMembership.team_id).where(
        TeamMembership.user_id == user_id, TeamMembership.role == "member"
    )
    mates = select(TeamMembership.user_id).where(
        TeamMembership.team_id.in_(teams), TeamMembership.role == "member"
    )
    return sorted({user_id, *db.session.scalars(mates)})


def _person(user_id: int) -> pd.DataFrame:
    """The learner as a one-row `people` frame of `scheme_table`."""
    user = db.session.get(User, user_id)
    name, email = (user.display_name, user.email) if user is not None else ("", "")
    return pd.DataFrame([(user_id, name, email)], columns=["learner_id", "name", "email"])


def targeted_schemes(user_id: int) -> set[str]:
    """Codes of the schemes that a target of one of the learner's teams names them for:
    targets that name no one count for every member."""
    named = select(TeamTargetMember.target_id).where(TeamTargetMember.user_id == user_id)
    anyone = select(TeamTargetMember.target_id).where(TeamTargetMember.target_id == TeamTarget.id)
    stmt = (
        select(Scheme.code)
        .join(TeamTarget, TeamTarget.scheme_id == Scheme.id)
        .join(TeamMembership, TeamMembership.team_id == TeamTarget.team_id)
        .where(TeamMembership.user_id == user_id, TeamMembership.role == "member")
        .where(or_(TeamTarget.id.in_(named), ~anyone.exists()))
    )
    return set(db.session.scalars(stmt))


def _gaps(scheme: Scheme, row: dict[str, Any], needed: dict[str, int]) -> list[Gap]:
    """The missing evidence, one message each, with a practice set that would supply it."""
    if row["status"] != "insufficient":
        return []
    if not needed:  # no answers at all: the model's "no answers yet"
        return [Gap(m, _practice(scheme, (), PRACTICE_SIZE)) for m in row["missing"]]
    clauses = {s.id: s.clauses for s in scheme.exam_blueprint.sections}
    gaps = []
    for message, (section_id, count) in zip(row["missing"], needed.items(), strict=True):
        chosen = () if section_id == OVERALL else tuple(clauses[section_id])
        gaps.append(Gap(message, _practice(scheme, chosen, max(count, PRACTICE_SIZE))))
    return gaps


def _practice(scheme: Scheme, clauses: tuple[str, ...], wanted: int) -> Practice | None:
    """A practice set on `clauses` of at most `wanted` questions, as many as the bank holds."""
    supply = practice_set_supply(bank_queries.published_pool()[0], clauses, tr.levels_of(scheme))
    return Practice(scheme.code, clauses, min(wanted, supply, MOST)) if supply else None


def _sections(scheme: Scheme, model: dict[str, Any]) -> list[SectionMastery]:
    """The blueprint's sections, weakest first (none without a model row)."""
    if not model:
        return []
    found = [
        SectionMastery(
            s.id, s.title, float(model[f"mastery_{s.id}"]), float(model[f"evidence_{s.id}"])
        )
        for s in sections_of(scheme.exam_blueprint)
    ]
    return sorted(found, key=lambda s: (s.mastery, s.title))


def _clauses(scheme: Scheme, mastery: pd.DataFrame, earlier: pd.DataFrame) -> list[ClauseMastery]:
    """The clauses with at least one effective answer, weakest first, each with its
    mastery TREND_WEEKS ago where it had an effective answer by then."""
    seen = mastery[mastery["evidence"] >= 1.0].sort_values(["mastery", "clause"])
    then = earlier[earlier["evidence"] >= 1.0].set_index("clause")["mastery"]
    titles = bank_queries.clause_titles("2018")
    return [
        ClauseMastery(
            str(r.clause),
            titles.get(str(r.clause), ""),
            float(r.mastery),
            float(r.evidence),
            _practice(scheme, (str(r.clause),), PRACTICE_SIZE),
            _number(then.get(r.clause)),
        )
        for r in seen.itertuples(index=False)
    ]


def _weeks(answers: Answers) -> list[pd.Timestamp]:
    """The trend's week ends, oldest first, as the trend table stamps them."""
    return [pd.Timestamp(m).tz_convert("UTC") for m in tr.week_ends(answers.now)]


def _number(value: Any) -> float | None:
    """A float, or None for a missing value."""
    return None if value is None or pd.isna(value) else float(value)
