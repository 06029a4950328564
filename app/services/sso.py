"""Single sign-on: which account an OpenID Connect identity signs in as.

An identity is one subject at one issuer (`UserIdentity`). Its first sign-in either links
it to the account that has its e-mail — only when the issuer has verified that e-mail —
or creates an account, with roles mapped from a claim. An unverified e-mail never
creates an account either: that account would later be linked to whoever proves the
address. An administrator's account is never linked by e-mail: an issuer (a careless or
hostile directory) could say it verified anyone's address; the refusal is audited and
the administrator keeps signing in with their password. Later sign-ins find the
identity, and re-map the roles when the issuer is set to (`OIDC_<NAME>_SYNC_ROLES`). Two
first sign-ins of one identity at the same moment (two tabs) make it once.
"""

from __future__ import annotations

import logging
import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import languages
from app.errors import PermissionDenied
from app.extensions import db
from app.integrations.oidc import Claims
from app.integrations.oidc_settings import ProviderSettings
from app.models import SYSTEM, Role, User, UserIdentity
from app.models.base import utcnow
from app.services import audit, time_zones, users

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class SignInRefused(PermissionDenied):
    """The identity may not sign in; the message says why and what to do."""


class AdministratorNotLinked(SignInRefused):
    """A first sign-in whose e-mail is an administrator's account: never linked."""

    def __init__(self, message: str, user_id: int) -> None:
        super().__init__(message)
        self.user_id = user_id


def mapped_roles(claims: Claims, settings: ProviderSettings) -> set[Role]:
    """The roles the issuer's claim values map to, else the issuer's default roles."""
    roles = {Role(r) for value in claims.role_values for r in settings.role_map.get(value, ())}
    return roles or {Role(r) for r in settings.default_roles}


def _identity(claims: Claims) -> UserIdentity | None:
    """The identity of this subject at this issuer, if it has signed in before."""
    return db.session.scalars(
        select(UserIdentity).where(
            UserIdentity.issuer == claims.issuer, UserIdentity.subject == claims.subject
        )
    ).first()


def _add_identity(claims: Claims, settings: ProviderSettings) -> UserIdentity:
    """A first sign-in's identity, on the account it links to or creates."""
    user = _link_or_create(claims, settings)
    identity = UserIdentity(user=user, issuer=claims.issuer, subject=claims.subject)
    db.session.add(identity)
    db.session.flush()
    return identity


def _first_sign_in(claims: Claims, settings: ProviderSettings) -> UserIdentity:
    """The identity of a first sign-in, added in a savepoint. When another sign-in of it
    (a second tab) commits first, the insert fails on a unique key: the savepoint goes
    back and the identity the other one committed is read. When that was another
    identity's new account with the same e-mail, the second try links to it."""
    try:
        with db.session.begin_nested():
            return _add_identity(claims, settings)
    except IntegrityError:
        identity = _identity(claims)
        if identity is not None:
            return identity
    with db.session.begin_nested():
        return _add_identity(claims, settings)


def sign_in(claims: Claims, settings: ProviderSettings) -> User:
    """The account this identity signs in as: found, linked or created; refused otherwise."""
    identity = _identity(claims)
    if identity is not None:
        user = identity.user
        _check_active(user, settings)
        if settings.sync_roles and settings.role_claim:
            _sync_roles(user, claims, settings)
    else:
        try:
            identity = _first_sign_in(claims, settings)
        except AdministratorNotLinked as refused:
            # Its savepoint wrote nothing; the refusal alone is kept, for the administrators.
            audit.record(
                SYSTEM,
                "user.identity_link_refused",
                "user",
                refused.user_id,
                issuer=claims.issuer,
                subject=claims.subject,
                reason="administrator",
            )
            db.session.commit()
            raise
        user = identity.user
    now = utcnow()
    identity.email = claims.email[:254] or None
    identity.last_login_at = user.last_login_at = now
    db.session.commit()
    return user


def _check_active(user: User, settings: ProviderSettings) -> None:
    if not user.active:
        raise SignInRefused(
            _(
                "Your Clausewise account is deactivated, so signing in with %(provider)s "
                "cannot open it. Ask an administrator if you need it again.",
                provider=settings.label,
            )
        )


def _no_role(settings: ProviderSettings) -> SignInRefused:
    return SignInRefused(
        _(
            "Your account at %(provider)s gives you no role in Clausewise. "
            "Ask your administrator for access, then sign in again.",
            provider=settings.label,
        )
    )


