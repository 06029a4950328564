"""LTI Advantage against the test platform: deep linking (the response verifies with the
tool's JWKS), grades sent on submit and after marking (AGS), and teams filled from a
course's members (NRPS)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.extensions import db
from app.integrations import lti_http
from app.models import (
    Attempt,
    AttemptMode,
    AttemptStatus,
    AuditEvent,
    LtiAccount,
    LtiContext,
    LtiLink,
    Role,
    Team,
    TeamMembership,
    User,
)
from app.services import answering, jobs, lti_keys, marking
from tests.factories import ESSAY_ANSWER, PASSWORD, answer_items, make_user
from tests.lti_platform import ADMINISTRATOR, INSTRUCTOR, LEARNER, launch, read_form, register_tool

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


@pytest.fixture
def tool(make_app, lti_platform, app, monkeypatch):
    """Clausewise with LTI on, registered with the platform; a course with people."""
    application = make_app(LTI_ENABLED=True)
    monkeypatch.setitem(app.config, "LTI_ENABLED", True)  # services called by the tests
    lti_platform.tool_login_url = "http://localhost/lti/login"
    lti_platform.tool_launch_urls = ["http://localhost/lti/launch"]
    register_tool(lti_platform)
    lti_platform.add_course("itsm-101", "ITSM 101", "ITSM101")
    lti_platform.add_user("ann", [LEARNER], name="Ann Archer", email="ann@college.example")
    lti_platform.add_user("bob", [LEARNER], name="Bob Baker", email="bob@college.example")
    lti_platform.add_user("ian", [INSTRUCTOR], name="Ian Instructor", email="ian@college.example")
    return application.test_client()


# --- deep linking -------------------------------------------------------------------------


def test_an_instructor_picks_a_clause_drill_and_the_platform_verifies_it(tool, lti_platform, banks):
    lti_platform.add_deep_linking("pick", "itsm-101")
    response = launch(tool, lti_platform, "pick", "ian")
    assert response.status_code == 303 and response.headers["Location"] == "/lti/deep-link"
    picker = tool.get("/lti/deep-link?scheme=foundation")
    assert picker.status_code == 200
    assert 'value="8.6"' in picker.get_data(as_text=True)  # the clause chooser
    reply = tool.post(
        "/lti/deep-link?scheme=foundation",
        data={
            "scheme": "foundation",
            "kind": "drill",
            "clause": ["8.6", "8.5"],
            "count": "12",
            "graded": "y",
        },
    )
    assert reply.status_code == 200
    policy = reply.headers["Content-Security-Policy"]
    assert f"form-action 'self' {lti_platform.url}" in policy
    action, fields = read_form(reply.get_data(as_text=True), "lti-return")
    assert action == f"{lti_platform.url}/deep-link-return"
    claims = lti_platform.verify_tool_jwt(fields["JWT"], lti_platform.issuer)  # by the JWKS
    assert claims[DL + "data"] == lti_platform.links["pick"]["data"]
    [item] = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://localhost/lti/launch"
    assert item["custom"] == {
        "clausewise_activity": "drill",
        "clausewise_scheme": "foundation",
        "clausewise_count": "12",
        "clausewise_clauses": "8.6,8.5",
    }
    assert item["lineItem"]["scoreMaximum"] == 100
    assert item["title"].startswith("Clause drill on 8.6, 8.5")
    import requests

    placed = requests.post(action, data=fields, timeout=10)
    assert placed.status_code == 200 and "Added to the course" in placed.text
    assert lti_platform.deep_link_returns  # verified by the platform itself
    # The picker's grant is used up: the page now refuses.
    assert tool.get("/lti/deep-link").status_code == 403
    # A learner launching the placed link opens the drill.
    hint = next(h for h in lti_platform.links if h.startswith("placed-"))
    opened = launch(tool, lti_platform, hint, "ann")
    link = db.session.get(LtiLink, int(opened.headers["Location"].rsplit("/", 1)[1]))
    assert link.activity == {
        "kind": "drill",
        "scheme": "foundation",
        "clauses": ["8.6", "8.5"],
        "count": 12,
    }


def test_a_drill_without_clauses_is_refused_and_nothing_is_sent(tool, lti_platform, banks):
    lti_platform.add_deep_linking("pick", "itsm-101")
    launch(tool, lti_platform, "pick", "ian")
    reply = tool.post(
        "/lti/deep-link?scheme=foundation",
        data={"scheme": "foundation", "kind": "drill", "count": "5"},
    )
    assert reply.status_code == 200
    assert "a clause drill needs at least one clause" in reply.get_data(as_text=True)
    assert "JWT" not in reply.get_data(as_text=True)


def test_cancelling_returns_no_item(tool, lti_platform, banks):
    lti_platform.add_deep_linking("pick", "itsm-101")
    launch(tool, lti_platform, "pick", "ian")
    reply = tool.post("/lti/deep-link/cancel")
    _action, fields = read_form(reply.get_data(as_text=True), "lti-return")
    claims = lti_platform.verify_tool_jwt(fields["JWT"], lti_platform.issuer)
    assert claims[DL + "content_items"] == []


def test_a_learner_may_not_deep_link(tool, lti_platform, banks):
    lti_platform.add_deep_linking("pick", "itsm-101")
    response = launch(tool, lti_platform, "pick", "ann")
    assert response.status_code == 403
    assert tool.get("/lti/deep-link").status_code in (401, 302)


def test_no_line_item_when_the_platform_takes_none(tool, lti_platform, banks):
    lti_platform.add_deep_linking("pick", "itsm-101", accept_lineitem=False)
    launch(tool, lti_platform, "pick", "ian")
    reply = tool.post(
        "/lti/deep-link?scheme=foundation",
        data={"scheme": "foundation", "kind": "mock", "graded": "y"},
    )
    _action, fields = read_form(reply.get_data(as_text=True), "lti-return")
    [item] = lti_platform.verify_tool_jwt(fields["JWT"], lti_platform.issuer)[DL + "content_items"]
    assert "lineItem" not in item and item["custom"] == {
        "clausewise_activity": "mock",
        "clausewise_scheme": "foundation",
    }


def test_a_rotated_key_signs_and_the_old_one_stays_published(tool, lti_platform, banks):
    old = lti_keys.signing_key().kid
    new = lti_keys.rotate(make_user(role=Role.ADMIN)).kid
    published = [k["kid"] for k in tool.get("/lti/jwks").get_json()["keys"]]
    assert published == [new, old]
    lti_platform.tool_jwks = tool.get("/lti/jwks").get_json()
    lti_platform.add_deep_linking("pick", "itsm-101")
    launch(tool, lti_platform, "pick", "ian")
    reply = tool.post("/lti/deep-link/cancel")
    _action, fields = read_form(reply.get_data(as_text=True), "lti-return")
    from joserfc import jws

    assert jws.extract_compact(fields["JWT"].encode()).headers()["kid"] == new
    lti_platform.verify_tool_jwt(fields["JWT"], lti_platform.issuer)


# --- grades -------------------------------------------------------------------------------


def _start_from(tool, lti_platform, hint: str, user: str) -> Attempt:
    opened = launch(tool, lti_platform, hint, user)
    link_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    started = tool.post(f"/lti/links/{link_id}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(Attempt, attempt_id)


def test_a_submitted_attempt_posts_its_score_to_the_line_item(tool, lti_platform, banks):
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    lti_platform.add_link("mock-1", "itsm-101", "Foundation mock", custom)
    attempt = _start_from(tool, lti_platform, "mock-1", "ann")
    learner = db.session.get(User, attempt.user_id)
    answer_items(learner, attempt, right=True, essay=None)
    assert tool.post(f"/learn/attempts/{attempt.id}/submit").status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score > 0
    [score] = lti_platform.scores["li-1"]
    assert score["userId"] == "sub-ann"
    assert score["scoreGiven"] == pytest.approx(attempt.score)
    assert score["scoreMaximum"] == pytest.approx(attempt.max_score)
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    when = datetime.fromisoformat(score["timestamp"])
    assert when == attempt.submitted_at.replace(microsecond=when.microsecond)
    assert "." in score["timestamp"]  # sub-second precision


@pytest.mark.parametrize("before", [["ian"], ["ian-view", "ian"]])
def test_the_score_goes_to_the_platform_user_who_launched(tool, lti_platform, banks, before):
    """Two platform users with one e-mail (a teacher and their student view) sign in as
    one account: an attempt's score is the launcher's, never the other one's."""
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    lti_platform.add_link("mock-1", "itsm-101", "Foundation mock", custom)
    lti_platform.add_user("ian-view", [LEARNER], name="Ian (student)", email="ian@college.example")
    for person in before:
        tool.post("/logout")
        launch(tool, lti_platform, "mock-1", person)
    opened = launch(tool, lti_platform, "mock-1", "ian-view")
    if before == ["ian"]:
        # The student view names the e-mail of a trainer's account: Ian, still signed in
        # from his teacher's launch, confirms that it is his.
        assert opened.headers["Location"] == "/lti/account-link"
        opened = tool.post("/lti/account-link")
    link_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    started = tool.post(f"/lti/links/{link_id}/start")
    attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
    answering.submit_attempt(db.session.get(User, attempt.user_id), attempt.id)
    [score] = lti_platform.scores["li-1"]
    assert score["userId"] == "sub-ian-view"


