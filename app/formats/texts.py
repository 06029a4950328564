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
    "gift.meta_cognitive": N_(
        "question '%(question)s': the metadata field 'cognitive' must be one of %(levels)s"
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
    "gift.ordering_header": N_(
        "question '%(question)s': an ordering block starts with '>' and the number of "
        "steps, e.g. '{>4 ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST'"
    ),
    "gift.ordering_steps": N_(
        "question '%(question)s': an ordering question needs at least two steps, one per line"
    ),
    "gift.ordering_subset": N_(
        "question '%(question)s': Moodle shows a random subset of the steps; Clausewise "
        "asks for all of them in order"
    ),
    "gift.ordering_rule": N_(
        "question '%(question)s': Moodle scores it by %(rule)s; Clausewise scores the share "
        "of neighbouring steps kept in order (Moodle's RELATIVE_NEXT_EXCLUDE_LAST)"
    ),
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
    "moodle.hint_empty": N_("question %(question)s: this hint has no text and was left out"),
    # several languages in one question (moodle_lang): `code` is a Moodle language code;
    # what is wrong with the markup of one text is said within moodle.lang_problem
    "moodle.lang_problem": N_("question %(question)s: %(problem)s"),
    "moodle.lang_unknown": N_("%(code)s is not a language code such as en or zh_cn"),
    "moodle.lang_unclosed": N_(
        "the text for %(code)s is never closed (a multilang span needs its </span>, an "
        "{mlang %(code)s} block its {mlang})"
    ),
    "moodle.lang_stray_close": N_("an {mlang} closes no block; a block starts with {mlang en}"),
    "moodle.lang_twice": N_("one run of language blocks gives %(code)s twice"),
    "moodle.lang_too_many": N_(
        "question %(question)s: its texts name %(count)d languages; a question may have at "
        "most %(most)d"
    ),
    "moodle.lang_missing": N_(
        "this text has no %(code)s version, though other texts of the question have one"
    ),
    "moodle.lang_no_source": N_(
        "question %(question)s: none of its texts is in %(code)s, the source language (the "
        "first language of the file's first multilingual text)"
    ),
    "moodle.lang_unreadable": N_(
        "question %(question)s: its %(code)s version cannot be read: %(problem)s"
    ),
    "moodle.rubric_made": N_(
        "question %(question)s: it has no Clausewise rubric, so one criterion worth "
        "%(marks)s marks was made, with the grader information as its guidance"
    ),
}


