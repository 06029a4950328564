"""Administrators create accounts, change roles and deactivate accounts in the browser."""

from app.models import Role, User
from app.services import users


def test_admin_creates_an_account(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@example.org",
            "name": "New Person",
            "password": "fresh-start-2026",
            "roles": ["learner", "manager"],
        },
    )
    assert response.status_code == 302
    created = users.find_by_email("new.person@example.org")
    assert created is not None and created.roles == {Role.LEARNER, Role.MANAGER}


def test_duplicate_email_is_refused_with_a_message(client, login_as, make_user):
    make_user(email="taken@example.org")
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "TAKEN@example.org",
            "name": "X",
            "password": "fresh-start-2026",
            "roles": ["learner"],
        },
    )
    assert b"already exists" in response.data
    assert User.query.count() == 2


def test_admin_changes_roles_and_deactivates(client, login_as, make_user):
    login_as(Role.ADMIN)
    learner = make_user()
    response = client.post(f"/admin/users/{learner.id}", data={"roles": ["trainer"]})
    assert response.status_code == 302
    refreshed = users.find_by_email(learner.email)
    assert refreshed.roles == {Role.TRAINER} and refreshed.active is False


def test_admin_page_lists_accounts_escaped(client, login_as, make_user):
    make_user(name="<script>alert(1)</script>")
    login_as(Role.ADMIN)
    page = client.get("/admin/").data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_account_is_a_404_page(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/admin/users/99999")
    assert response.status_code == 404
    assert b"No such account." in response.data
