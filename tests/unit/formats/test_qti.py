"""IMS QTI: package round trips, QTI 2.1 and 3.0 imports, and broken items and packages."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import fields
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from app.domain.records import BankRecord, Location, ParseResult, QuestionRecord
from app.domain.validation import validate_bank
from app.formats import qti
from app.messages import render, render_location
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).parents[2] / "data" / "qti"
QTI21 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def zip_folder(folder: Path) -> bytes:
    """A zip of a corpus folder, entries named relative to it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def zip_entries(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_corpus(name: str) -> ParseResult:
    return qti.read((DATA / name).read_bytes(), name)


def assert_same_questions(expected: list[QuestionRecord], actual: list[QuestionRecord]) -> None:
    """Every field of every question equal, except where it was read from."""
    assert [q.id for q in actual] == [q.id for q in expected]
    for want, got in zip(expected, actual, strict=True):
        for f in fields(QuestionRecord):
            if f.name != "location":
                assert getattr(got, f.name) == getattr(want, f.name), f"{want.id}.{f.name}"


def test_every_type_round_trips_through_a_package_field_by_field():
    bank = every_type_bank()
    exported = qti.write(bank)
    result = qti.read(exported.data, "sample.zip")
    assert exported.skipped == []
    assert result.problems == []
    assert result.unsupported == []
    assert_same_questions(bank.questions, result.bank.questions)
    assert result.bank == bank


def test_round_tripped_package_is_a_valid_bank_with_located_questions():
    result = qti.read(qti.write(every_type_bank()).data, "sample.zip")
    assert [p for p in validate_bank(result.bank) if p.severity == "error"] == []
    located = [q.location for q in result.bank.questions if q.location]
    assert [loc.file for loc in located][:2] == [
        "sample.zip!items/q-single.xml",
        "sample.zip!items/q-multi.xml",
    ]
    assert {loc.path for loc in located} == {"assessmentItem"}


def test_package_holds_a_manifest_and_one_qti21_item_per_question():
    with zipfile.ZipFile(io.BytesIO(qti.write(every_type_bank()).data)) as archive:
        names = archive.namelist()
        manifest = SafeET.fromstring(archive.read("imsmanifest.xml"))
        items = {n: SafeET.fromstring(archive.read(n)) for n in names if n.startswith("items/")}
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert [r.get("href") for r in resources] == [n for n in names if n != "imsmanifest.xml"]
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv2p1"}
    assert {i.tag for i in items.values()} == {f"{QTI21}assessmentItem"}
    assert len(items) == 7


def test_scenario_text_is_in_each_of_its_items_and_in_the_manifest():
    with zipfile.ZipFile(io.BytesIO(qti.write(every_type_bank()).data)) as archive:
        manifest = archive.read("imsmanifest.xml").decode()
        match_item = SafeET.fromstring(archive.read("items/q-match.xml"))
        single_item = archive.read("items/q-single.xml").decode()
    assert "A desk with **30** agents." in manifest
    block = next(d for d in match_item.iter(f"{QTI21}div") if d.get("class"))
    assert block.get("class") == "clausewise-scenario"
    assert "".join(block.itertext()) == "A service deskA desk with 30 agents.\n"
    assert "clausewise-scenario" not in single_item


def test_one_item_file_of_a_package_imports_on_its_own_with_defaults():
    with zipfile.ZipFile(io.BytesIO(qti.write(every_type_bank()).data)) as archive:
        data = archive.read("items/q-match.xml")
    result = qti.read(data, "q-match.xml")
    (question,) = result.bank.questions
    assert (question.id, question.type, question.level, question.clauses) == (
        "q-match",
        "matching",
        "foundation",
        [],
    )
    assert (question.pairs[0].prompt, question.pairs[0].match) == (
        "Restore service quickly",
        "Incident management",
    )
    assert question.scenario == "sc-desk"
    assert [(s.id, s.title, s.text) for s in result.bank.scenarios] == [
        ("sc-desk", "A service desk", "A desk with **30** agents.")
    ]


def test_writer_lists_types_qti_cannot_hold_as_skipped():
    bank = every_type_bank()
    bank.questions.append(QuestionRecord("q-num", "numerical", "How many agents?"))
    exported = qti.write(bank)
    assert [(s.kind, s.name, s.location.path) for s in exported.skipped] == [
        ("numerical", "q-num", "q-num")
    ]
    assert len(qti.read(exported.data, "b.zip").bank.questions) == 7


def test_writing_the_same_bank_twice_gives_the_same_bytes():
    assert qti.write(every_type_bank()).data == qti.write(every_type_bank()).data


def test_qti21_choice_item_imports_prompt_feedback_and_key():
    result = read_corpus("item21_choice.xml")
    (q,) = result.bank.questions
    assert result.problems == []
    assert (q.id, q.type, q.title) == (
        "incident-first-step",
        "single_choice",
        "Incident first step",
    )
    assert q.stem == (
        "A user reports that the *payroll* service is down.\n\n"
        "What should the service desk do **first**?"
    )
    assert [(o.id, o.correct) for o in q.options] == [
        ("ChoiceA", True),
        ("ChoiceB", False),
        ("ChoiceC", False),
    ]
    assert q.explanation == "Incidents are recorded and classified before anything else."
    assert (q.level, q.clauses, q.location.path) == ("foundation", [], "assessmentItem")


def test_qti21_text_entry_accepts_correct_and_positively_mapped_answers():
    (q,) = read_corpus("item21_text_entry.xml").bank.questions
    assert q.type == "short_answer"
    assert q.answers == ["8.6.3", "clause 8.6.3"]
    assert q.stem == "Problem management is described in clause _____ of ISO/IEC 20000-1:2018."
    assert q.marks == 2.0


def test_qti30_items_read_like_qti21():
    multi = read_corpus("item30_choice.xml").bank.questions[0]
    assert multi.type == "multiple_response"
    assert [(o.id, o.text, o.correct, o.feedback) for o in multi.options] == [
        ("scope", "Scope statement", True, "Yes."),
        ("policy", "Service management policy", True, ""),
        ("menu", "Staff canteen menu", False, ""),
    ]
    assert multi.marks == 2.0
    order = read_corpus("item30_order.xml").bank.questions[0]
    assert order.stem == "Put the change activities in order."
    # Renumbered in the key's order, as Moodle XML's reader does; the texts keep the order.
    assert [s.id for s in order.steps] == ["s1", "s2", "s3"]


def test_ordering_choices_are_written_in_text_order_and_ids_that_reveal_no_key():
    with zipfile.ZipFile(io.BytesIO(qti.write(every_type_bank()).data)) as archive:
        item = SafeET.fromstring(archive.read("items/q-order.xml"))
    choices = list(item.iter(f"{QTI21}simpleChoice"))
    listed = [("".join(c.itertext()), c.get("identifier")) for c in choices]
    # The key is assess, approve, deploy, review; a player that ignores shuffle shows
    # the file's order, and identifiers are on the page: neither may follow the key.
    assert listed == [
        ("Approve the change", "c1"),
        ("Assess the request", "c2"),
        ("Deploy the change", "c3"),
        ("Review the change", "c4"),
    ]
    key = [v.text for v in item.iter(f"{QTI21}value")][:4]
    assert key == ["c2", "c1", "c3", "c4"]


def test_true_false_is_recognised_in_a_foreign_two_choice_item():
    xml = (
        f'<assessmentItem xmlns="{QTI21[1:-1]}" identifier="tf" title="TF">'
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        "<correctResponse><value>F</value></correctResponse></responseDeclaration><itemBody>"
        '<choiceInteraction responseIdentifier="R" maxChoices="1"><prompt>Audits are optional.'
        '</prompt><simpleChoice identifier="T">True</simpleChoice><simpleChoice identifier="F">'
        "False</simpleChoice></choiceInteraction></itemBody></assessmentItem>"
    )
    (q,) = qti.read(xml.encode(), "tf.xml").bank.questions
    assert (q.type, q.answer, q.options) == ("true_false", False, [])


def test_qti21_package_reads_items_and_ignores_tests_and_web_content():
    result = qti.read(zip_folder(DATA / "package21"), "package21.zip")
    assert result.errors == []
    assert [(q.id, q.type) for q in result.bank.questions] == [
        ("incident-first-step", "single_choice"),
        ("practice-match", "matching"),
        ("finding-essay", "essay"),
    ]
    match = result.bank.questions[1]
    assert [(p.id, p.match) for p in match.pairs] == [
        ("G1", "Incident management"),
        ("G2", "Problem management"),
    ]
    assert match.extra_matches == ["Capacity management"]
    essay = result.bank.questions[2]
    assert (essay.marks, [c.marks for c in essay.rubric]) == (3.0, [3.0])
    (warning,) = result.problems
    assert warning.location.file == "package21.zip!items/essay.xml"


def test_qti30_package_follows_encoded_and_dotted_hrefs():
    result = qti.read(zip_folder(DATA / "package30"), "package30.zip")
    assert result.problems == []
    assert [q.id for q in result.bank.questions] == ["sms-documents", "change-order"]
    assert result.bank.questions[0].location.file == "package30.zip!items/sms documents.xml"


UNSUPPORTED = [
    ("gapMatchInteraction", '<gapMatchInteraction responseIdentifier="R"/>'),
    ("sliderInteraction", '<sliderInteraction responseIdentifier="R" lowerBound="0"/>'),
    ("graphicOrderInteraction", '<graphicOrderInteraction responseIdentifier="R"/>'),
]


@pytest.mark.parametrize(("kind", "body"), UNSUPPORTED)
def test_interactions_clausewise_does_not_grade_are_unsupported_not_errors(kind, body):
    xml = f'<assessmentItem xmlns="{QTI21[1:-1]}" identifier="x" title="Other"><itemBody>{body}'
    result = qti.read(f"{xml}</itemBody></assessmentItem>".encode(), "other.xml")
    assert result.problems == []
    assert [(u.kind, u.name, u.location.path) for u in result.unsupported] == [
        (kind, "Other", f"assessmentItem/itemBody/{kind}")
    ]


def test_hotspot_item_is_unsupported_with_its_element_path():
    result = read_corpus("item21_hotspot.xml")
    assert result.bank.questions == []
    (item,) = result.unsupported
    assert (item.kind, item.name) == ("hotspotInteraction", "Find the process owner")
    assert item.location == Location(
        file="item21_hotspot.xml", line=9, path="assessmentItem/itemBody/div/hotspotInteraction"
    )


MALFORMED = [
    ("bad_xml.xml", None, 5, "not well-formed XML (line 5, column 5): mismatched tag"),
    ("billion_laughs.xml", None, None, "billion laughs"),
    (
        "unknown_choice_identifier.xml",
        "assessmentItem/responseDeclaration[1]/correctResponse/value[2]",
        7,
        "correctResponse names 'E', but the choiceInteraction has no choice with identifier 'E'",
    ),
    (
        "order_incomplete.xml",
        "assessmentItem/responseDeclaration[1]",
        4,
        "lists 2 identifiers for 3 choices",
    ),
    (
        "match_bad_pair.xml",
        "assessmentItem/responseDeclaration[1]/correctResponse/value[2]",
        5,
        "value 'G2' is not a pair of identifiers",
    ),
    (
        "missing_declaration.xml",
        "qti-assessment-item/qti-item-body/qti-choice-interaction",
        5,
        "declares no responseDeclaration with that identifier",
    ),
    ("wrong_root.xml", "assessmentTest", None, "root element is <assessmentTest>"),
]


@pytest.mark.parametrize(("name", "path", "line", "words"), MALFORMED)
def test_malformed_item_gives_a_located_error_saying_what_is_wrong(name, path, line, words):
    result = read_corpus(f"malformed/{name}")
    assert result.bank.questions == []
    (error,) = result.errors
    assert error.location == Location(
        file=f"malformed/{name}", line=line, column=error.location.column, path=path
    )
    assert words in render(error.message)


def test_manifest_href_to_a_missing_file_is_an_error_at_its_resource():
    folder = DATA / "malformed" / "package_missing_file"
    result = qti.read(zip_folder(folder), "missing.zip")
    (error,) = result.errors
    assert error.location == Location(
        file="missing.zip!imsmanifest.xml", line=8, path="manifest/resources/resource[2]"
    )
    assert render(error.message) == (
        "resource 'RES-absent' points to 'items/absent.xml', which is not in the package"
    )
    assert [q.id for q in result.bank.questions] == ["incident-first-step"]


def test_bad_clausewise_metadata_is_reported_per_resource():
    folder = DATA / "malformed" / "package_bad_metadata"
    result = qti.read(zip_folder(folder), "meta.zip")
    # the line of each metadata element, which is where the JSON is
    assert [e.location.line for e in result.errors[:2]] == [7, 13]
    assert [(e.location.path, render(e.message)) for e in result.errors] == [
        (
            "manifest/resources/resource[1]/metadata/question",
            "resource 'RES-1': the Clausewise metadata is not valid JSON (Expecting ',' delimiter)",
        ),
        (
            "manifest/resources/resource[2]/metadata/question",
            "resource 'RES-2': metadata field 'level' has the unusable value 'expert'",
        ),
        (
            "manifest/resources/resource[2]/metadata/question",
            "resource 'RES-2': metadata field 'clauses' has the unusable value '8.6.3'",
        ),
    ]


def test_href_leaving_the_package_is_refused():
    manifest = (DATA / "malformed" / "package_missing_file" / "imsmanifest.xml").read_bytes()
    manifest = manifest.replace(b'href="items/absent.xml"', b'href="../secret.xml"', 1)
    result = qti.read(zip_entries({"imsmanifest.xml": manifest}), "out.zip")
    assert any("'../secret.xml', outside the package" in render(e.message) for e in result.errors)


def test_path_traversal_zip_is_refused_before_reading_anything():
    data = zip_entries({"imsmanifest.xml": b"<manifest/>", "../../etc/evil.xml": b"<x/>"})
    result = qti.read(data, "evil.zip")
    (error,) = result.errors
    assert error.location == Location(file="evil.zip", path="../../etc/evil.xml")
    assert "outside the package" in render(error.message)


def test_zip_bomb_made_here_is_refused():
    data = zip_entries({"imsmanifest.xml": b"<manifest/>", "items/bomb.xml": bytes(20_000_000)})
    assert len(data) < 100_000
    (error,) = qti.read(data, "bomb.zip").errors
    assert error.location.path == "items/bomb.xml"
    assert "zip bomb" in render(error.message)


def test_package_without_manifest_says_so():
    result = qti.read(zip_entries({"items/a.xml": b"<assessmentItem/>"}), "bare.zip")
    assert render(result.errors[0].message).startswith("the package has no imsmanifest.xml")


def test_entity_expansion_in_a_manifest_is_refused():
    laughs = (DATA / "malformed" / "billion_laughs.xml").read_bytes()
    result = qti.read(zip_entries({"imsmanifest.xml": laughs}), "laughs.zip")
    (error,) = result.errors
    assert error.location.file == "laughs.zip!imsmanifest.xml"
    assert "declares XML entities" in render(error.message)


def test_an_item_with_two_interactions_is_unsupported():
    body = (
        '<choiceInteraction responseIdentifier="A"/><p>and <textEntryInteraction '
        'responseIdentifier="B"/></p>'
    )
    xml = f'<assessmentItem xmlns="{QTI21[1:-1]}" identifier="two" title="Two"><itemBody>{body}'
    result = qti.read(f"{xml}</itemBody></assessmentItem>".encode(), "two.xml")
    assert [u.kind for u in result.unsupported] == ["choiceInteraction + textEntryInteraction"]


def test_package_of_an_empty_bank_reads_back_as_nothing_to_import():
    result = qti.read(qti.write(BankRecord("empty", "Empty")).data, "empty.zip")
    assert result.bank.questions == []
    assert [render(e.message) for e in result.errors] == [
        "the manifest lists no QTI item resources"
    ]


def test_manifest_rubric_completes_a_foreign_essay_without_a_warning():
    folder = DATA / "package21"
    entries = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.xml")}
    meta = (
        '<metadata><cw:question xmlns:cw="urn:clausewise:qti-metadata:1">{"level": "auditor", '
        '"clauses": ["10.1"], "rubric": [{"criterion": "Evidence", "marks": 2, "guidance": '
        '"Cites CR-17"}, {"criterion": "Finding", "marks": 1}], "model_answer": "No approval."}'
        "</cw:question></metadata>"
    )
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b'href="items/essay.xml">', f'href="items/essay.xml">{meta}'.encode()
    )
    result = qti.read(zip_entries(entries), "essay.zip")
    assert result.problems == []
    essay = result.bank.questions[2]
    assert (essay.level, essay.clauses, essay.marks) == ("auditor", ["10.1"], 3.0)
    assert [(c.criterion, c.marks, c.guidance) for c in essay.rubric] == [
        ("Evidence", 2.0, "Cites CR-17"),
        ("Finding", 1.0, ""),
    ]
    assert essay.model_answer == "No approval."


