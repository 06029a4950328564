"""A team's readiness as plain tables: dashboard exports, the evidence pack, CLI and API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd

from app.analytics import drills as drill_views
from app.analytics import evidence as evidence_views
from app.analytics import overview
from app.analytics import team_readiness as tr
from app.models import Scheme, Team


def dashboard_tables(team_id: int, scheme: Scheme, now: datetime) -> dict[str, pd.DataFrame]:
    """Every table of the dashboard, as exported (names are the download names)."""
    report = tr.team_report(team_id, scheme, now)
    members = report.table.drop(columns=["learner_id"])
    targets = pd.DataFrame([t.to_dict() for t in report.targets])
    heat = report.mastery.merge(report.people, on="learner_id")
    heatmap = heat.pivot_table(index="name", columns="clause", values="mastery", sort=False)
    heatmap = heatmap.where(
        heat.pivot_table(index="name", columns="clause", values="evidence") >= 1
    )
    heatmap = heatmap[[c for c in report.clauses if c in heatmap.columns]].reset_index()
    trend = report.trend.merge(report.people, on="learner_id")
    trend = trend.pivot_table(index="name", columns="week_end", values="p_pass", sort=False)
    trend.columns = [c.strftime("%Y-%m-%d") for c in trend.columns]
    drills = pd.DataFrame(
        [
            {
                "clause": d.clause,
                "title": d.clause_title,
                "scheme": d.scheme_title,
                "questions": d.questions,
                "note": d.note,
                "assigned_at": d.created_at,
                "due_on": d.due_on,
                "done": d.done_count,
                "members": d.members,
            }
            for d in drill_views.team_drills(team_id, report.people["learner_id"].tolist())
        ]
    )
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
    people, _answers, tables = tr.member_tables(team_id, schemes, now)
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
    _people, _answers, tables = tr.member_tables(team_id, list(wanted.values()), now)
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
