"""Matching with shared matches in every format (issue 18, point 5).

Each fixture under tests/data is written in the shape of the files other tools make
(Moodle's matching export and GIFT, 1EdTech's QTI match example) or of our own native
and spreadsheet files. Each is imported, graded, exported in every format that holds
matching and read back: the content hash never changes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import pytest

from app.domain import question_types
from app.domain.answer_ids import new_secret
from app.domain.content import content_hash
from app.domain.records import (
    COMBINED_FEEDBACK,
    BankRecord,
    PairRecord,
    QuestionRecord,
    has_feedback_extras,
)
from app.domain.validation import validate_bank
from app.formats import qti, read_file, write_bank
from app.messages import render

DATA = Path(__file__).parents[2] / "data"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
KIND = question_types.get("matching")

FIXTURES = {
    "matching/shared.yaml": "yaml",
    "matching/shared.csv": "csv",
    "gift/valid/matching_shared.gift": "gift",
    "moodlexml/matching_shared_answers.xml": "moodlexml",
    "qti/item21_match_shared.xml": "qti",
}
EXPORTS = ["yaml", "json", "csv", "xlsx", "gift", "moodlexml", "qti"]
FILE_NAMES = {"moodlexml": "back.xml", "qti": "back.zip"}
# Trips that change a question for reasons that have nothing to do with shared matches,
# as they do for every matching question: spreadsheets and Moodle XML number pairs p1,
# p2… (the QTI item names them PAY, ROOT…), and QTI escapes the raw HTML GIFT's [html]
# texts keep (the stem as much as the prompts).
LOSSY = {
    ("qti/item21_match_shared.xml", "csv"),
    ("qti/item21_match_shared.xml", "xlsx"),
    ("qti/item21_match_shared.xml", "moodlexml"),
    ("gift/valid/matching_shared.gift", "qti"),
}
NO_FEEDBACK_EXTRAS = {"gift"}
TRIPS = [(name, fmt) for name in FIXTURES for fmt in EXPORTS if (name, fmt) not in LOSSY]

# The record every fixture holds first (GIFT keeps its [html] prompts as written).
HANDLED_BY = [
    ("The payroll service stopped at 09:10", "Incident management"),
    ("The root cause of last month's three outages is unknown", "Problem management"),
    ("Users on floor 4 cannot print", "Incident management"),
    ("A new starter asks for a laptop", "Service request management"),
]


def read_fixture(name: str) -> BankRecord:
    result = read_file((DATA / name).read_bytes(), Path(name).name, FIXTURES[name])
    assert result.problems == [], [render(p.message) for p in result.problems]
    return result.bank


def full_marks_from_the_view(q: QuestionRecord) -> dict[str, str]:
    """The right answer, built as a learner builds one: texts read off the view."""
    ids = question_types.answer_ids(new_secret(), 1, q)
    view = KIND.learner_view(q, None, ids)
    shown = {m["text"]: m["id"] for m in view["matches"]}
    assert len(shown) == len(view["matches"])  # each match offered once
    response = {ids.public("prompt", p.id): shown[p.match] for p in q.pairs}
    parsed = KIND.parse_response(q, response, ids)
    assert isinstance(parsed, dict)
    return parsed


@pytest.mark.parametrize("name", list(FIXTURES))
def test_each_fixture_imports_as_matching_with_a_shared_match(name: str):
    bank = read_fixture(name)
    errors = [render(p.message) for p in validate_bank(bank) if p.severity == "error"]
    assert errors == []
    first = bank.questions[0]
    assert first.type == "matching"
    prompts = [(p.prompt.removeprefix("<p>").removesuffix("</p>"), p.match) for p in first.pairs]
    assert prompts == HANDLED_BY
    assert first.extra_matches == ["Capacity management"]


@pytest.mark.parametrize(("name", "fmt"), TRIPS)
def test_import_grade_export_and_reimport_keeps_the_content_hash(name: str, fmt: str):
    """Every fixture in its own format, and in every other one that keeps its content."""
    bank = read_fixture(name)
    for q in bank.questions:
        assert KIND.grade(q, full_marks_from_the_view(q)) == 1.0, q.id
        shared = next(p for p in q.pairs if [x.match for x in q.pairs].count(p.match) > 1)
        others = [m for m in {p.match for p in q.pairs} if m != shared.match]
        wrong = KIND.correct_response(q) | {shared.id: others[0]}
        assert KIND.grade(q, wrong) == pytest.approx(1 - 1 / len(q.pairs)), q.id
    exported = write_bank(bank, fmt)
    assert exported.skipped == []
    back = read_file(exported.data, FILE_NAMES.get(fmt, f"back.{fmt}"), fmt)
    assert back.problems == [], [render(p.message) for p in back.problems]
    expected = bank.questions
    if fmt in NO_FEEDBACK_EXTRAS and any(has_feedback_extras(q) for q in bank.questions):
        # GIFT has no place for combined feedback or hints: the export says so, and the
        # trip keeps everything else.
        assert exported.warnings
        expected = [replace(q, hints=[], **dict.fromkeys(COMBINED_FEEDBACK, "")) for q in expected]
    assert [content_hash(q) for q in back.bank.questions] == [content_hash(q) for q in expected]


def test_every_fixture_makes_the_trip_through_its_own_format():
    assert all((name, fmt) in TRIPS for name, fmt in FIXTURES.items())


def test_moodle_drops_an_empty_subquestion_repeating_an_answer_and_keeps_lookalike_numbers():
    """Moodle offers each answer text once: the empty subquestion answering '0' adds no
    choice. '0' and '0.0' are different texts, so different matches."""
    release = read_fixture("moodlexml/matching_shared_answers.xml").questions[1]
    assert [p.match for p in release.pairs] == ["0", "0.0", "0"]
    assert release.extra_matches == ["1.0"]
    shown = [m["text"] for m in KIND.learner_view(release)["matches"]]
    assert sorted(shown) == ["0", "0.0", "1.0"]


def test_gift_drops_a_distractor_repeating_an_answer_as_moodle_does():
    clauses = read_fixture("gift/valid/matching_shared.gift").questions[1]
    assert [p.match for p in clauses.pairs] == ["8.7.2", "8.7.1", "8.7.1", "8.4.3"]
    assert clauses.extra_matches == ["8.7.3"]


def test_a_shared_answer_spelt_two_ways_is_read_then_refused_with_both_spellings():
    name = "moodlexml/malformed/matching_shared_answer_spelt_twice.xml"
    result = read_file((DATA / name).read_bytes(), "owners.xml", "moodlexml")
    errors = [render(p.message) for p in validate_bank(result.bank) if p.severity == "error"]
    assert len(errors) == 1
    assert "must be written the same way in each pair" in errors[0]
    assert "Top management / top  management" in errors[0]


def test_the_moodle_export_writes_one_subquestion_per_prompt_repeating_the_answer():
    bank = read_fixture("matching/shared.yaml")
    quiz = SafeET.fromstring(write_bank(bank, "moodlexml").data)
    (question,) = [q for q in quiz.iter("question") if q.get("type") == "matching"]
    rows = [(s.findtext("text"), s.findtext("answer/text")) for s in question.iter("subquestion")]
    assert rows == [*HANDLED_BY, ("", "Capacity management")]


def test_the_gift_export_repeats_the_shared_match_on_each_prompt():
    text = write_bank(read_fixture("matching/shared.yaml"), "gift").data.decode()
    assert "\t=The payroll service stopped at 09\\:10 -> Incident management\n" in text
    assert "\t=Users on floor 4 cannot print -> Incident management\n" in text
    assert "\t= -> Capacity management\n" in text


# --- QTI: one target per match, matchMax, and scoring -----------------------------------------


def exported_item(q: QuestionRecord) -> Element:
    data = qti.write(BankRecord(id="b", title="B", questions=[q])).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return SafeET.fromstring(archive.read(f"items/{q.id}.xml"))


def map_response(item: Element, response: list[str]) -> float:
    """SCORE of an item whose response processing is mapResponse (written out, or the
    map_response template), as QTI 2.1 defines it: each distinct value of the response
    earns its mapped value (else the default), the sum held within the bounds."""
    rp = item.find(f"{QTI}responseProcessing")
    assert rp is not None
    template = rp.get("template", "")
    written = rp.find(f"{QTI}setOutcomeValue/{QTI}mapResponse")
    assert template.endswith("/map_response") or written is not None
    mapping = item.find(f"{QTI}responseDeclaration/{QTI}mapping")
    assert mapping is not None
    values = {e.get("mapKey"): float(e.get("mappedValue")) for e in mapping}
    total = sum(values.get(v, float(mapping.get("defaultValue", 0))) for v in set(response))
    if mapping.get("lowerBound") is not None:
        total = max(total, float(mapping.get("lowerBound")))
    if mapping.get("upperBound") is not None:
        total = min(total, float(mapping.get("upperBound")))
    return total


def test_qti_writes_each_match_once_with_the_same_match_max_and_both_pairs_as_correct():
    q = read_fixture("matching/shared.yaml").questions[0]
    item = exported_item(q)
    interaction = item.find(f"{QTI}itemBody/{QTI}matchInteraction")
    prompts, matches = interaction.findall(f"{QTI}simpleMatchSet")
    targets = {c.get("identifier"): c for c in matches}
    texts = [c.text for c in targets.values()]
    assert sorted(texts) == sorted({p.match for p in q.pairs} | {"Capacity management"})
    assert {c.get("matchMax") for c in targets.values()} == {"4"}  # as many as prompts
    assert {c.get("matchMax") for c in prompts} == {"1"}
    correct = [v.text for v in item.iter(f"{QTI}value") if v.text and " " in v.text]
    by_target = {}
    for value in correct:
        prompt, target = value.split()
        by_target.setdefault(targets[target].text, []).append(prompt)
    assert by_target["Incident management"] == ["p1", "p3"]


def test_qti_scoring_agrees_with_clausewise_for_every_assignment():
    q = read_fixture("matching/shared.yaml").questions[0]
    item = exported_item(q)
    matches = item.find(f"{QTI}itemBody/{QTI}matchInteraction").findall(f"{QTI}simpleMatchSet")[1]
    target = {c.text: c.get("identifier") for c in matches}
    texts = list(target)
    count = 0
    for n in range(len(texts) ** len(q.pairs)):
        chosen = [texts[(n // len(texts) ** i) % len(texts)] for i in range(len(q.pairs))]
        response = [f"{p.id} {target[m]}" for p, m in zip(q.pairs, chosen, strict=True)]
        expected = q.marks * KIND.grade(q, {p.id: m for p, m in zip(q.pairs, chosen, strict=True)})
        assert map_response(item, response) == pytest.approx(expected, abs=1e-6), chosen
        count += 1
    assert count == 4**4


def test_the_1edtech_shaped_item_scores_its_shared_pairs_and_reads_as_matching():
    item = SafeET.fromstring((DATA / "qti/item21_match_shared.xml").read_bytes())
    assert map_response(item, ["PAY INC", "ROOT PRB", "PRINT INC", "LAPTOP REQ"]) == 4
    assert map_response(item, ["PAY INC", "ROOT INC", "PRINT INC", "LAPTOP REQ"]) == 3
    q = read_fixture("qti/item21_match_shared.xml").questions[0]
    assert (q.type, q.marks) == ("matching", 4.0)


def test_one_to_one_matching_keeps_its_qti_as_before():
    pairs = [PairRecord("p1", "Restore service", "Incident"), PairRecord("p2", "Root", "Problem")]
    q = QuestionRecord(id="one", type="matching", stem="Match.", pairs=pairs)
    item = exported_item(q)
    matches = item.find(f"{QTI}itemBody/{QTI}matchInteraction").findall(f"{QTI}simpleMatchSet")[1]
    assert [(c.get("identifier"), c.get("matchMax")) for c in matches] == [
        ("m1", "1"),
        ("m2", "1"),
    ]


def test_the_qti_reader_still_tells_classification_from_shared_matching():
    classification = QuestionRecord(
        id="cls",
        type="classification",
        stem="Sort each record.",
        data={
            "categories": [{"id": "inc", "text": "Incident"}, {"id": "req", "text": "Request"}],
            "items": [
                {"id": "i1", "text": "Printer down", "category": "inc"},
                {"id": "i2", "text": "Mail down", "category": "inc"},
                {"id": "i3", "text": "New laptop", "category": "req"},
            ],
        },
    )
    shared = read_fixture("matching/shared.yaml").questions[0]
    bank = BankRecord(id="b", title="B", questions=[classification, shared])
    back = qti.read(qti.write(bank).data, "b.zip")
    assert back.problems == []
    assert [(q.id, q.type) for q in back.bank.questions] == [
        ("cls", "classification"),
        ("res-match-1", "matching"),
    ]
    assert [content_hash(q) for q in back.bank.questions] == [
        content_hash(q) for q in bank.questions
    ]
