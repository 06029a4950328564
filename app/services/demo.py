"""Demo accounts for a first start: one per role, created once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.models import SYSTEM, Role
from app.services import users

DEMO_ACCOUNTS = (
    ("learner@clausewise.test", "Lena Learner", Role.LEARNER),
    ("trainer@clausewise.test", "Tomás Trainer", Role.TRAINER),
    ("manager@clausewise.test", "Mei Manager", Role.MANAGER),
    ("admin@clausewise.test", "Ada Admin", Role.ADMIN),
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo account that was just created, with its one-time password."""

    email: str
    role: Role
    password: str


def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the missing demo accounts with random passwords; existing ones are left alone."""
    created: list[DemoAccount] = []
    for email, name, role in DEMO_ACCOUNTS:
        if users.find_by_email(email) is not None:
            continue
        password = f"demo-{secrets.token_urlsafe(9)}"
        users.create_user(SYSTEM, email, name, password, {role})
        created.append(DemoAccount(email, role, password))
    return created
