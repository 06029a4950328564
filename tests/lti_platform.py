"""A small LTI 1.3 platform for the tests, served on 127.0.0.1 and a free port.

It does what an LMS does for a tool, with real RS256 tokens and real HTTP:
- its public keys at /jwks;
- an OpenID Connect authorization endpoint (/auth) that checks the tool's request and
  answers with a form post of a signed ID token carrying the claims LTI Core 1.3, Deep
  Linking 2.0, AGS 2.0 and NRPS 2.0 list for a launch;
- /start/<hint>: a page that begins a launch by posting the login initiation to the tool
  (what a course page's link does);
- an OAuth 2.0 token endpoint (/token) that checks the tool's client assertion against
  the tool's JWKS (RFC 7523) and grants scoped bearer tokens;
- AGS line items with a score service (/lineitems/<id>/scores) that records scores;
- an NRPS membership service (/contexts/<id>/memberships), paged with Link headers;
- a deep linking return (/deep-link-return) that checks the tool's response JWT and
  places the returned links in the course (with line items, as Moodle does).

Tests set up users, courses and links, may tamper with the next ID token (claims, key),
and read what the platform recorded.
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from flask import Flask, abort, jsonify, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    SCORE_SCOPE,
]
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"
MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
COURSE_TYPE = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"


class FormReader(HTMLParser):
    """A form of a page (the first, or the one with the id asked for): its action and
    hidden inputs."""

    def __init__(self, form_id: str | None = None) -> None:
        super().__init__()
        self.form_id = form_id
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            self._inside = self.form_id is None or values.get("id") == self.form_id
            if self._inside:
                self.action = values.get("action", "")
        if tag == "input" and self._inside and values.get("name"):
            self.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._inside:
            self._inside, self._done = False, True


def read_form(page: str, form_id: str | None = None) -> tuple[str, dict[str, str]]:
    """The action and fields of a form on a page: the first, or the one with `form_id`."""
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.action, reader.fields


def _post_page(action: str, fields: dict[str, str], title: str) -> str:
    """A page that posts `fields` to `action` at once (a platform's own page may script)."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        f"<!doctype html><title>{html.escape(title)}</title>"
        f'<form method="post" action="{html.escape(action)}">{inputs}'
        "<button type=submit>Continue</button></form>"
        "<script>document.forms[0].submit()</script>"
    )


