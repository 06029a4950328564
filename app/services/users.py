"""Accounts: creation, sign-in, roles, deactivation and passwords."""

from __future__ import annotations

import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app import languages
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.models import Actor, Role, User
from app.models.base import utcnow
from app.models.user import WEEKLY_GOAL_MOST
from app.security import password_problems
from app.services import audit, time_zones, tokens
from app.services.time_zones import checked_zone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the e-mail is unknown, so that a failed sign-in
# takes the same time whether or not the account exists.
_DUMMY_HASH = generate_password_hash("clausewise-timing-equaliser")
# The password hash of an account that has no password yet (invited, waiting for its
# owner to choose one): no password matches it, and it differs from account to account so
# that a set-password link is bound to this account's state alone.
NO_PASSWORD = "!no-password:"  # noqa: S105  (a marker, not a password)


class WrongPassword(InvalidInput):
    """The current password given to confirm a change is not the account's."""


def valid_email(email: str) -> bool:
    """True when `email` looks like an e-mail address (one @, a dot in the domain)."""
    return bool(_EMAIL.match(email.strip()))


def find_by_email(email: str) -> User | None:
    """The user with this e-mail, compared without regard to case."""
    stmt = select(User).where(func.lower(User.email) == email.strip().lower())
    return db.session.scalars(stmt).first()


def require_admin(actor: Actor) -> None:
    """Refuse unless the actor is an administrator (or the operator, SYSTEM)."""
    if Role.ADMIN not in actor.roles:
        raise PermissionDenied(_("Only administrators may manage accounts."))


def _check_new_password(password: str, email: str, name: str) -> None:
    """Raise InvalidInput listing every rule the password breaks."""
    problems = password_problems(password, email, name)
    if problems:
        raise InvalidInput(" ".join(problems))


def has_password(user: User) -> bool:
    """False while an invited account waits for its owner to choose a password."""
    return not user.password_hash.startswith(NO_PASSWORD)


def no_password_hash() -> str:
    """A password hash no password matches (an invited account's, until it chooses one)."""
    return NO_PASSWORD + secrets.token_hex(16)


def language_problem(language: str | None) -> str | None:
    """Why `language` is not the locale id of a language Clausewise offers, or None
    (empty or None means no choice: the browser decides)."""
    if language and not languages.is_offered(language):
        offered = ", ".join(f"{lang.name} ({lang.locale})" for lang in languages.OFFERED)
        return _("Choose one of the languages offered: %(offered)s.", offered=offered)
    return None


def stage_user(
    actor: Actor,
    email: str,
    name: str,
    password: str | None,
    roles: set[Role],
    language: str | None = None,
    time_zone: str | None = None,
) -> User:
    """Check and add a new account to the session (no commit); None: no password yet.
    Its time zone is `time_zone`, else the organization's."""
    require_admin(actor)
    zone = time_zones.organization_zone() if time_zone is None else checked_zone(time_zone)
    email, name = email.strip(), name.strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(_("Enter a valid e-mail address."))
    if not name or len(name) > 120:
        raise InvalidInput(_("Enter a display name of at most 120 characters."))
    if not roles:
        raise InvalidInput(_("Choose at least one role."))
    problem = language_problem(language)
    if problem:
        raise InvalidInput(problem)
    if find_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."))
    if password is not None:
        _check_new_password(password, email, name)
    hashed = no_password_hash() if password is None else generate_password_hash(password)
    user = User(email=email, display_name=name, password_hash=hashed, time_zone=zone)
    if language:
        user.language = language
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.created",
        "user",
        user.id,
        roles=sorted(r.value for r in roles),
        time_zone=zone,
    )
    return user


