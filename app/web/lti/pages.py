"""The pages a launch opens: a link's activity, and the deep linking picker."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.analytics import custom_tests, overview
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import Role
from app.security import role_required
from app.services import lti_deep_linking, lti_links, lti_roster
from app.web.headers import CONTENT_SECURITY_POLICY
from app.web.ids import optional_id
from app.web.lti.forms import ActionForm, DeepLinkForm
from app.web.lti.routes import DEEP_LINK, bp, taught_courses

ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?")


@bp.get("/links/<int:link_id>")
@login_required
def link(link_id: int):
    """People who launched from the link's platform: the activity the link opens, their
    attempts from it, and (instructors) the course's team."""
    page = lti_links.link_page(current_user, link_id)
    taught = page.context is not None and page.context.id in taught_courses()
    return render_template("lti/link.html", page=page, taught=taught, form=ActionForm())


@bp.post("/links/<int:link_id>/start")
@role_required(Role.LEARNER)
def start(link_id: int):
    """Learners: start the link's activity (or resume the attempt from it still open)."""
    ActionForm().validate_on_submit() or abort(400)
    try:
        attempt = lti_links.start_from_link(current_user, link_id)
    except (InvalidInput, Conflict) as err:
        flash(err.message, "danger")
        return redirect(url_for("lti.link", link_id=link_id))
    return redirect(url_for("learner.take", attempt_id=attempt.id))


@bp.post("/courses/<int:context_id>/team")
@login_required
def fill_team(context_id: int):
    """Instructors who launched from the course, the team's managers and admins: fill the
    course's team from the platform's member list."""
    ActionForm().validate_on_submit() or abort(400)
    link_id = optional_id(request.form, "link")
    back = url_for("lti.link", link_id=link_id) if link_id else url_for("auth.index")
    taught = context_id in taught_courses()
    try:
        context = lti_roster.request_sync(current_user, context_id, taught)
    except (InvalidInput, PermissionDenied) as err:
        flash(err.message, "danger")
        return redirect(back)
    team = context.team
    if team is not None:
        message = _("The team %(name)s is being filled from the course's members.", name=team.name)
    else:
        message = _("The course's team is being made from its members; it is ready in a moment.")
    flash(message, "success")
    return redirect(back)


def _picked_scheme(codes: list[str]) -> str:
    """The scheme shown in the picker: the one asked for, else the first."""
    asked = request.values.get("scheme", "")
    if asked and asked not in codes:
        raise NotFound(_("No such qualification scheme."))
    return asked or codes[0]


@bp.route("/deep-link", methods=["GET", "POST"])
@login_required
def deep_link():
    """The course's instructor who launched the request: pick the activity to add."""
    grant = session.get(DEEP_LINK)
    lti_deep_linking.check_grant(current_user, grant)
    schemes = overview.schemes()
    if not schemes:
        raise NotFound(_("No qualification scheme is offered yet."))
    code = _picked_scheme([s.code for s in schemes])
    scheme = next(s for s in schemes if s.code == code)
    form = DeepLinkForm(scheme=code)
    chosen = request.form.getlist("clause")
    if form.validate_on_submit():
        choice = lti_deep_linking.Choice(
            kind=form.kind.data or "",
            scheme=code,
            clauses=chosen,
            count=form.count.data,
            title=form.title.data or "",
            graded=bool(form.graded.data),
        )
        try:
            reply = lti_deep_linking.respond(
                current_user, grant, choice, url_for("lti.launch", _external=True)
            )
        except InvalidInput as err:
            flash(err.message, "danger")
        else:
            session.pop(DEEP_LINK, None)
            return _return_page(reply)
    return render_template(
        "lti/deep_link.html",
        form=form,
        schemes=schemes,
        scheme=scheme,
        menu=custom_tests.menu(scheme, current_user.id),
        chosen=set(chosen),
        lineitem=bool(grant and grant.get("lineitem")),
        cancel_form=ActionForm(),
    )


@bp.post("/deep-link/cancel")
@login_required
def cancel_deep_link():
    """The course's instructor: go back to the course without adding anything."""
    ActionForm().validate_on_submit() or abort(400)
    grant = session.get(DEEP_LINK)
    reply = lti_deep_linking.respond(
        current_user, grant, None, url_for("lti.launch", _external=True)
    )
    session.pop(DEEP_LINK, None)
    return _return_page(reply)


def _return_page(reply: lti_deep_linking.Reply) -> Response:
    """The page that posts the deep linking response to the platform (by script, or by
    its button), allowed by its content policy to post there and nowhere else."""
    parts = urlsplit(reply.return_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if not ORIGIN.fullmatch(origin):
        raise InvalidInput(_("The platform's return address is not a web address."))
    response = make_response(render_template("lti/return.html", reply=reply))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response
