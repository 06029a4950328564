"""Security headers on every response: content policy, framing, sniffing, referrers, HSTS,
and no storing of anything but static files.

The Content-Security-Policy allows nothing inline: scripts are static files and style
attributes are not used (bar widths and heat-map colours are classes from scales.css),
so neither `script-src` nor `style-src` needs 'unsafe-inline' or a nonce. Images come
from the app itself or inline raster data, so imported content cannot make the browser
call an outside address; the sanitiser (app/domain/markdown.py) drops such sources too.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"


def security_headers(production: bool) -> dict[str, str]:
    """The headers every response carries; HSTS only in production (served over HTTPS)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _is_static(endpoint: str | None) -> bool:
    """True for the app's and the extensions' static files (`static`, `bootstrap.static`)."""
    return endpoint is not None and endpoint.rsplit(".", 1)[-1] == "static"


def install_security_headers(app: Flask) -> None:
    """Add the security headers to every response, error pages and static files included;
    every response but a static file is also marked not to be stored."""
    headers = security_headers(app.config.get("APP_ENV") == "production")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if not _is_static(request.endpoint):
            # Pages and downloads may hold keys, results or a whole bank, and a training
            # room's computers are shared: Back after signing out, or the browser's cache,
            # must not show them to the next person.
            response.cache_control.no_store = True
        return response
