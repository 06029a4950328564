"""Every page a role can open on realistic data has one `<title>` of plain text: no markup,
no form fields, no scripts left in it by a template block that was not closed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.analytics import marking
from app.extensions import db
from app.models import Attempt, Bank, Question, Role, Team, TeamMembership, User
from app.models.attempt import Response
from app.services import answering, attempts, tokens
from app.services.demo_seed import seed_demo

# Downloads, static files and API documents are not pages.
NOT_PAGES = {"static", "bootstrap.static", "auth.healthz"}
NOT_PAGE_ARGUMENTS = {"fmt", "kind", "filename", "code", "name"}
EXTRA_QUERIES = {
    "trainer.analysis": ["scheme=foundation", "bank={bank_id}"],
    "trainer.bank": ["flagged=1", "page=2"],
    "learner.take": ["q=2", "layout=all"],
    "manager.team": ["scheme=practitioner"],
}
TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.DOTALL | re.IGNORECASE)


@dataclass
class Seen:
    """What the sweep rendered: titles by URL, and the endpoints that gave pages."""

    titles: dict[str, str] = field(default_factory=dict)
    endpoints: set[str] = field(default_factory=set)


@pytest.fixture
def organisation(banks, make_user):
    """The demo organisation (teams, eight weeks of activity, mocks) and one user per role."""
    people = {
        Role.LEARNER: make_user(role=Role.LEARNER, email="learner@clausewise.test"),
        Role.MANAGER: make_user(role=Role.MANAGER, email="manager@clausewise.test"),
        Role.TRAINER: make_user(role=Role.TRAINER, email="trainer@clausewise.test"),
        Role.ADMIN: make_user(role=Role.ADMIN, email="admin@clausewise.test"),
    }
    seed_demo(learners=6, teams=3, days=28, mocks=1)
    learner = people[Role.LEARNER]
    finished = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=1))
    answering.submit_attempt(learner, finished.id)
    attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=2))
    for person in people.values():
        tokens.create_token(person, "laptop <b>script</b>")
    return people


def _candidates(user: User) -> dict[str, list[int]]:
    """Argument values that lead this user to pages with content."""
    attempts = db.session.scalars(
        select(Attempt.id).where(Attempt.user_id == user.id).order_by(Attempt.status)
    ).all()
    teams = (
        db.session.scalars(
            select(TeamMembership.team_id).where(TeamMembership.user_id == user.id)
        ).all()
        or db.session.scalars(select(Team.id)).all()
    )
    members = db.session.scalars(
        select(TeamMembership.user_id).where(TeamMembership.team_id.in_(teams[:1]))
    ).all()
    return {
        "attempt_id": attempts[:1] + attempts[-1:],
        "team_id": teams[:1],
        "user_id": [m for m in members if m != user.id][:1] or [user.id],
        "bank_id": db.session.scalars(select(Bank.id).order_by(Bank.id)).all()[:1],
        "question_id": db.session.scalars(select(Question.id).order_by(Question.id)).all()[:1],
        "response_id": _an_essay_answer(),
    }


def _an_essay_answer() -> list[int]:
    """The id of an essay answer the marking page can show (waiting, else already marked)."""
    waiting = marking.next_waiting()
    if waiting is not None:
        return [waiting]
    recent = db.session.scalars(select(Response.id).order_by(Response.id.desc()).limit(2000))
    return next(([rid] for rid in recent if marking.answer_to_mark(rid)), [])


def _urls(app, user: User):
    """Every GET page URL the route sweep builds for this user."""
    values = _candidates(user)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.arguments & NOT_PAGE_ARGUMENTS:
            continue
        names = sorted(rule.arguments)
        choices = [values.get(arg) or [1] for arg in names]
        rounds = max(map(len, choices), default=1)
        for n in range(rounds):
            path = rule.build({a: c[n % len(c)] for a, c in zip(names, choices, strict=True)})[1]
            yield rule.endpoint, path
            for query in EXTRA_QUERIES.get(rule.endpoint, []):
                bank_id = (values["bank_id"] or [1])[0]
                yield rule.endpoint, f"{path}?{query.format(bank_id=bank_id)}"


def _sweep(app, client, login_as, user: User, seen: Seen) -> None:
    """Open every page as `user` and record the title of each HTML page."""
    login_as(user=user)
    for endpoint, url in [*_urls(app, user), ("errors", "/no-such-page")]:
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        titles = TITLE.findall(html.split("<body", 1)[0])  # SVG charts have titles of their own
        assert len(titles) == 1, f"{url} has {len(titles)} page titles"
        seen.titles[url] = titles[0]
        if response.status_code == 200:
            seen.endpoints.add(endpoint)
    client.post("/logout")


def test_no_page_title_holds_markup(app, client, login_as, organisation):
    seen = Seen()
    for user in organisation.values():
        _sweep(app, client, login_as, user, seen)
    assert {"auth.profile", "manager.team", "learner.result", "trainer.question"} <= seen.endpoints
    assert len(seen.endpoints) >= 25
    with_markup = {url: title for url, title in seen.titles.items() if re.search(r"[<>]", title)}
    assert with_markup == {}
    assert all(title.strip().endswith("· Clausewise") for title in seen.titles.values())
