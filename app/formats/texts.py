"""The sentences of the formats' problem codes, one table per family of formats.

Readers report `Problem(location, Message(code, params))`; the web and the CLI render
the code through `app.messages`, which merges these tables into its own. Each entry is
`N_("…")` or `ngettext("…", "…")`, with `%(name)s` placeholders (a plural counts with
`%(num)d`). Codes start with the table's prefix.
"""

from __future__ import annotations

from app.domain.messages import N_, Text, ngettext

__all__ = ["N_", "TEXTS", "ngettext"]


# GIFT and Aiken (gift*.py, aiken.py): codes "gift.*" and "aiken.*".
GIFT: dict[str, Text] = {}


# Moodle XML (moodle*.py and the types' Moodle hooks): codes "moodle.*". `question` is
# the question's name in quotes, or its position in the file when it has no name;
# fractions and marks come formatted as numbers.
MOODLE: dict[str, Text] = {
    "moodle.root": N_("the root element is <%(name)s>; a Moodle XML export starts with <quiz>"),
    "moodle.no_type": N_("question %(question)s: the <question> element has no type attribute"),
    "moodle.scenario_text": N_("question %(question)s: this scenario has no text"),
    "moodle.no_stem": N_("question %(question)s: it has no question text"),
    "moodle.defaultgrade": N_("question %(question)s: defaultgrade '%(grade)s' is not a number"),
    "moodle.fraction": N_(
        "question %(question)s: answer %(answer)s has fraction '%(fraction)s', "
        "which is not a number"
    ),
    "moodle.answer_text": N_("question %(question)s: answer %(answer)s has no text"),
    "moodle.multichoice_answers": N_(
        "question %(question)s: multichoice needs at least two answers; it has %(count)s"
    ),
    "moodle.single_full": N_(
        "question %(question)s: multichoice with <single>true</single> has %(count)s answers "
        "with fraction 100; exactly one is needed"
    ),
    "moodle.single_partial": N_(
        "question %(question)s: answer %(answer)s has fraction %(fraction)s; Clausewise "
        "gives no partial credit in single choice, so it is read as wrong"
    ),
    "moodle.multiple_none_right": N_(
        "question %(question)s: multichoice with <single>false</single> has no answer with "
        "a positive fraction; at least one is needed"
    ),
    "moodle.multiple_all_right": N_(
        "question %(question)s: every answer has a positive fraction; multiple response "
        "needs at least one wrong answer, or ticking everything would earn full marks"
    ),
    "moodle.multiple_one_right": N_(
        "question %(question)s: multichoice with <single>false</single> has only one answer "
        "with a positive fraction, so it is read as single choice"
    ),
    "moodle.truefalse_answers": N_(
        "question %(question)s: truefalse needs one answer 'true' and one answer 'false'"
    ),
    "moodle.truefalse_key": N_(
        "question %(question)s: truefalse needs fraction 100 on exactly one of its answers "
        "'true' and 'false'"
    ),
    "moodle.short_partial": N_(
        "question %(question)s: answer '%(answer)s' has fraction %(fraction)s; Clausewise "
        "accepts an answer fully or not at all, so it is left out"
    ),
    "moodle.short_empty": N_(
        "question %(question)s: answer %(answer)s has fraction 100 but no text"
    ),
    "moodle.short_wildcard": N_(
        "question %(question)s: answer '%(answer)s' uses Moodle's wildcard '*', "
        "matched literally here"
    ),
    "moodle.short_none": N_("question %(question)s: shortanswer has no answer with fraction 100"),
    "moodle.short_case": N_(
        "question %(question)s: it is case-sensitive in Moodle; Clausewise ignores case in "
        "short answers"
    ),
    "moodle.subquestion_answer": N_(
        "question %(question)s: subquestion %(subquestion)s has no answer text"
    ),
    "moodle.matching_pairs": N_(
        "question %(question)s: matching needs at least two subquestions with text; "
        "it has %(count)s"
    ),
    "moodle.ordering_steps": N_(
        "question %(question)s: ordering needs at least two answers to put in order; "
        "it has %(count)s"
    ),
    # an essay's rubric table could not be read (app/formats/grader_notes.py says why)
    "moodle.grader_notes": N_("question %(question)s: %(problem)s"),
    "moodle.rubric_empty": N_("question %(question)s: its rubric table has no rows"),
    "moodle.rubric_total": N_(
        "question %(question)s: defaultgrade %(grade)s differs from the rubric total "
        "%(total)s; the rubric total is used"
    ),
    "moodle.rubric_made": N_(
        "question %(question)s: it has no Clausewise rubric, so one criterion worth "
        "%(marks)s marks was made, with the grader information as its guidance"
    ),
}


# QTI 2.1 (qti*.py): codes "qti.*".
QTI: dict[str, Text] = {}


# Sheets, native YAML/JSON and the shared readers (sheet*, spreadsheet, csv_format,
# xlsx_format, native*, safe_zip, xml_support, tables, tags, __init__): codes "sheet.*",
# "native.*", "file.*", "zip.*", "xml.*".
FILES: dict[str, Text] = {}


TEXTS: dict[str, Text] = {**GIFT, **MOODLE, **QTI, **FILES}
