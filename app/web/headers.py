"""Security headers on every response: content policy, framing, sniffing, referrers, HSTS.

The Content-Security-Policy allows nothing inline: scripts are static files and style
attributes are not used (bar widths and heat-map colours are classes from scales.css),
so neither `script-src` nor `style-src` needs 'unsafe-inline' or a nonce. Images come
from the app itself or inline raster data, so imported content cannot make the browser
call an outside address; the sanitiser (app/domain/markdown.py) drops such sources too.
"""

from __future__ import annotations

from flask import Flask, Response

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


def install_security_headers(app: Flask) -> None:
    """Add the security headers to every response, error pages and static files included."""
    headers = security_headers(app.config.get("APP_ENV") == "production")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