# QTI 2.1 (qti*.py and the types' QTI hooks): codes "qti.*". A reader's complaint about
# an item is wrapped in qti.item_problem (or qti.unnamed_item_problem), one about a
# manifest resource's metadata in qti.resource_problem.
QTI: dict[str, Text] = {
    "qti.item_problem": N_("item '%(item)s': %(problem)s"),
    "qti.unnamed_item_problem": N_("the item: %(problem)s"),
    # the item file (qti_read, qti_model)
    "qti.wrong_root": N_(
        "the root element is <%(element)s>; a QTI item starts with <assessmentItem> "
        "(QTI 2.1) or <qti-assessment-item> (QTI 3.0)"
    ),
    "qti.manifest_root": N_(
        "the root element is <%(element)s>; a QTI item starts with <assessmentItem> "
        "(QTI 2.1) or <qti-assessment-item> (QTI 3.0); upload the whole zip package"
    ),
    "qti.no_item_body": N_("it has no itemBody, so there is no question to show"),
    "qti.no_stem": N_("it has no question text"),
    "qti.no_declaration": N_(
        "the %(interaction)s answers to response '%(response)s', but the item declares no "
        "responseDeclaration with that identifier"
    ),
    # responses and choices (qti_interactions and the types' QTI readers)
    "qti.no_correct_response": N_(
        "responseDeclaration '%(declaration)s' has no correctResponse, so Clausewise "
        "cannot tell which answer is right"
    ),
    "qti.unknown_choice": N_(
        "correctResponse names '%(value)s', but the %(interaction)s has no choice with "
        "identifier '%(value)s'"
    ),
    "qti.too_few_choices": N_("the %(interaction)s needs at least two choices"),
    "qti.max_choices": N_("maxChoices '%(value)s' is not a whole number"),
    "qti.single_correct_count": ngettext(
        "maxChoices is 1 but correctResponse names %(num)d choice; exactly one is needed",
        "maxChoices is 1 but correctResponse names %(num)d choices; exactly one is needed",
    ),
    "qti.read_as_single": N_("only one choice is correct, so it is read as single choice"),
    "qti.all_correct": N_(
        "every choice is correct; multiple response needs at least one wrong choice"
    ),
    "qti.true_false_correct": N_("a true/false item needs exactly one correct choice"),
    "qti.order_count": N_(
        "correctResponse lists %(listed)s identifiers for %(choices)s choices; "
        "an ordering needs every choice exactly once"
    ),
    "qti.match_sets": N_(
        "the matchInteraction needs two simpleMatchSet elements; it has %(count)s"
    ),
    "qti.not_a_pair": N_("correctResponse value '%(value)s' is not a pair of identifiers"),
    "qti.pair_unknown": N_("'%(value)s' does not pair a prompt with a response"),
    "qti.prompt_paired_twice": N_("prompt '%(choice)s' is paired more than once"),
    "qti.prompt_unpaired": N_("prompt '%(choice)s' has no pair in correctResponse"),
    "qti.class_pair_unknown": N_("'%(value)s' does not pair an item with a category"),
    "qti.class_item_twice": N_("item '%(choice)s' is placed in more than one category"),
    "qti.class_item_unplaced": N_("item '%(choice)s' is placed in no category by correctResponse"),
    "qti.no_accepted_answer": N_(
        "responseDeclaration '%(declaration)s' has neither a correctResponse nor a "
        "mapping entry with a positive value, so no answer would be accepted"
    ),
    "qti.no_rubric": N_(
        "it has no Clausewise rubric, so one criterion worth %(marks)s marks was made"
    ),
    # the content package and its Clausewise metadata (qti_package, qti_meta)
    "qti.no_manifest": N_(
        "the package has no imsmanifest.xml at its top level, so its items cannot be found"
    ),
    "qti.manifest_root_element": N_("the manifest's root element must be <manifest>"),
    "qti.no_resources": N_("the manifest lists no QTI item resources"),
    "qti.resource_no_href": N_("resource '%(resource)s' has no href naming its item file"),
    "qti.resource_outside": N_("resource '%(resource)s' points to '%(href)s', outside the package"),
    "qti.resource_missing": N_(
        "resource '%(resource)s' points to '%(href)s', which is not in the package"
    ),
    "qti.resource_problem": N_("resource '%(resource)s': %(problem)s"),
    "qti.metadata_json": N_("the Clausewise metadata is not valid JSON (%(reason)s)"),
    "qti.metadata_object": N_("the Clausewise metadata must be a JSON object"),
    "qti.metadata_text": N_("metadata field '%(field)s' must be text"),
    "qti.metadata_scenarios": N_("metadata field 'scenarios' must be a list"),
    "qti.metadata_scenario": N_(
        "scenario %(number)s of the metadata needs text fields id, title and text"
    ),
    "qti.metadata_hints": N_(
        "metadata field 'hints' must be a list of hints, each with a text and the "
        "true/false options show_num_correct and clear_wrong"
    ),
    "qti.feedback_condition": N_(
        "the feedback '%(identifier)s' is shown on the outcome %(outcome)s, which is not "
        "a choice or a right, partly right or wrong answer; it is kept in the explanation, "
        "shown to all"
    ),
    "qti.metadata_value": N_("metadata field '%(field)s' has the unusable value %(value)s"),
    "qti.metadata_translations": N_(
        "%(item)s: metadata field 'translations' must map language tags to translations"
    ),
    "qti.metadata_translation": N_(
        "%(item)s: the metadata of translation %(language)s is unusable (a language tag "
        "with an object of texts is needed)"
    ),
    # translations: one item file per language (qti_translations)
    "qti.translation_missing": N_(
        "the translation's item file %(href)s is not in the package or not listed as a "
        "file of the resource"
    ),
    "qti.translation_language": N_(
        "the translation's item file %(href)s names no language (xml:lang on its root)"
    ),
    "qti.translation_kind": N_(
        "the %(language)s item file %(href)s asks another kind of question than the resource's item"
    ),
    "qti.translation_identifier": N_(
        "the %(language)s item file %(href)s has the identifier %(found)s; a translation "
        "keeps its item's identifier %(expected)s"
    ),
    "qti.translation_twice": N_(
        "the %(language)s item file %(href)s is a second translation into %(language)s"
    ),
    "qti.metadata_rubric": N_(
        "metadata field 'rubric' must be a list of {criterion, marks, guidance}"
    ),
}


