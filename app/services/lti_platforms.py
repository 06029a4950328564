"""Platform registrations, managed by administrators: what an LMS told us about itself
(issuer, client id, deployments, endpoints, keys) and how its people become users.

Every field is checked before anything is written; a registration with errors raises
`RegistrationInvalid`, which names each field and what is wrong with it. In production
the endpoints and the keyset are https (but on this machine), as OpenID issuers are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.integrations import lti, lti_http
from app.models import Actor, LtiPlatform, Role
from app.services import audit, lti_keys

MAX_DEPLOYMENTS = 50
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
INSTRUCTOR_ROLES = (Role.TRAINER.value, Role.MANAGER.value)
FIELDS = (
    "name",
    "issuer",
    "client_id",
    "deployment_ids",
    "auth_login_url",
    "auth_token_url",
    "auth_audience",
    "jwks_url",
    "public_key",
    "instructor_roles",
    "admins_are_admins",
    "link_by_email",
    "active",
)


class RegistrationInvalid(InvalidInput):
    """Fields of a registration are wrong; `fields` maps each to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(_("Check the marked fields: nothing was saved."))
        self.fields = fields


@dataclass
class Registration:
    """A registration as an administrator typed it."""

    name: str = ""
    issuer: str = ""
    client_id: str = ""
    deployment_ids: list[str] = field(default_factory=list)
    auth_login_url: str = ""
    auth_token_url: str = ""
    auth_audience: str = ""
    jwks_url: str = ""
    public_key: str = ""
    instructor_roles: list[str] = field(default_factory=lambda: list(INSTRUCTOR_ROLES))
    admins_are_admins: bool = False
    link_by_email: bool = True
    active: bool = True


def _require_admin(actor: Actor) -> None:
    """Only administrators register platforms."""
    if Role.ADMIN not in actor.roles:
        raise PermissionDenied(_("Only administrators manage LTI platforms."))


def list_platforms(actor: Actor) -> list[LtiPlatform]:
    """Admins: every registration, by name."""
    _require_admin(actor)
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name)))


def get_platform(actor: Actor, platform_id: int) -> LtiPlatform:
    """Admins: one registration."""
    _require_admin(actor)
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise NotFound(_("No such LTI platform."))
    return platform


def _web_address(value: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces."""
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc) and " " not in value


def _secure_address(value: str) -> bool:
    """A web address that is https, or may be http: outside production, or on this
    machine. Keys, tokens and launches must not cross the network in the clear, where
    anyone on the way could put in keys of their own and sign launches with them."""
    if not _web_address(value):
        return False
    parts = urlsplit(value)
    production = current_app.config.get("APP_ENV") == "production"
    return parts.scheme == "https" or not production or parts.hostname in LOOPBACK


def _problems(data: Registration) -> dict[str, str]:
    """Each field that is wrong, with a message saying how."""
    found: dict[str, str] = {}
    if not data.name or len(data.name) > 120:
        found["name"] = _("Give the platform a name of at most 120 characters.")
    if not _web_address(data.issuer) or len(data.issuer) > 255:
        found["issuer"] = _(
            "The issuer is the platform's address, such as https://lms.example.org."
        )
    if not data.client_id or len(data.client_id) > 255:
        found["client_id"] = _(
            "Copy the client ID the platform gave the tool (at most 255 characters)."
        )
    deployments = data.deployment_ids
    if (
        not deployments
        or len(deployments) > MAX_DEPLOYMENTS
        or any(len(d) > 255 for d in deployments)
    ):
        found["deployment_ids"] = _(
            "List the deployment IDs, one a line (at least one, at most %(n)d).", n=MAX_DEPLOYMENTS
        )
    for name in ("auth_login_url", "auth_token_url"):
        value = getattr(data, name)
        if not _secure_address(value) or len(value) > 500:
            found[name] = _("Enter the full https:// address the platform shows for it.")
    if data.auth_audience and len(data.auth_audience) > 500:
        found["auth_audience"] = _("At most 500 characters.")
    _key_problems(data, found)
    if not data.instructor_roles or not set(data.instructor_roles) <= set(INSTRUCTOR_ROLES):
        found["instructor_roles"] = _("Choose trainer, manager or both for instructors.")
    return found


def _key_problems(data: Registration, found: dict[str, str]) -> None:
    """The platform's keys: a JWKS URL, or a public key pasted in (one of the two)."""
    if data.jwks_url and (not _secure_address(data.jwks_url) or len(data.jwks_url) > 500):
        found["jwks_url"] = _("Enter the full https:// address of the platform's public keyset.")
    if not data.jwks_url and not data.public_key:
        found["jwks_url"] = _(
            "Give the platform's public keyset URL, or paste its public key below."
        )
    if data.public_key:
        try:
            lti_http.check_public_key(data.public_key)
        except ValueError:
            found["public_key"] = _("This is not an RSA public key in PEM or JWK form.")


def _clean(data: Registration) -> Registration:
    """The registration with its texts trimmed and its deployment list tidied."""
    deployments = [d.strip() for d in data.deployment_ids if d.strip()]
    cleaned = replace(data, deployment_ids=list(dict.fromkeys(deployments)))
    for name in FIELDS:
        value = getattr(cleaned, name)
        if isinstance(value, str):
            setattr(cleaned, name, value.strip())
    return cleaned


def save_platform(actor: Actor, platform_id: int | None, data: Registration) -> LtiPlatform:
    """Admins: register a platform (`platform_id` None) or change a registration."""
    _require_admin(actor)
    data = _clean(data)
    problems = _problems(data)
    clash = db.session.scalars(
        select(LtiPlatform.id).where(
            LtiPlatform.issuer == data.issuer, LtiPlatform.client_id == data.client_id
        )
    ).first()
    if clash is not None and clash != platform_id:
        problems["client_id"] = _("This issuer and client ID are registered already.")
    if problems:
        raise RegistrationInvalid(problems)
    platform = LtiPlatform() if platform_id is None else get_platform(actor, platform_id)
    before = {name: getattr(platform, name, None) for name in FIELDS}
    for name in FIELDS:
        setattr(platform, name, getattr(data, name))
    if platform_id is None:
        db.session.add(platform)
    db.session.flush()
    changed = sorted(name for name in FIELDS if before[name] != getattr(platform, name))
    action = "lti.platform_registered" if platform_id is None else "lti.platform_changed"
    audit.record(actor, action, "lti_platform", platform.id, issuer=data.issuer, fields=changed)
    lti_keys.ensure_key()  # the platform will ask for our keys now
    db.session.commit()
    return platform


def delete_platform(actor: Actor, platform_id: int) -> None:
    """Admins: remove a registration with its accounts, courses and links (the users,
    their attempts and teams stay)."""
    platform = get_platform(actor, platform_id)
    audit.record(actor, "lti.platform_deleted", "lti_platform", platform.id, issuer=platform.issuer)
    db.session.delete(platform)
    db.session.commit()


def as_protocol(platform: LtiPlatform) -> lti.Platform:
    """A registration as the protocol module takes it."""
    return lti.Platform(
        issuer=platform.issuer,
        client_id=platform.client_id,
        deployment_ids=tuple(platform.deployment_ids),
        auth_login_url=platform.auth_login_url,
        auth_token_url=platform.auth_token_url,
        auth_audience=platform.auth_audience,
        jwks_url=platform.jwks_url,
        public_key=platform.public_key,
    )
