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
# Sentences about one question name it first, as `question '%(question)s'`; a literal
# "%" is written "%%". Aiken names its question by a message of its own (aiken.question*).
GIFT: dict[str, Text] = {
    # GIFT: the file, its comments and the bank (gift_read, gift_meta)
    "gift.not_utf8": N_("line %(line)s is not valid UTF-8 (byte %(byte)s); save as UTF-8"),
    "gift.comment_not_json": N_("the %(kind)s comment is not valid JSON (%(reason)s)"),
    "gift.comment_not_object": N_("the %(kind)s comment must hold a JSON object {...}"),
    "gift.bank_unknown": N_("the bank field '%(field)s' is not known and was ignored"),
    "gift.bank_not_text": N_("the bank field '%(field)s' must be a text"),
    "gift.scenario_fields": N_("the scenario comment needs the text fields %(fields)s"),
    "gift.scenario_twice": N_("the scenario id '%(id)s' is defined twice"),
    "gift.meta_unused": N_("this clausewise metadata comment is not followed by a question"),
    # GIFT: a question's metadata comment (gift_meta)
    "gift.meta_unknown": N_(
        "question '%(question)s': the metadata field '%(field)s' is not known and was ignored"
    ),
    "gift.meta_id": N_(
        "question '%(question)s': the metadata field 'id' must be an id of letters, digits, "
        "'.', '_' or '-'"
    ),
    "gift.meta_level": N_(
        "question '%(question)s': the metadata field 'level' must be one of %(levels)s"
    ),
    "gift.meta_clauses": N_(
        "question '%(question)s': the metadata field 'clauses' must be a list of clause "
        "numbers written as strings"
    ),
    "gift.meta_difficulty": N_(
        "question '%(question)s': the metadata field 'difficulty' must be 1, 2 or 3"
    ),
    "gift.meta_tags": N_(
        "question '%(question)s': the metadata field 'tags' must be a list of strings"
    ),
    "gift.meta_scenario": N_(
        "question '%(question)s': the metadata field 'scenario' must be a scenario id"
    ),
    "gift.meta_marks": N_(
        "question '%(question)s': the metadata field 'marks' must be a number of marks, 0 or more"
    ),
    "gift.meta_edition": N_(
        "question '%(question)s': the metadata field 'edition' must be %(first)s or %(last)s"
    ),
    "gift.meta_rubric": N_(
        "question '%(question)s': the metadata field 'rubric' must be a list of "
        "{criterion, marks, guidance} objects"
    ),
    "gift.meta_model_answer": N_(
        "question '%(question)s': the metadata field 'model_answer' must be a text"
    ),
    "gift.meta_option_ids": N_(
        "question '%(question)s': the metadata field 'option_ids' must be a list of option ids"
    ),
    "gift.meta_pair_ids": N_(
        "question '%(question)s': the metadata field 'pair_ids' must be a list of pair ids"
    ),
    "gift.meta_id_count": N_(
        "question '%(question)s': the metadata field '%(field)s' lists %(ids)s ids "
        "for %(items)s items"
    ),
    "gift.id_used": N_(
        "question '%(question)s': the id '%(id)s' is already used by an earlier question"
    ),
    "gift.scenario_undefined": N_(
        "question '%(question)s': the scenario '%(scenario)s' is not defined"
    ),
    # GIFT: the shape of a question (gift_read)
    "gift.title_unclosed": N_(
        "question '%(question)s': the title starts with :: but has no closing ::"
    ),
    "gift.stray_close": N_(
        "question '%(question)s': there is a closing } with no opening { (write \\} for a brace)"
    ),
    "gift.block_unclosed": N_(
        "question '%(question)s': the answer block opened with { is never closed with }"
    ),
    "gift.nested_open": N_(
        "question '%(question)s': a second { appears inside the answer block "
        "(write \\{ for a brace)"
    ),
    "gift.two_blocks": N_("question '%(question)s': the question has more than one answer block"),
    "gift.no_stem": N_(
        "question '%(question)s': there is no question text before the answer block"
    ),
    "gift.block_not_understood": N_(
        "question '%(question)s': the answer block is not understood; use = and ~ answers, "
        "T or F, or {} for an essay"
    ),
    # GIFT: answers and weights (gift_answers)
    "gift.before_first_answer": N_(
        "question '%(question)s': '%(text)s' comes before the first answer; "
        "answers start with = or ~"
    ),
    "gift.weight_unclosed": N_(
        "question '%(question)s': a weight starts with %% but has no closing %%"
    ),
    "gift.weight_not_number": N_(
        "question '%(question)s': the weight '%%%(weight)s%%' is not a number"
    ),
    "gift.weight_out_of_range": N_(
        "question '%(question)s': the weight %(weight)s%% is outside -100..100"
    ),
    "gift.choice_too_few": N_(
        "question '%(question)s': a choice question needs at least two answers"
    ),
    "gift.choice_many_equals": ngettext(
        "question '%(question)s': the answer block has %(num)d right answer (=); give one =, "
        "or weights like ~%%50%% for a multiple-response question",
        "question '%(question)s': the answer block has %(num)d right answers (=); give one =, "
        "or weights like ~%%50%% for a multiple-response question",
    ),
    "gift.choice_no_right": N_("question '%(question)s': the answer block has no right answer (=)"),
    "gift.partial_credit": N_("question '%(question)s': partial credit on '%(text)s' is not kept"),
    "gift.answer_no_text": N_("question '%(question)s': answer %(number)s has no text"),
    # GIFT: the types' answer blocks (app/question_types/*/formats.py)
    "gift.pair_no_arrow": N_(
        "question '%(question)s': pair %(pair)s has no '->' between the item and its match"
    ),
    "gift.pair_no_match": N_("question '%(question)s': pair %(pair)s has nothing after '->'"),
    "gift.matching_too_few": N_(
        "question '%(question)s': a matching question needs at least two pairs"
    ),
    "gift.true_false_feedback": N_(
        "question '%(question)s': a true/false answer takes at most two feedback texts "
        "(#wrong#right)"
    ),
    "gift.accepted_empty": N_("question '%(question)s': an accepted answer (=) is empty"),
    "gift.partly_right": N_(
        "question '%(question)s': answer '%(text)s' is only partly right and was left out"
    ),
    "gift.answer_feedback": N_(
        "question '%(question)s': feedback on answer '%(text)s' is not kept"
    ),
    "gift.no_fully_right": N_(
        "question '%(question)s': the answer block has no fully right answer (=)"
    ),
    # Aiken (aiken.py); %(question)s is aiken.question or aiken.question_stem
    "aiken.not_utf8": N_("line %(line)s is not valid UTF-8 (byte %(byte)s); save as UTF-8"),
    "aiken.question": N_("question %(number)s"),
    "aiken.question_stem": N_("question %(number)s ('%(stem)s')"),
    "aiken.no_answer_line": N_("%(question)s: there is no ANSWER line"),
    "aiken.no_answer_after_options": N_("%(question)s: there is no ANSWER line after its options"),
    "aiken.no_options": N_("%(question)s: the question has no options"),
    "aiken.long_stem": N_("%(question)s: the question text runs onto a second line; use one line"),
    "aiken.option_first": N_("%(question)s: option %(letter)s has no question line before it"),
    "aiken.letter_twice": N_("%(question)s: the option letter %(letter)s is used twice"),
    "aiken.option_no_text": N_("%(question)s: option %(letter)s has no text"),
    "aiken.too_few_options": N_("%(question)s: the question has fewer than two options"),
    "aiken.answer_not_letter": N_(
        "%(question)s: the ANSWER line gives '%(value)s', not one option letter"
    ),
    "aiken.answer_no_option": N_("%(question)s: the answer letter %(letter)s has no option"),
    "aiken.answer_alone": N_("this ANSWER line has no question before it"),
}


# Moodle XML (moodle*.py): codes "moodle.*".
MOODLE: dict[str, Text] = {}


# QTI 2.1 (qti*.py): codes "qti.*".
QTI: dict[str, Text] = {}


# Sheets, native YAML/JSON and the shared readers (sheet*, spreadsheet, csv_format,
# xlsx_format, native*, safe_zip, xml_support, tables, tags, __init__): codes "sheet.*",
# "native.*", "file.*", "zip.*", "xml.*".
FILES: dict[str, Text] = {}


TEXTS: dict[str, Text] = {**GIFT, **MOODLE, **QTI, **FILES}
