"""Every response carries the security headers, and the templates need nothing inline."""

import math
import re
from pathlib import Path

import pytest

from app.extensions import db
from app.web import scales
from app.web.headers import CONTENT_SECURITY_POLICY

APP_DIR = Path(__file__).resolve().parents[2] / "app"
TEMPLATES = sorted(APP_DIR.rglob("templates/**/*.html"))


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_the_policy_allows_nothing_inline_and_no_outside_source():
    directives = _directives(CONTENT_SECURITY_POLICY)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/login", 200),
        ("/", 302),
        ("/static/clausewise.css", 200),
        ("/bootstrap/static/css/bootstrap.min.css", 200),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/me", 401),
        ("/no-such-page", 404),
        ("/healthz", 200),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, path, status):
    response = client.get(path)
    response.close()  # static files are streamed
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP


def test_production_adds_hsts_even_to_crash_pages(make_app):
    production = make_app(APP_ENV="production")

    def explode():
        raise RuntimeError("boom")

    production.add_url_rule("/__explode", "explode", explode)
    with production.app_context():
        page = production.test_client().get("/login")
        crash = production.test_client().get("/__explode")
        db.session.remove()
    for response in (page, crash):
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert crash.status_code == 500


INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(APP_DIR)))
def test_templates_hold_nothing_the_policy_would_block(template):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == []


def test_the_scales_stylesheet_is_up_to_date():
    assert scales.STYLESHEET.read_text() == scales.stylesheet(), (
        "run `python -m app.web.scales` to regenerate app/static/scales.css"
    )


def test_values_become_the_nearest_class():
    assert scales.width_class(33.4) == "cw-w-33" and scales.width_class(66.6) == "cw-w-67"
    assert scales.width_class(-5) == "cw-w-0" and scales.width_class(140) == "cw-w-100"
    assert scales.left_class(None) == "cw-l-0" and scales.left_class(math.nan) == "cw-l-0"
    assert scales.mastery_class(0.5) == "cw-hue-60" and scales.mastery_class(1.2) == "cw-hue-120"
    assert scales.mastery_class(None) == "cw-hue-none"
    assert scales.mastery_class(math.nan) == "cw-hue-none"
    css = scales.stylesheet()
    for name in ("cw-w-33", "cw-w-100", "cw-l-0", "cw-hue-60", "cw-hue-none"):
        assert f".{name} {{" in css
