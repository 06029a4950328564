"""The organization's readiness: every team and scheme at once (the admins' page).

Every member of the chosen teams is read from their kept readiness results
(`team_readiness.scheme_forecasts`); for those whose results are stale, one
`grouped_answers` query sums their answers and each scheme runs the readiness model once
for all of them (`forecast_now` and `weekly_trend`): never once per team. Statuses are
the team dashboard's (`team_readiness.scheme_table`), so a team's counts here match its
own page.

- Per team and scheme (`OrganizationReport.teams`): members, members per status, the
  quartiles of p_pass over members with a forecast, the share ready (of all members)
  and the change of the mean p_pass over four weeks (as the dashboard's trend has it).
- Per scheme, over the people of the chosen teams (`SchemeSummary`): counts per status,
  a histogram of p_pass in ten bins, the people without a forecast, and the share ready
  at each of the last eight week ends. A learner in several teams counts in each team
  and once here.

Learners in no team, and managers, are not on the page. Access checks are the caller's.

A report is kept per process for up to TTL_SECONDS under its filters and a fingerprint
of the data (the latest answer and mark, the team memberships, the calibration), so the
page, a reload and its exports share one computation; an answer, a mark or a change of
team starts a fresh one. Within that time the recency weights are those of the first
computation. Kept reports are shared: callers read them and never change them.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from cachetools import TTLCache, cached
from sqlalchemy import func, select

from app.analytics import team_readiness as tr
from app.analytics.calibration import calibrations
from app.analytics.overview import schemes as active_schemes
from app.analytics.wordings import wording_column
from app.extensions import db
from app.models import Response, Scheme, Team, TeamMembership, User

TTL_SECONDS = 600
_KEPT: TTLCache[Hashable, OrganizationReport] = TTLCache(maxsize=16, ttl=TTL_SECONDS)
_LOCK = threading.Lock()
BINS = 10
EDGES = np.linspace(0.0, 1.0, BINS + 1)
TEAM_COLUMNS = [
    "team_id",
    "team",
    "scheme",
    "scheme_title",
    "members",
    *tr.STATUSES,
    "forecast",
    "p_pass_q1",
    "p_pass_median",
    "p_pass_q3",
    "share_ready",
    "change",
]


@dataclass(frozen=True)
class SchemeRef:
    """A scheme as a kept report names it (no database row outlives its session)."""

    code: str
    title: str  # a Wording: shown in the reader's language


@dataclass(frozen=True)
class SchemeSummary:
    """The chosen teams' people (each once) for one scheme."""

    scheme: SchemeRef
    people: int
    counts: dict[str, int]  # per status (`tr.STATUSES`)
    histogram: list[int]  # forecast people per p_pass bin: [0, 0.1), …, [0.9, 1]
    trend: pd.DataFrame  # week_end, members, with_forecast, mean_p_pass, ready, share_ready

    @property
    def share_ready(self) -> float:
        """Ready people over all people (NaN with nobody)."""
        return self.counts["ready"] / self.people if self.people else float("nan")


@dataclass
class OrganizationReport:
    """What the organization page shows and exports."""

    now: datetime
    schemes: list[SchemeSummary]
    teams: pd.DataFrame  # TEAM_COLUMNS, worst first (`worst_first`)
    all_teams: list[tuple[int, str]]  # every team with members, for the filter
    empty_teams: int  # teams without members, left out


def forecast_schemes() -> list[Scheme]:
    """Active schemes whose blueprint the model can forecast, in level order."""
    return [s for s in active_schemes() if s.exam_blueprint.sections and s.exam_blueprint.pass_mark]


def team_names() -> tuple[list[tuple[int, str]], int]:
    """(id, name) of every team with members, by name; and how many teams have none."""
    members = func.count(TeamMembership.id).filter(TeamMembership.role == "member")
    stmt = (
        select(Team.id, Team.name, members)
        .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
        .group_by(Team.id)
        .order_by(Team.name, Team.id)
    )
    rows = db.session.execute(stmt).all()
    return [(i, n) for i, n, m in rows if m], sum(1 for *_rest, m in rows if not m)


def memberships(team_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """team_id, team, learner_id, name, email: one row per member of each (chosen) team."""
    stmt = (
        select(Team.id, Team.name, User.id, User.display_name, User.email)
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.role == "member")
    )
    if team_ids is not None:
        stmt = stmt.where(Team.id.in_(list(team_ids)))
    columns = ["team_id", "team", "learner_id", "name", "email"]
    return pd.DataFrame(db.session.execute(stmt).all(), columns=columns)