# Sheets, native YAML/JSON and the shared readers (sheet*, spreadsheet, csv_format,
# xlsx_format, native*, safe_zip, xml_support, tables, tags, __init__): codes "sheet.*",
# "native.*", "file.*", "zip.*", "xml.*".
FILES: dict[str, Text] = {
    # spreadsheet rows (sheet_read, sheet_types); found values come quoted as typed
    "sheet.too_many_rows": N_("a sheet may have at most %(limit)s rows; split the bank"),
    "sheet.too_many_columns": N_(
        "a sheet may have at most %(limit)s columns (A to %(last)s); "
        "move or delete what lies beyond them"
    ),
    "sheet.no_header": N_("the sheet has no header row naming the columns (id, type, stem, …)"),
    "sheet.not_meta": N_("%(text)s is not bank metadata such as title=…"),
    "sheet.column_twice": N_("the column %(column)s appears twice"),
    "sheet.unknown_column": N_("%(column)s is not a column Clausewise reads; it is ignored"),
    "sheet.missing_column": N_("the header row has no %(column)s column"),
    "sheet.scenario_id": N_("every scenario needs an id"),
    "sheet.question_id": N_("every question needs an id"),
    "sheet.unknown_type": N_("%(type)s is not a question type; use one of %(known)s"),
    "sheet.empty_type": N_("the type is empty; use one of %(known)s"),
    "sheet.column_not_used": N_("%(column)s is not used by a %(type)s question; it is ignored"),
    "sheet.clause_number": N_(
        "the clause %(clause)s is stored as a number; format the column as text "
        "so that 10.10 is not read as 10.1"
    ),
    "sheet.difficulty": N_("difficulty must be 1, 2 or 3; found %(found)s"),
    "sheet.marks": N_("marks must be a number; found %(found)s"),
    "sheet.not_a_letter": N_("%(token)s is not an option letter A to H"),
    "sheet.correct_empty": N_("correct names option %(letter)s, but option_%(lower)s is empty"),
    "sheet.feedback_empty_option": N_("feedback for an empty option_%(letter)s"),
    "sheet.true_false": N_("a true/false question needs true or false; found %(found)s"),
    "sheet.pair_arrow": N_('write a matching pair as "prompt %(arrow)s match"; found %(found)s'),
    "sheet.rubric_line": N_('rubric line %(line)s must read "criterion | marks | guidance"'),
    "sheet.rubric_marks": N_("rubric line %(line)s: the marks must be a number; found %(found)s"),
    # translation rows (sheet_read, sheet_translations)
    "sheet.language": N_("%(language)s is not a language tag such as zh-Hans or pt-BR"),
    "sheet.translation_unknown": N_(
        "this translation row is for %(id)s, but no question or scenario row has that id"
    ),
    "sheet.translation_unknown_case": N_(
        "this translation row is for the scenario %(id)s, but no scenario row has that id"
    ),
    "sheet.translation_type": N_(
        "this translation row gives the type %(type)s, but %(id)s is a %(source)s question"
    ),
    "sheet.translation_twice": N_("%(id)s has a second row for its %(language)s translation"),
    "sheet.translation_cell": N_(
        "%(column)s is not read on a translation row; it comes from the source's row"
    ),
    # why a question does not fit the columns (skipped on export)
    "sheet.too_many_parts": N_("more than %(limit)s options, pairs or steps"),
    "sheet.arrow_in_prompt": N_("a matching prompt contains %(arrow)s"),
    "sheet.bar_in_answer": N_("an answer or extra match contains |"),
    "sheet.rubric_breaks": N_("a rubric line contains | or a line break"),
    "sheet.hint_breaks": N_(
        "a hint has a line '---' or ends in a line of flags such as [clear_wrong]"
    ),
    "sheet.too_long_for_excel": N_("a text longer than Excel allows"),
    # CSV and XLSX files (csv_format, xlsx_format)
    "sheet.csv_not_utf8": N_(
        "the file is not UTF-8; in Excel save it as “CSV UTF-8” and try again"
    ),
    "sheet.csv_unreadable": N_("the CSV cannot be read: %(error)s"),
    "sheet.not_a_workbook": N_("the file is not an Excel workbook (.xlsx) that can be opened"),
    "sheet.no_question_sheet": N_("the workbook has no sheet of questions"),
    "sheet.too_many_meta_rows": N_(
        "the bank sheet may have at most %(limit)s rows of key and value"
    ),
    # native YAML/JSON (native, native_fields, native_records): `where` names a place
    # in the file through the native.where.* phrases; found values come quoted as typed
    "native.where.file": N_("the file"),
    "native.where.key": N_("%(key)s"),
    "native.where.within": N_("%(outer)s, %(inner)s"),
    "native.where.field": N_("%(where)s: %(key)s"),
    "native.where.questions": N_("question %(label)s"),
    "native.where.scenarios": N_("scenario %(label)s"),
    "native.where.options": N_("option %(label)s"),
    "native.where.pairs": N_("pair %(label)s"),
    "native.where.steps": N_("step %(label)s"),
    "native.where.rubric": N_("rubric criterion %(label)s"),
    "native.where.clauses": N_("clause %(label)s"),
    "native.where.tags": N_("tag %(label)s"),
    "native.where.answers": N_("answer %(label)s"),
    "native.where.extra_matches": N_("extra match %(label)s"),
    "native.where.hints": N_("hint %(label)s"),
    "native.where.item": N_("item %(label)s"),
    "native.kind.true_false": N_("true/false"),
    "native.kind.number": N_("a number"),
    "native.kind.date": N_("a date"),
    "native.kind.list": N_("a list"),
    "native.kind.mapping": N_("a mapping"),
    "native.kind.value": N_("a value"),
    "native.example.clauses": N_('["8.5.1"]'),
    "native.example.list": N_("[first, second]"),
    "native.unknown_field": N_("%(where)s: unknown field %(key)s"),
    "native.unknown_field_hint": N_("%(where)s: unknown field %(key)s (did you mean %(close)s?)"),
    "native.missing": N_("%(where)s: %(key)s is missing"),
    "native.not_text": N_("%(where)s: %(key)s must be text, not %(kind)s"),
    "native.read_as": N_(
        "%(where)s: %(key)s %(typed)s was read as %(kind)s; put it in quotes to keep it as text"
    ),
    "native.unquote": N_("%(where)s: write %(key)s without quotes"),
    "native.whole_number": N_(
        "%(where)s: %(key)s must be a whole number such as 1, 2 or 3; found %(found)s"
    ),
    "native.number": N_("%(where)s: %(key)s must be a number; found %(found)s"),
    "native.boolean_word": N_("%(where)s: write %(key)s as true or false"),
    "native.boolean": N_("%(where)s: %(key)s must be true or false; found %(found)s"),
    "native.not_list": N_(
        "%(where)s: %(key)s must be a list such as %(key)s: %(example)s; found %(kind)s"
    ),
    "native.not_list_typed": N_(
        "%(where)s: %(key)s must be a list such as %(key)s: %(example)s; found %(typed)s (%(kind)s)"
    ),
    "native.item_text": N_("%(where)s: item %(number)s must be text"),
    "native.clause_number": N_(
        "%(where)s: clause %(typed)s is written as a number; put it in quotes "
        '("%(typed)s"), since unquoted 10.10 would be read as 10.1'
    ),
    "native.quote": N_("%(where)s: put %(typed)s in quotes"),
    "native.not_entries": N_("%(where)s: %(key)s must be a list of entries"),
    "native.entry_mapping": N_(
        "%(where)s: entry %(number)s must be a mapping of fields such as {id: a, text: ...}"
    ),
    "native.not_a_mapping": N_(
        "the file must be a mapping with a bank: section and a questions: list"
    ),
    "native.format": N_("format must be %(format)s; found %(found)s"),
    "native.no_bank": N_("the file has no bank: section (id and title)"),
    "native.bank_not_mapping": N_("the file has a bank: that is not a mapping (id and title)"),
    "native.no_questions": N_("the file has no questions: list"),
    "native.given_twice": N_("%(where)s: %(key)s is given twice; the last one is used"),
    "native.not_utf8": N_("the file is not UTF-8 text; save it as UTF-8 and try again"),
    "native.yaml_unreadable": N_("the YAML cannot be read: %(error)s"),
    "native.yaml_too_large": N_(
        "the YAML expands to far more values than a bank holds (nested aliases?)"
    ),
    "native.yaml_syntax": N_("YAML syntax error: %(error)s"),
    "native.yaml_syntax_tabs": N_("YAML syntax error: %(error)s; indent with spaces, not tabs"),
    "native.yaml_syntax_context": N_(
        "YAML syntax error: %(error)s (%(context)s that starts on line %(line)s)"
    ),
    "native.yaml_syntax_tabs_context": N_(
        "YAML syntax error: %(error)s; indent with spaces, not tabs "
        "(%(context)s that starts on line %(line)s)"
    ),
    "native.json_syntax": N_("JSON syntax error: %(error)s (column %(column)s)"),
    "native.json_syntax_comma": N_(
        "JSON syntax error: %(error)s (column %(column)s); is there a comma after the last field?"
    ),
    "native.json_too_deep": N_("the JSON is nested too deeply"),
    # what the bank's JSON Schema finds (native); `subject` is a native.where.* phrase
    "native.schema_pattern": N_("%(subject)s %(value)s should be written as %(hint)s"),
    "native.schema_type": N_("%(subject)s must be %(kind)s"),
    "native.schema_other": N_("%(subject)s: %(error)s"),
    "native.hint.slug": N_("lowercase letters, digits and hyphens"),
    "native.hint.item_id": N_("letters, digits, '.', '_' and '-' only"),
    "native.hint.clause": N_('a clause number such as "8.5.1"'),
    "native.hint.language": N_("a language code such as en or pt-BR"),
    "native.hint.other": N_("the documented form"),
    "native.want.string": N_("text"),
    "native.want.array": N_("a list"),
    "native.want.object": N_("a mapping"),
    "native.want.boolean": N_("true or false"),
    "native.want.integer": N_("a whole number"),
    "native.want.number": N_("a number"),
    # zip archives: QTI packages and workbooks (safe_zip)
    "zip.unreadable": N_("the file is not a readable zip archive: %(error)s"),
    "zip.too_many_entries": N_(
        "the archive holds %(entries)s entries; at most %(limit)s are accepted"
    ),
    "zip.too_large": N_(
        "the archive would unpack to %(total)s bytes; at most %(limit)s are accepted"
    ),
    "zip.backslash": N_(
        "the entry name contains a backslash, which could place it outside the package"
    ),
    "zip.absolute": N_("the entry has an absolute path; package entries must be relative"),
    "zip.parent": N_("the entry name contains '..', which would place it outside the package"),
    "zip.symlink": N_("the entry is a symbolic link; packages may only hold plain files"),
    "zip.encrypted": N_("the entry is encrypted; Clausewise cannot read encrypted packages"),
    "zip.twice": N_("the entry name appears twice in the archive"),
    "zip.bomb": N_(
        "the entry would expand %(ratio)s times (%(size)s bytes from %(compressed)s); "
        "more than %(limit)s times looks like a zip bomb"
    ),
    "zip.entry_unreadable": N_("the entry could not be unpacked: %(error)s"),
    "zip.entry_too_large": N_("the entry unpacks to more bytes than its header declares"),
    # XML files (xml_support)
    "xml.not_well_formed": N_(
        "the file is not well-formed XML (line %(line)s, column %(column)s): %(reason)s"
    ),
    "xml.entities": N_(
        "the file declares XML entities, which Clausewise refuses: entity declarations can "
        "expand into an enormous document (the 'billion laughs' attack); export the file "
        "again without a DOCTYPE"
    ),
    "xml.external": N_(
        "the file refers to an external resource through its DOCTYPE, which Clausewise "
        "refuses to fetch; export the file again without a DOCTYPE"
    ),
    "xml.declaration": N_("the file's XML declaration is unusable: %(error)s"),
    "xml.unreadable": N_("the file could not be read as XML: %(error)s"),
    "xml.id_renamed": N_("id '%(id)s' is used by an earlier question too; renamed to '%(new_id)s'"),
    # where a problem sits and the line that reports it (app.messages.render_problem)
    "file.no_name": N_("<input>"),
    "file.at_line": N_("%(file)s:%(line)s"),
    "file.at_line_path": N_("%(file)s:%(line)s (%(path)s)"),
    "file.at_row": N_("%(file)s: row %(row)s"),
    "file.at_cell": N_("%(file)s: row %(row)s, column %(column)s"),
    "file.at_path": N_("%(file)s: %(path)s"),
    "file.problem_error": N_("%(where)s: error: %(message)s"),
    "file.problem_warning": N_("%(where)s: warning: %(message)s"),
    # any format (__init__, type_formats, grader_notes)
    "file.cannot_tell": N_(
        "cannot tell the format of %(file)s; name it with one of the extensions %(extensions)s"
    ),
    "file.cannot_tell_unnamed": N_(
        "cannot tell the format of the file; name it with one of the extensions %(extensions)s"
    ),
    "file.unknown_format": N_("unknown format %(format)s; known formats: %(known)s"),
    "file.read_only": N_("Clausewise can read %(format)s files but not write them"),
    "file.cannot_write": N_("%(format)s cannot express a %(type)s question"),
    "file.rubric_row": N_(
        "rubric row %(row)s needs a criterion and a number of marks; "
        "it has '%(criterion)s' and '%(marks)s'"
    ),
}


