"""Creating and updating many accounts from one CSV file, all or nothing, with a dry run.

The file is UTF-8 (a byte-order mark is fine), comma or semicolon separated, with a
header row naming `email`, `name` and `roles`, and optionally `language` and one or more
`teams` (or `team`) columns. Roles and team names within a cell are separated by `;`
(or `|`). A row whose e-mail has no account creates one, without a password: its owner
is invited to choose one (by e-mail when mail is on, else the administrator is given the
links). A row for an existing account changes what differs: its name, its roles (set
exactly, as on the account page, which signs it out everywhere), its language, and the
teams it joins (as a member; it leaves none). Empty cells of an existing account keep
what it has.

Every problem is reported with its row and column, and any problem means nothing is
written; a dry run reports what would be done and writes nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import Actor, Role, Team, User
from app.services import account_invitations, audit, team_membership, user_csv, users

Action = Literal["create", "update", "unchanged"]


@dataclass
class PlannedRow:
    """What one row does: create an account, change one (`changes` says how), or nothing."""

    row: int
    email: str
    name: str
    action: Action
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """Every row's plan and every located error: (row, column, why); row 0: the file."""

    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    applied: bool = False
    # Set-password links of created accounts, when mail is off: (e-mail, link).
    links: list[tuple[str, str]] = field(default_factory=list)

    def count(self, action: Action) -> int:
        """How many rows do `action`."""
        return sum(1 for row in self.rows if row.action == action)


def _teams_by_name() -> dict[str, Team]:
    """Every team, by its name lower-cased."""
    return {team.name.lower(): team for team in db.session.scalars(select(Team))}


