"""The editor's live preview: the unsaved form drawn by the learner's own templates, for
trainers only, with CSRF, and writing nothing."""

from __future__ import annotations

import re

import pytest

from app.models import AuditEvent, Question, Role
from app.services import authoring
from tests.factories import PASSWORD
from tests.web.test_authoring_pages import BASE, EACH_TYPE, SINGLE, bank  # noqa: F401

CLASSIFICATION = {
    "stem": "Sort each request the desk received.",
    "classification-categories": "Incident\nService request",
    "classification-items": "The VPN drops every hour => Incident\nA new laptop => Service request",
}
EVERY_TYPE = {**EACH_TYPE, "classification": CLASSIFICATION}

# What the learner's answer controls of each type look like (the type's answer.html).
LEARNER_CONTROLS = {
    "single_choice": [r'type="radio" name="response"', r">8\.5\.1</label>"],
    "multiple_response": [r'type="checkbox" name="response"', r"Skipping review for urgent"],
    "true_false": [r'type="radio" name="response" id="q1-true" value="true"', r">False</label>"],
    "matching": [r'<select class="form-select" id="q1-\w+" name="match-\w+"', r">8\.5\.3</option>"],
    "ordering": [r'class="form-control cw-rank" type="number" min="1" max="3"', r"Deploy and"],
    "short_answer": [r'<input class="form-control" id="q1-text" name="response" maxlength="500"'],
    "essay": [r'<textarea class="form-control" id="q1-text" name="response" rows="8"'],
    "classification": [r'name="category-\w+"', r">Service request</option>"],
}


def _preview(client, bank_id: int, qtype: str, data: dict, **kwargs):
    path = f"/train/banks/{bank_id}/questions/preview?type={qtype}"
    return client.post(path, data=data, **kwargs)


def _before_and_after(html: str) -> tuple[str, str]:
    before, _sep, after = html.partition("cw-preview-after")
    return before, after


@pytest.mark.parametrize("qtype", list(EVERY_TYPE))
def test_the_preview_draws_every_type_with_the_learner_controls(client, login_as, bank, qtype):  # noqa: F811
    login_as(Role.TRAINER)
    data = {**BASE, "key": "p-1", **EVERY_TYPE[qtype]}
    reply = _preview(client, bank.id, qtype, data)
    assert reply.status_code == 200
    before, after = _before_and_after(reply.get_data(as_text=True))
    assert "Question 1" in before and data["stem"].split("**")[0] in before
    for control in LEARNER_CONTROLS[qtype]:
        assert re.search(control, before), (qtype, control)
    assert "Not ready to save yet" not in before
    assert "Correct answer:" in after and data["explanation"].split(";")[0] in after


def test_the_preview_shows_no_key_before_answering_and_uses_opaque_ids(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    html = _preview(client, bank.id, "single_choice", SINGLE).get_data(as_text=True)
    before, after = _before_and_after(html)
    ids = re.findall(r'name="response"\s+id="q1-(\w+)" value="(\w+)"', before)
    assert len(ids) == 3
    assert all(public not in ("a", "b", "c") for _id, public in ids)  # as learners: opaque
    assert "is-right" not in before and "Right answer" not in before
    assert "Score: 1.0 of 1" in after and "Clause reference: 8.2.4" in after


def test_the_preview_shows_the_case_text_and_sanitises_markdown(client, login_as, bank):  # noqa: F811
    trainer = login_as(Role.TRAINER)
    authoring.save_scenario(trainer, bank.id, "night-desk", "The night desk", "Two *analysts*.")
    data = dict(SINGLE, scenario="night-desk", stem="**Which** record? <script>alert(1)</script>")
    html = _preview(client, bank.id, "single_choice", data).get_data(as_text=True)
    assert "Case: The night desk" in html and "Two <em>analysts</em>." in html
    assert "<strong>Which</strong> record?" in html and "<script" not in html


def test_an_unfinished_question_is_previewed_with_what_a_save_would_refuse(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    data = {**BASE, "key": "p-2", "stem": "Half *written*", "options-0-text": "Only one"}
    reply = _preview(client, bank.id, "single_choice", data)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "Not ready to save yet" in html
    assert "Half <em>written</em>" in html and ">Only one</label>" in html
    assert "cw-preview-after" not in html  # no key to show until there is one


def test_a_preview_writes_nothing(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    events = AuditEvent.query.count()
    assert _preview(client, bank.id, "single_choice", SINGLE).status_code == 200
    assert Question.query.count() == 0 and AuditEvent.query.count() == events


def test_bad_difficulty_is_refused_with_a_reason(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    reply = _preview(client, bank.id, "single_choice", dict(SINGLE, difficulty="hard"))
    assert reply.status_code == 400 and "difficulty" in reply.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_only_trainers_preview(client, login_as, bank, role):  # noqa: F811
    login_as(role)
    assert _preview(client, bank.id, "single_choice", SINGLE).status_code == 403


def test_signed_out_visitors_get_no_preview(client, bank):  # noqa: F811
    reply = _preview(client, bank.id, "single_choice", SINGLE)
    assert reply.status_code in (302, 401) and "Question 1" not in reply.get_data(as_text=True)


def test_only_banks_that_exist_and_types_that_exist(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    assert _preview(client, bank.id + 999, "single_choice", SINGLE).status_code == 404
    assert _preview(client, bank.id, "no_such_type", SINGLE).status_code == 404


def test_the_preview_needs_the_csrf_token(make_app, make_user, bank):  # noqa: F811
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    trainer = make_user(role=Role.TRAINER)
    login = strict.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    strict.post("/login", data={"email": trainer.email, "password": PASSWORD, "csrf_token": token})
    assert _preview(strict, bank.id, "single_choice", SINGLE).status_code == 400
    editor = strict.get(f"/train/banks/{bank.id}/questions/new?type=single_choice").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', editor).group(1)
    ok = _preview(strict, bank.id, "single_choice", SINGLE, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and "Question 1" in ok.get_data(as_text=True)


def test_the_editor_opens_with_the_stored_question_previewed(client, login_as, bank):  # noqa: F811
    login_as(Role.TRAINER)
    client.post(f"/train/banks/{bank.id}/questions/new?type=single_choice", data=SINGLE)
    question = Question.query.filter_by(key="w-001").one()
    page = client.get(f"/train/questions/{question.id}/edit").get_data(as_text=True)
    preview = page.partition('id="item-preview"')[2]
    assert "<strong>service catalogue</strong>" in preview and ">9.2</label>" in preview
