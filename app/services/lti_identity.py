"""People who come from a platform: the Clausewise user behind a platform's `sub`,
found, linked by e-mail or created, with the roles their course roles give.

Rules:
- A person is known by platform and `sub` (an LtiAccount). A first launch links to the
  account with the same e-mail when the registration allows it, else creates an account
  with no password (it signs in only through the platform).
- LTI says nothing of whether the platform checked an e-mail address, and anyone who may
  set their own address there (or a careless platform administrator) could name anyone's.
  So the platform's word alone links only an account nobody signs in to with a password
  yet (made by an invitation not yet taken up, or for single sign-on) that holds no role
  beyond learner. Any other account is linked only once its owner proves it is theirs by
  signing in to it (OwnerMustConfirm; app.services.lti_pending keeps the launch waiting,
  and link_confirmed makes the link): a trainer's or manager's edits banks or reads team
  results, and a learner's holds the practice and mock results that their readiness is
  worked out from, which nobody else may add to in their name.
- An administrator's account is never linked by e-mail: a platform could name anyone's
  address. Nor does a platform sign in to an account that became an administrator's
  after it was linked or made (from the e-mail the platform gave), unless the launch
  itself makes its person an administrator (the registration's `admins_are_admins`).
  A deactivated account is refused.
- Roles are added, never taken away: learners → learner; instructors → the roles the
  registration gives them (trainer, manager or both); the platform's administrators →
  admin when the registration says so, else as instructors.
- Two requests may make the same person at the same moment (two first launches, a
  launch and a roster sync): the one that commits second reads the first one's account.
Nothing here commits: the launch or the roster sync that calls it does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.lti import course_standing
from app.errors import Conflict, PermissionDenied
from app.extensions import db
from app.models import SYSTEM, LtiAccount, LtiPlatform, Role, User
from app.services import audit, users

# Roles the platform's word alone may link to (an account without a password holding no
# others): beyond them, or with a password, the owner signs in first.
LINKED_ON_THE_PLATFORMS_WORD = frozenset({Role.LEARNER})


class OwnerMustConfirm(Conflict):
    """A first launch names the e-mail of an account with a password or a staff role:
    nothing is linked until its owner signs in to it (a roster sync skips the person)."""

    def __init__(self, message: str, user_id: int) -> None:
        super().__init__(message)
        self.user_id = user_id


@dataclass(frozen=True)
class Person:
    """Who a platform says someone is."""

    subject: str
    roles: tuple[str, ...]
    email: str = ""
    name: str = ""
    locale: str = ""


def granted_roles(platform: LtiPlatform, lti_roles: tuple[str, ...]) -> set[Role]:
    """The Clausewise roles a person's LTI roles give under this registration."""
    standing = course_standing(lti_roles)
    teaching = {Role(r) for r in platform.instructor_roles}
    roles: set[Role] = set()
    if "learner" in standing:
        roles.add(Role.LEARNER)
    if "instructor" in standing:
        roles |= teaching
    if "admin" in standing:
        roles |= {Role.ADMIN} if platform.admins_are_admins else teaching
    return roles


def teaches(platform: LtiPlatform, lti_roles: tuple[str, ...]) -> bool:
    """True when the person is an instructor of the course (or a platform administrator)."""
    return bool({"instructor", "admin"} & course_standing(lti_roles))


def account_of(platform_id: int, subject: str) -> LtiAccount | None:
    """The platform account known by this `sub`."""
    stmt = select(LtiAccount).where(
        LtiAccount.platform_id == platform_id, LtiAccount.subject == subject
    )
    return db.session.scalars(stmt).first()


def _placeholder_email(platform: LtiPlatform, subject: str) -> str:
    """An address no mail reaches, for someone the platform gives no e-mail (.invalid is
    reserved by RFC 2606)."""
    digest = hashlib.sha256(f"{platform.id}:{subject}".encode()).hexdigest()[:20]
    return f"lti-{platform.id}-{digest}@lti.invalid"


def _language(locale: str) -> str:
    """The offered language of a BCP 47 locale by its primary subtag ("zh-CN" serves in
    the offered Chinese), else the default one."""
    config = current_app.config

    def primary(tag: str) -> str:
        return tag.replace("_", "-").split("-")[0].lower()

    wanted = primary(locale)
    offered = (language for language in config["LANGUAGES"] if primary(language) == wanted)
    return next(offered, config["BABEL_DEFAULT_LOCALE"])


def _linkable(platform: LtiPlatform, email: str) -> User | None:
    """The existing account a first launch with this e-mail signs in as, if any."""
    existing = users.find_by_email(email) if users.valid_email(email) else None
    if existing is None:
        return None
    if not platform.link_by_email:
        raise Conflict(
            _(
                "An account with your e-mail address exists already, and this platform "
                "does not link accounts by e-mail. Ask an administrator to link them."
            )
        )
    _refuse_administrator(existing)
    if not existing.roles <= LINKED_ON_THE_PLATFORMS_WORD or users.has_password(existing):
        if not existing.active:
            raise PermissionDenied(_("Your Clausewise account is deactivated."))
        raise OwnerMustConfirm(
            _(
                "Your e-mail address belongs to a Clausewise account that only its owner "
                "may link: sign in to it to link your course account."
            ),
            existing.id,
        )
    return existing