def test_an_essay_mark_sends_the_new_score_later(tool, lti_platform, banks):
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "auditor"}
    lti_platform.add_link("audit", "itsm-101", "Auditor mock", custom)
    attempt = _start_from(tool, lti_platform, "audit", "ann")
    learner = db.session.get(User, attempt.user_id)
    answer_items(learner, attempt, right=True, essay=ESSAY_ANSWER)
    answering.submit_attempt(learner, attempt.id)
    [first] = lti_platform.scores["li-1"]
    assert first["gradingProgress"] == "PendingManual"
    trainer = make_user(role=Role.TRAINER)
    db.session.expire_all()
    essays = [
        i.response for i in db.session.get(Attempt, attempt.id).items if i.version.type == "essay"
    ]
    for response in essays:
        marking.mark_response(trainer, response.id, response.item.version.marks, "")
    latest = lti_platform.scores["li-1"][-1]
    assert latest["gradingProgress"] == "FullyGraded"
    assert latest["scoreGiven"] > first["scoreGiven"]
    assert datetime.fromisoformat(latest["timestamp"]) > datetime.fromisoformat(first["timestamp"])


def test_a_platform_outage_keeps_the_score_for_a_retry(tool, lti_platform, banks, caplog):
    custom = {
        "clausewise_activity": "practice",
        "clausewise_scheme": "foundation",
        "clausewise_count": "3",
    }
    lti_platform.add_link("practice", "itsm-101", "Practice", custom)
    attempt = _start_from(tool, lti_platform, "practice", "ann")
    assert attempt.mode == AttemptMode.PRACTICE and len(attempt.items) == 3
    lti_platform.failures["scores"] = 2
    learner = db.session.get(User, attempt.user_id)
    answering.submit_attempt(learner, attempt.id)  # the inline job fails, logged
    assert "task lti.send_score failed" in caplog.text
    assert "li-1" not in lti_platform.scores
    with pytest.raises(lti_http.ServiceFailed):  # a queue's retry that fails again
        jobs.registered("lti.send_score")(attempt_id=attempt.id)
    assert jobs.registered("lti.send_score")(attempt_id=attempt.id) == "sent"
    assert len(lti_platform.scores["li-1"]) == 1