def organization_report(
    now: datetime,
    scheme_code: str | None = None,
    team_ids: Sequence[int] | None = None,
    status: str | None = None,
    search: str | None = None,
) -> OrganizationReport:
    """Readiness of every (chosen) team for every (or the chosen) scheme (module docstring).

    The teams are those of `team_ids` (all when None) whose name holds `search` (any case).
    `status` keeps the team rows with at least one member in that status; the per-scheme
    summaries stay those of all the chosen teams' people.
    """
    chosen = None if team_ids is None else tuple(sorted(set(team_ids)))
    key = (*_fingerprint(now), scheme_code, chosen, search)
    report = _report_at(key, now, scheme_code, chosen, search)
    if status not in tr.STATUSES:
        return report
    assert status is not None
    teams = report.teams[report.teams[status] > 0].reset_index(drop=True)
    return replace(report, teams=teams)


def _fingerprint(now: datetime) -> tuple[Hashable, ...]:
    """What a kept report depends on besides its filters (module docstring)."""
    answers = db.session.execute(select(func.max(Response.id), func.max(Response.graded_at))).one()
    links = db.session.execute(
        select(func.count(TeamMembership.id), func.max(TeamMembership.id))
    ).one()
    names = db.session.execute(select(func.count(Team.id), func.max(Team.id))).one()
    fits = tuple(sorted(calibrations(now).items()))
    return (str(db.engine.url), *answers, *links, *names, fits)


@cached(_KEPT, key=lambda fingerprint, *rest: fingerprint, lock=_LOCK)
def _report_at(
    fingerprint: Hashable,
    now: datetime,
    scheme_code: str | None,
    team_ids: Sequence[int] | None,
    search: str | None,
) -> OrganizationReport:
    schemes = [s for s in forecast_schemes() if scheme_code in (None, s.code)]
    everyone, empty = team_names()
    if search:
        found = [i for i, name in everyone if search.casefold() in name.casefold()]
        team_ids = [i for i in found if team_ids is None or i in team_ids]
    links = memberships(team_ids)
    people = links.drop_duplicates("learner_id")[["learner_id", "name", "email"]]
    summaries, rows = [], []
    if len(people) and schemes:
        ids = people["learner_id"].tolist()
        forecasts = tr.scheme_forecasts(ids, schemes, now, details=False)
        for scheme in schemes:
            summary, table = _scheme(scheme, people, forecasts[scheme.code], links)
            summaries.append(summary)
            rows.append(table)
    else:
        summaries = [_nobody(scheme, now) for scheme in schemes]
    teams = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=TEAM_COLUMNS)
    return OrganizationReport(now, summaries, worst_first(teams), everyone, empty)


def forget() -> None:
    """Drop every kept report (after the data was replaced wholesale, as tests do)."""
    with _LOCK:
        _KEPT.clear()


def _scheme(
    scheme: Scheme, people: pd.DataFrame, forecasts: tr.Forecasts, links: pd.DataFrame
) -> tuple[SchemeSummary, pd.DataFrame]:
    """The summary of one scheme and its rows of the team table, from everyone's forecasts
    now and at the earlier week ends (kept, or one model run per point)."""
    current, trend = forecasts.current, forecasts.trend
    table = tr.scheme_table(people, None, scheme, current=current, trend=trend)
    then = pd.Timestamp(forecasts.moment(tr.TREND_WEEKS)).tz_convert("UTC")
    earlier = trend.loc[trend["week_end"] == then, ["learner_id", "p_pass"]]
    organization = _every_week(
        tr.team_trend(trend, people["learner_id"]), forecasts.now, len(people)
    )
    forecast = table["p_pass"].dropna().clip(0.0, 1.0)
    summary = SchemeSummary(
        scheme=SchemeRef(scheme.code, scheme.wording()),
        people=len(table),
        counts={s: int((table["status"] == s).sum()) for s in tr.STATUSES},
        histogram=np.histogram(forecast, bins=EDGES)[0].astype(int).tolist(),
        trend=organization,
    )
    return summary, team_rows(scheme, links, table, earlier.rename(columns={"p_pass": "then"}))