def test_read_never_raises_on_hundreds_of_damaged_packages():
    rng = random.Random(21)
    original = qti.write(every_type_bank()).data
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        result = qti.read(bytes(damaged), "damaged.zip")
        assert result.errors or result.bank.questions


def _run_processing(item: bytes, response: list[str]) -> float:
    """SCORE after a QTI 2.1 responseProcessing run (see `_run_outcomes`)."""
    return float(_run_outcomes(item, response)["SCORE"])


def _run_outcomes(item: bytes, response: list[str]) -> dict[str, object]:
    """The outcomes after a QTI 2.1 responseProcessing run, for the subset of QTI
    expressions our exports use, evaluated as the QTI 2.1 specification defines them."""
    import defusedxml.ElementTree as SafeET

    ns = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
    root = SafeET.fromstring(item)
    values: dict[str, object] = {"RESPONSE": response, "SCORE": 0.0}

    def ev(el):
        tag = el.tag.removeprefix(ns)
        kids = list(el)
        if tag == "variable":
            return values[el.get("identifier")]
        if tag == "baseValue":
            text = el.text or ""
            return float(text) if el.get("baseType") == "float" else text
        if tag == "index":
            container = ev(kids[0])
            n = int(el.get("n"))
            return container[n - 1] if container and n <= len(container) else None
        if tag == "match":
            a, b = ev(kids[0]), ev(kids[1])
            return None if a is None or b is None else a == b
        if tag in ("and", "or"):
            found = [ev(k) for k in kids]
            if tag == "and":
                return False if False in found else None if None in found else True
            return True if True in found else None if None in found else False
        if tag == "sum":
            return sum(ev(k) for k in kids)
        if tag == "product":
            result = 1.0
            for k in kids:
                result *= ev(k)
            return result
        if tag == "divide":
            return ev(kids[0]) / ev(kids[1])
        if tag in ("gte", "gt"):
            a, b = ev(kids[0]), ev(kids[1])
            return a >= b if tag == "gte" else a > b
        raise AssertionError(f"unexpected expression {tag}")

    def run(rules):
        for rule in rules:
            tag = rule.tag.removeprefix(ns)
            if tag == "setOutcomeValue":
                values[rule.get("identifier")] = ev(rule[0])
            elif tag == "responseCondition":
                for branch in rule:
                    kind = branch.tag.removeprefix(ns)
                    if kind == "responseElse" or ev(branch[0]) is True:
                        run(branch[1:] if kind != "responseElse" else list(branch))
                        break
            else:
                raise AssertionError(f"unexpected rule {tag}")

    run(list(root.find(f"{ns}responseProcessing")))
    return values