# Files and markup that travel with questions (app/domain/assets.py, html_media.py,
# the readers' file handling): codes "asset.*" and "markup.*". Each names the element
# it is about through its location; these are warnings unless said otherwise.
MEDIA: dict[str, Text] = {
    "asset.name": N_("the file '%(name)s' has no usable name and was left out"),
    "asset.too_large": N_(
        "the file '%(name)s' is %(size)s KB, more than the %(limit)s KB a file may have; "
        "it was left out"
    ),
    "asset.type": N_(
        "the file '%(name)s' is not a PNG, JPEG, GIF or WebP image or an MP3, OGG or M4A "
        "sound (SVG is refused); it was left out"
    ),
    "asset.not_base64": N_("the file '%(name)s' is not valid base64 and was left out"),
    "asset.missing": N_(
        "the text refers to the file '%(name)s', which is not in the file; it shows as its "
        "description"
    ),
    "asset.not_exported": N_(
        "'%(question)s' shows the file '%(name)s', which a %(format)s file cannot carry; "
        "the text keeps the reference asset:%(name)s"
    ),
    "markup.object": N_("an embedded <object> (%(data)s) was replaced by its fallback content"),
    "markup.dropped": N_("the <%(element)s> element cannot be kept and was removed"),
    "markup.stimulus_missing": N_(
        "the stimulus '%(href)s' is not in the package; the item is imported without it"
    ),
    "markup.stimulus_shape": N_(
        "the stimulus '%(href)s' is not an assessmentStimulus with a stimulusBody; the item "
        "is imported without it"
    ),
    "markup.stimulus_empty": N_(
        "the stimulus '%(href)s' has no text; the item is imported without it"
    ),
    "markup.stimulus_extra": N_(
        "the stimulus '%(href)s' is a second case text; a question shows one, so the first is kept"
    ),
    "markup.image": N_(
        "the image '%(src)s' is not a file of the package or export and shows as its description"
    ),
}


