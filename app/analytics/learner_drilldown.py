"""One team member's readiness as a manager drills into it: forecasts, trend, mastery, activity.

Access checks are the caller's: these functions read whatever ids they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from app.analytics import drills as drill_views
from app.analytics import overview
from app.analytics import team_readiness as tr
from app.analytics.answers import grouped_answers
from app.analytics.calibration import summing
from app.analytics.readiness import sections_of
from app.domain.blueprint import Blueprint
from app.models import Attempt, Scheme
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries

RECENT_ATTEMPTS = 25


@dataclass
class LearnerDrilldown:
    """What the manager's learner page shows of one member."""

    schemes: list[Scheme]
    forecasts: list[tuple[Scheme, dict[str, Any]]]  # per active scheme: its member-table row
    trend: pd.DataFrame  # week_end, learner_id, p_pass for the chosen scheme
    mastery: list[dict[str, Any]]  # the member's rows of the clause-mastery heatmap
    titles: dict[str, str]
    attempts: list[Attempt]
    drills: list[drill_views.Drill]


def learner_drilldown(
    team_id: int, user_id: int, scheme: Scheme, now: datetime
) -> LearnerDrilldown:
    """A member's forecast per active scheme, and trend and clause mastery for `scheme`."""
    clauses = tr.heatmap_clauses(scheme)
    options = overview.schemes()
    blueprints: list[Scheme | Blueprint] = [*options, tr.heatmap_blueprint(scheme, clauses)]
    # The team's answers, not the member's alone: the team is the prior's population.
    answers = grouped_answers(tr.member_ids(team_id), blueprints, now, **summing(now))
    people = tr.members(team_id)
    me = people[people["learner_id"] == user_id]
    done = tr.activity([user_id])
    forecasts = []
    for option in options:
        row = tr.scheme_table(me, answers, option, done).iloc[0].to_dict()
        row["sections"] = [
            (s.title, row.get(f"mastery_{s.id}")) for s in sections_of(option.exam_blueprint)
        ]
        forecasts.append((option, row))
    trend = tr.weekly_trend(answers, scheme)
    mastery = tr.clause_mastery(answers, scheme, clauses)
    return LearnerDrilldown(
        schemes=options,
        forecasts=forecasts,
        trend=trend[trend["learner_id"] == user_id],
        mastery=mastery[mastery["learner_id"] == user_id].to_dict("records"),
        titles=bank_queries.clause_titles("2018"),
        attempts=attempt_views.history_rows(user_id)[:RECENT_ATTEMPTS],
        drills=drill_views.learner_drills(user_id, team_id),
    )
