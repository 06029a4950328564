"""LTI 1.3 messages: the tool's keys, the OpenID Connect login of a launch (1EdTech
Security Framework 1.0, third-party initiated login, implicit flow with form_post), the
checks of a launch's ID token (LTI Core 1.3), and the Deep Linking 2.0 response.

Protocol only: this module says whether a message is genuine and what it says
(`Launch`); who signs in and what they may open is app.services.lti_launch's business.
Refusals are codes (`Refused.reason`) that the web layer puts into words. The HTTP side
(platform keys, access tokens, grades, rosters) is app.integrations.lti_http.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
LTI_VERSION = "1.3.0"
ALGORITHM = "RS256"
LEEWAY = 60  # seconds of clock difference forgiven in exp and iat
STATE_MAX_AGE = 600  # seconds from the login initiation to the launch


class Refused(Exception):
    """A login or launch that must not go on; `reason` is a code for the web layer."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        # unknown_platform · login_request · state · malformed · signature · keys · issuer
        # · audience · expired · issued_at · nonce · version · message_type · deployment
        # · claims · anonymous · deep_linking
        self.reason = reason


@dataclass(frozen=True)
class Platform:
    """What the tool knows of a registered platform, as the protocol needs it."""

    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    auth_audience: str = ""
    jwks_url: str = ""
    public_key: str = ""

    @property
    def token_audience(self) -> str:
        """The `aud` of the tool's client assertions: the token URL unless told otherwise."""
        return self.auth_audience or self.auth_token_url


@dataclass(frozen=True)
class ToolKey:
    """One of the tool's RSA key pairs: its key id, private PEM and public JWK."""

    kid: str
    private_pem: str
    public_jwk: dict[str, Any]

    def signing_key(self) -> RSAKey:
        """The private key, ready to sign."""
        return RSAKey.import_key(self.private_pem, parameters={"kid": self.kid})


def new_tool_key() -> ToolKey:
    """A fresh 2048-bit RSA key pair, named by its RFC 7638 thumbprint."""
    key = RSAKey.generate_key(2048, private=True)
    kid = key.thumbprint()
    public = {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": ALGORITHM}
    pem = key.as_pem(private=True).decode()
    return ToolKey(kid=kid, private_pem=pem, public_jwk=public)


def authentication_request(
    platform: Platform, redirect_uri: str, login_hint: str, message_hint: str | None, state: str
) -> tuple[str, str]:
    """The URL of the platform's authorization endpoint to send the browser to, and the
    nonce the ID token must carry back."""
    nonce = secrets.token_urlsafe(24)
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": login_hint,
        "state": state,
        "nonce": nonce,
    }
    if message_hint is not None:
        params["lti_message_hint"] = message_hint
    parts = urlsplit(platform.auth_login_url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit(parts._replace(query=query)), nonce


def seal_state(secret: str, payload: Mapping[str, Any]) -> str:
    """The signed, timestamped value of the state cookie."""
    return URLSafeTimedSerializer(secret, salt="lti-state").dumps(dict(payload))


def open_state(secret: str, sealed: str) -> dict[str, Any]:
    """The payload of a state cookie; Refused("state") when forged or over ten minutes old."""
    try:
        payload = URLSafeTimedSerializer(secret, salt="lti-state").loads(
            sealed, max_age=STATE_MAX_AGE
        )
    except BadSignature as err:  # SignatureExpired is a BadSignature too
        raise Refused("state", type(err).__name__) from None
    if not isinstance(payload, dict):
        raise Refused("state", "not a mapping")
    return payload


KeyFinder = Callable[[Platform, str | None], RSAKey]


def verify_id_token(
    id_token: str, platform: Platform, nonce: str, find_key: KeyFinder, now: float | None = None
) -> dict[str, Any]:
    """The claims of a launch's ID token once its signature (RS256, by the platform's key)
    and the claims LTI Core requires are checked; Refused otherwise."""
    try:
        header = jws.extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError, UnicodeError):
        raise Refused("malformed") from None
    if header.get("alg") != ALGORITHM:
        raise Refused("signature", f"alg {header.get('alg')!r}")
    kid = header.get("kid")
    key = find_key(platform, kid if isinstance(kid, str) else None)
    try:
        claims = jwt.decode(id_token, key, algorithms=[ALGORITHM]).claims
    except JoseError as err:
        raise Refused("signature", type(err).__name__) from None
    _check_standard_claims(claims, platform, nonce, time.time() if now is None else now)
    _check_lti_claims(claims, platform)
    return claims


