"""Time zones of people and of the organization: defaults, checks, nothing changed on error."""

from __future__ import annotations

import pytest

from app.errors import PermissionDenied
from app.extensions import db
from app.models import SYSTEM, AuditEvent, Role, Setting
from app.services import time_zones, users
from app.services.time_zones import ORGANIZATION_ZONE, UnknownZone
from tests.factories import PASSWORD, make_user


def test_a_new_account_starts_in_utc_until_the_organization_has_a_zone(app):
    assert make_user().time_zone == "UTC"


def test_the_organization_default_applies_to_a_new_account(app):
    admin = make_user(Role.ADMIN)
    time_zones.set_organization_zone(admin, "Asia/Shanghai")

    newcomer = make_user()

    assert newcomer.time_zone == "Asia/Shanghai"
    assert admin.time_zone == "UTC"  # an existing account keeps its own


def test_an_admin_may_give_a_new_account_another_zone(app):
    time_zones.set_organization_zone(SYSTEM, "Asia/Shanghai")
    user = users.create_user(
        SYSTEM, "hk@example.org", "HK", PASSWORD, {Role.LEARNER}, time_zone="Asia/Hong_Kong"
    )
    assert user.time_zone == "Asia/Hong_Kong"


def test_only_an_admin_sets_the_organization_zone(app):
    manager = make_user(Role.MANAGER)
    with pytest.raises(PermissionDenied):
        time_zones.set_organization_zone(manager, "Asia/Taipei")
    assert time_zones.organization_zone() == "UTC"


def test_an_unknown_zone_is_refused_with_its_name_and_nothing_changes(app):
    admin = make_user(Role.ADMIN)
    time_zones.set_organization_zone(admin, "Asia/Singapore")
    learner = make_user()
    events = db.session.query(AuditEvent).count()

    for bad in ("Mars/Olympus", "US/Eastern", "localtime", "", "../etc/passwd"):
        with pytest.raises(UnknownZone) as refused:
            time_zones.set_organization_zone(admin, bad)
        assert "Time zone:" in refused.value.message and bad in refused.value.message
        with pytest.raises(UnknownZone):
            time_zones.set_own_zone(learner, bad)
        with pytest.raises(UnknownZone):
            users.update_account(admin, learner.id, {Role.LEARNER}, True, time_zone=bad)

    db.session.expire_all()
    assert db.session.get(Setting, ORGANIZATION_ZONE).value == "Asia/Singapore"
    assert learner.time_zone == "Asia/Singapore"
    assert db.session.query(AuditEvent).count() == events


def test_a_person_sets_their_own_zone_and_an_admin_anyones(app):
    admin = make_user(Role.ADMIN)
    learner = make_user()

    time_zones.set_own_zone(learner, " Europe/London ")
    assert learner.time_zone == "Europe/London"

    users.update_account(admin, learner.id, {Role.LEARNER}, True, time_zone="Asia/Taipei")
    assert learner.time_zone == "Asia/Taipei"
    event = db.session.query(AuditEvent).filter_by(action="user.updated").one()
    assert event.detail["after"]["time_zone"] == "Asia/Taipei"
