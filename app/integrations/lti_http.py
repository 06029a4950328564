"""LTI Advantage over HTTP: the platform's public keys, access tokens by client
credentials with a signed JWT assertion, Assignment and Grade Services scores, and Names
and Role Provisioning memberships.

Caches here (key sets, access tokens) are per process and only save round trips: any
worker fetches again what it lacks. Failures raise `ServiceFailed`, so a background job
that calls these is retried.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from app.integrations import lti
from app.integrations.lti import Platform, Refused, ToolKey

KEYSET_TTL = 600  # seconds a fetched key set is trusted before it is fetched again
REFETCH_AFTER = 30  # seconds before an unknown kid may make us fetch the key set again
MAX_PAGES = 200  # pages of a membership list followed at most
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"

_lock = threading.Lock()
_keysets: dict[str, tuple[float, KeySet]] = {}
_tokens: dict[tuple[str, str, str], tuple[float, str]] = {}


class ServiceFailed(Exception):
    """A platform service did not do what was asked; worth trying again later."""


def forget() -> None:
    """Drop the cached key sets and tokens (tests; a platform that changed its keys)."""
    with _lock:
        _keysets.clear()
        _tokens.clear()


def _fetch_keyset(url: str, timeout: int) -> KeySet:
    """The key set at `url`, fetched now."""
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, JoseError) as err:
        raise Refused("keys", f"{url}: {type(err).__name__}") from None


def _from_keyset(keyset: KeySet, kid: str | None) -> RSAKey | None:
    """The RSA key named `kid`; without a kid, the set's only key."""
    keys = [k for k in keyset.keys if isinstance(k, RSAKey)]
    if kid is None:
        return keys[0] if len(keys) == 1 else None
    return next((k for k in keys if k.kid == kid), None)


def platform_key(platform: Platform, kid: str | None, timeout: int = 10) -> RSAKey:
    """The platform's public key that signed a token: from its JWKS URL (fetched again
    when it lacks the kid, at most every REFETCH_AFTER seconds) or its registered key."""
    if not platform.jwks_url:
        return _registered_key(platform.public_key, kid)
    now = time.monotonic()
    with _lock:
        cached = _keysets.get(platform.jwks_url)
    key = _from_keyset(cached[1], kid) if cached and now - cached[0] < KEYSET_TTL else None
    if key is None and (cached is None or now - cached[0] >= REFETCH_AFTER):
        keyset = _fetch_keyset(platform.jwks_url, timeout)
        with _lock:
            _keysets[platform.jwks_url] = (now, keyset)
        key = _from_keyset(keyset, kid)
    if key is None:
        raise Refused("signature", f"no key {kid!r} at {platform.jwks_url}")
    return key


def _registered_key(text: str, kid: str | None) -> RSAKey:
    """A key pasted into the registration: a PEM, a JWK or a JWKS."""
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            if "keys" in data:
                key = _from_keyset(KeySet.import_key_set(data), kid)
                if key is None:
                    raise Refused("signature", f"no key {kid!r} in the registered set")
                return key
            return RSAKey.import_key(data)
        return RSAKey.import_key(text.strip())
    except (ValueError, JoseError) as err:
        raise Refused("keys", f"registered key: {type(err).__name__}") from None


def check_public_key(text: str) -> None:
    """Raise ValueError unless `text` is an RSA public key as PEM, JWK or JWKS."""
    try:
        _registered_key(text, None)
    except Refused as err:
        if err.reason == "keys":
            raise ValueError(str(err)) from None


def access_token(platform: Platform, key: ToolKey, scopes: list[str], timeout: int = 10) -> str:
    """A bearer token for `scopes`, from the platform's token endpoint (client credentials
    with a JWT assertion signed by the tool), reused until a minute before it expires."""
    scope = " ".join(sorted(scopes))
    cache_key = (platform.auth_token_url, platform.client_id, scope)
    with _lock:
        cached = _tokens.get(cache_key)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": lti.client_assertion(platform, key),
        "scope": scope,
    }
    body = _token_reply(platform.auth_token_url, form, timeout)
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise ServiceFailed("the token endpoint answered without an access_token")
    lifetime = body.get("expires_in", 3600)
    lifetime = lifetime if isinstance(lifetime, int) and lifetime > 0 else 3600
    with _lock:
        _tokens[cache_key] = (time.monotonic() + max(lifetime - 60, 0), token)
    return token


