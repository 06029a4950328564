"""What a person reads when a launch from their course is refused, by refusal code."""

from __future__ import annotations

from flask import make_response
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.errors import DomainError, error_response
from app.integrations.lti import Refused


def _message(reason: str) -> str:
    """One sentence per refusal code; every code not named here gets the last one."""
    messages = {
        "unknown_platform": _(
            "Your course's platform is not registered with Clausewise, or its registration "
            "is switched off. An administrator registers it on the LTI platforms page."
        ),
        "login_request": _(
            "The platform's login request lacks the issuer, the login hint or the target "
            "link. Launch the activity again from your course."
        ),
        "state": _(
            "This launch could not be matched to the login that began it: it took more than "
            "ten minutes, or the browser did not keep Clausewise's cookie. Launch the "
            "activity again from your course."
        ),
        "deployment": _(
            "This deployment of Clausewise in your platform is not registered. An "
            "administrator adds its deployment ID to the platform's registration."
        ),
        "expired": _(
            "The launch has expired on its way here. Launch the activity again from your course."
        ),
        "replayed": _("This launch was used already. Launch the activity again from your course."),
        "anonymous": _(
            "The platform launched without saying who you are; Clausewise needs to know "
            "who is answering. Ask your administrator to share the user's identity with it."
        ),
        "keys": _(
            "Clausewise could not fetch your platform's public keys to check the launch. "
            "Try again in a moment; if it keeps failing, tell your administrator."
        ),
        "deep_linking": _(
            "The platform asked for content of a kind Clausewise does not offer: it adds "
            "activities as LTI resource links."
        ),
    }
    return messages.get(
        reason,
        _(
            "The launch from your course could not be verified (%(reason)s). Launch the "
            "activity again; if it fails again, tell your administrator.",
            reason=reason,
        ),
    )


def refusal_page(err: Refused) -> Response:
    """The error page (400) of a refused login or launch."""
    body = error_response(400, _("The launch was refused"), _message(err.reason))
    return make_response(body)


def domain_error_page(err: DomainError) -> Response:
    """The error page of a launch refused by a rule (no access, an account clash)."""
    return make_response(error_response(err.status, _("The launch was refused"), err.message))
