"""Safe redirects and the password rules."""

import pytest

from app.security import password_problems, safe_next_url


@pytest.mark.parametrize(
    "target",
    ["/learn/", "/admin/users/3?tab=roles", "/profile"],
)
def test_local_paths_are_safe_redirect_targets(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "learn/",
        "/x\nLocation: https://evil.example",
    ],
)
def test_other_targets_are_refused(target):
    assert safe_next_url(target) is None


def test_short_passwords_are_refused():
    assert any("10" in p for p in password_problems("short1"))


def test_common_and_repetitive_passwords_are_refused():
    assert password_problems("password123")
    assert password_problems("aaaaaaaaaaaa")


def test_password_may_not_contain_the_email_name():
    assert password_problems("lena.learner-2024", email="lena.learner@example.org")


def test_a_long_unusual_password_is_accepted():
    assert password_problems("plum-orbit-7-carafe", email="ann@example.org") == []
