"""The page's language: the user's saved choice, else this browser's choice, else the
browser's Accept-Language, else English; and the switcher that every page carries."""

from __future__ import annotations

import re

import pytest

from app import languages
from app.extensions import db
from app.models import Role, User
from tests.factories import PASSWORD


def _lang(page) -> str:
    """The lang attribute of a page's <html> element."""
    found = re.search(rb'<html lang="([^"]*)">', page.data)
    assert found, "the page has no <html lang>"
    return found.group(1).decode()


def _switch(client, language: str, next_page: str = "/login", **headers):
    return client.post("/language", data={"language": language, "next": next_page}, headers=headers)


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-TW,en;q=0.5", "zh-Hans"),  # Traditional readers read Simplified better than English
        ("zh-HK", "zh-Hans"),
        ("fr-FR, zh;q=0.3", "zh-Hans"),  # French is not offered; Chinese is the best match
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("zh;q=0, en", "en"),  # q=0 refuses a language
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_accept_language_picks_the_page_language(client, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    assert _lang(client.get("/login", headers=headers)) == lang


def test_a_chinese_browser_gets_a_zh_hans_page_after_signing_in(client, login_as):
    login_as(Role.LEARNER)
    page = client.get("/learn/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert _lang(page) == "zh-Hans"


def test_the_sign_in_page_carries_the_switcher_in_each_languages_own_words(client):
    page = client.get("/login?next=/learn/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/language".*?</form>', page, re.S)
    assert form, "no language switcher on the sign-in page"
    assert 'name="csrf_token"' in form.group(0)
    assert 'name="next" value="/login?next=/learn/"' in form.group(0)
    assert re.search(r'value="en" lang="en"[^>]*>English<', form.group(0))
    assert re.search(r'value="zh_Hans" lang="zh-Hans"[^>]*>简体中文<', form.group(0))


def test_a_visitor_who_is_not_signed_in_chooses_for_this_browser(client, flask_app):
    reply = _switch(client, "zh_Hans", "/login?next=/learn/", **{"Accept-Language": "en"})
    assert reply.status_code == 302 and reply.headers["Location"] == "/login?next=/learn/"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert _lang(page) == "zh-Hans"
    assert 'aria-current="true">简体中文<' in page.get_data(as_text=True)
    stranger = flask_app.test_client()  # another browser keeps its own language
    assert _lang(stranger.get("/login", headers={"Accept-Language": "en"})) == "en"


def test_a_signed_in_choice_is_saved_on_the_profile_and_follows_the_user(
    client, flask_app, login_as
):
    user = login_as(Role.LEARNER)
    assert user.language == ""  # no choice yet: the browser decides
    assert _switch(client, "zh_Hans", "/learn/").headers["Location"] == "/learn/"
    db.session.refresh(user)
    assert user.language == "zh_Hans"
    elsewhere = flask_app.test_client()  # another device, an English browser
    elsewhere.post("/login", data={"email": user.email, "password": PASSWORD})
    assert _lang(elsewhere.get("/learn/", headers={"Accept-Language": "en-GB"})) == "zh-Hans"


def test_the_saved_choice_wins_over_the_session_and_the_browser(client, make_user, login_as):
    user = make_user(role=Role.LEARNER)
    user.language = "en"
    db.session.commit()
    _switch(client, "zh_Hans")  # chosen before signing in, in this browser
    login_as(user=user)
    assert _lang(client.get("/learn/", headers={"Accept-Language": "zh-CN"})) == "en"


def test_the_profile_page_offers_the_choice_and_can_hand_it_back_to_the_browser(client, login_as):
    user = login_as(Role.LEARNER)
    page = client.get("/profile").get_data(as_text=True)
    assert 'id="profile-language" name="language"' in page
    assert '<option value="zh_Hans" lang="zh-Hans" >简体中文</option>' in page
    _switch(client, "zh_Hans", "/profile")
    assert "selected>简体中文" in client.get("/profile").get_data(as_text=True)
    assert _switch(client, "", "/profile").headers["Location"] == "/profile"
    db.session.refresh(user)
    assert user.language == ""
    assert _lang(client.get("/profile", headers={"Accept-Language": "en"})) == "en"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switcher_never_redirects_off_the_site(client, target):
    reply = _switch(client, "zh_Hans", target)
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/"


def test_an_unknown_language_is_refused_and_changes_nothing(client, login_as):
    user = login_as(Role.LEARNER)
    _switch(client, "zh_Hans", "/learn/")
    refused = _switch(client, "klingon", "/learn/")
    assert refused.status_code == 400
    assert "English (en), 简体中文 (zh_Hans)" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "zh_Hans"
    assert _lang(client.get("/learn/")) == "zh-Hans"


def test_error_pages_carry_the_switcher_and_return_to_themselves(client):
    page = client.get("/no-such-page?x=1", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 404 and _lang(page) == "zh-Hans"
    assert 'name="next" value="/no-such-page?x=1"' in page.get_data(as_text=True)


def test_a_page_answering_a_post_returns_to_the_page_that_sent_it(client, login_as):
    login_as(Role.LEARNER)
    page = client.post(
        "/profile/tokens", data={"name": ""}, headers={"Referer": "http://localhost/profile"}
    )
    assert 'name="next" value="/profile"' in page.get_data(as_text=True)
    foreign = client.post(
        "/profile/tokens", data={"name": ""}, headers={"Referer": "https://evil.example/x"}
    )
    assert 'name="next" value="/"' in foreign.get_data(as_text=True)


def test_the_switcher_needs_a_csrf_token(make_app, make_user):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    with strict.app_context():
        page = client.get("/login").get_data(as_text=True)
        form = re.search(r'action="/language".*?</form>', page, re.S).group(0)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert client.post("/language", data={"language": "zh_Hans"}).status_code == 400
        assert _lang(client.get("/login")) == "en"
        done = client.post("/language", data={"language": "zh_Hans", "csrf_token": token})
        assert done.status_code == 302
        assert _lang(client.get("/login")) == "zh-Hans"


def test_the_offered_languages_are_the_catalogues_and_the_configuration(flask_app):
    assert flask_app.config["LANGUAGES"] == ["en", "zh_Hans"]
    assert languages.html_tag("zh_Hans") == "zh-Hans"
    assert User.__table__.c.language.type.length >= max(map(len, languages.LOCALES))
