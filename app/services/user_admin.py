"""Administrators' account list: search and pages, and deactivating several accounts at once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.models import Actor, Role, User
from app.services import audit, tokens, users

PAGE_SIZE = 50
MOST_AT_ONCE = 500  # the most accounts one bulk deactivation takes


@dataclass(frozen=True)
class UserPage:
    """One page of the accounts a search finds."""

    users: list[User]
    query: str
    page: int
    pages: int
    total: int


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_users(
    actor: Actor, query: str = "", page: int = 1, per_page: int = PAGE_SIZE
) -> UserPage:
    """Accounts whose name or e-mail holds `query` (any case), a page at a time, by e-mail."""
    users.require_admin(actor)
    query = query.strip()[:254]
    stmt = select(User)
    if query:
        pattern = _like(query)
        stmt = stmt.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    found = db.session.scalars(
        stmt.order_by(func.lower(User.email), User.id).offset((page - 1) * per_page).limit(per_page)
    )
    return UserPage(list(found), query, page, pages, total)


def users_by_ids(actor: Actor, user_ids: list[int]) -> list[User]:
    """The accounts with these ids, by e-mail; an unknown id is an error (nothing done)."""
    users.require_admin(actor)
    wanted = sorted(set(user_ids))
    if not wanted:
        raise InvalidInput(_("Select at least one account."))
    if len(wanted) > MOST_AT_ONCE:
        raise InvalidInput(_("Select at most %(n)d accounts at once.", n=MOST_AT_ONCE))
    found = list(
        db.session.scalars(select(User).where(User.id.in_(wanted)).order_by(func.lower(User.email)))
    )
    missing = sorted(set(wanted) - {u.id for u in found})
    if missing:
        raise InvalidInput(
            _("No account has the id %(ids)s.", ids=", ".join(str(i) for i in missing))
        )
    return found


def deactivate_users(actor: Actor, user_ids: list[int]) -> int:
    """Deactivate these accounts at once, all or none: their sessions end and their API
    tokens are revoked for good. Refused if it would leave no active administrator, or
    takes the acting administrator's own account. How many were active before."""
    chosen = users_by_ids(actor, user_ids)
    if actor.id is not None and any(u.id == actor.id for u in chosen):
        raise Conflict(_("You cannot deactivate your own account here; ask another administrator."))
    active = [u for u in chosen if u.active]
    leaving = {u.id for u in active if Role.ADMIN in u.roles}
    if leaving:
        users.lock_administrators()
        remaining = db.session.scalar(
            select(func.count(User.id)).where(
                User.active.is_(True),
                User.id.not_in(leaving),
                User.role_rows.any(role=Role.ADMIN.value),
            )
        )
        if not remaining:
            raise Conflict(
                _("This would leave no active administrator; appoint another one first.")
            )
    for user in active:
        user.active = False
        users.end_sessions(user)
        tokens.revoke_all_tokens(actor, user, reason="account deactivated")
        audit.record(actor, "user.deactivated", "user", user.id, bulk=True)
    if leaving:
        users.check_an_admin_remains()  # another change may have taken the others meanwhile
    if active:
        ids = [u.id for u in active]
        audit.record(actor, "user.bulk_deactivated", "users", "bulk", count=len(ids), ids=ids)
    db.session.commit()
    return len(active)
