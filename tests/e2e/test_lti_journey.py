"""LTI 1.3 in the browser: a learner opens a mock exam from a course of the test
platform, sits it and the grade goes back; an instructor adds a clause drill to the
course through deep linking."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Attempt, AttemptStatus
from tests.conftest import app_config, dispose_engines
from tests.e2e.conftest import screenshot
from tests.lti_platform import INSTRUCTOR, LEARNER, register_tool

DRILL = {
    "clausewise_activity": "drill",
    "clausewise_scheme": "foundation",
    "clausewise_clauses": "8.6.1",
    "clausewise_count": "5",
}


@pytest.fixture(scope="module")
def lti_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Clausewise with LTI on and CSRF on, as in production, on a free local port."""
    from app import create_app

    instance = tmp_path_factory.mktemp("lti-instance")
    application = create_app(
        app_config(db_url, WTF_CSRF_ENABLED=True, LTI_ENABLED=True, INSTANCE_PATH=str(instance))
    )
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    dispose_engines(application)


@pytest.fixture
def course(lti_server, lti_platform):
    """The platform knows Clausewise by its live URLs and fetches its JWKS over HTTP."""
    lti_platform.tool_login_url = f"{lti_server}/lti/login"
    lti_platform.tool_launch_urls = [f"{lti_server}/lti/launch"]
    lti_platform.tool_jwks_url = f"{lti_server}/lti/jwks"
    register_tool(lti_platform)
    lti_platform.tool_jwks = None  # read from the tool's endpoint, not handed over
    lti_platform.add_course("itsm-101", "ITSM 101", "ITSM101")
    lti_platform.add_user("ann", [LEARNER], name="Ann Archer", email="ann@college.example")
    lti_platform.add_user("ian", [INSTRUCTOR], name="Ian Instructor", email="ian@college.example")
    return lti_platform


def test_a_learner_launches_a_mock_exam_and_the_grade_goes_back(page, lti_server, course, banks):
    custom = {"clausewise_activity": "mock", "clausewise_scheme": "foundation"}
    course.add_link("mock-1", "itsm-101", "Foundation mock exam", custom)
    page.goto(f"{course.url}/start/mock-1?user=ann")  # the course page's link
    page.wait_for_url(f"{lti_server}/lti/links/*")
    assert page.locator("h1").inner_text() == "Foundation mock exam"
    assert "From your course ITSM 101" in page.content()
    assert "your score goes to the course's grade book" in page.content()
    screenshot(page, "lti-launch-link-page")

    page.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{lti_server}/learn/attempts/*")
    form = page.locator("#q1 form.cw-answer")
    form.locator("input.form-check-input").first.check()
    page.locator('.cw-cell[data-position="1"].is-answered').wait_for()
    attempt_url = page.url.split("?")[0]
    page.get_by_role("link", name="Review and submit").click()
    page.wait_for_url(f"{attempt_url}/submit*")
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"{attempt_url}/result")
    screenshot(page, "lti-launch-result", full_page=False)

    db.session.expire_all()
    attempt = db.session.query(Attempt).one()
    assert attempt.status == AttemptStatus.SUBMITTED
    [score] = course.scores["li-1"]
    assert score["userId"] == "sub-ann" and score["activityProgress"] == "Completed"
    assert score["scoreGiven"] == pytest.approx(attempt.score)
    assert score["scoreMaximum"] == pytest.approx(attempt.max_score)


def test_an_instructor_adds_a_clause_drill_by_deep_linking(page, lti_server, course, banks):
    course.add_deep_linking("pick", "itsm-101")
    page.goto(f"{course.url}/start/pick?user=ian")
    page.wait_for_url(f"{lti_server}/lti/deep-link")
    page.get_by_label("Clause drill — questions on the clauses you choose below").check()
    page.locator("summary", has_text="Choose within clause 8 (").click()  # the chooser
    page.locator("#clause-8\\.6").check()
    page.get_by_label("Number of questions (drills and practice sets)").fill("5")
    screenshot(page, "lti-deep-link-picker")
    page.get_by_role("button", name="Add to the course").click()
    page.wait_for_url(f"{course.url}/deep-link-return")
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Added to the course: Clause drill on 8.6 (ISO/IEC 20000-1")
    screenshot(page, "lti-deep-link-returned", full_page=False)
    [returned] = course.deep_link_returns
    [item] = returned["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"]["clausewise_clauses"] == "8.6"
    assert item["custom"]["clausewise_count"] == "5"


def test_the_launch_pages_pass_axe(browser, lti_server, course, banks):
    from tests.e2e.test_accessibility_journey import violations

    course.add_link("drill", "itsm-101", "Incidents", DRILL)
    course.add_deep_linking("pick", "itsm-101")
    context = browser.new_context(viewport={"width": 1280, "height": 860}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found = {}
    page.goto(f"{course.url}/start/drill?user=ann")
    page.wait_for_url(f"{lti_server}/lti/links/*")
    found["link page"] = violations(page)
    page.goto(f"{course.url}/start/pick?user=ian")
    page.wait_for_url(f"{lti_server}/lti/deep-link")
    found["picker"] = violations(page)
    context.close()
    assert not any(found.values()), found
