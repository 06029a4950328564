"""The readiness backtest page for trainers and admins: how well the pass probability
predicted the mock exams learners then sat (a reliability diagram), and its export."""

from __future__ import annotations

import pandas as pd
from flask import abort, render_template, request

from app.analytics import backtest_report
from app.analytics.backtest import Backtest
from app.analytics.evidence import reference
from app.models import Role, Scheme
from app.models.base import utcnow
from app.security import role_required
from app.web.exports import download
from app.web.trainer.reliability_chart import reliability_chart
from app.web.trainer.routes import bp


def _chosen(schemes: list[Scheme]) -> Scheme | None:
    """The scheme named by ?scheme= (404 when unknown), else the first one."""
    wanted = request.args.get("scheme")
    if wanted is None:
        return schemes[0] if schemes else None
    chosen = next((s for s in schemes if s.code == wanted), None)
    if chosen is None:
        abort(404)
    return chosen


@bp.get("/readiness/backtest")
@role_required(Role.TRAINER, Role.ADMIN)
def readiness_backtest():
    """Trainers and admins: each mock exam predicted from the answers before it, as a
    reliability diagram with its sample sizes, Brier scores and counts."""
    schemes = backtest_report.backtest_schemes()
    scheme = _chosen(schemes)
    result = backtest_report.scheme_backtest(scheme, utcnow()) if scheme else None
    return render_template(
        "trainer/backtest.html",
        schemes=schemes,
        scheme=scheme,
        result=result,
        chart=reliability_chart(result.bands) if result else None,
    )


def _export_table(result: Backtest) -> pd.DataFrame:
    """The per-mock predictions as downloaded: one row per mock considered."""
    table = result.predictions
    return pd.DataFrame(
        {
            "reference": [reference(int(i)) for i in table["attempt_id"]],
            "attempt_id": table["attempt_id"],
            "learner_id": table["learner_id"],
            "started_at": table["started_at"],
            "status": table["status"],
            "p_pass": table["p_pass"].round(4),
            "passed": table["passed"],
            "previous_passed": table["previous_passed"],
            "answers_before": table["answers"],
        }
    )


@bp.get("/readiness/backtest/predictions.<fmt>")
@role_required(Role.TRAINER, Role.ADMIN)
def readiness_backtest_export(fmt: str):
    """Trainers and admins: the backtest's per-mock predictions as CSV, XLSX or JSON."""
    scheme = _chosen(backtest_report.backtest_schemes())
    if scheme is None:
        abort(404)
    result = backtest_report.scheme_backtest(scheme, utcnow())
    return download(
        {"predictions": _export_table(result)}, f"readiness-backtest-{scheme.code}", fmt
    )
