"""A team's readiness as plain tables: dashboard exports, the evidence pack, CLI and API."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select

from app.analytics import drills as drill_views
from app.analytics import evidence as evidence_views
from app.analytics import overview
from app.analytics import team_readiness as tr
from app.analytics.wordings import wording_column
from app.extensions import db
from app.models import Attempt, Scheme, Team, TeamMembership, TeamTarget, User


def dashboard_tables(team_id: int, scheme: Scheme, now: datetime) -> dict[str, pd.DataFrame]:
    """Every table of the dashboard, as exported (names are the download names)."""
    report = tr.team_report(team_id, scheme, now)
    members = report.table.drop(columns=["learner_id"])
    targets = pd.DataFrame([t.to_dict() for t in report.targets])
    if not targets.empty:
        targets["scheme_title"] = wording_column([t.scheme_title for t in report.targets])
    heat = report.mastery.merge(report.people, on="learner_id")
    heatmap = heat.pivot_table(index="name", columns="clause", values="mastery", sort=False)
    heatmap = heatmap.where(
        heat.pivot_table(index="name", columns="clause", values="evidence") >= 1
    )
    heatmap = heatmap[[c for c in report.clauses if c in heatmap.columns]].reset_index()
    trend = report.trend.merge(report.people, on="learner_id")
    trend = trend.pivot_table(index="name", columns="week_end", values="p_pass", sort=False)
    trend.columns = [c.strftime("%Y-%m-%d") for c in trend.columns]
    team_drills = drill_views.team_drills(team_id, report.people["learner_id"].tolist())
    drills = pd.DataFrame(
        [
            {
                "clause": d.clause,
                "title": d.clause_title,
                "scheme": d.scheme_title,
                "questions": d.questions,
                "note": d.note,
                "assigned_at": d.created_at,
                "due_at": d.due_at,
                "done": d.done_count,
                "members": d.members,
            }
            for d in team_drills
        ]
    )
    if team_drills:
        drills["scheme"] = wording_column([d.scheme_title for d in team_drills])
    return {
        "members": members,
        "targets": targets,
        "heatmap": heatmap,
        "weakest": report.weakest,
        "trend": report.team_trend,
        "learner-trend": trend.reset_index(),
        "drills": drills,
    }


def evidence_tables(team_id: int, now: datetime) -> dict[str, pd.DataFrame]:
    """The competence evidence pack: per member and scheme, and every mock exam."""
    attempts = evidence_views.mock_attempts(tr.member_ids(team_id))
    required = {s.code for s in tr.target_schemes(team_id)}
    sat = set(attempts["scheme"]) | required
    schemes = [s for s in overview.schemes() if s.code in sat]
    people, _answers, tables, _forecasts = tr.member_tables(team_id, schemes, now)
    named = attempts.merge(people, on="learner_id").drop(columns=["learner_id"])
    first = ["reference", "name", "email"]
    named = named[first + [c for c in named.columns if c not in first]]
    return {
        "competence": evidence_views.competence(people, attempts, tables, required),
        "mock exams": named,
    }


def scheme_tables(
    team_id: int, schemes: list[Scheme], now: datetime
) -> tuple[dict[str, pd.DataFrame], list[tr.TargetProgress]]:
    """Member tables of `schemes` (and of the schemes the targets name), and the targets."""
    wanted = {s.code: s for s in tr.target_schemes(team_id)} | {s.code: s for s in schemes}
    _people, _answers, tables, _forecasts = tr.member_tables(team_id, list(wanted.values()), now)
    return tables, tr.target_progress(team_id, tables)


def readiness_document(
    team: Team,
    schemes: list[Scheme],
    now: datetime,
    words: Callable[[pd.DataFrame], pd.DataFrame],
) -> dict[str, Any]:
    """JSON-ready readiness of a team: per scheme, its targets and one row per member.

    `words` turns a member table's messages into sentences (`app.messages.render_cells`).
    """
    tables, targets = scheme_tables(team.id, schemes, now)
    return {
        "team": {"id": team.id, "name": team.name},
        "generated_at": now.isoformat(),
        "thresholds": {"ready": tr.READY_AT, "on_track": tr.ON_TRACK_AT, "rising": tr.RISING},
        "schemes": {
            s.code: {
                "title": s.title,
                "targets": [t.to_dict() for t in targets if t.scheme_code == s.code],
                "members": json.loads(
                    words(tables[s.code]).to_json(
                        orient="records", date_format="iso", date_unit="s"
                    )
                ),
            }
            for s in schemes
        },
    }


@dataclass(frozen=True)
class SchemeGlance:
    """How a team's members stand for one scheme: members per status (`tr.STATUSES`)."""

    scheme: Scheme
    counts: dict[str, int]
    targeted: bool

    @property
    def members(self) -> int:
        """Members counted (every member of the team)."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class TeamGlance:
    """A team as the manager's home page shows it: people, and readiness per scheme."""

    team: overview.TeamSummary
    schemes: list[SchemeGlance]


def _schemes_in_play(team_ids: list[int]) -> tuple[dict[int, set[int]], set[tuple[int, int]]]:
    """Per team, ids of the schemes its targets name or its members have sat attempts of;
    and the (team id, scheme id) pairs that a target names."""
    targets = select(TeamTarget.team_id, TeamTarget.scheme_id).where(
        TeamTarget.team_id.in_(team_ids)
    )
    targeted = {(team_id, scheme_id) for team_id, scheme_id in db.session.execute(targets)}
    sat = (
        select(TeamMembership.team_id, Attempt.scheme_id)
        .join(Attempt, Attempt.user_id == TeamMembership.user_id)
        .where(TeamMembership.team_id.in_(team_ids), TeamMembership.role == "member")
        .distinct()
    )
    found: dict[int, set[int]] = {team_id: set() for team_id in team_ids}
    for team_id, scheme_id in [*targeted, *db.session.execute(sat)]:
        if scheme_id is not None:
            found[team_id].add(scheme_id)
    return found, targeted


def readiness_glance(user: User, now: datetime) -> list[TeamGlance]:
    """The teams `user` manages, each with its members' readiness statuses per scheme.

    The schemes of a team are those its targets name, and those its members have sat
    where at least one member has a forecast (by level order); the statuses are the team
    dashboard's (`team_readiness.scheme_table`), so the counts match what the team's page
    shows. One answer query per team, and one readiness run (now and four weeks ago) per
    team and scheme.
    """
    summaries = overview.managed_teams(user)
    active = overview.schemes()
    in_play, targeted = _schemes_in_play([t.id for t in summaries])
    glances = []
    for summary in summaries:
        schemes = [s for s in active if s.id in in_play[summary.id]]
        tables = (
            tr.member_tables(summary.id, schemes, now)[2] if summary.members and schemes else {}
        )
        rows = [
            SchemeGlance(
                scheme,
                {s: int((tables[scheme.code]["status"] == s).sum()) for s in tr.STATUSES},
                (summary.id, scheme.id) in targeted,
            )
            for scheme in schemes
            if scheme.code in tables
        ]
        shown = [g for g in rows if g.targeted or g.counts["insufficient"] < g.members]
        glances.append(TeamGlance(summary, shown))
    return glances
