"""The words of every `Message` code, and how web and CLI render them.

TEXTS maps each code the domain, formats and analytics may emit to its whole
sentence: `N_("…")`, or `ngettext("…", "…")` when the sentence has plural forms (a
marker named so that extraction with the keyword `ngettext` records a plural entry).
Parameters are `%(name)s` placeholders; a plural sentence counts with `%(num)d`.
Rendering goes through Flask-Babel; outside a request the source English comes back.
Numbers given to a `%(name)d` or `%(name).2f` placeholder are written by Babel in the
reader's locale (grouping and decimal signs); `%(name)s` shows a value as it is (ids,
row numbers). A parameter that is a `Wording` (a clause, scheme or section title) is
given in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import flask_babel
import pandas as pd
from babel import Locale
from babel.numbers import format_decimal
from flask import has_app_context

from app.domain import question_types
from app.domain.lint import Finding
from app.domain.messages import Message, Text, ngettext
from app.domain.records import Location, Problem
from app.domain.states import N_
from app.domain.wording import Wording
from app.formats import texts as format_texts
from app.localized import localized

SEPARATOR = "; "


TEXTS: dict[str, Text] = {
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
    "items.language_gap": N_(
        "facility differs by language: %(high_facility).2f in %(high)s (%(high_n)s answers) "
        "against %(low_facility).2f in %(low)s (%(low_n)s answers); check the translation"
    ),
    # item analysis: why a form gets no alpha (app.analytics.item_report)
    "reliability.too_few": N_("too few attempts for an alpha (%(attempts)s; at least %(minimum)s)"),
    "reliability.mixed": N_(
        "no alpha: the sets differ in length and no length has %(minimum)s attempts"
    ),
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
    # a type's definition check; the problem comes as a message (app.domain.question_types)
    "validation.definition": N_("question %(question)s: %(problem)s"),
    "validation.type": N_(
        "question %(question)s: the type %(type)s is not one Clausewise knows (%(known)s)"
    ),
    "validation.level": N_("question %(question)s: the level %(level)s is not one of %(levels)s"),
    "validation.question_edition": N_(
        "question %(question)s: the question's edition %(edition)s must be one of %(editions)s"
    ),
    "validation.cognitive": N_(
        "question %(question)s: the cognitive level %(cognitive)s is not one of %(levels)s"
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
    # item-writing lint (app.domain.lint, lint_rules, lint_cues); percentages come as 0–100
    "lint.translation_stale": N_(
        "the %(language)s translation was made from earlier source texts (source_hash "
        "%(made_from)s; they hash to %(now)s now), so learners see the source until it is "
        "updated; update it and set its source_hash to %(now)s"
    ),
    "lint.case_translation_stale": N_(
        "case text %(scenario)s: the %(language)s translation was made from an earlier title "
        "or text (source_hash %(made_from)s; they hash to %(now)s now), so learners see the "
        "source until it is updated; update it and set its source_hash to %(now)s"
    ),
    "lint.explanation_missing": N_(
        "there is no explanation; say why the key is right and the distractors wrong"
    ),
    "lint.explanation_short": N_(
        "the explanation has only %(size)s characters; write at least %(minimum)s "
        "that say why the key is right and why the tempting distractors are wrong"
    ),
    "lint.explanation_no_clause": N_(
        'the explanation names no clause; cite the one the answer rests on ("Clause 8.5.1 …")'
    ),
    "lint.clause_unknown": N_(
        "clause %(clause)s is not in the ISO/IEC 20000-1:%(edition)s clause tree"
    ),
    "lint.all_none_above": N_(
        'option %(option)s says "%(words)s"; every option must be an answer in its own right'
    ),
    "lint.negative_stem": N_(
        'the question says "%(word)s" without emphasis; avoid negative stems, or write '
        "the word in bold capitals (**%(capitals)s**) so that no candidate misses it"
    ),
    "lint.key_word_clue": N_(
        "only the key repeats %(words)s from the question, which points a guesser at it; "
        "use the word in a distractor too, or reword the key"
    ),
    "lint.short_distractor_characters": N_(
        "option %(option)s has %(size)s characters against the key's %(key_size)s; "
        "a much shorter option is easy to rule out"
    ),
    "lint.short_distractor_words": N_(
        "option %(option)s has %(words)s words while the other options average "
        "%(average).0f; a much shorter option is easy to rule out"
    ),
    "lint.scenario_unused": N_(
        'the stem does not refer to scenario %(scenario)s; say "in the scenario" or '
        "name the organization or a person in it, so that the item relies on the case"
    ),
    "lint.choice_count": N_("it has %(options)s options; foundation single-choice items have four"),
    "lint.glossary_translation": N_(
        "the %(language)s translation's %(field)s uses “%(avoided)s”, which the glossary "
        "avoids for “%(term)s”; write “%(preferred)s”"
    ),
    "lint.glossary_source": N_(
        "its %(field)s uses “%(avoided)s”, which the glossary avoids for “%(term)s”; "
        "write “%(preferred)s”"
    ),
    "lint.case_glossary_translation": N_(
        "case text %(scenario)s: the %(language)s translation's %(field)s uses “%(avoided)s”, "
        "which the glossary avoids for “%(term)s”; write “%(preferred)s”"
    ),
    "lint.case_glossary_source": N_(
        "case text %(scenario)s: its %(field)s uses “%(avoided)s”, which the glossary avoids "
        "for “%(term)s”; write “%(preferred)s”"
    ),
    "lint.absolute_distractors": N_(
        "every wrong option uses an absolute word (%(words)s) and the key (%(keys)s) "
        "uses none, so a test-wise guesser can rule out the distractors unread; "
        "qualify some distractors, or word the key as firmly where that is true"
    ),
    "lint.key_longest": N_(
        "the key is the longest option in %(longest)s of %(items)s single-choice items "
        "(%(share).0f%%), where chance is about %(chance).0f%%; candidates learn to pick the "
        "longest option, so make distractors as long and specific as the key"
    ),
    "lint.key_position": N_(
        "the keys of the %(items)s four-option single-choice items are unevenly placed: "
        "%(figures)s (chi-square %(chi_square).1f); put the key in each position about "
        "a quarter of the time"
    ),
    "lint.stem_duplicate": N_(
        "the stem is the same as that of question %(other)s (%(location)s); remove or rewrite one"
    ),
    "lint.stem_duplicate_in_bank": N_(
        "the stem is the same as that of question %(other)s (bank %(bank)s); remove or rewrite one"
    ),
    "lint.stem_near_duplicate": N_(
        "the stem repeats %(share).0f%% of the wording of question %(other)s (%(location)s); "
        "vary the wording, or drop one if they test the same point"
    ),
    "lint.stem_near_duplicate_in_bank": N_(
        "the stem repeats %(share).0f%% of the wording of question %(other)s (bank %(bank)s); "
        "vary the wording, or drop one if they test the same point"
    ),
    "lint.scenario_restates": N_(
        "%(share).0f%% of the stem is copied from scenario %(scenario)s, so the item can be "
        "answered without reading the case; point at the case or its exhibit instead of "
        "restating the facts"
    ),
    "lint.key_form_only_with": N_(
        'the key (%(key)s) is the only option written with "%(mark)s", so its form gives it '
        "away; write every option in the same form"
    ),
    "lint.key_form_only_without": N_(
        'the key (%(key)s) is the only option written without "%(mark)s", so its form gives '
        "it away; write every option in the same form"
    ),
    "lint.tf_absolute_false": N_(
        "in %(items)s true/false items, %(absolute_false)s of the %(absolute)s statements with "
        "an absolute word (always, never, only, every) are false and %(plain_true)s of the "
        '%(plain)s without one are true, so the rule "absolute means false" scores '
        "%(score)s of %(items)s; write true statements with absolute words and false ones "
        "without"
    ),
    "lint.tf_absolute_true": N_(
        "in %(items)s true/false items, %(absolute_true)s of the %(absolute)s statements with "
        "an absolute word (always, never, only, every) are true and %(plain_false)s of the "
        '%(plain)s without one are false, so the rule "absolute means true" scores '
        "%(score)s of %(items)s; write false statements with absolute words and true ones "
        "without"
    ),
    "lint.recurring_distractor": N_(
        '"%(phrase)s" is in a wrong option of %(wrong)s items and in the key of %(key)s, so '
        "candidates learn to rule it out; vary the distractors, or make it the key where it "
        "is right"
    ),
    "lint.clause_stems": N_(
        "%(named)s of %(items)s stems (%(share).0f%%) name a clause number; name one in at most "
        "%(limit).0f%% of stems, so that items test the requirement rather than its numbering"
    ),
    "lint.finding": N_("%(where)s: %(severity)s [%(rule)s] %(subject)s: %(message)s"),
    "lint.bank_finding": N_("%(where)s: %(severity)s [%(rule)s] bank %(bank)s: %(message)s"),
    # exam coverage and assembly (app.domain.coverage, app.domain.assembly); a list of
    # short sections comes as messages, rendered and joined by "; "
    "coverage.section": N_("%(section)s: %(needed)s needed, %(available)s available"),
    "coverage.section_short": N_(
        "%(section)s: %(needed)s needed, %(available)s available — %(short)s short"
    ),
    "coverage.contested": N_(
        "Sections that share items (%(sections)s) cannot all be filled at once: "
        "%(missing)s short when drawn together"
    ),
    "coverage.no_form": N_("No complete exam form can be drawn from this pool"),
    "coverage.one_form": N_("One complete exam form can be drawn; a second would reuse items"),
    "coverage.forms": N_("%(forms)s complete exam forms can be drawn without reusing an item"),
    "assembly.short": N_("Not enough items to draw this exam: %(sections)s."),
    "assembly.short_contested": N_(
        "Not enough items to draw this exam: %(sections)s. "
        "These sections share items: drawn together they are %(missing)s short."
    ),
    "assembly.short_section": N_("%(section)s (%(needed)s needed, %(available)s available)"),
    "assembly.no_practice_items": N_("No published items match the chosen clauses and levels."),
    # what an LTI link's custom parameters may name (app.domain.lti)
    "lti.activity_kind": N_("the activity %(kind)s is not one of mock, drill or practice"),
    "lti.activity_scheme": N_("%(scheme)s is not a scheme code"),
    "lti.activity_clauses": N_(
        "clauses are numbers such as 8.5 or 8.5.1, at most %(most)s of them"
    ),
    "lti.activity_no_clauses": N_("a clause drill needs at least one clause"),
    "lti.activity_count": N_("the number of questions must be from %(least)s to %(most)s"),
}

# Formats' parse problems and the question types' definition checks keep their
# sentences next to their code; one table here serves them all.
TEXTS.update(format_texts.TEXTS)
TEXTS.update(question_types.texts())


def render(message: Message | Iterable[Message] | Any) -> str:
    """The sentence of `message` in the current locale; several are joined by "; "."""
    if isinstance(message, Message):
        return _one(message)
    if isinstance(message, Wording):
        return localized(message)
    if isinstance(message, str) or not isinstance(message, Iterable):
        return "" if message is None or _is_nan(message) else str(message)
    return SEPARATOR.join(_one(m) for m in message)


def _one(message: Message) -> str:
    """One message through gettext or ngettext, with its parameters.

    A parameter that is itself a message, or a tuple of them, is rendered first; a
    Wording is given in the reader's language.
    """
    text = TEXTS[message.code]
    params = {
        k: render(v) if _is_messages(v) or isinstance(v, Wording) else v
        for k, v in message.params.items()
    }
    translations = flask_babel.get_translations()
    if isinstance(text, tuple):
        count = 0 if message.count is None else message.count
        params.setdefault("num", count)
        return fill(translations.ungettext(text[0], text[1], count), params)
    template = translations.ugettext(text)
    return fill(template, params) if params else template


_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w+)\))?(?P<flags>[-#0 +]*\d*)(?:\.(?P<digits>\d+))?(?P<kind>[a-zA-Z%])"
)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """`template % params`, with the numbers of `d` and `f` placeholders written by Babel
    in the reader's locale ("%(n)d" → "1,234", "%(x).2f" → "0.85")."""

    def one(found: re.Match[str]) -> str:
        kind = found["kind"]
        if kind == "%":
            return "%"
        value = params[found["name"]] if found["name"] else params
        if kind in "dif" and isinstance(value, int | float) and not isinstance(value, bool):
            if kind in "di":
                return _number(int(value), 0)
            return _number(value, int(found["digits"] or 6))
        plain = "%" + found["flags"] + (f".{found['digits']}" if found["digits"] else "") + kind
        return plain % (value,)

    return _PLACEHOLDER.sub(one, template)


