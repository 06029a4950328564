"""The LTI administration pages: registrations with located errors, audit, keys."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuditEvent, LtiKey, LtiPlatform, Role

GOOD = {
    "name": "College Moodle",
    "issuer": "https://moodle.college.example",
    "client_id": "aBc123",
    "deployment_ids": "1\n2\n\n1",
    "auth_login_url": "https://moodle.college.example/mod/lti/auth.php",
    "auth_token_url": "https://moodle.college.example/mod/lti/token.php",
    "jwks_url": "https://moodle.college.example/mod/lti/certs.php",
    "instructor_roles": ["trainer", "manager"],
    "link_by_email": "y",
    "active": "y",
}


def _events(action: str) -> list[AuditEvent]:
    return [e for e in db.session.query(AuditEvent) if e.action == action]


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.MANAGER])
def test_only_admins_see_the_lti_pages(client, login_as, role):
    login_as(role)
    assert client.get("/admin/lti").status_code == 403
    assert client.post("/admin/lti/platforms/new", data=GOOD).status_code == 403
    assert client.post("/admin/lti/keys/rotate").status_code == 403
    assert db.session.query(LtiPlatform).count() == 0


def test_the_page_gives_the_tool_urls_and_says_lti_is_off(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/lti").get_data(as_text=True)
    assert "http://localhost/lti/login" in page and "http://localhost/lti/jwks" in page
    assert "http://localhost/lti/launch" in page
    assert "LTI is off" in page


def test_an_admin_registers_a_platform_and_it_is_audited(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post("/admin/lti/platforms/new", data=GOOD)
    assert response.status_code == 302
    platform = db.session.query(LtiPlatform).one()
    assert platform.deployment_ids == ["1", "2"]  # blank and repeated lines dropped
    assert platform.instructor_roles == ["trainer", "manager"]
    assert platform.link_by_email and platform.active and not platform.admins_are_admins
    [event] = _events("lti.platform_registered")
    assert event.actor_id == admin.id and event.detail["issuer"] == GOOD["issuer"]
    assert db.session.query(LtiKey).count() == 1  # the tool's first key pair


def test_wrong_fields_are_named_and_nothing_is_saved(client, login_as):
    login_as(Role.ADMIN)
    bad = {
        **GOOD,
        "issuer": "moodle.college.example",
        "deployment_ids": "",
        "jwks_url": "",
        "public_key": "not a key",
        "instructor_roles": [],
    }
    response = client.post("/admin/lti/platforms/new", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check the marked fields: nothing was saved." in page
    assert "The issuer is the platform&#39;s address" in page
    assert "List the deployment IDs, one a line" in page
    assert "This is not an RSA public key in PEM or JWK form." in page
    assert "Choose trainer, manager or both for instructors." in page
    assert db.session.query(LtiPlatform).count() == 0 and not _events("lti.platform_registered")


def test_a_pasted_public_key_serves_without_a_keyset_url(client, login_as):
    from joserfc.jwk import RSAKey

    login_as(Role.ADMIN)
    pem = RSAKey.generate_key(2048, private=True).as_pem(private=False).decode()
    response = client.post(
        "/admin/lti/platforms/new", data={**GOOD, "jwks_url": "", "public_key": pem}
    )
    assert response.status_code == 302
    assert db.session.query(LtiPlatform).one().public_key.startswith("-----BEGIN PUBLIC KEY")


def test_the_same_issuer_and_client_id_cannot_be_registered_twice(client, login_as):
    login_as(Role.ADMIN)
    client.post("/admin/lti/platforms/new", data=GOOD)
    again = client.post("/admin/lti/platforms/new", data={**GOOD, "name": "Again"})
    assert "registered already" in again.get_data(as_text=True)
    assert db.session.query(LtiPlatform).count() == 1


def test_an_admin_changes_and_removes_a_registration(client, login_as):
    login_as(Role.ADMIN)
    client.post("/admin/lti/platforms/new", data=GOOD)
    platform = db.session.query(LtiPlatform).one()
    form = client.get(f"/admin/lti/platforms/{platform.id}").get_data(as_text=True)
    assert "aBc123" in form and "1\n2" in form
    changed = {**GOOD, "active": "", "instructor_roles": ["manager"]}
    assert client.post(f"/admin/lti/platforms/{platform.id}", data=changed).status_code == 302
    db.session.expire_all()
    platform = db.session.get(LtiPlatform, platform.id)
    assert not platform.active and platform.instructor_roles == ["manager"]
    [event] = _events("lti.platform_changed")
    assert event.detail["fields"] == ["active", "instructor_roles"]
    assert client.post(f"/admin/lti/platforms/{platform.id}/delete").status_code == 302
    assert db.session.query(LtiPlatform).count() == 0 and _events("lti.platform_deleted")


def test_rotating_the_key_is_audited(client, login_as):
    admin = login_as(Role.ADMIN)
    client.post("/admin/lti/platforms/new", data=GOOD)
    first = db.session.query(LtiKey).one().kid
    assert client.post("/admin/lti/keys/rotate").status_code == 302
    keys = db.session.query(LtiKey).order_by(LtiKey.id).all()
    assert keys[0].kid == first and keys[0].retired_at is not None
    assert keys[1].retired_at is None
    [event] = _events("lti.key_rotated")
    assert event.actor_id == admin.id and event.detail["retired"] == [first]
    page = client.get("/admin/lti").get_data(as_text=True)
    assert keys[1].kid in page and "Retired, still published for a day" in page