def _existing(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()


@dataclass
class _Plan:
    """A checked row and what to do with it."""

    row: user_csv.CsvRow
    user: User | None
    roles: set[Role] | None
    teams: list[Team]
    planned: PlannedRow


def _role_list(roles: set[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles))


def _check_email(row: user_csv.CsvRow, seen: dict[str, int], report: ImportReport) -> bool:
    """Whether the row's e-mail is usable and not repeated from an earlier row."""
    if not row.email:
        report.errors.append((row.number, "email", _("the e-mail is empty")))
        return False
    if not users.valid_email(row.email) or len(row.email) > 254:
        report.errors.append(
            (row.number, "email", _("%(e)s is not an e-mail address", e=row.email))
        )
        return False
    earlier = seen.setdefault(row.email.lower(), row.number)
    if earlier != row.number:
        report.errors.append((row.number, "email", _("the same e-mail as row %(n)d", n=earlier)))
        return False
    return True


def _check_new(row: user_csv.CsvRow, roles: set[Role] | None, report: ImportReport) -> None:
    """A new account needs a name and at least one role."""
    if not row.name:
        report.errors.append((row.number, "name", _("a new account needs a name")))
    elif len(row.name) > 120:
        report.errors.append((row.number, "name", _("a name has at most 120 characters")))
    if roles is None and not row.roles:
        report.errors.append((row.number, "roles", _("a new account needs at least one role")))


def _check_teams(
    row: user_csv.CsvRow, roles: set[Role] | None, known: dict[str, Team], report: ImportReport
) -> list[Team]:
    """The teams a row names, each existing, for an account that will be a learner."""
    found: list[Team] = []
    for name in row.teams:
        team = known.get(name.lower())
        if team is None:
            report.errors.append((row.number, "teams", _("no team is called %(t)s", t=name)))
        elif team not in found:
            found.append(team)
    if found and roles is not None and Role.LEARNER not in roles:
        report.errors.append(
            (row.number, "teams", _("only learners join teams as members; add the learner role"))
        )
    return found


def _changes(plan: _Plan) -> list[str]:
    """What a row changes, in words, for the dry run and the result page."""
    row, user, changes = plan.row, plan.user, []
    if user is None:
        changes.append(_("roles: %(roles)s", roles=_role_list(plan.roles or set())))
        if row.language:
            changes.append(_("language: %(lang)s", lang=row.language))
    else:
        if row.name and row.name != user.display_name:
            changes.append(_("name: %(old)s → %(new)s", old=user.display_name, new=row.name))
        if plan.roles is not None and plan.roles != user.roles:
            changes.append(
                _(
                    "roles: %(old)s → %(new)s",
                    old=_role_list(user.roles),
                    new=_role_list(plan.roles),
                )
            )
        if row.language and row.language != user.language:
            changes.append(_("language: %(old)s → %(new)s", old=user.language, new=row.language))
    for team in plan.teams:
        if user is None or not team_membership.is_member(team.id, user.id):
            changes.append(_("joins the team %(team)s", team=team.name))
    return changes


def _check_row(
    row: user_csv.CsvRow, seen: dict[str, int], known: dict[str, Team], report: ImportReport
) -> _Plan | None:
    """Check one row against the accounts and teams there are; its plan, or None. Every
    cell is checked, so that one reading lists all of a row's problems."""
    errors_before = len(report.errors)
    email_ok = _check_email(row, seen, report)
    user = _existing(row.email) if email_ok else None
    roles = user_csv.parse_roles(row.roles, row.number, report.errors)
    if user is None and email_ok:
        _check_new(row, roles, report)
    elif len(row.name) > 120:
        report.errors.append((row.number, "name", _("a name has at most 120 characters")))
    problem = users.language_problem(row.language)
    if problem:
        report.errors.append((row.number, "language", problem))
    effective = roles if roles is not None else (user.roles if user is not None else None)
    teams = _check_teams(row, effective, known, report)
    if len(report.errors) > errors_before:
        return None
    plan = _Plan(row, user, roles, teams, PlannedRow(row.number, row.email, row.name, "create"))
    plan.planned.changes = _changes(plan)
    if user is not None:
        plan.planned.name = row.name or user.display_name
        plan.planned.action = "update" if plan.planned.changes else "unchanged"
    return plan


def _removes_the_last_admin(plans: list[_Plan]) -> bool:
    """Whether the plans' role changes take the admin role from every active holder."""
    changed = {p.user.id: p.roles for p in plans if p.user is not None and p.roles is not None}
    admins = [
        user
        for user in db.session.scalars(select(User).where(User.active.is_(True)))
        if Role.ADMIN in user.roles
    ]
    return bool(admins) and all(Role.ADMIN not in changed.get(u.id, u.roles) for u in admins)


def _apply(actor: Actor, plans: list[_Plan], report: ImportReport) -> None:
    """Write every plan (no commit)."""
    for plan in plans:
        row, user = plan.row, plan.user
        if user is None:
            user = users.stage_user(
                actor, row.email, row.name, None, plan.roles or set(), row.language or None
            )
            invited = account_invitations.stage_invitation(actor, user)
            if not invited.mailed:
                report.links.append((user.email, invited.link))
        elif plan.planned.action == "update":
            before = {
                "name": user.display_name,
                "roles": _role_list(user.roles),
                "language": user.language,
            }
            if row.name:
                user.display_name = row.name
            if plan.roles is not None and plan.roles != user.roles:
                user.set_roles(plan.roles)
                users.end_sessions(user)  # signed-in pages must not outlive a role change
            if row.language:
                user.language = row.language
            after = {
                "name": user.display_name,
                "roles": _role_list(user.roles),
                "language": user.language,
            }
            audit.record(
                actor, "user.updated", "user", user.id, before=before, after=after, imported=True
            )
        for team in plan.teams:
            team_membership.add_now(actor, team.id, user, "member")
        db.session.flush()


def import_users(actor: Actor, content: bytes, dry_run: bool = False) -> ImportReport:
    """Create and update accounts from a CSV file (see the module docstring); all or
    nothing, and nothing at all on a dry run."""
    users.require_admin(actor)
    report = ImportReport()
    text = user_csv.decode(content, report.errors)
    if text is None:
        return report
    rows = user_csv.read_rows(text, report.errors)
    if not rows and not report.errors:
        report.errors.append((0, "", _("the file holds no account rows")))
    seen: dict[str, int] = {}
    known = _teams_by_name()
    plans = [p for row in rows if (p := _check_row(row, seen, known, report)) is not None]
    if not report.errors and _removes_the_last_admin(plans):
        report.errors.append((0, "roles", _("the file would leave no active administrator")))
    report.errors.sort(key=lambda error: error[0])  # by row; a row's own order kept
    report.rows = [p.planned for p in plans]
    if report.errors or dry_run:
        return report
    try:
        _apply(actor, plans, report)
        audit.record(
            actor,
            "user.imported",
            "users",
            "import",
            created=report.count("create"),
            updated=report.count("update"),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.applied = True
    return report
