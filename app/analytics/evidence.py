"""Competence evidence (ISO/IEC 20000-1 clause 7.2) from mock exams and readiness.

Clause 7.2 asks an organization to know the competence its people need, to make sure
they have it, and to keep documented information as evidence. For a team, the pack
lists every closed mock exam with a reference an auditor can trace (`CW-A000123` is
attempt 123), and per member and scheme: when they first passed, their best and latest
scores, and today's pass probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, select

from app.analytics.overview import level_order
from app.analytics.wordings import wording_column
from app.domain.wording import wording
from app.extensions import db
from app.models import Attempt, AttemptMode, AttemptStatus, Scheme


def reference(attempt_id: int) -> str:
    """The printed reference of an attempt."""
    return f"CW-A{attempt_id:06d}"


def mock_attempts(learners: Select[*tuple[Any, ...]] | Sequence[int]) -> pd.DataFrame:
    """Closed mock exams of the learners, oldest first.

    Columns: reference, attempt_id, learner_id, scheme, scheme_title, level, started_at,
    submitted_at, minutes, score (fraction of the marks), pass_mark, passed, status.
    """
    stmt = (
        select(
            Attempt.id,
            Attempt.user_id,
            Scheme.code,
            Scheme.title,
            Scheme.translations,
            Scheme.level,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.score,
            Attempt.max_score,
            Scheme.pass_mark,
            Attempt.passed,
            Attempt.status,
        )
        .join(Scheme, Scheme.id == Attempt.scheme_id)
        .where(
            Attempt.user_id.in_(learners),
            Attempt.mode == AttemptMode.MOCK,
            Attempt.status.in_(AttemptStatus.closed()),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    columns = ["attempt_id", "learner_id", "scheme", "scheme_title", "translations", "level"]
    columns += ["started_at", "submitted_at", "marks", "max_marks", "pass_mark", "passed", "status"]
    table = pd.DataFrame(db.session.execute(stmt).all(), columns=columns)
    table["scheme_title"] = wording_column(
        (
            wording(title, translations)
            for title, translations in zip(
                table["scheme_title"], table["translations"], strict=True
            )
        ),
        table.index,
    )
    for name in ("started_at", "submitted_at"):
        table[name] = pd.to_datetime(table[name], utc=True)
    table.insert(0, "reference", [reference(i) for i in table["attempt_id"]])
    spent = (table["submitted_at"] - table["started_at"]).dt.total_seconds() / 60
    table["minutes"] = spent.round(0)
    marks = table["max_marks"].astype(float).replace(0, np.nan)
    table["score"] = (table["marks"].astype(float) / marks).round(4)
    table["passed"] = table["passed"].astype("boolean")
    keep = ["reference", "attempt_id", "learner_id", "scheme", "scheme_title", "level"]
    keep += ["started_at", "submitted_at", "minutes", "score", "pass_mark", "passed", "status"]
    return table[keep]


def competence(
    people: pd.DataFrame,
    attempts: pd.DataFrame,
    readiness_tables: dict[str, pd.DataFrame],
    required: set[str],
) -> pd.DataFrame:
    """One row per member and scheme they sat or are required to reach: the 7.2 evidence.

    `people`: learner_id, name, email. `attempts`: from `mock_attempts`. `readiness_tables`:
    scheme code → member table (status, p_pass) from team_readiness.scheme_table.
    `required`: scheme codes the team's targets name (listed even before a first mock).
    """
    codes = set(attempts["scheme"]) | set(readiness_tables) | required
    schemes = {s.code: s for s in db.session.scalars(select(Scheme).where(Scheme.code.in_(codes)))}
    order = sorted(schemes.values(), key=level_order)
    rows = []
    for person in people.itertuples(index=False):
        mine = attempts[attempts["learner_id"] == person.learner_id]
        for scheme in order:
            code = scheme.code
            sat = mine[mine["scheme"] == code]
            table = readiness_tables.get(code)
            if sat.empty and code not in required:
                continue
            passed = sat[sat["passed"].fillna(False)]
            first = passed.iloc[0] if len(passed) else None
            latest = sat.iloc[-1] if len(sat) else None
            now_row = table[table["learner_id"] == person.learner_id] if table is not None else None
            rows.append(
                {
                    "name": person.name,
                    "email": person.email,
                    "scheme": scheme.wording("title"),
                    "level": scheme.level,
                    "competence": "demonstrated" if first is not None else "not yet",
                    "first_passed_on": first["submitted_at"] if first is not None else pd.NaT,
                    "first_pass_reference": first["reference"] if first is not None else "",
                    "first_pass_score": first["score"] if first is not None else np.nan,
                    "best_score": sat["score"].max() if len(sat) else np.nan,
                    "mock_exams": len(sat),
                    "latest_on": latest["submitted_at"] if latest is not None else pd.NaT,
                    "latest_reference": latest["reference"] if latest is not None else "",
                    "latest_score": latest["score"] if latest is not None else np.nan,
                    "pass_mark": scheme.pass_mark,
                    "readiness_now": _first(now_row, "p_pass"),
                    "readiness_status": _first(now_row, "status") or "",
                }
            )
    table = pd.DataFrame(rows)
    if "scheme" in table:
        table["scheme"] = wording_column([row["scheme"] for row in rows], table.index)
    for name in ("first_passed_on", "latest_on"):
        if name in table:
            table[name] = pd.to_datetime(table[name], utc=True)
    return table


def _first(table: pd.DataFrame | None, column: str) -> Any:
    """The first value of a column, or None for a missing or empty table."""
    if table is None or table.empty:
        return None
    value = table[column].iloc[0]
    return None if pd.isna(value) else value