def test_an_ungraded_link_sends_nothing(tool, lti_platform, banks):
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    lti_platform.add_link("mock-free", "itsm-101", "Mock", custom, graded=False)
    attempt = _start_from(tool, lti_platform, "mock-free", "ann")
    answering.submit_attempt(db.session.get(User, attempt.user_id), attempt.id)
    assert lti_platform.scores == {}
    assert jobs.registered("lti.send_score")(attempt_id=attempt.id) == "ungraded"


def test_an_attempt_started_outside_lti_sends_nothing(tool, lti_platform, banks):
    from tests.factories import sit_exam

    attempt = sit_exam(make_user())
    assert attempt.status == AttemptStatus.SUBMITTED and lti_platform.scores == {}


# --- names and roles ----------------------------------------------------------------------


def test_the_course_members_fill_a_team_named_after_the_course(tool, lti_platform, banks):
    lti_platform.page_size = 2  # three pages: the Link headers are followed
    lti_platform.add_user("cat", [LEARNER], name="Cat Cole")  # no e-mail shared
    lti_platform.add_user("old", [LEARNER], name="Old Member", email="old@college.example")
    for hint in ("ann", "bob", "cat", "ian"):
        lti_platform.add_member("itsm-101", hint)
    lti_platform.add_member("itsm-101", "old", status="Inactive")
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    lti_platform.add_link("mock-1", "itsm-101", "Mock", custom)
    opened = launch(tool, lti_platform, "mock-1", "ian")
    link_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    context = db.session.query(LtiContext).one()
    assert context.memberships_url.endswith("/contexts/itsm-101/memberships")
    filled = tool.post(f"/lti/courses/{context.id}/team", data={"link": link_id})
    assert filled.status_code == 302
    team = db.session.query(Team).one()
    assert team.name == "ITSM 101"
    rows = db.session.query(TeamMembership).filter_by(team_id=team.id).all()
    people = {(db.session.get(User, m.user_id).display_name, m.role) for m in rows}
    assert people == {
        ("Ann Archer", "member"),
        ("Bob Baker", "member"),
        ("Cat Cole", "member"),
        ("Ian Instructor", "manager"),
    }
    cat = db.session.query(User).filter_by(display_name="Cat Cole").one()
    assert cat.email.endswith("@lti.invalid") and cat.roles == {Role.LEARNER}
    assert db.session.query(User).filter_by(email="old@college.example").count() == 0
    # Bob leaves the course: the next sync takes him out of the team, and keeps the rest.
    lti_platform.contexts["itsm-101"]["members"][1]["status"] = "Deleted"
    tool.post(f"/lti/courses/{context.id}/team", data={"link": link_id})
    names = {
        db.session.get(User, m.user_id).display_name
        for m in db.session.query(TeamMembership).filter_by(team_id=team.id)
    }
    assert "Bob Baker" not in names and {"Ann Archer", "Cat Cole", "Ian Instructor"} <= names
    assert db.session.query(Team).count() == 1
    synced = [e for e in db.session.query(AuditEvent) if e.action == "lti.roster_synced"]
    assert len(synced) == 2 and synced[-1].detail["removed"] == 1


