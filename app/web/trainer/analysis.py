"""Trainer pages for item analysis: which questions work, per bank or scheme and period."""

from __future__ import annotations

import math
from datetime import timedelta

import pandas as pd
from flask import abort, render_template, request
from flask_babel import gettext as _

from app.analytics import item_report, overview
from app.formats.sheet_model import neutralise
from app.formats.tables import table_bytes, xlsx_bytes
from app.localized import localized
from app.messages import render
from app.models import Role
from app.models.base import utcnow
from app.security import role_required
from app.services import authoring
from app.web.exports import attachment
from app.web.ids import optional_id, parse_id
from app.web.trainer.routes import MIME, bp

PERIODS = {"all": None, "30": 30, "90": 90, "365": 365}
COLUMNS = [
    ("attempts", "Attempts"),
    ("facility", "Facility"),
    ("sd", "SD"),
    ("random_guess", "Guess"),
    ("intended_weight", "Intended weight"),
    ("effective_weight", "Effective weight"),
    ("discrimination", "Discrimination"),
    ("discriminative_efficiency", "Efficiency"),
]


def _scope() -> tuple[item_report.Scope, str, str]:
    """The scope from the query string, its title, and the period key."""
    period = request.args.get("period", "all")
    if period not in PERIODS:
        period = "all"
    days = PERIODS[period]
    since = utcnow() - timedelta(days=days) if days else None
    chosen = request.args.get("scope", "")  # "s:<scheme code>" or "b:<bank id>" from the form
    scheme_code = chosen[2:] if chosen.startswith("s:") else request.args.get("scheme")
    if not chosen and "scheme" not in request.args and "bank" not in request.args:
        # Nothing chosen (the bare address): the first scheme's mock exams.
        scheme_code = next((s.code for s in overview.schemes()), None)
    if scheme_code:
        scheme = next((s for s in overview.schemes() if s.code == scheme_code), None)
        if scheme is None:
            abort(404)
        scope = item_report.Scope(scheme_id=scheme.id, since=since)
        return scope, localized(scheme, "title"), period
    if chosen.startswith("b:"):
        bank_id: int | None = parse_id(chosen[2:], "scope")
    else:
        bank_id = optional_id(request.args, "bank")
    if bank_id is None:
        abort(404)
    return (
        item_report.Scope(bank_id=bank_id, since=since),
        authoring.get_bank(bank_id).title,
        period,
    )


@bp.get("/analysis")
@role_required(Role.TRAINER, Role.ADMIN)
def analysis():
    """Trainers: item statistics with flags, charts and exports."""
    scope, title, period = _scope()
    report = item_report.item_report(scope)
    return render_template(
        "trainer/analysis.html",
        report=report,
        # "Flagged items only" leaves out the items without flags; the thin ones stay folded.
        judged=[] if request.args.get("flagged") else report.judged,
        title=title,
        period=period,
        columns=COLUMNS,
        schemes=overview.schemes(),
        banks=overview.bank_summaries(),
        args=_args(scope),
        isnan=math.isnan,
        min_attempts=item_report.MIN_ATTEMPTS,
    )


def _args(scope: item_report.Scope) -> dict[str, str]:
    """The query string that names the scope plainly (for exports and the form)."""
    args = {k: v for k, v in request.args.items() if k in ("period", "flagged")}
    if scope.scheme_id is not None:
        args["scheme"] = next(s.code for s in overview.schemes() if s.id == scope.scheme_id)
    else:
        args["bank"] = str(scope.bank_id)
    return args


def _table(report: item_report.ItemReport) -> pd.DataFrame:
    """The item table as exported: text cells neutralised against formula injection."""
    records = []
    for row in report.rows:
        record = {
            "question": neutralise(row.key),
            "version": row.version,
            "type": row.type,
            "title": neutralise(row.title),
        }
        record.update({label: row.figures.get(name) for name, label in COLUMNS})
        record["Attempts"] = int(row.figures["attempts"])  # a count, not a measure
        record["languages"] = neutralise(_by_language(row))
        record["flags"] = neutralise(render(row.flags))
        records.append(record)
    columns = ["question", "version", "type", "title"] + [c[1] for c in COLUMNS]
    columns += ["languages", "flags"]
    return pd.DataFrame(records, columns=columns)


def _by_language(row: item_report.ItemRow) -> str:
    """An item's figures per language for exports: `zh-Hans n=40 F=0.45 D=0.31; …`."""
    return "; ".join(
        f"{lang['language']} n={int(lang['n'])} F={lang['facility']:.2f} "
        f"D={'—' if math.isnan(lang['discrimination']) else format(lang['discrimination'], '.2f')}"
        for lang in row.languages
    )


@bp.get("/analysis/export.<kind>")
@role_required(Role.TRAINER, Role.ADMIN)
def analysis_export(kind: str):
    """Trainers: the item table as CSV or XLSX."""
    if kind not in ("csv", "xlsx"):
        abort(404)
    scope, _title, period = _scope()
    table = _table(item_report.item_report(scope))
    name = f"item-analysis-{period}.{kind}"
    if kind == "csv":  # with a byte order mark, so Excel reads it as UTF-8
        return attachment(table_bytes({"items": table}, "csv"), name, MIME["csv"])
    return attachment(xlsx_bytes({_("Items"): table}), name, MIME["xlsx"])
