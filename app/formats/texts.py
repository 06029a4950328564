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


# Moodle XML (moodle*.py): codes "moodle.*".
MOODLE: dict[str, Text] = {}


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
    "qti.no_interaction": N_("its itemBody holds no interaction, so there is nothing to answer"),
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
    "qti.metadata_value": N_("metadata field '%(field)s' has the unusable value %(value)s"),
    "qti.metadata_rubric": N_(
        "metadata field 'rubric' must be a list of {criterion, marks, guidance}"
    ),
}


# Sheets, native YAML/JSON and the shared readers (sheet*, spreadsheet, csv_format,
# xlsx_format, native*, safe_zip, xml_support, tables, tags, __init__): codes "sheet.*",
# "native.*", "file.*", "zip.*", "xml.*".
FILES: dict[str, Text] = {}


TEXTS: dict[str, Text] = {**GIFT, **MOODLE, **QTI, **FILES}