def team_rows(
    scheme: Scheme, links: pd.DataFrame, table: pd.DataFrame, earlier: pd.DataFrame
) -> pd.DataFrame:
    """TEAM_COLUMNS for one scheme from its member table (`scheme_table`) and the p_pass
    four weeks ago (learner_id, then)."""
    merged = links.merge(table[["learner_id", "status", "p_pass"]], on="learner_id")
    merged = merged.merge(earlier, on="learner_id", how="left")
    grouped = merged.groupby(["team_id", "team"], sort=False)
    counts = pd.crosstab([merged["team_id"], merged["team"]], merged["status"])
    counts = counts.reindex(columns=list(tr.STATUSES), fill_value=0)
    quartiles = grouped["p_pass"].quantile([0.25, 0.5, 0.75]).unstack()
    rows = pd.DataFrame(
        {
            "members": grouped.size(),
            **{s: counts[s] for s in tr.STATUSES},
            "forecast": grouped["p_pass"].count(),
            "p_pass_q1": quartiles.get(0.25),
            "p_pass_median": quartiles.get(0.5),
            "p_pass_q3": quartiles.get(0.75),
            "change": grouped["p_pass"].mean() - grouped["then"].mean(),
        }
    ).reset_index()
    rows["share_ready"] = rows["ready"] / rows["members"]
    rows.insert(2, "scheme", scheme.code)
    rows.insert(3, "scheme_title", wording_column([scheme.wording()] * len(rows), rows.index))
    figures = ["p_pass_q1", "p_pass_median", "p_pass_q3", "share_ready", "change"]
    rows[figures] = rows[figures].astype(float).round(4)
    return rows[TEAM_COLUMNS]


def worst_first(teams: pd.DataFrame) -> pd.DataFrame:
    """Rows with a forecast first, lowest share ready then lowest median first; rows where
    nobody has a forecast last (by team)."""
    if teams.empty:
        return teams.reset_index(drop=True)
    key = teams.assign(_blind=teams["forecast"] == 0)
    key = key.sort_values(
        ["_blind", "share_ready", "p_pass_median", "team", "scheme"], na_position="last"
    )
    return key.drop(columns=["_blind"]).reset_index(drop=True)


def _every_week(trend: pd.DataFrame, now: datetime, people: int) -> pd.DataFrame:
    """`team_trend` with a row for every week end (none before anyone answered) and the
    share ready of all `people` (NaN with nobody)."""
    weeks = pd.Index([pd.Timestamp(w).tz_convert("UTC") for w in tr.week_ends(now)])
    full = trend.set_index("week_end").reindex(weeks)
    full.index.name = "week_end"
    full["members"] = people
    full[["with_forecast", "ready"]] = full[["with_forecast", "ready"]].fillna(0).astype(int)
    full["share_ready"] = full["ready"] / people if people else np.nan
    return full.reset_index()


def _nobody(scheme: Scheme, now: datetime) -> SchemeSummary:
    """The summary of a scheme when the chosen teams have nobody in them."""
    columns = ["week_end", "members", "with_forecast", "mean_p_pass", "ready"]
    trend = _every_week(pd.DataFrame(columns=columns), now, 0)
    ref = SchemeRef(scheme.code, scheme.wording())
    return SchemeSummary(ref, 0, dict.fromkeys(tr.STATUSES, 0), [0] * BINS, trend)


def histogram_table(report: OrganizationReport) -> pd.DataFrame:
    """The histograms as one long table: scheme, forecast (True for a p_pass bin, False for
    the row of people without a forecast), p_pass_from, p_pass_to (the bin; the last one
    holds 1), learners."""
    rows: list[dict[str, Any]] = []
    for summary in report.schemes:
        code = summary.scheme.code
        for k, count in enumerate(summary.histogram):
            rows.append(
                {
                    "scheme": code,
                    "forecast": True,
                    "p_pass_from": round(float(EDGES[k]), 2),
                    "p_pass_to": round(float(EDGES[k + 1]), 2),
                    "learners": count,
                }
            )
        rows.append(
            {
                "scheme": code,
                "forecast": False,
                "p_pass_from": None,
                "p_pass_to": None,
                "learners": summary.counts["insufficient"],
            }
        )
    columns = ["scheme", "forecast", "p_pass_from", "p_pass_to", "learners"]
    return pd.DataFrame(rows, columns=columns)
