"""Which account an OpenID Connect identity signs in as, from the claims the checked ID
token carried: created, linked, refused, and roles re-mapped when the issuer says so."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.integrations.oidc import Claims
from app.models import AuditEvent, Role, User, UserIdentity
from app.services import sso, users
from tests.concurrency import in_other_request
from tests.factories import PASSWORD
from tests.oidc_provider import settings

ISSUER = "https://sso.example.org/realms/staff"
PROVIDER = settings(ISSUER, name="staff", label="Staff SSO")


def claims(subject: str = "s-1", email: str = "kim@example.org", **extra: object) -> Claims:
    values: dict[str, object] = {
        "provider": "staff",
        "issuer": ISSUER,
        "subject": subject,
        "email": email,
        "email_verified": True,
        "name": "Kim Park",
        "locale": "",
        "role_values": (),
        "id_token": "header.payload.signature",
        **extra,
    }
    return Claims(**values)  # type: ignore[arg-type]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_mapped_roles_join_every_matching_value_else_the_default(app):
    assert sso.mapped_roles(claims(role_values=("cw-trainers", "cw-admins")), PROVIDER) == {
        Role.TRAINER,
        Role.ADMIN,
        Role.MANAGER,
    }
    assert sso.mapped_roles(claims(role_values=("unknown",)), PROVIDER) == {Role.LEARNER}
    quiet = replace(PROVIDER, default_roles=())
    assert sso.mapped_roles(claims(role_values=("unknown",)), quiet) == set()


def test_without_a_mapped_role_or_default_the_sign_in_is_refused(app):
    strict = replace(PROVIDER, default_roles=())
    with pytest.raises(sso.SignInRefused, match="gives you no role in Clausewise"):
        sso.sign_in(claims(role_values=("visitors",)), strict)
    assert count(User) == count(UserIdentity) == 0


def test_names_are_cleaned_and_fall_back_to_the_e_mail(app):
    odd = sso.sign_in(claims(name="  Kim\u202e\x07  Park \n"), PROVIDER)
    assert odd.display_name == "Kim Park"
    nameless = sso.sign_in(claims(subject="s-2", email="lee@example.org", name=""), PROVIDER)
    assert nameless.display_name == "lee"
    long = sso.sign_in(claims(subject="s-3", email="x@example.org", name="N" * 300), PROVIDER)
    assert len(long.display_name) == 120


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "x" * 250 + "@example.org"])
def test_an_account_needs_a_usable_e_mail(app, email):
    with pytest.raises(sso.SignInRefused, match="did not give Clausewise a usable e-mail"):
        sso.sign_in(claims(email=email), PROVIDER)
    assert count(User) == 0


def test_an_issuer_trusted_for_e_mail_links_without_email_verified(app, make_user):
    kim = make_user(email="kim@example.org")
    # What app.integrations.oidc reads from a TRUST_EMAIL issuer: verified, whatever it said.
    linked = sso.sign_in(claims(email_verified=True), replace(PROVIDER, trust_email=True))
    assert linked.id == kim.id
    with pytest.raises(sso.SignInRefused, match="has not confirmed"):
        sso.sign_in(claims(subject="s-9", email_verified=False), PROVIDER)


def test_the_identity_wins_over_a_changed_e_mail(app):
    first = sso.sign_in(claims(), PROVIDER)
    again = sso.sign_in(claims(email="kim.park@example.org", email_verified=False), PROVIDER)
    assert again.id == first.id and again.email == "kim@example.org"
    assert db.session.scalars(select(UserIdentity.email)).one() == "kim.park@example.org"


def test_the_same_subject_at_another_issuer_is_another_identity(app, make_user):
    sso.sign_in(claims(), PROVIDER)
    with pytest.raises(sso.SignInRefused):  # same e-mail, unverified there: not linked
        sso.sign_in(claims(issuer="https://other.example.org", email_verified=False), PROVIDER)
    assert count(UserIdentity) == 1


def test_roles_are_re_mapped_at_each_sign_in_when_the_issuer_syncs(app):
    syncing = replace(PROVIDER, sync_roles=True)
    kim = sso.sign_in(claims(role_values=("cw-trainers",)), syncing)
    version = kim.session_version
    assert kim.roles == {Role.TRAINER}
    kim = sso.sign_in(claims(role_values=("cw-admins",)), syncing)
    assert kim.roles == {Role.ADMIN, Role.MANAGER}
    assert kim.session_version == version + 1  # other sessions lose the old roles
    synced = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.roles_synced")
    ).one()
    assert synced.detail["before"] == ["trainer"]
    assert synced.detail["after"] == ["admin", "manager"]
    kim = sso.sign_in(claims(role_values=("cw-admins",)), syncing)
    assert kim.session_version == version + 1  # unchanged roles: nothing happens


def test_without_sync_the_roles_given_in_clausewise_stay(app, make_user):
    admin = make_user(role=Role.ADMIN)
    kim = sso.sign_in(claims(role_values=("cw-trainers",)), PROVIDER)
    users.update_account(admin, kim.id, {Role.MANAGER}, active=True)
    assert sso.sign_in(claims(role_values=("cw-trainers",)), PROVIDER).roles == {Role.MANAGER}


def test_sync_never_takes_the_last_administrators_role(app):
    syncing = replace(PROVIDER, sync_roles=True)
    boss = sso.sign_in(claims(role_values=("cw-admins",)), syncing)
    boss = sso.sign_in(claims(role_values=("cw-trainers",)), syncing)
    assert boss.roles == {Role.ADMIN, Role.TRAINER}


def test_sync_that_leaves_no_role_refuses_the_sign_in(app):
    syncing = replace(PROVIDER, sync_roles=True, default_roles=())
    sso.sign_in(claims(role_values=("cw-trainers",)), syncing)
    with pytest.raises(sso.SignInRefused, match="no role"):
        sso.sign_in(claims(role_values=()), syncing)


def test_linking_keeps_the_password_and_creating_sets_none(app, make_user):
    kim = make_user(email="kim@example.org")
    assert sso.sign_in(claims(), PROVIDER).id == kim.id
    assert users.authenticate("kim@example.org", PASSWORD) is not None
    lee = sso.sign_in(claims(subject="s-2", email="lee@example.org"), PROVIDER)
    assert not users.has_password(lee)
    assert sso.issuers_of(lee) == [ISSUER]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, {Role.LEARNER, Role.TRAINER}])
def test_a_verified_e_mail_links_accounts_of_every_role_but_administrator(app, make_user, role):
    kim = make_user(role=role, email="kim@example.org")
    assert sso.sign_in(claims(role_values=("cw-admins",)), PROVIDER).id == kim.id
    assert kim.roles == (role if isinstance(role, set) else {role})  # not re-mapped
    assert sso.issuers_of(kim) == [ISSUER]


@pytest.mark.parametrize("mapped", [(), ("cw-admins",)])
def test_an_administrators_account_is_never_linked_by_e_mail(app, make_user, mapped):
    """An issuer that says it verified an administrator's address (a careless or hostile
    directory) must not get that account: the link is refused, whatever roles it maps."""
    boss = make_user(role={Role.ADMIN, Role.TRAINER}, email="Kim@Example.org")
    with pytest.raises(sso.SignInRefused, match="administrator") as refused:
        sso.sign_in(claims(role_values=mapped), PROVIDER)
    assert "Staff SSO" in refused.value.message and "password" in refused.value.message
    db.session.rollback()  # only the refusal's audit event was committed
    assert count(UserIdentity) == 0 and count(User) == 1
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.created", "user.identity_link_refused"]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.identity_link_refused")
    ).one()
    assert event.actor_id is None and event.object_id == str(boss.id)
    assert event.detail == {"issuer": ISSUER, "subject": "s-1", "reason": "administrator"}
    assert users.authenticate("kim@example.org", PASSWORD) == boss  # the password still works


def test_the_emergency_sign_in_is_for_the_configured_administrator_only(app, make_user):
    root = make_user(role=Role.ADMIN, email="root@example.org")
    make_user(role=Role.TRAINER, email="trainer@example.org")
    assert sso.emergency_sign_in("ROOT@example.org", PASSWORD, "root@example.org") == root
    assert sso.emergency_sign_in("root@example.org", "wrong", "root@example.org") is None
    assert sso.emergency_sign_in("trainer@example.org", PASSWORD, "root@example.org") is None
    assert sso.emergency_sign_in("trainer@example.org", PASSWORD, "trainer@example.org") is None
    assert sso.emergency_sign_in("root@example.org", PASSWORD, "") is None


@pytest.mark.parametrize("existing", [False, True])
def test_two_first_sign_ins_of_one_identity_at_once_make_one_identity(
    app, make_user, monkeypatch, existing
):
    """Two tabs coming back from the issuer together: the sign-in that commits second
    finds the identity the first made, instead of failing on its unique key."""
    if existing:
        make_user(email="kim@example.org")
    real = sso._link_or_create
    raced: list[bool] = []

    def racing(found: Claims, provider):
        if not raced:  # the other tab lands after this one looked and found no identity
            raced.append(True)
            in_other_request(app, lambda: sso.sign_in(claims(), PROVIDER))
        return real(found, provider)

    monkeypatch.setattr(sso, "_link_or_create", racing)
    kim = sso.sign_in(claims(), PROVIDER)
    assert raced
    assert count(User) == 1 and count(UserIdentity) == 1
    assert db.session.scalars(select(UserIdentity.user_id)).one() == kim.id
