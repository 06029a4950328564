"""Choosing a time zone on the profile and the admin pages; a bad name is refused there."""

from __future__ import annotations

from app.extensions import db
from app.models import Role, User
from app.services import time_zones


def test_the_profile_offers_the_common_zones_first_and_saves_the_choice(client, login_as):
    user = login_as(Role.LEARNER)
    page = client.get("/profile").text
    first = page.index('<optgroup label="Common time zones">')
    for name in ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore"):
        assert first < page.index(f'value="{name}"') < page.index('<optgroup label="Africa">')
    assert "Asia/Shanghai (UTC+08:00)" in page

    response = client.post("/profile/time-zone", data={"time_zone": "Asia/Shanghai"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Asia/Shanghai"
    assert "Times are now shown in the Asia/Shanghai time zone." in client.get("/profile").text


def test_an_unknown_zone_on_the_profile_is_refused_at_the_field(client, login_as):
    user = login_as(Role.LEARNER)
    response = client.post("/profile/time-zone", data={"time_zone": "Asia/Atlantis"})

    assert response.status_code == 400
    assert 'class="form-select is-invalid" id="time_zone"' in response.text
    assert "“Asia/Atlantis” is not a time zone Clausewise knows" in response.text
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "UTC"


def test_the_admin_sets_the_organization_zone_that_new_accounts_get(client, login_as):
    login_as(Role.ADMIN)
    assert client.post("/admin/settings", data={"time_zone": "Asia/Taipei"}).status_code == 302
    assert time_zones.organization_zone() == "Asia/Taipei"
    assert '<option selected value="Asia/Taipei">' in client.get("/admin/users/new").text

    client.post(
        "/admin/users/new",
        data={
            "email": "new@example.org",
            "name": "New Person",
            "password": "a long enough passphrase 42",
            "roles": ["learner"],
            "time_zone": "Asia/Taipei",
        },
    )
    created = db.session.query(User).filter_by(email="new@example.org").one()
    assert created.time_zone == "Asia/Taipei"


def test_a_bad_organization_zone_is_refused_and_the_old_one_kept(client, login_as):
    login_as(Role.ADMIN)
    client.post("/admin/settings", data={"time_zone": "Europe/London"})

    response = client.post("/admin/settings", data={"time_zone": "Europe/Gondor"})

    assert response.status_code == 400
    assert "“Europe/Gondor” is not a time zone Clausewise knows" in response.text
    assert time_zones.organization_zone() == "Europe/London"


def test_an_admin_changes_someones_zone_on_their_account_page(client, login_as, make_user):
    login_as(Role.ADMIN)
    learner = make_user(Role.LEARNER)
    data = {"roles": ["learner"], "active": "y", "time_zone": "Asia/Hong_Kong"}
    assert client.post(f"/admin/users/{learner.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, learner.id).time_zone == "Asia/Hong_Kong"
