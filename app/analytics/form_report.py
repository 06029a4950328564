"""Reliability per form for the item-analysis page: which attempts make a form, and when
a form has enough of them for an alpha (the maths: `app.analytics.reliability`).

A form is a scheme's closed attempts of one mode and one length (items drawn). A
scheme's mock exams follow one blueprint, so each length of them is a form judged from
MIN_FORM_ATTEMPTS attempts. Practice sets, drills and reviews are chosen by clause or by
the learner's history, one test only loosely: a length of them gets an alpha from
`min_attempts` attempts (the item threshold), and the thinner lengths of a scheme and
mode are pooled into one row that says why it has no alpha.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from app.analytics.reliability import form_reliability
from app.domain.messages import Message
from app.domain.wording import wording
from app.extensions import db
from app.models import AttemptMode, Scheme

MIN_FORM_ATTEMPTS = 10
FIGURES = ("alpha", "sem", "mean", "sd")
_MODES = [AttemptMode.MOCK, AttemptMode.PRACTICE, AttemptMode.DRILL, AttemptMode.REVIEW]

Form = tuple[int | None, str, int]  # scheme id, mode, items drawn


@dataclass(frozen=True)
class FormRow:
    """One form's reliability, or a scheme's thin lengths of one mode (`note` says why
    there is no alpha)."""

    scheme: str  # a Wording ("" without a scheme): the report is kept for every reader
    mode: AttemptMode
    attempts: int
    shortest: int
    longest: int
    figures: dict[str, float]
    note: Message | None = None


def form_rows(frame: pd.DataFrame, forms: dict[int, Form], min_attempts: int) -> list[FormRow]:
    """Rows for the page: mock forms, judged practice lengths, then the pooled thin ones."""
    table = form_reliability(frame, forms)
    titles: dict[int, str] = {
        i: wording(t, translations)
        for i, t, translations in db.session.execute(
            select(Scheme.id, Scheme.title, Scheme.translations)
        )
    }
    found: list[FormRow] = []
    thin: dict[tuple[int | None, str], list[tuple[int, int]]] = {}
    for (scheme_id, mode, length), row in zip(table.index, table.to_dict("records"), strict=True):
        mock = mode == AttemptMode.MOCK
        minimum = MIN_FORM_ATTEMPTS if mock else min_attempts
        if not mock and row["attempts"] < minimum:
            thin.setdefault((scheme_id, mode), []).append((row["attempts"], length))
            continue
        figures = {name: float(row[name]) for name in FIGURES}
        note = None
        if row["attempts"] < minimum:
            figures["alpha"] = figures["sem"] = float("nan")
            note = Message("reliability.too_few", {"attempts": row["attempts"], "minimum": minimum})
        title = titles.get(scheme_id or 0, "")
        found.append(
            FormRow(title, AttemptMode(mode), row["attempts"], length, length, figures, note)
        )
    for (scheme_id, mode), parts in thin.items():
        lengths = [length for _count, length in parts]
        found.append(
            FormRow(
                titles.get(scheme_id or 0, ""),
                AttemptMode(mode),
                sum(count for count, _length in parts),
                min(lengths),
                max(lengths),
                dict.fromkeys(FIGURES, float("nan")),
                Message("reliability.mixed", {"minimum": min_attempts}),
            )
        )
    return sorted(found, key=lambda f: (_MODES.index(f.mode), f.scheme, f.note is not None))
