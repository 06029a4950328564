"""Texts rendered with their bank's files addressed: the `md` and `md_inline` filters.

Question texts refer to their bank's files as `asset:name`; a page that knows the bank
passes its id (`{{ text|md(item.bank_id) }}`) and the files are served from
`/banks/<id>/assets/<name>` (app/web/assets/routes.py). Without a bank an image shows as
its description.
"""

from __future__ import annotations

from flask import Response, request
from markupsafe import Markup

from app.domain.markdown import render, render_inline
from app.models import BankAsset

# Never kept by the browser, like every page (app/web/headers.py): an image of an
# explanation must not come back from the cache of a shared computer after sign-out. The
# ETag (its SHA-256) still answers a conditional request with 304.
CACHE_CONTROL = "private, no-store"


def asset_base(bank_id: object) -> str | None:
    """Where the files of a bank are served, ending in '/', or None for no bank (a page
    that gives none, or a template's undefined value)."""
    if not isinstance(bank_id, int) or isinstance(bank_id, bool):
        return None
    return f"{request.script_root}/banks/{bank_id}/assets/"


def md(text: str, bank_id: object = None) -> Markup:
    """The `md` template filter: a text rendered, its bank's files addressed when known."""
    return render(text, asset_base(bank_id))


def md_inline(text: str, bank_id: object = None) -> Markup:
    """The `md_inline` template filter (see `md`)."""
    return render_inline(text, asset_base(bank_id))


def asset_reply(row: BankAsset) -> Response:
    """A bank's file as a reply: the type told from its bytes at import, no sniffing,
    shown rather than saved, sandboxed, never stored by the browser."""
    reply = Response(row.data, mimetype=row.media_type)
    reply.headers["X-Content-Type-Options"] = "nosniff"
    reply.headers["Content-Disposition"] = f'inline; filename="{row.name}"'
    reply.headers["Cache-Control"] = CACHE_CONTROL
    reply.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    reply.set_etag(row.sha256)
    reply.make_conditional(request)
    return reply
