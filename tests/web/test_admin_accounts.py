"""Administrators' account pages: search and pages, last sign-in, bulk deactivation with a
confirmation, CSV import with a dry run, and invitations instead of typed passwords."""

from __future__ import annotations

import base64
import re

from babel.dates import format_skeleton

from app.extensions import db
from app.models import Role
from app.services import users
from tests.conftest import BASE_URL
from tests.factories import PASSWORD


def test_the_list_searches_pages_and_shows_the_last_sign_in(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    for n in range(55):
        make_user(email=f"desk{n:02d}@example.org", name=f"Desk {n:02d}")
    make_user(email="li@example.org", name="李伟")
    first = client.get("/admin/?q=desk").get_data(as_text=True)
    assert "55 accounts found." in first and "Page 1 of 2." in first
    assert "desk00@example.org" in first and "desk50@example.org" not in first
    assert 'href="/admin/?q=desk&amp;page=2"' in first
    second = client.get("/admin/?q=desk&page=2").get_data(as_text=True)
    assert "desk50@example.org" in second and "desk00@example.org" not in second
    found = client.get("/admin/?q=%E6%9D%8E").get_data(as_text=True)
    assert "li@example.org" in found and "1 account found." in found
    assert client.get("/admin/?page=abc").status_code == 200
    assert client.get("/admin/?page=999").status_code == 200
    mine = client.get(f"/admin/?q={admin.email}").get_data(as_text=True)
    at = admin.last_login_at  # on the admin's clocks (UTC, the organization's default)
    assert f"{format_skeleton('yMMMd', at, locale='en')}, {at:%H:%M}</time>" in mine
    assert "never" in client.get("/admin/?q=li%40").get_data(as_text=True)


def test_bulk_deactivation_is_confirmed_first(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    ana, ben, cy = make_user(), make_user(), make_user()
    page = client.get("/admin/").get_data(as_text=True)
    assert f'value="{ana.id}"' in page and f'name="user_id" value="{admin.id}"' not in page
    confirm = client.post("/admin/users/deactivate", data={"user_id": [ana.id, ben.id]})
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Deactivate 2 accounts" in text
    assert ana.email in text and cy.email not in text
    assert ana.active  # nothing yet
    done = client.post("/admin/users/deactivate/confirm", data={"user_id": [ana.id, ben.id]})
    assert done.status_code == 302
    db.session.expire_all()
    assert not ana.active and not ben.active and cy.active
    assert "2 accounts were deactivated" in client.get("/admin/").get_data(as_text=True)


def test_bulk_deactivation_refusals_change_nothing(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    ana = make_user()
    client.post("/admin/users/deactivate/confirm", data={"user_id": [ana.id, admin.id]})
    assert "your own account" in client.get("/admin/").get_data(as_text=True)
    client.post("/admin/users/deactivate", data={"user_id": ["x1"]})
    assert "“user_id” must hold a record number" in client.get("/admin/").get_data(as_text=True)
    client.post("/admin/users/deactivate", data={})
    assert "Select at least one account." in client.get("/admin/").get_data(as_text=True)
    db.session.expire_all()
    assert ana.active and admin.active


def test_only_admins_reach_the_account_pages(client, login_as):
    login_as(Role.MANAGER)
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/users/deactivate/confirm", data={"user_id": [1]}).status_code == 403
    assert client.get("/admin/users/import").status_code == 403


CSV = (
    "\ufeffemail,name,roles,language,teams\n"
    "ana@example.org,Ana Lima,learner,en,\n"
    "li.wei@example.org,李伟,learner;trainer,zh,\n"
).encode()


def _upload(client, content: bytes, action: str = "check"):
    import io

    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(content), "people.csv"), "action": action},
        content_type="multipart/form-data",
    )


def test_an_import_is_checked_then_confirmed(client, login_as, reference):
    login_as(Role.ADMIN)
    assert b"Mail is" not in client.get("/admin/users/import").data
    checked = _upload(client, CSV)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "2 accounts to create" in page
    assert "Nothing has been written yet." in page and "李伟" in page
    assert users.find_by_email("ana@example.org") is None
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    assert base64.b64decode(content) == CSV
    done = client.post("/admin/users/import", data={"content": content, "action": "import"})
    result = done.get_data(as_text=True)
    assert done.status_code == 200 and "2 accounts created" in result
    # Mail is off here: the links are shown to hand over.
    assert "does not send e-mail" in result and result.count("/welcome/") == 2
    assert users.find_by_email("li.wei@example.org").roles == {Role.LEARNER, Role.TRAINER}


def test_import_errors_are_shown_by_row_and_column(client, login_as, reference):
    login_as(Role.ADMIN)
    bad = b"email,name,roles\nana@example.org,Ana,wizard\n,Nobody,learner\n"
    response = _upload(client, bad, action="import")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "nothing was written" in page
    assert "Row 2, column roles: Unknown role wizard" in page
    assert "Row 3, column email: The e-mail is empty" in page
    assert users.find_by_email("ana@example.org") is None
    assert _upload(client, b"\xff\xfe").status_code == 400


def test_an_import_with_mail_on_sends_the_invitations(client, login_as, reference, mail_on):
    login_as(Role.ADMIN)
    done = _upload(client, CSV, action="import").get_data(as_text=True)
    assert "have been sent their invitations" in done and "/welcome/" not in done
    got = mail_on.wait_for(2)
    assert {r.rcpt_tos[0] for r in got} == {"ana@example.org", "li.wei@example.org"}
    assert all(r.links()[0].startswith(f"{BASE_URL}/welcome/") for r in got)


def test_an_account_made_without_a_password_is_invited(client, login_as, mail_on):
    login_as(Role.ADMIN)
    data = {"email": "new@example.org", "name": "New Person", "roles": ["learner"]}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 302
    assert "an invitation to choose a password is on its way" in client.get("/admin/").get_data(
        as_text=True
    )
    (got,) = mail_on.wait_for(1)
    assert got.rcpt_tos == ["new@example.org"]
    created = users.find_by_email("new@example.org")
    assert not users.has_password(created)
    listed = client.get("/admin/?q=new%40").get_data(as_text=True)
    assert ">Invited<" in listed
    edit = client.get(f"/admin/users/{created.id}").get_data(as_text=True)
    assert "Send a new invitation" in edit
    client.post(f"/admin/users/{created.id}/invitation")
    assert len(mail_on.wait_for(2)) == 2


def test_with_mail_off_the_new_accounts_link_is_shown(client, login_as, app):
    login_as(Role.ADMIN)
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert "does not send e-mail" in form
    data = {"email": "new@example.org", "name": "New Person", "roles": ["learner"]}
    page = client.post("/admin/users/new", data=data).get_data(as_text=True)
    link = re.search(r"(http[^<\s]+/welcome/[^<\s]+)", page).group(1)
    assert link.startswith(app.config["BASE_URL"])


def test_a_typed_password_still_works(client, login_as):
    login_as(Role.ADMIN)
    data = {"email": "p@example.org", "name": "P", "roles": ["learner"], "password": PASSWORD}
    assert client.post("/admin/users/new", data=data).status_code == 302
    assert users.authenticate("p@example.org", PASSWORD) is not None
