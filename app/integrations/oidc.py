"""OpenID Connect with Authlib: authorization code with PKCE, state and nonce, discovery,
ID tokens checked against the issuer's JWKS (signature, iss, aud, exp, iat, nonce, azp).

Protocol only: this module says who the issuer vouches for (`Claims`); what that person
may do in Clausewise is app.services.sso's business. Each app holds its own Authlib
registry (tests build apps with other issuers); discovery documents and key sets are
fetched once per process and the key set again when a token names a key it lacks.
State, nonce and PKCE verifier travel in the signed session cookie, so any worker can
finish a sign-in another began.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from app.integrations.oidc_settings import ProviderSettings

log = logging.getLogger(__name__)

_EXTENSION = "clausewise.oidc"
TIMEOUT = 10  # seconds for each call to an issuer


class SignInFailed(Exception):
    """The issuer's answer does not sign anybody in; `reason` says why, as a code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # denied · unreachable · invalid


@dataclass(frozen=True)
class Claims:
    """Who the issuer vouches for, from the checked ID token and (optionally) UserInfo."""

    provider: str
    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    locale: str
    role_values: tuple[str, ...]
    id_token: str  # kept for RP-initiated logout (id_token_hint)


def install(app: Flask) -> None:
    """Register every configured issuer with a registry of this app's own."""
    registry = OAuth(app)
    for provider in app.config.get("OIDC_PROVIDERS", ()):
        registry.register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT,
            },
        )
    app.extensions[_EXTENSION] = registry


def providers() -> tuple[ProviderSettings, ...]:
    """The configured issuers, in the order of their buttons."""
    return tuple(current_app.config.get("OIDC_PROVIDERS", ()))


def provider(name: str) -> ProviderSettings | None:
    """The configured issuer called `name`, if there is one."""
    return next((p for p in providers() if p.name == name), None)


def provider_for_issuer(issuer: str) -> ProviderSettings | None:
    """The configured issuer whose URL is `issuer` (as ID tokens name it)."""
    return next((p for p in providers() if p.issuer.rstrip("/") == issuer.rstrip("/")), None)


def provider_label(issuer: str) -> str:
    """The button label of the configured issuer `issuer`, else the issuer's URL."""
    found = provider_for_issuer(issuer)
    return found.label if found else issuer


def _client(name: str) -> Any:
    return current_app.extensions[_EXTENSION].create_client(name)


def _metadata(settings: ProviderSettings) -> dict[str, Any]:
    """The issuer's discovery document, which must name the issuer configured."""
    try:
        metadata = _client(settings.name).load_server_metadata()
    except (requests.RequestException, ValueError) as err:
        raise SignInFailed("unreachable", f"{settings.metadata_url}: {err}") from err
    if metadata.get("issuer") != settings.issuer:
        raise SignInFailed(
            "invalid",
            f"discovery names issuer {metadata.get('issuer')!r}, not {settings.issuer!r}",
        )
    return metadata


def begin(settings: ProviderSettings, redirect_uri: str, **params: str) -> Response:
    """A redirect to the issuer's authorization endpoint (state, nonce, PKCE kept)."""
    _metadata(settings)
    response: Response = _client(settings.name).authorize_redirect(redirect_uri, **params)
    return response


def id_token_checks(settings: ProviderSettings) -> dict[str, dict[str, Any]]:
    """What an ID token's iss and aud must hold (Authlib checks exp, iat, nonce and azp).

    Authlib's default checks iss, and aud only through azp: both are named here.
    """
    return {
        "iss": {"essential": True, "values": [settings.issuer]},
        "aud": {"essential": True, "values": [settings.client_id]},
    }


def finish(settings: ProviderSettings) -> Claims:
    """Exchange the code on this callback for a checked ID token; its claims, or SignInFailed."""
    _metadata(settings)
    client = _client(settings.name)
    try:
        token = client.authorize_access_token(claims_options=id_token_checks(settings), leeway=60)
    except AuthlibBaseError as err:
        if getattr(err, "error", "") in ("access_denied", "login_required", "consent_required"):
            raise SignInFailed("denied", str(err)) from err
        raise SignInFailed("invalid", str(err)) from err
    except requests.RequestException as err:
        raise SignInFailed("unreachable", str(err)) from err
    except (JoseError, ValueError) as err:  # a bad signature, claim or key; a malformed token
        raise SignInFailed("invalid", f"{type(err).__name__}: {err}") from err
    id_claims = token.get("userinfo")
    if not id_claims:
        raise SignInFailed("invalid", "the token response holds no ID token")
    claims: dict[str, Any] = dict(id_claims)
    if settings.userinfo and token.get("access_token"):
        claims = _with_userinfo(client, token, claims)
    return claims_from(settings, claims, token["id_token"])


def _with_userinfo(client: Any, token: Mapping[str, Any], claims: dict[str, Any]) -> dict:
    """The ID token's claims, completed from the UserInfo endpoint (the ID token wins)."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return claims
    try:
        extra = dict(client.userinfo(token=token))
    except (requests.RequestException, AuthlibBaseError, ValueError) as err:
        raise SignInFailed("unreachable", f"userinfo: {err}") from err
    if extra.get("sub") != claims.get("sub"):  # OpenID Connect Core 5.3.2
        raise SignInFailed("invalid", "userinfo names another subject than the ID token")
    return {**extra, **claims}


def claim_path(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (`realm_access.roles`); None where it leads nowhere."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _strings(value: Any) -> tuple[str, ...]:
    """A claim that holds one string or a list of them, as strings."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str | int))
    return ()


def _verified(value: Any) -> bool:
    """A true `email_verified`: JSON true, or the string "true" some issuers send."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def claims_from(settings: ProviderSettings, claims: Mapping[str, Any], id_token: str) -> Claims:
    """The claims Clausewise reads, by name and by the issuer's settings."""
    name = claims.get("name") or " ".join(
        str(claims[k]) for k in ("given_name", "family_name") if claims.get(k)
    )
    return Claims(
        provider=settings.name,
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=str(claims.get("email") or "").strip(),
        email_verified=settings.trust_email
        or _verified(claim_path(claims, settings.email_verified_claim)),
        name=str(name or claims.get("preferred_username") or "").strip(),
        locale=str(claims.get("locale") or ""),
        role_values=_strings(claim_path(claims, settings.role_claim))
        if settings.role_claim
        else (),
        id_token=id_token,
    )


def logout_url(settings: ProviderSettings, id_token: str, after: str) -> str | None:
    """The issuer's end-session URL for RP-initiated logout, if enabled and offered."""
    if not settings.logout:
        return None
    try:
        metadata = _metadata(settings)
    except SignInFailed:
        log.warning("cannot offer the sign-out of %s: discovery failed", settings.name)
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    url: str = _client(settings.name).create_logout_url(
        post_logout_redirect_uri=after, id_token_hint=id_token, client_id=settings.client_id
    )["url"]
    return url