def _number(value: float, digits: int) -> str:
    """`value` with `digits` decimals, in the reader's locale (English outside a request)."""
    locale = (flask_babel.get_locale() if has_app_context() else None) or Locale.parse("en")
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def _is_messages(value: Any) -> bool:
    """True for a Message or a tuple of them."""
    if isinstance(value, tuple):
        return bool(value) and all(isinstance(v, Message) for v in value)
    return isinstance(value, Message)


def render_problem(problem: Problem) -> str:
    """A located problem as one line: "bank.yaml:3: error: question q1: …"."""
    params = {"where": render_location(problem.location), "message": render(problem.message)}
    if problem.severity == "error":
        return render(Message("file.problem_error", params))
    if problem.severity == "warning":
        return render(Message("file.problem_warning", params))
    return f"{params['where']}: {problem.severity}: {params['message']}"


def render_location(location: Location) -> str:
    """Where a problem sits, in the catalogue's words: "bank.csv: row 3, column B (type)".

    The same English as `str(location)`, which stays for logs.
    """
    file = location.file or render(Message("file.no_name"))
    if location.line is not None and location.path:
        where = {"file": file, "line": location.line, "path": location.path}
        return render(Message("file.at_line_path", where))
    if location.line is not None:
        return render(Message("file.at_line", {"file": file, "line": location.line}))
    if location.row is not None and location.column:
        cell = {"file": file, "row": location.row, "column": location.column}
        return render(Message("file.at_cell", cell))
    if location.row is not None:
        return render(Message("file.at_row", {"file": file, "row": location.row}))
    if location.path:
        return render(Message("file.at_path", {"file": file, "path": location.path}))
    return file