def _check_standard_claims(
    claims: Mapping[str, Any], platform: Platform, nonce: str, now: float
) -> None:
    """iss, aud, azp, exp, iat and nonce, as OpenID Connect Core and LTI ask."""
    if claims.get("iss") != platform.issuer:
        raise Refused("issuer", str(claims.get("iss")))
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or platform.client_id not in audiences:
        raise Refused("audience", str(audience))
    azp = claims.get("azp")
    if (len(audiences) > 1 and azp is None) or (azp is not None and azp != platform.client_id):
        raise Refused("audience", f"azp {azp!r}")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not _is_number(exp) or not _is_number(iat):
        raise Refused("claims", "exp and iat must be numbers")
    exp, iat = float(exp), float(iat)  # type: ignore[arg-type]  # numbers, checked above
    if now > exp + LEEWAY:
        raise Refused("expired")
    if iat > now + LEEWAY:
        raise Refused("issued_at")
    given = claims.get("nonce")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), nonce.encode()):
        raise Refused("nonce")


def _check_lti_claims(claims: Mapping[str, Any], platform: Platform) -> None:
    """Version, message type, deployment and the claims each message type requires."""
    if claims.get(VERSION) != LTI_VERSION:
        raise Refused("version", str(claims.get(VERSION)))
    kind = claims.get(MESSAGE_TYPE)
    if kind not in (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST):
        raise Refused("message_type", str(kind))
    if claims.get(DEPLOYMENT_ID) not in platform.deployment_ids:
        raise Refused("deployment", str(claims.get(DEPLOYMENT_ID)))
    roles = claims.get(ROLES)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Refused("claims", "roles must be a list of strings")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Refused("anonymous")
    if kind == RESOURCE_LINK_REQUEST:
        link = claims.get(RESOURCE_LINK)
        if not isinstance(link, dict) or not isinstance(link.get("id"), str) or not link["id"]:
            raise Refused("claims", "resource_link.id is missing")
        if not isinstance(claims.get(TARGET_LINK_URI), str):
            raise Refused("claims", "target_link_uri is missing")
    else:
        settings = claims.get(DL_SETTINGS)
        if not isinstance(settings, dict) or not isinstance(
            settings.get("deep_link_return_url"), str
        ):
            raise Refused("claims", "deep_link_return_url is missing")
        accepted = settings.get("accept_types")
        if not isinstance(accepted, list) or "ltiResourceLink" not in accepted:
            raise Refused("deep_linking", "ltiResourceLink is not accepted")


def _is_number(value: object) -> bool:
    """True for an int or float (a bool is neither here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def resource_link_item(
    title: str, url: str, custom: Mapping[str, str], score_maximum: float | None, text: str = ""
) -> dict[str, Any]:
    """One `ltiResourceLink` content item; with a line item when it is graded."""
    item: dict[str, Any] = {"type": "ltiResourceLink", "title": title, "url": url}
    if text:
        item["text"] = text
    item["custom"] = dict(custom)
    if score_maximum is not None:
        item["lineItem"] = {"scoreMaximum": score_maximum, "label": title}
    return item


def deep_linking_response(
    platform: Platform,
    key: ToolKey,
    deployment_id: str,
    items: list[dict[str, Any]],
    data: str | None,
    now: float | None = None,
) -> str:
    """The signed LtiDeepLinkingResponse JWT that the browser posts back to the platform."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "iat": issued,
        "exp": issued + 600,
        "nonce": secrets.token_urlsafe(16),
        DEPLOYMENT_ID: deployment_id,
        MESSAGE_TYPE: "LtiDeepLinkingResponse",
        VERSION: LTI_VERSION,
        DL_CONTENT_ITEMS: items,
    }
    if data is not None:
        claims[DL_DATA] = data
    return sign(key, claims)


def client_assertion(platform: Platform, key: ToolKey, now: float | None = None) -> str:
    """The JWT that authenticates the tool at the platform's token endpoint (RFC 7523)."""
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.token_audience,
        "iat": issued,
        "exp": issued + 300,
        "jti": secrets.token_urlsafe(16),
    }
    return sign(key, claims)


def sign(key: ToolKey, claims: Mapping[str, Any]) -> str:
    """A compact RS256 JWT of `claims`, signed with the tool's key and naming its kid."""
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, dict(claims), key.signing_key())
