"""The OpenAPI document describes every route of the API, and nothing the API lacks."""

import re
from urllib.parse import urlparse

from flask import Flask

# The document does not describe itself.
UNDOCUMENTED = {"/openapi.json"}
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}


def _operations(app: Flask, prefix: str) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every route under /api/, `<int:id>` written `{id}`."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        assert rule.rule.startswith(f"{prefix}/"), f"{rule.rule} is outside the API's server URL"
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(prefix))
        if path not in UNDOCUMENTED:
            found |= {(path, m.lower()) for m in rule.methods - IMPLICIT_METHODS}
    return found


def test_every_api_route_is_in_the_openapi_document(client, app):
    doc = client.get("/api/v1/openapi.json").json
    prefix = urlparse(doc["servers"][0]["url"]).path
    documented = {
        (path, method)
        for path, item in doc["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    routes = _operations(app, prefix)
    assert len(routes) >= 8  # the walk found the API at all
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "the document describes routes the API lacks"


def test_every_path_parameter_is_declared(client):
    doc = client.get("/api/v1/openapi.json").json
    for path, item in doc["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{([^}]+)}", path)), path
