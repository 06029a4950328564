"""The tool's endpoints for platforms: its public keys, the login initiation and the launch.

Clausewise opens in a new window, never in the platform's frame (its pages forbid
framing), so its own session cookie stays first-party. Only the state cookie must cross
from the platform's site (the launch is a cross-site POST): it is SameSite=None and
Secure when LTI_COOKIE_SECURE is on (HTTPS, the default in production), else Lax, which
serves local HTTP where platform and tool share a host.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, abort, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.errors import DomainError
from app.extensions import csrf, limiter
from app.integrations.lti import STATE_MAX_AGE, Refused
from app.services import lti_keys, lti_launch
from app.web.lti.refusals import domain_error_page, refusal_page

bp = Blueprint("lti", __name__, url_prefix="/lti", template_folder="templates")
log = logging.getLogger(__name__)

STATE = re.compile(r"[A-Za-z0-9_-]{16,64}")
COOKIE_PREFIX = "cw_lti_"
TAUGHT = "lti_taught"  # session: who launched, and the courses they launched as instructor
DEEP_LINK = "lti_deep_link"  # session: the deep linking request being answered
PENDING = "lti_pending_link"  # session: a first launch waiting for its account's owner


PLATFORM_ENDPOINTS = ("lti.jwks", "lti.login", "lti.launch")


@bp.before_request
def only_when_enabled() -> None:
    """The addresses platforms call are missing until LTI_ENABLED is set (the pages
    behind them ask for a signed-in user first, and open nothing without a launch)."""
    if request.endpoint in PLATFORM_ENDPOINTS and not current_app.config.get("LTI_ENABLED"):
        abort(404)


def launch_limit() -> str:
    """Login initiations and launches per client address (LTI_LAUNCH_LIMIT)."""
    return current_app.config["LTI_LAUNCH_LIMIT"]


@bp.get("/jwks")
@limiter.exempt
def jwks():
    """Public: the tool's public keys (JWKS), with which platforms check what it signs."""
    return jsonify(lti_keys.jwks())


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # a platform starts it; the state and nonce protect what follows
@limiter.limit(launch_limit)
def login():
    """Public (a platform's initiation): send the browser to the platform's authorization
    endpoint with a new state and nonce, kept in a signed state cookie."""
    values = request.values
    try:
        start = lti_launch.start_login(
            issuer=values.get("iss", ""),
            login_hint=values.get("login_hint", ""),
            target_link_uri=values.get("target_link_uri", ""),
            message_hint=values.get("lti_message_hint"),
            client_id=values.get("client_id"),
            deployment_id=values.get("lti_deployment_id"),
            redirect_uri=url_for("lti.launch", _external=True),
        )
    except Refused as err:
        log.warning("LTI login refused: %s", err)
        return refusal_page(err)
    response = redirect(start.redirect_url, 302)
    secure = bool(current_app.config["LTI_COOKIE_SECURE"])
    response.set_cookie(
        COOKIE_PREFIX + start.state,
        start.sealed,
        max_age=STATE_MAX_AGE,
        path=url_for("lti.launch"),
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )
    return response


@bp.post("/launch")
@csrf.exempt  # the platform's form post; the ID token, state and nonce are checked instead
@limiter.limit(launch_limit)
def launch():
    """Public (the platform's form post of an ID token): check the launch, sign its person
    in and open what it names: a link's page, or the deep linking picker."""
    state = request.form.get("state", "")
    sealed = request.cookies.get(COOKIE_PREFIX + state) if STATE.fullmatch(state) else None
    try:
        if sealed is None:
            raise Refused("state", "no state cookie for this state")
        launched = lti_launch.complete_launch(request.form.get("id_token", ""), sealed)
    except Refused as err:
        log.warning("LTI launch refused: %s", err)
        return _forget_state(refusal_page(err), state)
    except DomainError as err:  # no access, a deactivated account, an account clash
        return _forget_state(domain_error_page(err), state)
    if isinstance(launched, lti_launch.Unconfirmed):
        return _forget_state(_wait_for_owner(launched), state)
    session.clear()  # whoever was signed in here before, this browser is now the launcher
    login_user(launched.user)
    return _forget_state(redirect(open_launched(launched), 303), state)


def _wait_for_owner(unconfirmed: lti_launch.Unconfirmed) -> Response:
    """Keep the launch waiting in the session and ask for the account's owner: the one
    signed in here already may confirm; anyone else is signed out (this browser is the
    launcher's now) and asked to sign in to that account."""
    if getattr(current_user, "id", None) != unconfirmed.owner.id:
        session.clear()
        logout_user()  # and forget a remember-me cookie, which would sign them in again
    session[PENDING] = unconfirmed.pending.as_session()
    return redirect(url_for("lti.account_link"), 303)


def open_launched(launched: lti_launch.Launched) -> str:
    """Keep what the launch gave the signed-in user in the session (the course they
    teach, a deep linking request) and return the address of the page it opens."""
    if launched.teaches and launched.context_id is not None:
        # Bound to the user: it must not pass to whoever signs in next in this browser.
        session[TAUGHT] = {"user": launched.user.id, "courses": [launched.context_id]}
    if launched.deep_link is not None:
        session[DEEP_LINK] = launched.deep_link
        return url_for("lti.deep_link")
    return url_for("lti.link", link_id=launched.link_id)


def taught_courses() -> list[int]:
    """The courses the signed-in user launched from as an instructor in this session."""
    taught = session.get(TAUGHT)
    if not isinstance(taught, dict) or taught.get("user") != getattr(current_user, "id", None):
        return []
    return list(taught.get("courses") or [])


def _forget_state(response: Response, state: str) -> Response:
    """Delete the state cookie of this launch (used once, or refused)."""
    if STATE.fullmatch(state):
        secure = bool(current_app.config["LTI_COOKIE_SECURE"])
        response.delete_cookie(
            COOKIE_PREFIX + state,
            path=url_for("lti.launch"),
            secure=secure,
            httponly=True,
            samesite="None" if secure else "Lax",
        )
    return response


# Page modules that add their routes to `bp`.
from app.web.lti import account_link, pages  # noqa: E402,F401