def create_user(
    actor: Actor,
    email: str,
    name: str,
    password: str | None,
    roles: set[Role],
    language: str | None = None,
    time_zone: str | None = None,
) -> User:
    """Create an account; e-mails are unique without regard to case. Without a password
    the account cannot sign in until its owner sets one through a link. Its time zone is
    `time_zone`, else the organization's."""
    user = stage_user(actor, email, name, password, roles, language, time_zone)
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """The active user a session or remember cookie names, if its session version is current."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a malformed id, or one from before session versions: sign in again
    # The roles in the same query: every page checks them, one round trip fewer.
    user = db.session.get(User, int(user_id), options=[joinedload(User.role_rows)])
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the user out of every session and remember-me cookie issued so far."""
    user.session_version += 1


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None — never saying which part failed."""
    user = find_by_email(email)
    if user is None or not has_password(user):
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    record_sign_in(user)
    return user


def record_sign_in(user: User) -> None:
    """Note when the user last signed in (shown to administrators), by any method."""
    user.last_login_at = utcnow()
    db.session.commit()


def get_user(actor: Actor, user_id: int) -> User:
    """An account by id, for administrators."""
    require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."))
    return user


def list_users(actor: Actor) -> list[User]:
    """Every account, ordered by e-mail, for administrators."""
    require_admin(actor)
    return list(db.session.scalars(select(User).order_by(func.lower(User.email))))


def _active_admins_besides(user: User) -> int:
    """How many other active administrators exist."""
    return sum(
        1
        for u in db.session.scalars(select(User).where(User.active.is_(True), User.id != user.id))
        if Role.ADMIN in u.roles
    )


def lock_administrators() -> None:
    """Hold the active administrators' rows until the commit (FOR UPDATE; PostgreSQL):
    of two changes that would each leave only the other admin, the second waits for the
    first to commit and then counts what is left. Call before counting."""
    db.session.execute(
        select(User.id)
        .where(User.active.is_(True), User.role_rows.any(role=Role.ADMIN.value))
        .order_by(User.id)
        .with_for_update()
    )


def check_an_admin_remains() -> None:
    """Refuse, rolling it back, a change that leaves no active administrator. It counts
    after writing, when SQLite (one writer at a time) shows every change committed."""
    db.session.flush()
    left = db.session.scalar(
        select(func.count(User.id)).where(
            User.active.is_(True), User.role_rows.any(role=Role.ADMIN.value)
        )
    )
    if not left:
        db.session.rollback()
        raise Conflict(_("This would leave no active administrator; appoint another one first."))


def is_last_admin(user: User) -> bool:
    """True when `user` is an active administrator and no other active one exists."""
    return user.active and Role.ADMIN in user.roles and _active_admins_besides(user) == 0


def update_account(
    actor: Actor,
    user_id: int,
    roles: set[Role],
    active: bool,
    time_zone: str | None = None,
) -> User:
    """Change an account's roles, active flag and (unless None) time zone; the last
    active admin cannot be removed."""
    user = get_user(actor, user_id)
    if not roles:
        raise InvalidInput(_("Choose at least one role."))
    zone = user.time_zone if time_zone is None else checked_zone(time_zone)
    losing_admin = Role.ADMIN in user.roles and (Role.ADMIN not in roles or not active)
    if losing_admin:
        lock_administrators()
    if losing_admin and user.active and _active_admins_besides(user) == 0:
        raise Conflict(_("This is the last active administrator; appoint another one first."))
    before = {"roles": sorted(r.value for r in user.roles), "active": user.active}
    user.set_roles(roles)
    user.active = active
    after = {"roles": sorted(r.value for r in roles), "active": active}
    if after != before:
        end_sessions(user)  # signed-in pages must not outlive a role or a deactivation
    if zone != user.time_zone:
        before["time_zone"], after["time_zone"] = user.time_zone, zone
        user.time_zone = zone
    if before["active"] and not active:
        # For good: reactivating the account later does not bring old tokens back to life.
        tokens.revoke_all_tokens(actor, user, reason="account deactivated")
    if losing_admin:
        check_an_admin_remains()  # another change may have taken the other admins meanwhile
    audit.record(actor, "user.updated", "user", user.id, before=before, after=after)
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after confirming the current one; ends every session.

    The caller moves the session that made the change to the new session version.
    """
    if not check_password_hash(user.password_hash, current):
        raise WrongPassword(_("The current password is not correct."))
    _check_new_password(new, user.email, user.display_name)
    user.password_hash = generate_password_hash(new)
    end_sessions(user)
    audit.record(user, "user.password_changed", "user", user.id)
    db.session.commit()


def set_password(actor: Actor, user_id: int, new: str) -> int:
    """Set another account's password (administrators and the CLI); ends its sessions and
    revokes its API tokens (whoever had the account may have made one): how many."""
    user = get_user(actor, user_id)
    _check_new_password(new, user.email, user.display_name)
    user.password_hash = generate_password_hash(new)
    end_sessions(user)
    revoked = tokens.revoke_all_tokens(actor, user, reason="password set by an administrator")
    audit.record(actor, "user.password_set", "user", user.id)
    db.session.commit()
    return revoked


def set_weekly_goal(user: User, goal: int) -> None:
    """Set one's own weekly goal: questions to answer per ISO week, 0 (none) to 500."""
    if isinstance(goal, bool) or not isinstance(goal, int) or not 0 <= goal <= WEEKLY_GOAL_MOST:
        raise InvalidInput(
            _(
                "A weekly goal is a whole number of questions from 0 to %(most)d.",
                most=WEEKLY_GOAL_MOST,
            )
        )
    user.weekly_goal = goal
    db.session.commit()


def check_language(language: str | None) -> None:
    """Refuse a language that is not offered (see `language_problem`)."""
    problem = language_problem(language)
    if problem is not None:
        raise InvalidInput(problem)


def set_language(user: User, language: str | None) -> None:
    """Save one's own interface language (a locale id of app/languages.py), or None to let
    the browser decide again."""
    check_language(language)
    user.language = language or ""  # "": no choice of one's own
    db.session.commit()
