"""Every URL is either public on purpose or refuses anonymous visitors; roles are enforced."""

import pytest

from app.models import Role

PUBLIC = {
    "auth.index",
    "auth.login",
    "auth.emergency_login",  # SSO-only mode's administrator (404 unless configured)
    "auth.sso_start",  # single sign-on: to the issuer and back (404 for unknown issuers)
    "auth.sso_callback",
    "static",
    "bootstrap.static",
    "auth.healthz",
    "auth.set_language",  # the language switcher of the sign-in and error pages too
    "api.openapi",
    # Reached from an e-mail, without signing in: a signed link is the credential.
    "auth.forgot_password",
    "auth.reset_password",
    "auth.welcome",
    "auth.unsubscribe",
    # LTI 1.3: what platforms call (missing unless LTI_ENABLED; the launch checks a token)
    "lti.jwks",
    "lti.login",
    "lti.launch",
    # A launch waiting for its account's owner to sign in: anyone with one in their
    # session (nothing pending: back to the home page, which asks for a sign-in).
    "lti.account_link",
    "lti.sign_in_to_link",
    "lti.cancel_account_link",
}
# Trainers and admins only: the readiness backtest and its export.
BACKTEST = ["/train/readiness/backtest", "/train/readiness/backtest/predictions.csv"]
# Admins only (there is no HR role yet): the organization page and its exports.
ORGANIZATION = ["/admin/organization", "/admin/organization/teams.csv"]


def _concrete_url(rule) -> str:
    """The rule's path with every argument filled in with 1."""
    return rule.build({arg: 1 for arg in rule.arguments})[1]


def test_every_rule_is_public_or_refuses_anonymous_visitors(app):
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = _concrete_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 401), f"{method} {url} is open"
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login")
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [
        (
            Role.LEARNER,
            ["/admin/", "/train/", "/manage/", "/admin/users/new", *BACKTEST, *ORGANIZATION],
        ),
        (Role.TRAINER, ["/admin/", "/manage/", "/learn/", "/learn/progress", *ORGANIZATION]),
        (Role.MANAGER, ["/admin/", "/train/", *BACKTEST, *ORGANIZATION]),
    ],
)
def test_roles_only_reach_their_own_pages(client, login_as, role, forbidden):
    login_as(role)
    for url in forbidden:
        assert client.get(url).status_code == 403, url


def test_navigation_shows_only_what_the_role_may_use(client, login_as):
    login_as(Role.LEARNER)
    page = client.get("/learn/").data
    assert b'href="/learn/"' in page and b'href="/learn/progress"' in page
    assert b'href="/admin/"' not in page and b'href="/train/"' not in page
