"""The LTI messages on their own: ID token checks, the state cookie, the login redirect."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from app.integrations import lti, lti_http
from app.integrations.lti import Platform, Refused

KEY = RSAKey.generate_key(2048, private=True, parameters={"kid": "k1"})
PLATFORM = Platform(
    issuer="https://lms.example",
    client_id="tool",
    deployment_ids=("d1",),
    auth_login_url="https://lms.example/auth?tenant=7",
    auth_token_url="https://lms.example/token",
)


def _token(**changes) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://lms.example",
        "aud": "tool",
        "sub": "s1",
        "iat": now,
        "exp": now + 60,
        "nonce": "n1",
        lti.VERSION: "1.3.0",
        lti.MESSAGE_TYPE: "LtiResourceLinkRequest",
        lti.DEPLOYMENT_ID: "d1",
        lti.ROLES: [],
        lti.RESOURCE_LINK: {"id": "r1"},
        lti.TARGET_LINK_URI: "https://tool.example/lti/launch",
    }
    claims.update(changes)
    return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, KEY)


def _verify(token: str, nonce: str = "n1") -> dict:
    return lti.verify_id_token(token, PLATFORM, nonce, lambda _p, _kid: KEY)


def test_a_good_token_passes():
    assert _verify(_token())["sub"] == "s1"


def test_several_audiences_need_an_azp_naming_the_tool():
    with pytest.raises(Refused, match="audience"):
        _verify(_token(aud=["tool", "other"]))
    assert _verify(_token(aud=["tool", "other"], azp="tool"))


def test_an_unsigned_token_is_refused():
    none_header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    with pytest.raises(Refused, match="signature"):
        _verify(f"{none_header}.{_token().split('.')[1]}.")


def test_a_token_from_the_future_is_refused():
    with pytest.raises(Refused, match="issued_at"):
        _verify(_token(iat=int(time.time()) + 3600))


def test_a_deep_linking_request_must_accept_resource_links():
    settings = {"deep_link_return_url": "https://lms.example/return", "accept_types": ["link"]}
    token = _token(**{lti.MESSAGE_TYPE: "LtiDeepLinkingRequest", lti.DL_SETTINGS: settings})
    with pytest.raises(Refused, match="deep_linking"):
        _verify(token)


def test_the_state_cookie_is_sealed_and_expires(monkeypatch):
    sealed = lti.seal_state("secret", {"n": "nonce", "p": 3})
    assert lti.open_state("secret", sealed) == {"n": "nonce", "p": 3}
    with pytest.raises(Refused, match="state"):
        lti.open_state("other secret", sealed)
    later = time.time() + lti.STATE_MAX_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(Refused, match="state"):
        lti.open_state("secret", sealed)


def test_the_login_redirect_keeps_the_platforms_own_query():
    url, nonce = lti.authentication_request(PLATFORM, "https://tool/launch", "u", None, "st")
    assert url.startswith("https://lms.example/auth?tenant=7&scope=openid&")
    assert f"nonce={nonce}" in url and "lti_message_hint" not in url


def test_scores_go_to_the_line_items_scores_path():
    assert lti_http.scores_url("https://lms/li/7?type=x") == "https://lms/li/7/scores?type=x"
    assert lti_http.scores_url("https://lms/li/7/") == "https://lms/li/7/scores"


def test_a_pasted_key_may_be_pem_jwk_or_jwks():
    public = KEY.as_dict(private=False)
    for text in (KEY.as_pem(private=False).decode(), str(public).replace("'", '"')):
        lti_http.check_public_key(text)
    lti_http.check_public_key('{"keys": [' + str(public).replace("'", '"') + "]}")
    with pytest.raises(ValueError):
        lti_http.check_public_key("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")
