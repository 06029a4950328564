"""The operator is an explicit actor: SYSTEM may do what the command line does, is
recorded as nobody, and gives no signed-in user more than their roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.extensions import db
from app.models import SYSTEM, AuditEvent, Role
from app.services import review, users
from tests.factories import make_user


def test_the_operator_manages_accounts_and_is_recorded_as_nobody(app):
    with app.app_context():
        created = users.create_user(
            SYSTEM,
            "op@example.org",
            "Made by setup",
            "a-long-unusual-passphrase-77",
            {Role.TRAINER},
        )
        users.update_account(SYSTEM, created.id, {Role.LEARNER}, active=True)
        events = db.session.scalars(select(AuditEvent)).all()
        assert events and all(event.actor_id is None for event in events)


def test_a_signed_in_user_is_never_the_operator(app):
    with app.app_context():
        learner = make_user(role=Role.LEARNER)
        assert not learner.is_system and SYSTEM.is_system
        with pytest.raises(PermissionDenied):
            users.list_users(learner)
        assert users.list_users(SYSTEM)


def test_only_the_operator_publishes_without_a_second_trainer(app):
    with app.app_context():
        trainer = make_user(role=Role.TRAINER)
        assert review.import_route(SYSTEM, publish=True, review=False) == "publish"
        with pytest.raises(PermissionDenied):
            review.import_route(trainer, publish=True, review=False)
