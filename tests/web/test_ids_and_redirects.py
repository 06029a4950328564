"""Ids beyond 64 bits are refused cleanly everywhere, and the workflow form never redirects
off the site."""

import pytest
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.models import Question, Role, User
from app.web.ids import MAX_ID
from tests.factories import bearer
from tests.web.test_authoring_pages import SINGLE

HUGE = [2**63, 2**64]
ALL_ROLES = {Role.LEARNER, Role.TRAINER, Role.MANAGER, Role.ADMIN}


def _int_args(rule) -> set[str]:
    """The rule's arguments that Flask's (or our bounded) int converter parses."""
    return {n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)}


def _int_rules(app):
    """Every rule with at least one int argument."""
    return [rule for rule in app.url_map.iter_rules() if _int_args(rule)]


def _url(rule, value: int) -> str:
    """The rule's path with every int argument set to `value` and the others to 1."""
    ints = _int_args(rule)
    return rule.build({name: value if name in ints else 1 for name in rule.arguments})[1]


@pytest.fixture
def everyone(client, login_as, make_user):
    """A signed-in user holding every role, and a bearer token for the API."""
    user = make_user(role=ALL_ROLES)
    login_as(user=user)
    return bearer(user, "sweep")


@pytest.mark.parametrize("value", HUGE)
def test_every_id_route_answers_404_for_ids_beyond_64_bits(app, client, everyone, value):
    rules = _int_rules(app)
    assert len(rules) >= 25
    for rule in rules:
        url = _url(rule, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, headers=everyone, json={})
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"


def test_the_largest_id_the_database_holds_is_still_looked_up(app, client, everyone):
    for rule in _int_rules(app):
        if "GET" in rule.methods:
            response = client.get(_url(rule, MAX_ID), headers=everyone)
            assert response.status_code in (200, 302, 400, 403, 404), rule.rule


@pytest.mark.parametrize("value", [str(2**64), "12abc", "-5", "0"])
def test_id_fields_in_queries_and_forms_are_refused_with_a_message(client, everyone, value):
    checks = [
        ("GET", f"/train/analysis?bank={value}", "“bank”"),
        ("GET", f"/train/analysis?scope=b:{value}", "“scope”"),
        ("POST", "/manage/teams/1/people/remove", "“user_id”"),
        ("POST", "/manage/targets/1/remove", "“team_id”"),
    ]
    form = {"user_id": value, "role": "member", "team_id": value}
    for method, url, field in checks:
        response = client.open(url, method=method, data=form if method == "POST" else None)
        assert response.status_code == 400, f"{method} {url}: {response.status_code}"
        assert field in response.get_data(as_text=True), url


def test_a_number_the_database_cannot_hold_is_a_400_wherever_it_comes_from(make_app):
    fresh = make_app()

    def lookup(raw: str):
        return {"found": db.session.get(User, int(raw)) is not None}

    fresh.add_url_rule("/__lookup/<raw>", "lookup", lookup)
    fresh.add_url_rule("/api/v1/__lookup/<raw>", "api_lookup", lookup)
    with fresh.app_context():
        page = fresh.test_client().get(f"/__lookup/{2**64}")
        api = fresh.test_client().get(f"/api/v1/__lookup/{-(2**63) - 1}")
        fine = fresh.test_client().get("/__lookup/5")
        db.session.remove()
    assert page.status_code == 400 and b"too large" in page.data
    assert api.status_code == 400 and "too large" in api.json["error"]["message"]
    assert fine.status_code == 200 and fine.json == {"found": False}


@pytest.fixture
def question(client, login_as, reference):
    trainer = login_as(Role.TRAINER)
    bank = client.post("/train/banks/new", data={"code": "wf", "title": "Workflow"})
    assert bank.status_code == 302
    bank_id = int(bank.headers["Location"].rstrip("/").split("/")[-1])
    saved = client.post(f"/train/banks/{bank_id}/questions/new?type=single_choice", data=SINGLE)
    assert saved.status_code == 302
    return trainer, Question.query.filter_by(key="w-001").one()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "\thttps://evil.example",
    ],
)
def test_the_workflow_form_refuses_to_redirect_off_the_site(client, question, target):
    _trainer, q = question
    response = client.post(
        f"/train/questions/{q.id}/workflow", data={"action": "submit", "version": 1, "next": target}
    )
    assert response.status_code == 400
    assert "“next”" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, q.id).status == "draft"  # nothing changed


def test_the_workflow_form_returns_to_a_page_of_this_site(client, question):
    _trainer, q = question
    response = client.post(
        f"/train/questions/{q.id}/workflow",
        data={"action": "submit", "version": 1, "next": "/train/review"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/train/review"
    db.session.expire_all()
    assert db.session.get(Question, q.id).status == "in_review"
