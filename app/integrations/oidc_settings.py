"""OpenID Connect issuers read from the environment (README, "Integrations").

`OIDC_PROVIDERS` names the issuers, in the order their buttons appear; each name NAME
then reads `OIDC_<NAME>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET` and the optional
settings below, with NAME upper-cased and `-` read as `_`. Anything malformed is
refused at start-up with the variable named, never half-applied at sign-in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ROLE_NAMES = ("learner", "trainer", "manager", "admin")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SettingsError(ValueError):
    """The environment describes an issuer Clausewise cannot use; the message names why."""


@dataclass(frozen=True)
class ProviderSettings:
    """One configured OpenID Connect issuer and how its users become Clausewise accounts."""

    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    label: str
    scopes: str = "openid email profile"
    role_claim: str = ""  # a dotted path into the claims, e.g. realm_access.roles
    role_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default_roles: tuple[str, ...] = ("learner",)  # () refuses users the map gives no role
    sync_roles: bool = False
    userinfo: bool = True
    email_verified_claim: str = "email_verified"
    trust_email: bool = False
    logout: bool = False

    @property
    def metadata_url(self) -> str:
        """Where the issuer publishes its discovery document."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _variable(name: str, key: str) -> str:
    """The environment variable of one setting of one issuer."""
    return f"OIDC_{name.upper().replace('-', '_')}_{key}"


def _flag(env: Mapping[str, str], variable: str, default: bool) -> bool:
    raw = env.get(variable)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in _TRUE | _FALSE:
        raise SettingsError(f"{variable} must be 1 or 0 (true or false), not {raw!r}.")
    return value in _TRUE


def _roles(variable: str, raw: object) -> tuple[str, ...]:
    """Role names from a string ("trainer" or "trainer learner") or a list of strings."""
    names = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SettingsError(f"{variable}: each role must be a role name or a list of them.")
    unknown = sorted(set(names) - set(ROLE_NAMES))
    if unknown:
        raise SettingsError(
            f"{variable}: unknown role {', '.join(unknown)}; the roles are {', '.join(ROLE_NAMES)}."
        )
    return tuple(dict.fromkeys(names))


def _role_map(env: Mapping[str, str], variable: str) -> dict[str, tuple[str, ...]]:
    """`{"claim value": "role" or ["role", …]}`, as JSON."""
    raw = env.get(variable, "").strip()
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as err:
        raise SettingsError(f"{variable} is not valid JSON ({err.msg} at {err.pos}).") from None
    if not isinstance(parsed, dict):
        raise SettingsError(f'{variable} must be a JSON object: {{"claim value": "role"}}.')
    return {str(value): _roles(f"{variable}[{value!r}]", roles) for value, roles in parsed.items()}


def _issuer(variable: str, raw: str, production: bool) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(f"{variable} must be the issuer's URL, such as https://sso.example.org")
    if parts.scheme == "http" and production and parts.hostname not in _LOOPBACK:
        raise SettingsError(f"{variable} must use https in production (it is {raw!r}).")
    return raw


def _provider(env: Mapping[str, str], name: str, production: bool) -> ProviderSettings:
    def get(key: str, default: str = "") -> str:
        return env.get(_variable(name, key), default).strip()

    for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"):
        if not get(key):
            raise SettingsError(f"{_variable(name, key)} is not set (issuer {name!r}).")
    scopes = get("SCOPES", "openid email profile")
    if "openid" not in scopes.split():
        raise SettingsError(f"{_variable(name, 'SCOPES')} must include openid.")
    default = get("DEFAULT_ROLE", "learner")
    return ProviderSettings(
        name=name,
        issuer=_issuer(_variable(name, "ISSUER"), get("ISSUER"), production),
        client_id=get("CLIENT_ID"),
        client_secret=get("CLIENT_SECRET"),
        label=get("LABEL") or name.replace("-", " ").title(),
        scopes=scopes,
        role_claim=get("ROLE_CLAIM"),
        role_map=_role_map(env, _variable(name, "ROLE_MAP")),
        default_roles=() if default == "none" else _roles(_variable(name, "DEFAULT_ROLE"), default),
        sync_roles=_flag(env, _variable(name, "SYNC_ROLES"), False),
        userinfo=_flag(env, _variable(name, "USERINFO"), True),
        email_verified_claim=get("EMAIL_VERIFIED_CLAIM", "email_verified"),
        trust_email=_flag(env, _variable(name, "TRUST_EMAIL"), False),
        logout=_flag(env, _variable(name, "LOGOUT"), False),
    )


def providers_from_env(
    env: Mapping[str, str], production: bool = False
) -> tuple[ProviderSettings, ...]:
    """Every issuer OIDC_PROVIDERS names, in its order (none when it is unset)."""
    names = env.get("OIDC_PROVIDERS", "").replace(",", " ").split()
    for name in names:
        if not _NAME.match(name):
            raise SettingsError(
                f"OIDC_PROVIDERS: {name!r} is not a usable name (lower-case letters, digits "
                "and hyphens, starting with a letter, at most 32)."
            )
    if len(set(names)) != len(names):
        raise SettingsError("OIDC_PROVIDERS names an issuer twice.")
    providers = tuple(_provider(env, name, production) for name in names)
    issuers = [p.issuer.rstrip("/") for p in providers]
    if len(set(issuers)) != len(issuers):
        raise SettingsError("OIDC_PROVIDERS: two names have the same issuer.")
    return providers


def sso_only_from_env(env: Mapping[str, str]) -> bool:
    """SSO_ONLY: passwords are off (sign-in, reset and change) when it is 1."""
    return _flag(env, "SSO_ONLY", False)
