"""The question editor's type sections are plug-in parts: each type's package draws its
fields (templates/editor.html) and reads them (web.py hooks); the editor page and
trainer/editor.py keep only what every type shares. Values round-trip: what a save
stored shows again when the question is edited, and a refused save keeps what was typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import question_types as plugins
from app.domain import question_types
from app.models import Question, Role
from app.web import question_type_parts
from app.web.trainer.editor import question_form
from app.web.trainer.forms import QuestionForm
from tests.web.test_authoring_pages import BASE, EACH_TYPE, bank  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
EDITOR_PAGE = ROOT / "app/web/trainer/templates/trainer/question_edit.html"
EDITOR_CODE = ROOT / "app/web/trainer/editor.py"

# What each type's section must show again when a saved question is edited.
SHOWN_AGAIN = {
    "single_choice": [">8.2.4</textarea>", ">8.5.1</textarea>", ">9.2</textarea>"],
    "multiple_response": [
        ">Assessing the risk of a change</textarea>",
        ">Skipping review for urgent changes</textarea>",
    ],
    "true_false": ['<option selected value="false">'],
    "matching": [">Assess a change</textarea>", ">8.5.3</textarea>"],
    "ordering": [">Record the request</textarea>", ">Deploy and review</textarea>"],
    "short_answer": [">\r\n8.5.1\n8.5</textarea>"],
    "essay": [">Names the requirement</textarea>", 'value="3.0"', "change 42 went live unapproved"],
}


@pytest.mark.parametrize("qtype", question_types.keys())
def test_every_type_draws_its_own_editor_section(qtype):
    root = Path(plugins.__file__).parent / qtype
    assert (root / "templates" / "editor.html").is_file()
    assert plugins.part(qtype, "web") is not None


def test_the_shared_editor_names_no_type():
    page = EDITOR_PAGE.read_text(encoding="utf-8")
    code = EDITOR_CODE.read_text(encoding="utf-8")
    for key in list(question_types.keys()):
        assert key not in page and f'"{key}"' not in code, key
    assert "kind.fields" not in page and "kind.fields" not in code
    assert not re.search(r"kind\.key\s*==", page)


def test_a_type_adds_its_own_fields_to_the_editor_form_and_no_other_type_has_them(app):
    true_false = question_form("true_false")
    assert all(hasattr(true_false, f) for f in ("answer", "feedback_true", "feedback_false"))
    assert question_form("single_choice") is QuestionForm
    assert not hasattr(QuestionForm, "answer") and not hasattr(QuestionForm, "model_answer")
    assert str(question_type_parts.hooks("essay").marks_help) == "Essays: the rubric total."


@pytest.mark.parametrize("qtype", list(EACH_TYPE))
def test_what_was_saved_shows_again_in_the_editor(client, login_as, bank, qtype):  # noqa: F811
    login_as(Role.TRAINER)
    data = {**BASE, "key": f"e-{qtype}", **EACH_TYPE[qtype]}
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type={qtype}", data=data)
    assert reply.status_code == 302
    question = Question.query.filter_by(key=f"e-{qtype}").one()
    page = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    for shown in SHOWN_AGAIN[qtype]:
        assert shown in page, (qtype, shown)


def test_a_refused_true_false_save_keeps_the_feedback_and_says_why(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    data = {
        **BASE,
        "key": "tf-1",
        **EACH_TYPE["true_false"],
        "answer": "maybe",
        "feedback_true": "Kept <as typed>",
    }
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=true_false", data=data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "Not a valid choice." in html
    assert "Kept &lt;as typed&gt;</textarea>" in html
    assert Question.query.count() == 0


def test_a_refused_new_essay_keeps_its_rubric_rows(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    data = {**BASE, "key": "es-1", **EACH_TYPE["essay"], "stem": "x", "explanation": ""}
    data["rubric-1-marks"] = "lots"
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=essay", data=data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "was not saved" in html
    assert ">States the objective evidence</textarea>" in html and 'value="lots"' in html
    assert html.count('name="rubric-') == 3 * 3  # the two typed rows and the blank template


def test_row_texts_run_over_several_lines_and_keep_their_breaks(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    data = {
        **BASE,
        "key": "ml-1",
        **EACH_TYPE["single_choice"],
        "options-0-text": "8.2.4\r\n*Service catalogue* management",
        "options-0-feedback": "Right:\r\nthe catalogue clause.",
    }
    reply = client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=data)
    assert reply.status_code == 302
    option = Question.query.filter_by(key="ml-1").one().current_version.options[0]
    assert option.text == "8.2.4\n*Service catalogue* management"  # stored without CRs
    page = client.get(f"/train/questions/{Question.query.one().id}/edit").get_data(as_text=True)
    assert ">8.2.4\n*Service catalogue* management</textarea>" in page
    assert "8.2.4<br>\n<em>Service catalogue</em> management</label>" in page  # the preview


def test_the_clause_tree_nests_clauses_by_depth_in_document_order():
    from app.web.trainer.editor import clause_tree

    choices = [
        ("8", "Operation", 0),
        ("8.6", "Resolution", 1),
        ("8.6.1", "Incident", 2),
        ("8.7", "Assurance", 1),
        ("8.7.3.3", "Security incidents", 3),  # a skipped level hangs under the last one
        ("9", "Evaluation", 0),
    ]
    tree = clause_tree(choices)
    assert [n.number for n in tree] == ["8", "9"]
    assert [n.number for n in tree[0].children] == ["8.6", "8.7"]
    assert tree[0].children[0].children[0].title == "Incident"
    assert [n.number for n in tree[0].children[1].children] == ["8.7.3.3"]