# Writers (export_notes.py): codes "export.*", warnings about parts of a written question
# that its format cannot hold. `format` is the format's name as the export menu shows it.
EXPORT: dict[str, Text] = {
    "export.translations_lost": ngettext(
        "%(format)s cannot carry translations, so those of %(num)d item are left out; "
        "export YAML, JSON, CSV, XLSX, Moodle XML or QTI to keep them",
        "%(format)s cannot carry translations, so those of %(num)d items are left out; "
        "export YAML, JSON, CSV, XLSX, Moodle XML or QTI to keep them",
    ),
    "export.translation_sheet": N_(
        "question '%(question)s': its %(language)s translation does not fit the columns "
        "(%(reason)s), so it is left out"
    ),
    "export.translation_misfit": N_(
        "%(item)s: its %(language)s translation does not fit the source as it stands, so "
        "%(format)s leaves it out; update the translation, or export YAML or JSON to keep it"
    ),
    "export.translation_stale": N_(
        "%(item)s: its %(language)s translation was made from earlier source texts and "
        "%(format)s cannot record that, so it is left out (it would come back as up to "
        "date); update the translation, or export YAML, JSON or QTI to keep it"
    ),
    "export.feedback_lost": N_(
        "question '%(question)s': %(format)s cannot hold its feedback for right, partly "
        "right and wrong answers, so it is left out"
    ),
    "export.hints_lost": ngettext(
        "question '%(question)s': %(format)s cannot hold its hint, so it is left out",
        "question '%(question)s': %(format)s cannot hold its %(num)d hints, so they are left out",
    ),
    "export.hints_qti": ngettext(
        "question '%(question)s': QTI has no place for hints, so its hint travels in the "
        "package's Clausewise metadata, which Clausewise reads back but other tools ignore",
        "question '%(question)s': QTI has no place for hints, so its %(num)d hints travel "
        "in the package's Clausewise metadata, which Clausewise reads back but other tools "
        "ignore",
    ),
    "export.hints_moodle_kind": ngettext(
        "question '%(question)s': Moodle's import reads no hints for its kind (%(kind)s), "
        "so its hint is in the file for Clausewise only",
        "question '%(question)s': Moodle's import reads no hints for its kind (%(kind)s), "
        "so its %(num)d hints are in the file for Clausewise only",
    ),
    "export.rubric_gift": N_(
        "question '%(question)s': GIFT has no grader information, so the essay's rubric "
        "(%(count)s criteria) and model answer reach Moodle only as text in its general "
        "feedback, which learners may see in review, without marks per criterion; the "
        "Clausewise comment keeps them exactly for Clausewise"
    ),
}