def test_a_member_whose_email_is_a_trainers_account_is_skipped_not_linked(
    tool, lti_platform, banks
):
    """The member list is the platform's word too: it links no staff account by e-mail."""
    trainer = make_user(role=Role.TRAINER, email="ann@college.example")
    lti_platform.add_member("itsm-101", "ann")
    lti_platform.add_link("mock-1", "itsm-101", "Mock", {})
    launch(tool, lti_platform, "mock-1", "ian")
    context = db.session.query(LtiContext).one()
    tool.post(f"/lti/courses/{context.id}/team")
    [synced] = [e for e in db.session.query(AuditEvent) if e.action == "lti.roster_synced"]
    assert synced.detail["skipped"] == 1
    assert {a.user_id for a in db.session.query(LtiAccount)} == {
        db.session.query(User).filter_by(email="ian@college.example").one().id
    }
    db.session.refresh(trainer)
    assert trainer.roles == {Role.TRAINER}
    assert db.session.query(TeamMembership).filter_by(user_id=trainer.id).count() == 0


def test_a_team_name_taken_by_another_team_gets_a_number(tool, lti_platform, banks):
    from tests.factories import make_team

    make_team(make_user(role=Role.MANAGER), name="ITSM 101")
    lti_platform.add_member("itsm-101", "ann")
    lti_platform.add_link("mock-1", "itsm-101", "Mock", {})
    launch(tool, lti_platform, "mock-1", "ian")
    context = db.session.query(LtiContext).one()
    tool.post(f"/lti/courses/{context.id}/team")
    assert {t.name for t in db.session.query(Team)} == {"ITSM 101", "ITSM 101 (2)"}