def render_finding(finding: Finding) -> str:
    """A lint finding as one line: "bank.yaml:3: error [rule] q1: …" ("bank b" for a bank's)."""
    where = render_location(finding.location) if finding.location else finding.bank_id
    said = render(finding.message)
    if finding.question_id:
        return render(
            Message(
                "lint.finding",
                {
                    "where": where,
                    "severity": finding.severity,
                    "rule": finding.rule,
                    "subject": finding.question_id,
                    "message": said,
                },
            )
        )
    return render(
        Message(
            "lint.bank_finding",
            {
                "where": where,
                "severity": finding.severity,
                "rule": finding.rule,
                "bank": finding.bank_id,
                "message": said,
            },
        )
    )


def _is_nan(value: Any) -> bool:
    """True for pandas' missing values (NaN, NaT, None)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def render_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each cell that holds messages turned into its sentence, and each
    Wording into the reader's language (exports, JSON)."""
    spoken = [c for c in frame.columns if _may_speak(frame[c]) and _has_messages(frame[c])]
    return frame.assign(**{str(c): frame[c].map(render) for c in spoken}) if spoken else frame


def _may_speak(column: pd.Series) -> bool:
    """Whether a column can hold messages or wordings (object or string dtype)."""
    return column.dtype == object or isinstance(column.dtype, pd.StringDtype)


def _has_messages(column: pd.Series) -> bool:
    """True when any cell is a Message or a Wording, or a sequence of messages."""
    for value in column:
        if isinstance(value, Message | Wording):
            return True
        if isinstance(value, tuple | list) and any(isinstance(v, Message) for v in value):
            return True
    return False
