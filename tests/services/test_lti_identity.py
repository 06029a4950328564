"""The person behind a platform's `sub`, found or made once even when two requests (two
launches, a launch and a roster sync) make them at the same moment."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import SYSTEM, LtiAccount, LtiPlatform, Role, User
from app.services import lti_identity, lti_platforms
from tests.concurrency import in_other_request

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


@pytest.fixture
def platform(app) -> LtiPlatform:
    registration = lti_platforms.Registration(
        name="LMS",
        issuer="https://lms.example.org",
        client_id="clausewise",
        deployment_ids=["1"],
        auth_login_url="https://lms.example.org/auth",
        auth_token_url="https://lms.example.org/token",
        jwks_url="https://lms.example.org/jwks",
    )
    return lti_platforms.save_platform(SYSTEM, None, registration)


@pytest.mark.parametrize("email", ["ann@college.example", ""])
def test_a_person_made_meanwhile_by_another_request_is_found_not_made_twice(
    app, platform, monkeypatch, email
):
    person = lti_identity.Person("sub-ann", (LEARNER,), email, "Ann Archer")
    platform_id = platform.id
    real = lti_identity.account_of
    raced: list[bool] = []

    def racing(platform_id_: int, subject: str):
        found = real(platform_id_, subject)
        if not raced:  # the other request lands after this one looked and found nobody
            raced.append(True)
            in_other_request(
                app,
                lambda: lti_identity.user_for(db.session.get(LtiPlatform, platform_id), person),
                commit=True,
            )
        return found

    monkeypatch.setattr(lti_identity, "account_of", racing)
    user, account = lti_identity.user_for(platform, person)
    db.session.commit()
    assert raced
    assert db.session.query(User).count() == 1 and db.session.query(LtiAccount).count() == 1
    assert account.user_id == user.id and user.roles == {Role.LEARNER}


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER])
def test_a_staff_accounts_email_waits_for_its_owner_and_writes_nothing(app, platform, role):
    """The platform's word is enough for a learner's account, not for one that edits
    banks or reads team results: its owner must sign in to it first."""
    from tests.factories import make_user

    owner = make_user(role=role, email="ann@college.example")
    person = lti_identity.Person("sub-ann", (LEARNER,), "Ann@College.example", "Ann Archer")
    with pytest.raises(lti_identity.OwnerMustConfirm) as raised:
        lti_identity.user_for(platform, person)
    db.session.commit()
    assert raised.value.user_id == owner.id
    assert db.session.query(LtiAccount).count() == 0
    db.session.refresh(owner)
    assert owner.roles == {role}  # the launch's learner role waits too


def test_a_learner_with_a_password_waits_for_its_owner_too(app, platform):
    """A learner's practice and mock results make their readiness: nobody else may add
    to them on a platform's word."""
    from tests.factories import make_user

    learner = make_user(email="ann@college.example")
    person = lti_identity.Person("sub-ann", (LEARNER,), "ann@college.example", "Ann Archer")
    with pytest.raises(lti_identity.OwnerMustConfirm) as raised:
        lti_identity.user_for(platform, person)
    db.session.commit()
    assert raised.value.user_id == learner.id
    assert db.session.query(LtiAccount).count() == 0


def test_a_learner_only_accounts_email_links_at_once(app, platform):
    from tests.factories import make_user

    learner = make_user(email="ann@college.example", password=None)
    person = lti_identity.Person("sub-ann", (LEARNER,), "ann@college.example", "Ann Archer")
    user, account = lti_identity.user_for(platform, person)
    assert user.id == learner.id and account.user_id == learner.id