# Translations in the native format (native_translations, app.domain.translation):
# codes "translation.*". `item` is the question's or case text's id, `language` the
# translation's language tag, `field` a field name as the file spells it.
TRANSLATION: dict[str, Text] = {
    "translation.missing": N_(
        "%(item)s, translation %(language)s: %(field)s is missing; the source has it"
    ),
    "translation.extra_field": N_(
        "%(item)s, translation %(language)s: %(field)s is not in the source; remove it"
    ),
    "translation.unknown_part": N_(
        "%(item)s, translation %(language)s: %(field)s names %(id)s, which the source does not have"
    ),
    "translation.missing_parts": N_(
        "%(item)s, translation %(language)s: %(field)s lacks %(ids)s, which the source has"
    ),
    "translation.pair_fields": N_(
        "%(item)s, translation %(language)s: pair %(id)s needs a prompt and a match"
    ),
    "translation.count": ngettext(
        "%(item)s, translation %(language)s: %(field)s has %(num)d entry; the source has "
        "%(expected)s, and they follow its order",
        "%(item)s, translation %(language)s: %(field)s has %(num)d entries; the source has "
        "%(expected)s, and they follow its order",
    ),
    "translation.rubric_fields": N_(
        "%(item)s, translation %(language)s: rubric line %(number)s needs exactly %(fields)s, "
        "as in the source"
    ),
    "translation.empty": N_("%(item)s, translation %(language)s: %(field)s has an empty text"),
    "translation.no_answers": N_(
        "%(item)s, translation %(language)s: answers needs at least one accepted answer"
    ),
    "translation.shared_match": N_(
        "%(item)s, translation %(language)s: prompts that share a match in the source must "
        "share one translation of it"
    ),
    "translation.matches_alike": N_(
        "%(item)s, translation %(language)s: matches that differ in the source read alike in "
        "the translation"
    ),
    "translation.repeated": N_(
        "%(item)s, translation %(language)s: two entries of %(field)s read alike"
    ),
    "translation.not_mapping": N_(
        "%(where)s: translations must map language tags (such as zh-Hans) to translations"
    ),
    "translation.bad_tag": N_(
        "%(where)s: %(language)s is not a language tag such as zh-Hans or pt-BR"
    ),
    "translation.same_language": N_(
        "%(where)s: %(language)s is the bank's own language; a translation is into another one"
    ),
    "translation.entry_mapping": N_(
        "%(where)s: translation %(language)s must be a mapping of fields"
    ),
    "translation.source_language": N_(
        "translation %(language)s: source_language %(found)s is not the bank's language %(bank)s"
    ),
    "translation.status": N_(
        "translation %(language)s: status must be current or stale; found %(found)s"
    ),
    "translation.parts_mapping": N_("%(field)s must map ids to texts, such as {a: …, b: …}"),
    "translation.pair_mapping": N_("pair %(id)s must be a mapping with a prompt and a match"),
    "translation.data_mapping": N_(
        "data must map each group of the type's texts to its texts by id, such as {items: {i1: …}}"
    ),
    # merging translation sidecars into bank files (native_merge)
    "merge.bank_unreadable": N_(
        "%(file)s has errors of its own; check it with flask banks validate, then merge again"
    ),
    "merge.sidecar_shape": N_(
        "%(file)s must be a mapping with bank:, questions: and (optionally) scenarios:"
    ),
    "merge.no_language": N_(
        "%(file)s names no language: give language: zh-Hans in the file or --language"
    ),
    "merge.changed_more": N_(
        "merging into %(file)s would change more than its translations, so nothing was merged"
    ),
    "merge.section_shape": N_("%(section)s must map item ids to their translations"),
    "merge.unknown_item": N_("%(section)s: the bank has no item %(id)s"),
    "merge.entry_shape": N_("%(id)s: the translation must be a mapping of fields"),
}


TEXTS: dict[str, Text] = {**GIFT, **MOODLE, **QTI, **FILES, **MEDIA, **EXPORT, **TRANSLATION}
