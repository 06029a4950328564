"""A real OpenID provider for the sign-in tests: oidc-provider (npm, pinned in
tests/tools/oidc/package-lock.json, installed by `make test`), run with Node on 127.0.0.1.

`running_provider(clients, accounts)` starts tests/tools/oidc/server.mjs on a free port
and yields its issuer URL; `sign_in_at_provider` walks its login form as a browser
would (plain HTTP, for the tests that need no browser). Without node or the installed
package the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from app.integrations.oidc_settings import ProviderSettings

TOOL = Path(__file__).resolve().parent / "tools" / "oidc"
NODE = shutil.which("node")
CLIENT_ID = "clausewise"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
SECRET = "provider-secret"  # every test account's password at the provider


def missing() -> str | None:
    """Why the provider cannot run here, or None."""
    if NODE is None:
        return "node is not installed: the OpenID provider (oidc-provider) cannot run"
    if not (TOOL / "node_modules" / "oidc-provider").is_dir():
        return f"oidc-provider is not installed: run `npm ci` in {TOOL} (make test does)"
    return None


def require_provider() -> None:
    """Skip the test when the provider cannot run here; in CI, fail it instead."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def account(email: str, *, verified: bool = True, **claims: Any) -> dict[str, Any]:
    """One account at the provider: its password and the claims it releases."""
    return {"password": SECRET, "claims": {"email": email, "email_verified": verified, **claims}}


@contextmanager
def running_provider(
    redirect_uris: list[str], accounts: dict[str, dict[str, Any]], logout_uris: list[str]
) -> Iterator[str]:
    """Start the provider with one confidential client; yield its issuer URL."""
    require_provider()
    setup = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": logout_uris,
            }
        ],
        "accounts": accounts,
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "setup.json"
        path.write_text(json.dumps(setup))
        process = subprocess.Popen(
            [str(NODE), str(TOOL / "server.mjs"), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            yield _issuer(process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def _issuer(process: subprocess.Popen[str]) -> str:
    """The issuer the provider prints once it listens (within 30 s)."""
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=30)
    if not line or not line[0].strip():
        process.kill()
        errors = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"the OpenID provider did not start: {errors}")
    return str(json.loads(line[0])["issuer"])


def settings(issuer: str, name: str = "test", **options: Any) -> ProviderSettings:
    """Clausewise's settings for the test provider's client."""
    values: dict[str, Any] = {
        "name": name,
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "label": "Test IdP",
        "scopes": "openid email profile groups",
        "role_claim": "groups",
        "role_map": {"cw-trainers": ("trainer",), "cw-admins": ("admin", "manager")},
        **options,
    }
    return ProviderSettings(**values)


def sign_in_at_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Follow the provider's redirects and fill in its login form as `login`; return the
    first URL that starts with `stop_at` (the client's callback, with code and state)."""
    url = authorize_url
    with requests.Session() as browser:
        for _step in range(10):
            if url.startswith(stop_at):
                return url
            reply = browser.get(url, allow_redirects=False, timeout=10)
            if reply.status_code == 200 and "<form" in reply.text:
                action = reply.text.split('action="', 1)[1].split('"', 1)[0]
                reply = browser.post(
                    urljoin(url, action),
                    data={"username": login, "password": SECRET},
                    allow_redirects=False,
                    timeout=10,
                )
            assert reply.is_redirect, (reply.status_code, reply.text[:500])
            url = urljoin(url, reply.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back to {stop_at}")