def test_an_ordering_item_scores_every_order_as_clausewise_does():
    import itertools

    from app.domain import question_types
    from app.domain.records import StepRecord

    steps = [StepRecord(f"s{i}", f"Step {i}") for i in range(1, 5)]
    q = QuestionRecord(id="order", type="ordering", stem="Order them.", steps=steps, marks=2)
    with zipfile.ZipFile(io.BytesIO(qti.write(BankRecord("b", "B", questions=[q])).data)) as z:
        item = z.read("items/order.xml")
    kind = question_types.get("ordering")
    for order in itertools.permutations([s.id for s in steps]):
        expected = 2 * kind.grade(q, list(order))
        assert _run_processing(item, list(order)) == pytest.approx(expected), order
    assert _run_processing(item, [s.id for s in steps]) == 2.0


def test_an_ordering_item_shows_the_combined_feedback_of_each_orders_outcome():
    import itertools

    from app.domain import question_types
    from app.domain.records import StepRecord, outcome_feedback

    steps = [StepRecord(f"s{i}", f"Step {i}") for i in range(1, 5)]
    q = QuestionRecord(id="order", type="ordering", stem="Order them.", steps=steps, marks=0.1)
    q.correct_feedback, q.partial_feedback, q.incorrect_feedback = "all", "some", "none"
    with zipfile.ZipFile(io.BytesIO(qti.write(BankRecord("b", "B", questions=[q])).data)) as z:
        item = z.read("items/order.xml")
    kind = question_types.get("ordering")
    shown = {"correct": "all", "partially_correct": "some", "incorrect": "none"}
    seen = set()
    for order in itertools.permutations([s.id for s in steps]):
        outcome = _run_outcomes(item, list(order))["FEEDBACKBASIC"]
        assert shown[outcome] == outcome_feedback(q, kind.grade(q, list(order))), order
        seen.add(outcome)
    assert seen == set(shown)