def test_a_learner_may_not_fill_the_team(tool, lti_platform, banks):
    lti_platform.add_link("mock-1", "itsm-101", "Mock", {})
    launch(tool, lti_platform, "mock-1", "ann")
    context = db.session.query(LtiContext).one()
    assert tool.post(f"/lti/courses/{context.id}/team").status_code == 404
    assert db.session.query(Team).count() == 0


def test_a_course_taught_by_the_last_person_in_the_browser_is_not_the_next_ones(
    tool, lti_platform, banks
):
    """On a shared computer the instructor signs out; the manager who signs in next has
    not launched from the course, so may not fill its team."""
    lti_platform.add_member("itsm-101", "ann")
    lti_platform.add_link("mock-1", "itsm-101", "Mock", {})
    launch(tool, lti_platform, "mock-1", "ian")
    context = db.session.query(LtiContext).one()
    tool.post("/logout")
    manager = make_user(role=Role.MANAGER)
    tool.post("/login", data={"email": manager.email, "password": PASSWORD})
    assert tool.post(f"/lti/courses/{context.id}/team").status_code == 404
    assert db.session.query(Team).count() == 0


def test_a_platform_administrator_is_an_instructor_unless_the_registration_says_so(
    tool, lti_platform, banks
):
    lti_platform.add_user("ada", [ADMINISTRATOR], email="ada@college.example")
    lti_platform.add_link("mock-1", "itsm-101", "Mock", {})
    launch(tool, lti_platform, "mock-1", "ada")
    ada = db.session.query(User).filter_by(email="ada@college.example").one()
    assert ada.roles == {Role.TRAINER, Role.MANAGER}


def test_a_link_without_an_activity_says_so(tool, lti_platform, banks):
    lti_platform.add_link("bare", "itsm-101", "Placed by hand", {})
    opened = launch(tool, lti_platform, "bare", "ann")
    page = tool.get(opened.headers["Location"]).get_data(as_text=True)
    assert "This link opens no activity yet" in page


def test_malformed_custom_parameters_are_refused_with_the_reason(tool, lti_platform, banks):
    custom = {
        "clausewise_activity": "drill",
        "clausewise_scheme": "foundation",
        "clausewise_clauses": "8.6",
        "clausewise_count": "500",
    }
    lti_platform.add_link("bad", "itsm-101", "Bad", custom)
    response = launch(tool, lti_platform, "bad", "ann")
    assert response.status_code == 400
    assert "the number of questions must be from 1 to 100" in response.get_data(as_text=True)


def test_the_platform_refuses_a_client_assertion_it_cannot_verify(tool, lti_platform, banks):
    from joserfc.jwk import RSAKey

    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    lti_platform.add_link("mock-1", "itsm-101", "Mock", custom)
    attempt = _start_from(tool, lti_platform, "mock-1", "ann")
    stranger = RSAKey.generate_key(
        2048, private=True, parameters={"kid": lti_keys.signing_key().kid}
    )
    lti_platform.tool_jwks = {"keys": [stranger.as_dict(private=False)]}  # not the tool's key
    answering.submit_attempt(db.session.get(User, attempt.user_id), attempt.id)
    assert lti_platform.scores == {}
    assert any(r.startswith("assertion:") for r in lti_platform.refused)
    with pytest.raises(lti_http.ServiceFailed, match="token"):
        jobs.registered("lti.send_score")(attempt_id=attempt.id)
