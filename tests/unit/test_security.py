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


@pytest.mark.parametrize(
    "password",
    ["1qaz2wsx3edc", "qwerty123456", "Manchester", "P@ssw0rd2024", "Dragon2024!", "monkey1234567"],
)
def test_passwords_from_breach_corpora_are_refused_with_their_reason(app, password):
    problems = password_problems(password, email="ann@example.org")
    assert problems == [
        "This password is on a list of common or breached passwords; choose another."
    ]


def test_the_breached_list_is_a_real_packaged_list_loaded_once():
    from app.common_passwords import common_passwords

    words = common_passwords()
    assert len(words) > 25_000 and "trustno1" in words
    assert common_passwords() is words  # read once, then only looked up
