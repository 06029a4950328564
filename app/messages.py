"""The words of every `Message` code, and how web and CLI render them.

TEXTS maps each code the domain, formats and analytics may emit to its whole
sentence: `N_("…")`, or `ngettext("…", "…")` when the sentence has plural forms (a
marker named so that extraction with the keyword `ngettext` records a plural entry).
Parameters are `%(name)s` placeholders; a plural sentence counts with `%(num)d`.
Rendering goes through Flask-Babel; outside a request the source English comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flask_babel
import pandas as pd

from app.domain.messages import Message
from app.domain.records import Problem
from app.domain.states import N_

SEPARATOR = "; "


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural sentence for the catalogue; translated when rendered."""
    return singular, plural


TEXTS: dict[str, str | tuple[str, str]] = {
    # readiness: what a learner still lacks before a forecast (app.analytics.readiness)
    "readiness.more_answers": ngettext(
        "%(section)s: %(num)d more answer", "%(section)s: %(num)d more answers"
    ),
    "readiness.more_answers_overall": ngettext(
        "across the exam: %(num)d more answer", "across the exam: %(num)d more answers"
    ),
    "readiness.no_answers": N_("No answers yet"),
    # item analysis: why a question deserves a look (app.analytics.items.flags)
    "items.too_few": N_("too few attempts to judge (%(attempts)s; at least %(minimum)s)"),
    "items.very_easy": N_("very easy: facility %(facility).2f is above %(limit).2f"),
    "items.very_hard": N_("very hard: facility %(facility).2f is below %(limit).2f"),
    "items.undefined": N_("discrimination undefined: the item's or the rest scores do not vary"),
    "items.negative": N_("negative discrimination (%(discrimination).2f): is the key right?"),
    "items.weak": N_("weak discrimination: %(discrimination).2f is below %(limit).2f"),
    "items.beats_key": N_(
        "option %(option)s attracts more high scorers (%(upper)s) than the key (%(key_upper).0f)"
    ),
    "items.unchosen": N_("option %(option)s was chosen by nobody"),
    # bank validation (app.domain.validation); ids and values come quoted as typed
    "validation.bank_id": N_(
        "the bank id %(id)s may only use lowercase letters, digits and hyphens"
    ),
    "validation.bank_title": N_("the bank needs a title"),
    "validation.bank_edition": N_("the bank's edition %(edition)s must be one of %(editions)s"),
    "validation.scenario_id": N_(
        "the scenario id %(id)s may only use lowercase letters, digits and hyphens"
    ),
    "validation.repeated_scenario": N_("two scenarios share the id %(id)s"),
    "validation.scenario_text": N_("scenario %(scenario)s needs a title and a text"),
    "validation.repeated_id": N_(
        "question %(question)s: the id is already used by another question (%(first)s)"
    ),
    "validation.no_clause": N_(
        "question %(question)s: no clause is tagged, so no exam section can draw it"
    ),
    "validation.item_id": N_(
        "question %(question)s: the id may only use letters, digits, '.', '_' and '-'"
    ),
    # the type's own check, still an English sentence (app.domain.question_types)
    "validation.definition": N_("question %(question)s: %(problem)s"),
    "validation.type": N_(
        "question %(question)s: the type %(type)s is not one Clausewise knows (%(known)s)"
    ),
    "validation.level": N_("question %(question)s: the level %(level)s is not one of %(levels)s"),
    "validation.question_edition": N_(
        "question %(question)s: the question's edition %(edition)s must be one of %(editions)s"
    ),
    "validation.difficulty": N_(
        "question %(question)s: difficulty must be 1, 2 or 3; it is %(difficulty)s"
    ),
    "validation.scenario_reference": N_(
        "question %(question)s: it refers to scenario %(scenario)s, which this bank does not have"
    ),
    "validation.empty_clause": N_("question %(question)s: a clause number is empty"),
    "validation.clause_tree_missing": N_(
        "question %(question)s: clause %(clauses)s cannot be checked: "
        "the %(edition)s clause tree is not loaded"
    ),
    "validation.unknown_clause": N_(
        "question %(question)s: clause %(clauses)s is not in the %(edition)s edition's clause tree"
    ),
}


def render(message: Message | Iterable[Message] | Any) -> str:
    """The sentence of `message` in the current locale; several are joined by "; "."""
    if isinstance(message, Message):
        return _one(message)
    if isinstance(message, str) or not isinstance(message, Iterable):
        return "" if message is None or _is_nan(message) else str(message)
    return SEPARATOR.join(_one(m) for m in message)


def _one(message: Message) -> str:
    """One message through gettext or ngettext, with its parameters."""
    text = TEXTS[message.code]
    if isinstance(text, tuple):
        count = 0 if message.count is None else message.count
        return flask_babel.ngettext(text[0], text[1], count, **message.params)
    return flask_babel.gettext(text, **message.params)


def render_problem(problem: Problem) -> str:
    """A located problem as one line: "bank.yaml:3: error: question q1: …"."""
    return f"{problem.location}: {problem.severity}: {render(problem.message)}"


def _is_nan(value: Any) -> bool:
    """True for pandas' missing values (NaN, NaT, None)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def render_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each cell that holds messages turned into its sentence (exports, JSON)."""
    spoken = [c for c in frame.columns if frame[c].dtype == object and _has_messages(frame[c])]
    return frame.assign(**{str(c): frame[c].map(render) for c in spoken}) if spoken else frame


def _has_messages(column: pd.Series) -> bool:
    """True when any cell is a Message or a sequence of them."""
    for value in column:
        if isinstance(value, Message):
            return True
        if isinstance(value, tuple | list) and any(isinstance(v, Message) for v in value):
            return True
    return False