def _refuse_administrator(existing: User) -> None:
    """Conflict when the account an e-mail names is an administrator's."""
    if Role.ADMIN in existing.roles:
        raise Conflict(
            _(
                "Your e-mail address belongs to an administrator's account, which is never "
                "linked from a platform. Sign in to Clausewise with its password instead."
            )
        )


def _new_user(platform: LtiPlatform, person: Person) -> User:
    """A password-less account for a person the platform vouches for."""
    email = person.email if users.valid_email(person.email) else ""
    email = email or _placeholder_email(platform, person.subject)
    name = person.name or email.split("@")[0]
    user = User(
        email=email,
        display_name=name[:120],
        password_hash=users.no_password_hash(),
        language=_language(person.locale),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(SYSTEM, "lti.account_created", "user", user.id, platform=platform.id)
    return user


def _add_account(platform: LtiPlatform, person: Person) -> LtiAccount:
    """The person's account, linked to the user with their e-mail or to a new one."""
    user = _linkable(platform, person.email) or _new_user(platform, person)
    account = LtiAccount(platform_id=platform.id, subject=person.subject, user_id=user.id)
    db.session.add(account)
    db.session.flush()
    audit.record(SYSTEM, "lti.account_linked", "user", user.id, platform=platform.id)
    return account


def _account(platform: LtiPlatform, person: Person) -> LtiAccount:
    """The person's account: found, or added in a savepoint. When another request adds
    it first, the insert fails on a unique key: the savepoint goes back and the account
    the other request committed is read. When that request added a user with the same
    e-mail for someone else, the second try links to that user (or refuses, as usual)."""
    account = account_of(platform.id, person.subject)
    if account is not None:
        return account
    try:
        with db.session.begin_nested():
            return _add_account(platform, person)
    except IntegrityError:
        account = account_of(platform.id, person.subject)
        if account is not None:
            return account
    with db.session.begin_nested():
        return _add_account(platform, person)


def user_for(platform: LtiPlatform, person: Person) -> tuple[User, LtiAccount]:
    """The user the person signs in as (found, linked or created) with the roles their
    course roles give added. PermissionDenied when those roles give nothing, the account
    is deactivated, or it is an administrator's and the launch gives no admin role;
    Conflict when the e-mail is another account's that may not be linked."""
    wanted = granted_roles(platform, person.roles)
    if not wanted:
        raise PermissionDenied(_("Your role in this course gives you no access to Clausewise."))
    account = _account(platform, person)
    user = db.session.get_one(User, account.user_id)
    _check_may_sign_in(user, wanted)
    _add_roles(platform, user, wanted)
    return user, account


def _check_may_sign_in(user: User, wanted: set[Role]) -> None:
    """PermissionDenied when the account is deactivated, or an administrator's and the
    launch gives no admin role."""
    if not user.active:
        raise PermissionDenied(_("Your Clausewise account is deactivated."))
    if Role.ADMIN in user.roles and Role.ADMIN not in wanted:
        raise PermissionDenied(
            _(
                "Your Clausewise account is an administrator's, and a course platform never "
                "signs anyone in to one. Sign in on Clausewise's own sign-in page instead."
            )
        )


def _add_roles(platform: LtiPlatform, user: User, wanted: set[Role]) -> None:
    """Add the roles the launch gives that the user lacks (never take any away)."""
    added = wanted - user.roles
    if added:
        user.set_roles(user.roles | added)
        audit.record(
            SYSTEM,
            "lti.roles_added",
            "user",
            user.id,
            platform=platform.id,
            roles=sorted(r.value for r in added),
        )


def link_confirmed(
    platform: LtiPlatform, subject: str, owner: User, wanted: set[Role]
) -> LtiAccount:
    """Link the platform's `sub` to the account its owner has just signed in to (after
    OwnerMustConfirm), with the roles the launch gives added. Conflict when the account
    is an administrator's now or the `sub` is linked already; PermissionDenied as for
    user_for. Nothing is written when it refuses."""
    _refuse_administrator(owner)
    _check_may_sign_in(owner, wanted)
    try:
        with db.session.begin_nested():
            account = LtiAccount(platform_id=platform.id, subject=subject, user_id=owner.id)
            db.session.add(account)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _(
                "Your course account is linked to a Clausewise account already. Launch the "
                "activity again from your course."
            )
        ) from None
    audit.record(
        owner, "lti.account_linked", "user", owner.id, platform=platform.id, confirmed=True
    )
    _add_roles(platform, owner, wanted)
    return account