def _link_or_create(claims: Claims, settings: ProviderSettings) -> User:
    """The account with the identity's verified e-mail, or a new one."""
    if not claims.email or not users.valid_email(claims.email) or len(claims.email) > 254:
        raise SignInRefused(
            _(
                "%(provider)s did not give Clausewise a usable e-mail address, which every "
                "account needs. Ask its administrator to release your e-mail address to "
                "Clausewise, then sign in again.",
                provider=settings.label,
            )
        )
    if not claims.email_verified:
        log.warning("sign-in refused: %s gave an unverified e-mail", settings.name)
        raise SignInRefused(
            _(
                "%(provider)s has not confirmed that %(email)s is your e-mail address, so "
                "Clausewise cannot sign you in with it. Confirm the address with "
                "%(provider)s, then sign in again.",
                provider=settings.label,
                email=claims.email,
            )
        )
    existing = users.find_by_email(claims.email)
    if existing is not None:
        _check_active(existing, settings)
        if Role.ADMIN in existing.roles:
            log.warning("sign-in refused: %s named an administrator's e-mail", settings.name)
            raise AdministratorNotLinked(
                _(
                    "Your e-mail address belongs to an administrator's account in Clausewise, "
                    "and signing in with %(provider)s never links to one. Sign in with that "
                    "account's Clausewise password instead, or ask another administrator.",
                    provider=settings.label,
                ),
                existing.id,
            )
        audit.record(existing, "user.identity_linked", "user", existing.id, issuer=claims.issuer)
        return existing
    return _create(claims, settings)


def _display_name(claims: Claims) -> str:
    """The issuer's name for the person, cleaned; else the e-mail's local part."""
    name = " ".join(_CONTROL.sub(" ", claims.name).split())
    return (name or claims.email.split("@", 1)[0])[:120]


def _create(claims: Claims, settings: ProviderSettings) -> User:
    roles = mapped_roles(claims, settings)
    if not roles:
        raise _no_role(settings)
    user = User(
        email=claims.email,
        display_name=_display_name(claims),
        password_hash=users.no_password_hash(),
        # A Chinese `locale` claim chooses Chinese; otherwise the browser decides ("").
        language="zh_Hans" if languages.from_tag(claims.locale) == "zh_Hans" else "",
        time_zone=time_zones.organization_zone(),  # as every new account
    )
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record(
        user,
        "user.created",
        "user",
        user.id,
        roles=sorted(r.value for r in roles),
        time_zone=user.time_zone,
        issuer=claims.issuer,
    )
    return user


def _sync_roles(user: User, claims: Claims, settings: ProviderSettings) -> None:
    """Give the user exactly the mapped roles, but never take the last administrator's."""
    wanted = mapped_roles(claims, settings)
    if not wanted:
        raise _no_role(settings)
    if Role.ADMIN in user.roles and Role.ADMIN not in wanted and users.is_last_admin(user):
        log.warning("role sync kept admin for user %s: the last active administrator", user.id)
        wanted.add(Role.ADMIN)
    before = sorted(r.value for r in user.roles)
    if wanted == user.roles:
        return
    user.set_roles(wanted)
    user.session_version += 1  # other sessions must not keep the roles taken away
    audit.record(
        user,
        "user.roles_synced",
        "user",
        user.id,
        before=before,
        after=sorted(r.value for r in wanted),
        issuer=claims.issuer,
    )


def emergency_sign_in(email: str, password: str, allowed: str) -> User | None:
    """SSO-only mode's one password sign-in: the configured administrator, audited.

    Any other e-mail, a wrong password or an account that is no administrator gives
    None, as a failed password sign-in does (no account enumeration).
    """
    if not allowed or email.strip().lower() != allowed.strip().lower():
        users.authenticate("", password)  # the same work, and so the same time, as a miss
        return None
    user = users.authenticate(email, password)
    if user is None or Role.ADMIN not in user.roles:
        return None
    audit.record(user, "user.emergency_sign_in", "user", user.id)
    db.session.commit()
    return user


def issuers_of(user: User) -> list[str]:
    """The issuers the user has signed in with, oldest link first."""
    return list(
        db.session.scalars(
            select(UserIdentity.issuer)
            .where(UserIdentity.user_id == user.id)
            .order_by(UserIdentity.id)
        )
    )
