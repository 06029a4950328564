"""Platform registrations: in production, the addresses Clausewise fetches keys and
tokens from, and sends people to, must be https (a local platform may use http)."""

from __future__ import annotations

import pytest

from app.models import SYSTEM
from app.services import lti_platforms


def _registration(base: str) -> lti_platforms.Registration:
    return lti_platforms.Registration(
        name="LMS",
        issuer=base,
        client_id="clausewise",
        deployment_ids=["1"],
        auth_login_url=f"{base}/auth",
        auth_token_url=f"{base}/token",
        jwks_url=f"{base}/jwks",
    )


@pytest.fixture
def production(app, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")


def test_in_production_plain_http_endpoints_are_refused(production):
    with pytest.raises(lti_platforms.RegistrationInvalid) as refused:
        lti_platforms.save_platform(SYSTEM, None, _registration("http://lms.example.org"))
    assert {"auth_login_url", "auth_token_url", "jwks_url"} <= set(refused.value.fields)


@pytest.mark.parametrize("base", ["https://lms.example.org", "http://127.0.0.1:8080"])
def test_in_production_https_and_a_local_platform_are_accepted(production, base):
    assert lti_platforms.save_platform(SYSTEM, None, _registration(base)).jwks_url


def test_outside_production_http_is_accepted(app):
    assert lti_platforms.save_platform(SYSTEM, None, _registration("http://lms.example.org"))
