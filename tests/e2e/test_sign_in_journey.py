"""Each role signs in through the real login page and lands on its home page."""

import pytest

from app.models import Role
from tests.e2e.conftest import screenshot, sign_in

HOMES = [
    (Role.LEARNER, "/learn/", "Welcome,"),
    (Role.TRAINER, "/train/", "Question banks"),
    (Role.MANAGER, "/manage/", "Your teams"),
    (Role.ADMIN, "/admin/", "Accounts"),
]


@pytest.mark.parametrize(("role", "path", "heading"), HOMES)
def test_role_signs_in_and_sees_its_home_page(page, live_server, make_user, role, path, heading):
    user = make_user(role=role)
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")
    sign_in(page, live_server, user.email, open_login=False, lands_on=path)
    assert heading in page.locator("h1").first.inner_text()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert screenshot(page, f"home-{role.value}").stat().st_size > 10_000


def test_wrong_password_shows_one_generic_message(page, live_server, make_user):
    user = make_user()
    sign_in(page, live_server, user.email, "not-the-password")
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("The e-mail address or password is not correct.")
    )
    screenshot(page, "login-failed")


def test_sign_out_returns_to_the_login_page(page, live_server, make_user):
    user = make_user(role=Role.ADMIN)
    sign_in(page, live_server, user.email, lands_on="/admin/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/login")
    assert "You have signed out." in page.get_by_role("alert").inner_text()
