"""Classification, the question type added as a plug-in package: grading, files, pages."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields

import defusedxml.ElementTree as SafeET
import pytest
from werkzeug.datastructures import MultiDict

from app.domain import question_types
from app.domain.answer_ids import new_secret
from app.domain.records import BankRecord, QuestionRecord
from app.formats import qti, read_file, write_bank
from app.messages import render
from app.question_types.classification import web

DATA = {
    "categories": [
        {"id": "inc", "text": "Incident"},
        {"id": "req", "text": "Service request"},
        {"id": "chg", "text": "Change"},
    ],
    "items": [
        {"id": "i1", "text": "The printer on floor 2 is down", "category": "inc"},
        {"id": "i2", "text": "A new starter needs a laptop", "category": "req"},
        {"id": "i3", "text": "Upgrade the mail server", "category": "chg"},
        {"id": "i4", "text": "Users cannot log in", "category": "inc"},
    ],
}


def sorting(**changes) -> QuestionRecord:
    fields = {"id": "cl-1", "type": "classification", "stem": "Sort each record.", "data": DATA}
    return QuestionRecord(**(fields | changes))


def test_a_complete_classification_is_valid_and_its_key_earns_everything():
    kind = question_types.get("classification")
    q = sorting()
    assert kind.validate(q) == []
    assert kind.grade(q, kind.correct_response(q)) == 1.0


def test_each_item_placed_right_earns_its_share():
    kind = question_types.get("classification")
    q = sorting()
    assert kind.grade(q, {"i1": "inc", "i2": "inc", "i3": "chg"}) == 0.5
    assert kind.grade(q, None) == 0.0
    assert kind.random_guess(q) == pytest.approx(1 / 3)


def test_an_item_in_an_unknown_category_and_too_few_categories_are_reported():
    kind = question_types.get("classification")
    data = {
        "categories": DATA["categories"][:1],
        "items": [*DATA["items"][:1], {"id": "i9", "text": "Stray", "category": "nope"}],
    }
    from app.messages import render

    problems = [render(p) for p in kind.validate(sorting(data=data))]
    assert any("at least 2 categories" in p for p in problems)
    assert any("i9" in p for p in problems)
    assert any(
        "does not use data" in render(p)
        for p in question_types.get("essay").validate(
            QuestionRecord(id="e", type="essay", stem="Say", data=DATA)
        )
    )


def test_learners_see_items_and_categories_under_opaque_ids_and_answer_in_them():
    kind = question_types.get("classification")
    q = sorting()
    ids = question_types.answer_ids(new_secret(), 1, q)
    view = kind.learner_view(q, None, ids)
    assert "inc" not in str(view) and "i1" not in [i["id"] for i in view["items"]]
    public = kind.public_response(q, kind.correct_response(q), ids)
    assert kind.parse_response(q, public, ids) == kind.correct_response(q)
    with pytest.raises(ValueError):
        kind.parse_response(q, {"zzz": view["categories"][0]["id"]}, ids)


def test_a_classification_survives_native_yaml_and_json():
    bank = BankRecord(id="cls", title="Classification", questions=[sorting(clauses=["8.6"])])
    for fmt, name in (("yaml", "bank.yaml"), ("json", "bank.json")):
        result = read_file(write_bank(bank, fmt).data, name)
        assert result.errors == []
        assert result.bank.questions[0].data == DATA


def test_a_native_file_with_a_bad_item_is_refused_with_its_place():
    text = (
        "format: clausewise-bank/1\nbank: {id: b, title: B}\nquestions:\n"
        "- id: q1\n  type: classification\n  stem: Sort\n"
        "  categories: [{id: a, text: A}, {id: b, text: B}]\n"
        "  items: [{id: i1, text: One, category: a, colour: red}]\n"
    )
    result = read_file(text.encode(), "bank.yaml")
    assert any("colour" in render(p.message) for p in result.errors)


@pytest.mark.parametrize("fmt", ["gift", "aiken", "moodlexml", "csv", "xlsx"])
def test_formats_that_cannot_express_classification_skip_it_by_name(fmt: str):
    bank = BankRecord(id="cls", title="Classification", questions=[sorting()])
    result = write_bank(bank, fmt)
    assert [s.name for s in result.skipped] == ["cl-1"]


def test_the_editor_reads_categories_and_items_as_lines_and_shows_them_again():
    form = MultiDict(
        {
            "classification-categories": "Incident\nService request\n",
            "classification-items": "Printer down => incident\nNew laptop => Service request",
        }
    )
    data = web.read_editor(form)
    assert data["items"] == [
        {"id": "i1", "text": "Printer down", "category": "c1"},
        {"id": "i2", "text": "New laptop", "category": "c2"},
    ]
    values = web.editor_values(sorting(data=data))
    assert (
        values["classification-items"] == "Printer down => Incident\nNew laptop => Service request"
    )


def test_the_learner_form_posts_one_category_per_item():
    form = MultiDict({"category-x1": "y2", "category-x2": "", "layout": "single"})
    assert web.read_answer(form) == {"x1": "y2"}


def test_the_answer_and_key_partials_render_the_texts(app):
    kind = question_types.get("classification")
    q = sorting()
    view = kind.learner_view(q)
    item = {"position": 1, "view": view, "response": {"i1": "inc"}}
    with app.test_request_context():
        env = app.jinja_env
        answer = env.get_template("question_types/classification/answer.html").render(
            v=view, r={"i1": "inc"}, item=item
        )
        key = env.get_template("question_types/classification/key.html").render(
            v=view, k={"correct_response": kind.correct_response(q)}
        )
    assert 'name="category-i1"' in answer and "selected" in answer
    assert "Users cannot log in → Incident" in key


QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


def qti_item(bank: BankRecord, name: str) -> bytes:
    """One item file of the QTI package of a bank."""
    with zipfile.ZipFile(io.BytesIO(qti.write(bank).data)) as archive:
        return archive.read(name)


def test_a_classification_survives_a_qti_package_field_by_field():
    q = sorting(clauses=["8.6"], level="practitioner", marks=4.0, explanation="See 8.6.")
    bank = BankRecord(id="cls", title="Classification", questions=[q])
    exported = write_bank(bank, "qti")
    result = read_file(exported.data, "cls.zip")
    assert exported.skipped == []
    assert result.problems == []
    (back,) = result.bank.questions
    for f in fields(QuestionRecord):
        if f.name != "location":
            assert getattr(back, f.name) == getattr(q, f.name), f.name


def test_a_classification_item_reads_back_on_its_own_without_the_manifest():
    bank = BankRecord(id="cls", title="Classification", questions=[sorting()])
    result = qti.read(qti_item(bank, "items/cl-1.xml"), "cl-1.xml")
    assert result.problems == []
    (back,) = result.bank.questions
    assert (back.type, back.data) == ("classification", DATA)


def test_the_qti_item_is_a_marked_match_interaction_with_one_category_per_item():
    bank = BankRecord(id="cls", title="Classification", questions=[sorting(marks=2.0)])
    root = SafeET.fromstring(qti_item(bank, "items/cl-1.xml"))
    (interaction,) = root.iter(f"{QTI}matchInteraction")
    assert interaction.get("class") == "clausewise-classification"
    assert interaction.get("maxAssociations") == "4"
    item_set, category_set = interaction.findall(f"{QTI}simpleMatchSet")
    item_choices = item_set.findall(f"{QTI}simpleAssociableChoice")
    category_choices = category_set.findall(f"{QTI}simpleAssociableChoice")
    assert [(c.get("identifier"), c.get("matchMax")) for c in item_choices] == [
        ("i1", "1"),
        ("i2", "1"),
        ("i3", "1"),
        ("i4", "1"),
    ]
    assert [(c.get("identifier"), c.get("matchMax")) for c in category_choices] == [
        ("inc", "0"),
        ("req", "0"),
        ("chg", "0"),
    ]
    (declaration,) = root.iter(f"{QTI}responseDeclaration")
    assert (declaration.get("cardinality"), declaration.get("baseType")) == (
        "multiple",
        "directedPair",
    )
    values = [v.text for v in declaration.iter(f"{QTI}value")]
    assert values == ["i1 inc", "i2 req", "i3 chg", "i4 inc"]
    (processing,) = root.iter(f"{QTI}responseProcessing")
    assert [e.tag for e in processing.iter(f"{QTI}mapResponse")] == [f"{QTI}mapResponse"]


@pytest.mark.parametrize(
    "response",
    [
        {"i1": "inc", "i2": "req", "i3": "chg", "i4": "inc"},
        {"i1": "inc", "i2": "inc", "i3": "chg"},
        {"i1": "req"},
        {},
    ],
)
def test_the_qti_mapping_scores_a_response_as_clausewise_does(response):
    kind = question_types.get("classification")
    q = sorting(marks=3.0)
    root = SafeET.fromstring(qti_item(BankRecord("c", "C", questions=[q]), "items/cl-1.xml"))
    (mapping,) = root.iter(f"{QTI}mapping")
    mapped = {e.get("mapKey"): float(e.get("mappedValue")) for e in mapping}
    total = sum(mapped.get(f"{item} {category}", 0.0) for item, category in response.items())
    upper = float(mapping.get("upperBound"))
    score = min(max(total, float(mapping.get("lowerBound"))), upper)
    assert score == pytest.approx(kind.grade(q, response) * q.marks)
    assert upper == q.marks


def test_a_match_interaction_without_the_marker_still_reads_as_matching():
    bank = BankRecord(id="cls", title="Classification", questions=[sorting()])
    marked = qti_item(bank, "items/cl-1.xml")
    foreign = marked.replace(b' class="clausewise-classification"', b"")
    assert foreign != marked
    result = qti.read(foreign, "foreign.xml")
    (back,) = result.bank.questions
    assert back.type == "matching"
    assert [(p.id, p.match) for p in back.pairs][:2] == [
        ("i1", "Incident"),
        ("i2", "Service request"),
    ]


def test_a_bad_classification_item_is_refused_with_its_place():
    bank = BankRecord(id="cls", title="Classification", questions=[sorting()])
    item = qti_item(bank, "items/cl-1.xml").replace(b"<value>i4 inc</value>", b"")
    result = qti.read(item, "cl.xml")
    assert result.bank.questions == []
    (error,) = result.errors
    assert error.location.path == "assessmentItem/responseDeclaration[1]"
    assert render(error.message) == (
        "item 'cl-1': item 'i4' is placed in no category by correctResponse"
    )
