"""Signing in with an OpenID Connect issuer: the redirect there and the callback here."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from app.extensions import limiter
from app.integrations import oidc
from app.integrations.oidc_settings import ProviderSettings
from app.security import safe_next_url
from app.services import sso
from app.web.auth import throttle
from app.web.auth.routes import bp, home_endpoint
from app.web.auth.sso_mode import SIGNED_IN_WITH

log = logging.getLogger(__name__)

_NEXT = "sso_next"


def _settings(name: str) -> ProviderSettings:
    settings = oidc.provider(name)
    if settings is None:
        abort(404)
    return settings


def _failure(reason: str, settings: ProviderSettings) -> str:
    """What a person reads when the issuer's answer signs nobody in."""
    if reason == "denied":
        return _("Signing in with %(provider)s was cancelled.", provider=settings.label)
    if reason == "unreachable":
        return _(
            "%(provider)s could not be reached. Try again in a few minutes.",
            provider=settings.label,
        )
    return _(
        "Signing in with %(provider)s did not succeed: its answer could not be checked. "
        "Start again from this page.",
        provider=settings.label,
    )


@bp.get("/login/sso/<name>")
@limiter.limit(throttle.per_address, error_message=throttle.refusal)
def sso_start(name: str):
    """Public: send the visitor to the issuer `name` to sign in."""
    settings = _settings(name)
    session[_NEXT] = safe_next_url(request.args.get("next"))
    callback = url_for("auth.sso_callback", name=name, _external=True)
    try:
        return oidc.begin(settings, callback)
    except oidc.SignInFailed as err:
        log.error("sign-in with %s cannot start: %s", name, err)
        flash(_failure(err.reason, settings), "danger")
        return redirect(url_for("auth.login"))


@bp.get("/login/sso/<name>/callback")
@limiter.limit(throttle.per_address, error_message=throttle.refusal)
def sso_callback(name: str):
    """Public: the issuer's answer; signs the visitor in, or says why not."""
    settings = _settings(name)
    try:
        claims = oidc.finish(settings)
        user = sso.sign_in(claims, settings)
    except oidc.SignInFailed as err:
        log.warning("sign-in with %s failed: %s", name, err)
        flash(_failure(err.reason, settings), "danger")
        return redirect(url_for("auth.login"))
    except sso.SignInRefused as err:
        flash(err.message, "danger")
        return redirect(url_for("auth.login"))
    login_user(user)
    # The ID token is kept only to sign out at the issuer too (OIDC_<NAME>_LOGOUT).
    session[SIGNED_IN_WITH] = {
        "provider": name,
        "id_token": claims.id_token if settings.logout else "",
    }
    return redirect(session.pop(_NEXT, None) or url_for(home_endpoint()))
