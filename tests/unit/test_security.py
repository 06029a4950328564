"""Safe redirects and the password rules."""

import pytest

from app.security import password_problems, safe_next_url
from tests.factories import PASSWORD


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


GUESSABLE = {
    "passwordpassword": "Repeated characters or words",
    "password password": "Repeated characters or words",
    "Passw0rd!Passw0rd!": "Repeated characters or words",
    "trustno1trustno1": "Repeated characters or words",
    "monkey123monkey": "built from a common password",
    "123456789012": "built from a common password",
    "12345678901234567890": "Repeated characters or words",
    "abcdefghij": "Runs such as",
    "!@#$%^&*()": "Keyboard patterns",
    "zaq12wsxcde3": "built from a common password",
    "correcthorsebatterystaple": "on a list of common or breached passwords",
    "Correct Horse Battery Staple!": "on a list of common or breached passwords",
    "ＰａｓｓＷｏｒｄ１２３": "on a list of common or breached passwords",  # full-width
}


@pytest.mark.parametrize(("password", "says"), GUESSABLE.items())
def test_guessable_passwords_are_refused_with_one_specific_reason(app, password, says):
    problems = password_problems(password, email="ann@example.org", name="Ann Ahn")
    assert len(problems) == 1 and says in problems[0]


def test_the_own_name_hidden_in_a_password_is_found():
    (problem,) = password_problems("Ann Ahn 2024", email="ann.ahn@example.org", name="Ann Ahn")
    assert problem == "Do not build the password from your e-mail address or name."


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,  # every test account's
        "violet-harbour-lantern-31",  # tests change passwords to these
        "brand-new-phrase-7",
        "fresh-start-2026",
        "a-piped-secret-77",
        "new-long-password",  # the README's example
        "blue sky over paris",
    ],
)
def test_passwords_of_tests_and_examples_are_accepted(password):
    assert password_problems(password, email="ann@example.org", name="Ann Ahn") == []


def test_demo_style_generated_passwords_are_accepted():
    import secrets

    for _ in range(20):
        assert password_problems(f"demo-{secrets.token_urlsafe(9)}") == []
        assert password_problems(secrets.token_urlsafe(16)) == []


def test_the_strength_check_stays_fast_at_the_longest_password():
    import time

    longest = "-a-b-c-1-2-3" * 16  # 192 characters; only the first 72 are estimated
    password_problems("warm-up-lantern-harbour")
    start = time.perf_counter()
    for _ in range(5):
        assert password_problems(longest)
    assert (time.perf_counter() - start) / 5 < 0.25