@pytest.mark.parametrize(
    ("name", "kind", "path"),
    [
        ("no_interaction.xml", "no interaction", "assessmentItem/itemBody"),
        (
            "missing_correct_response.xml",
            "choiceInteraction without a correct response",
            "assessmentItem/itemBody/choiceInteraction",
        ),
    ],
)
def test_items_with_nothing_to_score_are_unsupported_like_moodle_descriptions(name, kind, path):
    result = read_corpus(f"malformed/{name}")
    assert result.errors == [] and result.bank.questions == []
    (skipped,) = result.unsupported
    assert (skipped.kind, skipped.location.path) == (kind, path)


def test_an_item_edited_in_another_tool_keeps_its_edit_over_the_exact_source_text():
    bank = every_type_bank()
    single = next(q for q in bank.questions if q.id == "q-single")
    single.stem = single.stem + "\n"  # a trailing newline XHTML cannot hold
    data = qti.write(bank).data
    untouched = next(q for q in qti.read(data, "b.zip").bank.questions if q.id == "q-single")
    assert untouched.stem == single.stem  # the exact text comes back
    first_word = single.stem.split()[0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    item = entries["items/q-single.xml"].decode()
    entries["items/q-single.xml"] = item.replace(first_word, "Edited", 1).encode()
    edited = qti.read(zip_entries(entries), "b.zip").bank.questions
    q = next(q for q in edited if q.id == "q-single")
    assert q.stem.startswith("Edited") and q.stem != single.stem


def test_errors_in_a_package_name_the_item_file_the_line_and_the_element():
    folder = DATA / "malformed" / "package_located"
    result = qti.read(zip_folder(folder), "located.zip")
    assert result.bank.questions == []
    found = [(render_location(p.location), p.severity) for p in result.problems]
    assert found == [
        ("located.zip!items/two_keys.xml:4 (assessmentItem/responseDeclaration[1])", "error"),
        ("located.zip!items/one_set.xml:11 (assessmentItem/itemBody/matchInteraction)", "error"),
        ("located.zip!items/no_text.xml:10 (assessmentItem/itemBody)", "error"),
    ]
    assert "exactly one correct choice" in render(result.problems[0].message)


def test_a_warning_names_its_line_and_element_too():
    result = read_corpus("feedback21_other_condition.xml")
    (warning,) = result.problems
    assert (warning.location.line, warning.location.path) == (38, "assessmentItem/modalFeedback[1]")