def _forget_token(platform: Platform, scopes: list[str]) -> None:
    """Drop a token the platform refused, so that the next try asks for a new one."""
    with _lock:
        _tokens.pop((platform.auth_token_url, platform.client_id, " ".join(sorted(scopes))), None)


def _token_reply(url: str, form: dict[str, str], timeout: int) -> dict[str, Any]:
    """The token endpoint's JSON answer to `form`; ServiceFailed on any failure."""
    try:
        response = requests.post(
            url, data=form, timeout=timeout, headers={"Accept": "application/json"}
        )
    except requests.RequestException as err:
        raise ServiceFailed(f"token: {url}: {type(err).__name__}") from None
    if response.status_code >= 300:
        raise ServiceFailed(f"token: {url} answered {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise ServiceFailed(f"token: {url} answered no JSON") from None
    if not isinstance(body, dict):
        raise ServiceFailed(f"token: {url} answered no JSON object")
    return body


def scores_url(lineitem_url: str) -> str:
    """The line item's score service: its URL with /scores added to the path."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def post_score(
    platform: Platform, key: ToolKey, lineitem_url: str, score: dict[str, Any], timeout: int = 10
) -> None:
    """Publish one score to a line item (AGS 2.0 score service)."""
    scopes = [lti.SCOPE_SCORE]
    token = access_token(platform, key, scopes, timeout)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE}
    try:
        response = requests.post(
            scores_url(lineitem_url), data=json.dumps(score), headers=headers, timeout=timeout
        )
    except requests.RequestException as err:
        raise ServiceFailed(f"score: {lineitem_url}: {type(err).__name__}") from None
    if response.status_code == 401:
        _forget_token(platform, scopes)
    if response.status_code >= 300:
        raise ServiceFailed(f"score: {lineitem_url} answered {response.status_code}")


@dataclass(frozen=True)
class Member:
    """One person of a course's membership list."""

    user_id: str
    roles: tuple[str, ...]
    status: str
    name: str
    email: str


def _member(row: object) -> Member | None:
    """A membership row, or None when it names no user."""
    if not isinstance(row, dict) or not isinstance(row.get("user_id"), str):
        return None
    roles = row.get("roles")
    status = row.get("status")
    email = row.get("email")
    name = row.get("name") or " ".join(
        str(row[p]) for p in ("given_name", "family_name") if row.get(p)
    )
    return Member(
        user_id=row["user_id"][:255],
        roles=tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else (),
        status=status if isinstance(status, str) else "Active",
        name=str(name)[:120],
        email=email[:254] if isinstance(email, str) else "",
    )


def memberships(platform: Platform, key: ToolKey, url: str, timeout: int = 10) -> list[Member]:
    """Every member of a course (NRPS 2.0), following the `next` links of a paged list;
    a next page on another origin than the list's is not followed (it would get our token)."""
    scopes = [lti.SCOPE_MEMBERSHIPS]
    token = access_token(platform, key, scopes, timeout)
    origin = urlsplit(url)[:2]
    found: list[Member] = []
    page: str | None = url
    for _ in range(MAX_PAGES):
        if page is None:
            break
        headers = {"Authorization": f"Bearer {token}", "Accept": MEMBERSHIPS_TYPE}
        try:
            response = requests.get(page, headers=headers, timeout=timeout)
        except requests.RequestException as err:
            raise ServiceFailed(f"memberships: {page}: {type(err).__name__}") from None
        if response.status_code == 401:
            _forget_token(platform, scopes)
        if response.status_code >= 300:
            raise ServiceFailed(f"memberships: {page} answered {response.status_code}")
        try:
            rows = response.json().get("members", [])
        except (ValueError, AttributeError):
            raise ServiceFailed(f"memberships: {page} answered no membership container") from None
        found.extend(m for m in map(_member, rows if isinstance(rows, list) else []) if m)
        following = response.links.get("next", {}).get("url")
        page = following if following and urlsplit(following)[:2] == origin else None
    return found