class Platform:
    """The platform: its keys and registration of the tool, its courses, and a server."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, private=True, parameters={"kid": "platform-key-1"})
        self.client_id = "clausewise-tool"
        self.deployment_id = "deployment-1"
        self.tool_login_url = ""
        self.tool_launch_urls: list[str] = []
        self.tool_jwks: dict[str, Any] | None = None  # or fetched from tool_jwks_url
        self.tool_jwks_url = ""
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    # --- what tests set and read -------------------------------------------------------

    def reset(self) -> None:
        """Forget every course, person, token and record (between tests)."""
        self.users: dict[str, dict[str, Any]] = {}
        self.contexts: dict[str, dict[str, Any]] = {}
        self.links: dict[str, dict[str, Any]] = {}
        self.lineitems: dict[str, dict[str, Any]] = {}
        self.scores: dict[str, list[dict[str, Any]]] = {}
        self.tokens: dict[str, set[str]] = {}
        self.assertion_ids: set[str] = set()
        self.deep_link_returns: list[dict[str, Any]] = []
        self.tamper: Callable[[dict[str, Any]], None] | None = None
        self.sign_with: RSAKey | None = None
        self.failures: dict[str, int] = {}  # endpoint name → how many calls fail with 503
        self.page_size = 50
        self.refused: list[str] = []  # why the platform refused the tool's calls

    @property
    def issuer(self) -> str:
        return self.url

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def add_user(self, hint: str, roles: list[str], **claims: Any) -> dict[str, Any]:
        self.users[hint] = {"sub": f"sub-{hint}", "roles": roles, **claims}
        return self.users[hint]

    def add_course(self, context_id: str, title: str, label: str = "") -> None:
        self.contexts[context_id] = {"title": title, "label": label or context_id, "members": []}

    def add_member(self, context_id: str, hint: str, status: str = "Active") -> None:
        user = self.users[hint]
        member = {"user_id": user["sub"], "roles": user["roles"], "status": status}
        for name in ("name", "given_name", "family_name", "email"):
            if name in user:
                member[name] = user[name]
        self.contexts[context_id]["members"].append(member)

    def add_link(
        self, hint: str, context_id: str, title: str, custom: dict[str, str], graded: bool = True
    ) -> dict[str, Any]:
        lineitem = None
        if graded:
            lineitem = f"li-{len(self.lineitems) + 1}"
            self.lineitems[lineitem] = {"scoreMaximum": 100, "label": title, "resourceLinkId": hint}
        self.links[hint] = {
            "resource_link_id": f"rl-{hint}",
            "context_id": context_id,
            "title": title,
            "custom": custom,
            "lineitem": lineitem,
        }
        return self.links[hint]

    def add_deep_linking(self, hint: str, context_id: str, accept_lineitem: bool = True) -> None:
        self.links[hint] = {
            "deep_linking": True,
            "context_id": context_id,
            "accept_lineitem": accept_lineitem,
            "data": secrets.token_urlsafe(8),
        }

    def lineitem_url(self, lineitem: str) -> str:
        return f"{self.url}/lineitems/{lineitem}"

    def login_params(self, hint: str, user: str) -> dict[str, str]:
        """The login initiation a course page sends the tool for this link and person."""
        return {
            "iss": self.issuer,
            "login_hint": user,
            "target_link_uri": self.tool_launch_urls[0],
            "lti_message_hint": hint,
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def authorize(self, location: str) -> tuple[str, dict[str, str]]:
        """Follow the tool's redirect to /auth over HTTP: the form it answers with."""
        response = requests.get(location, timeout=10)
        assert response.status_code == 200, response.text
        return read_form(response.text)

    # --- tokens ------------------------------------------------------------------------

    def id_token(self, claims: dict[str, Any]) -> str:
        if self.tamper is not None:
            self.tamper(claims)
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)

    def launch_claims(self, user: dict[str, Any], hint: str, nonce: str) -> dict[str, Any]:
        """The claims of a launch of link `hint` by `user` (LTI Core 1.3 and services)."""
        link = self.links[hint]
        context_id = link["context_id"]
        course = self.contexts[context_id]
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": user["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": self.tool_launch_urls[0],
            LTI + "roles": user["roles"],
            LTI + "context": {
                "id": context_id,
                "label": course["label"],
                "title": course["title"],
                "type": [COURSE_TYPE],
            },
            LTI + "tool_platform": {
                "guid": "test-platform",
                "name": "Test platform",
                "product_family_code": "tests",
                "version": "1.0",
            },
            LTI + "launch_presentation": {"document_target": "window", "locale": "en"},
            "locale": user.get("locale", "en-GB"),
            AGS_CLAIM: {
                "scope": AGS_SCOPES,
                "lineitems": f"{self.url}/contexts/{context_id}/lineitems",
            },
            NRPS_CLAIM: {
                "context_memberships_url": f"{self.url}/contexts/{context_id}/memberships",
                "service_versions": ["2.0"],
            },
        }
        for name in ("name", "given_name", "family_name", "email"):
            if name in user:
                claims[name] = user[name]
        if link.get("deep_linking"):
            claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
            claims[DL + "deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "accept_lineitem": link["accept_lineitem"],
                "auto_create": True,
                "title": "Add an activity",
                "data": link["data"],
            }
            return claims
        claims[LTI + "message_type"] = "LtiResourceLinkRequest"
        claims[LTI + "resource_link"] = {"id": link["resource_link_id"], "title": link["title"]}
        claims[LTI + "custom"] = dict(link["custom"])
        if link["lineitem"]:
            claims[AGS_CLAIM]["lineitem"] = self.lineitem_url(link["lineitem"])
        return claims

    def _tool_keys(self) -> KeySet:
        data = self.tool_jwks
        if data is None:
            data = requests.get(self.tool_jwks_url, timeout=10).json()
        return KeySet.import_key_set(data)

    def verify_tool_jwt(self, token: str, audience: str) -> dict[str, Any]:
        """Check a JWT the tool signed (client assertion, deep linking response)."""
        claims = jwt.decode(token, self._tool_keys(), algorithms=["RS256"]).claims
        now = time.time()
        if claims.get("iss") != self.client_id:
            raise ValueError(f"iss {claims.get('iss')!r}")
        if claims.get("aud") not in (audience, [audience]):
            raise ValueError(f"aud {claims.get('aud')!r}")
        if not isinstance(claims.get("exp"), int) or claims["exp"] < now:
            raise ValueError("expired")
        if not isinstance(claims.get("iat"), int) or claims["iat"] > now + 60:
            raise ValueError("iat in the future")
        return claims

    def _bearer(self, scope: str) -> None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if scope not in self.tokens.get(token, set()):
            self.refused.append(f"bearer without {scope}")
            abort(401)

    def _failing(self, name: str) -> bool:
        if self.failures.get(name, 0) > 0:
            self.failures[name] -= 1
            return True
        return False

    # --- the server --------------------------------------------------------------------

    def _build(self) -> Flask:
        app = Flask("lti_test_platform")
        app.add_url_rule("/jwks", view_func=lambda: jsonify(self.jwks()))
        app.add_url_rule("/auth", view_func=self._auth)
        app.add_url_rule("/start/<hint>", view_func=self._start)
        app.add_url_rule("/token", view_func=self._token, methods=["POST"])
        app.add_url_rule("/lineitems/<lineitem>/scores", view_func=self._score, methods=["POST"])
        app.add_url_rule("/contexts/<context_id>/memberships", view_func=self._memberships)
        app.add_url_rule("/deep-link-return", view_func=self._deep_link_return, methods=["POST"])
        return app

    def _auth(self) -> Any:
        """The OIDC authorization endpoint: check the tool's request, post an ID token."""
        args = request.args
        expected = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": self.client_id,
        }
        for name, value in expected.items():
            if args.get(name) != value:
                return f"bad {name}", 400
        if args.get("redirect_uri") not in self.tool_launch_urls:
            return "unregistered redirect_uri", 400
        if not args.get("nonce") or not args.get("state"):
            return "nonce and state are required", 400
        user = self.users.get(args.get("login_hint", ""))
        if user is None or args.get("lti_message_hint") not in self.links:
            return "unknown login or message hint", 400
        claims = self.launch_claims(user, args["lti_message_hint"], args["nonce"])
        token = self.id_token(claims)
        fields = {"id_token": token, "state": args["state"]}
        return _post_page(args["redirect_uri"], fields, "Launching")

    def _start(self, hint: str) -> Any:
        """A course page's link: begin the launch for ?user=<hint> (third-party login)."""
        params = self.login_params(hint, request.args["user"])
        return _post_page(self.tool_login_url, params, "Opening the activity")

    def _token(self) -> Any:
        """Client credentials with a JWT assertion signed by the tool (RFC 7523)."""
        form = request.form
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_assertion_type")
            != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return jsonify(error="unsupported_grant_type"), 400
        try:
            claims = self.verify_tool_jwt(form.get("client_assertion", ""), f"{self.url}/token")
        except Exception as err:  # any failure of the assertion is the client's
            self.refused.append(f"assertion: {err}")
            return jsonify(error="invalid_client"), 401
        if claims.get("sub") != self.client_id or claims.get("jti") in self.assertion_ids:
            self.refused.append("assertion sub or jti")
            return jsonify(error="invalid_client"), 401
        self.assertion_ids.add(claims["jti"])
        scopes = set(form.get("scope", "").split()) & {*AGS_SCOPES, NRPS_SCOPE}
        token = secrets.token_urlsafe(24)
        self.tokens[token] = scopes
        return jsonify(
            access_token=token, token_type="Bearer", expires_in=3600, scope=" ".join(sorted(scopes))
        )

    def _score(self, lineitem: str) -> Any:
        """AGS score service: record a score posted by the tool."""
        if self._failing("scores"):
            return "down for maintenance", 503
        self._bearer(SCORE_SCOPE)
        if lineitem not in self.lineitems:
            abort(404)
        if request.mimetype != "application/vnd.ims.lis.v1.score+json":
            return "wrong media type", 415
        score = request.get_json(force=True)
        required = ("userId", "activityProgress", "gradingProgress", "timestamp")
        if any(name not in score for name in required):
            return "a required score field is missing", 400
        self.scores.setdefault(lineitem, []).append(score)
        return "", 204

    def _memberships(self, context_id: str) -> Any:
        """NRPS membership container, paged by `limit` and `page` with a next link."""
        if self._failing("memberships"):
            return "down for maintenance", 503
        self._bearer(NRPS_SCOPE)
        course = self.contexts.get(context_id) or abort(404)
        page = int(request.args.get("page", "0"))
        size = self.page_size
        members = course["members"][page * size : (page + 1) * size]
        body = jsonify(
            id=request.url,
            context={"id": context_id, "label": course["label"], "title": course["title"]},
            members=members,
        )
        body.mimetype = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
        if (page + 1) * size < len(course["members"]):
            following = f"{self.url}/contexts/{context_id}/memberships?page={page + 1}"
            body.headers["Link"] = f'<{following}>; rel="next"'
        return body

    def _deep_link_return(self) -> Any:
        """Check the tool's LtiDeepLinkingResponse and place its links in the course."""
        try:
            claims = self.verify_tool_jwt(request.form.get("JWT", ""), self.issuer)
        except Exception as err:  # the platform shows the author why nothing was added
            self.refused.append(f"deep linking response: {err}")
            return f"refused: {html.escape(str(err))}", 400
        if (
            claims.get(LTI + "message_type") != "LtiDeepLinkingResponse"
            or claims.get(LTI + "version") != "1.3.0"
            or claims.get(LTI + "deployment_id") != self.deployment_id
            or not claims.get("nonce")
        ):
            self.refused.append("deep linking response claims")
            return "refused: claims", 400
        self.deep_link_returns.append(claims)
        titles = []
        for item in claims.get(DL + "content_items", []):
            hint = f"placed-{len(self.links) + 1}"
            context_id = next(iter(self.contexts))
            placed = self.add_link(
                hint, context_id, item["title"], item.get("custom", {}), "lineItem" in item
            )
            if "lineItem" in item:
                self.lineitems[placed["lineitem"]]["scoreMaximum"] = item["lineItem"][
                    "scoreMaximum"
                ]
            titles.append(html.escape(item["title"]))
        added = ", ".join(titles) or "nothing"
        return f"<!doctype html><title>Course</title><h1>Added to the course: {added}</h1>"

    # --- life --------------------------------------------------------------------------

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def query(url: str) -> dict[str, str]:
    """The query parameters of a URL, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def register_tool(platform: Platform, **changes: Any) -> Any:
    """Register `platform` with Clausewise as an administrator would (inside an app
    context), and give the platform the tool's public keys."""
    from app.models import SYSTEM
    from app.services import lti_keys, lti_platforms

    data = lti_platforms.Registration(
        name="Test LMS",
        issuer=platform.issuer,
        client_id=platform.client_id,
        deployment_ids=[platform.deployment_id],
        auth_login_url=f"{platform.url}/auth",
        auth_token_url=f"{platform.url}/token",
        jwks_url=f"{platform.url}/jwks",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    registration = lti_platforms.save_platform(SYSTEM, None, data)
    platform.tool_jwks = lti_keys.jwks()
    return registration


def launch(client: Any, platform: Platform, hint: str, user: str) -> Any:
    """Launch link `hint` as platform user `user` through a Flask test client: the login
    initiation, the platform's authorization over HTTP, then the form post of the token."""
    response = client.get("/lti/login", query_string=platform.login_params(hint, user))
    assert response.status_code == 302, response.get_data(as_text=True)
    action, fields = platform.authorize(response.headers["Location"])
    assert action in platform.tool_launch_urls
    return client.post("/lti/launch", data=fields)
