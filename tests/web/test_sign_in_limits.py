"""Sign-in throttling: per address and per account, a message that names no account,
client addresses from the configured reverse proxy, and counts shared through Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigError
from app.models import Role
from tests.factories import PASSWORD

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
REFUSAL = "Too many sign-in attempts for this address or account."
ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, email: str, address: str = "127.0.0.1", password: str = "wrong-guess-81", **kw):
    """POST the sign-in form from `address` (the TCP peer) with optional extra headers."""
    data = {"email": email, "password": password}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}, **kw)


def test_an_attacker_rotating_addresses_is_limited_per_account(make_app, make_user):
    limited = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
        LOGIN_LIMIT_PER_ADDRESS="100 per minute",
    )
    ana = make_user(role=Role.LEARNER, email="ana@example.org")
    client = limited.test_client()
    spellings = ["ana@example.org", " ANA@Example.org ", "Ana@example.ORG", "ana@example.org"]
    codes = [sign_in(client, e, f"203.0.113.{n}").status_code for n, e in enumerate(spellings)]
    assert codes == [200, 200, 200, 429]
    refused = sign_in(client, ana.email, "203.0.113.99", password=PASSWORD)  # even the right one
    assert refused.status_code == 429 and REFUSAL in refused.get_data(as_text=True)
    assert sign_in(client, "ben@example.org", "203.0.113.99").status_code == 200  # others go on


def test_the_per_account_limit_looks_the_same_for_unknown_e_mails(make_app, make_user):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="2 per minute")
    make_user(role=Role.LEARNER, email="ana@example.org")
    client = limited.test_client()
    replies = {}
    for email in ("ana@example.org", "ghost@example.org"):
        attempts = [sign_in(client, email, f"198.51.100.{n}") for n in range(3)]
        replies[email] = [r.status_code for r in attempts]
        assert REFUSAL in attempts[-1].get_data(as_text=True)
        assert int(attempts[-1].headers["Retry-After"]) > 0
    assert replies["ana@example.org"] == replies["ghost@example.org"] == [200, 200, 429]


def test_behind_a_configured_proxy_each_client_address_has_its_own_bucket(make_app):
    proxied = make_app(
        RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ADDRESS="2 per minute", PROXY_FIX_X_FOR=1
    )
    client = proxied.test_client()

    def via_proxy(n: int, client_address: str) -> int:
        headers = {"X-Forwarded-For": client_address}
        return sign_in(client, f"u{n}@example.org", "10.0.0.2", headers=headers).status_code

    assert [via_proxy(n, "192.0.2.10") for n in range(3)] == [200, 200, 429]
    assert via_proxy(3, "192.0.2.11") == 200  # another user behind the same proxy


def test_without_a_configured_proxy_forwarded_addresses_are_not_trusted(make_app):
    direct = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ADDRESS="2 per minute")
    client = direct.test_client()
    codes = [
        sign_in(
            client, f"u{n}@example.org", headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]  # a forged header does not buy a fresh bucket


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PROXY_FIX_X_FOR", "one", "PROXY_FIX_X_FOR must be a whole number"),
        ("LOGIN_LIMIT_PER_ACCOUNT", "lots", "LOGIN_LIMIT_PER_ACCOUNT is not a rate limit"),
        ("PASSWORD_CHECK_LIMIT", "often", "PASSWORD_CHECK_LIMIT is not a rate limit"),
    ],
)
def test_bad_throttling_settings_stop_the_app_with_a_clear_message(
    monkeypatch, tmp_path, name, value, says
):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=says):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x" * 40})


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the test Redis database; its keys are deleted after.

    Without Redis the test is skipped locally and fails in CI, as the browser tests do.
    """
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as err:
        client.close()
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {err}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"cw-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


WORKER = textwrap.dedent(
    """
    import sys
    from app import create_app
    from tests.conftest import app_config

    url, redis_url, prefix = sys.argv[1:4]
    settings = dict(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url,
                    RATELIMIT_KEY_PREFIX=prefix, LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
    app = create_app(app_config(url, **settings))
    reply = app.test_client().post(
        "/login", data={"email": "ana@example.org", "password": "wrong-guess-81"},
        environ_base={"REMOTE_ADDR": "203.0.113.50"},
    )
    print(reply.status_code)
    """
)


def test_the_redis_store_shares_sign_in_counts_between_worker_processes(
    make_app, db_url, redis_prefix
):
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
    }
    client = make_app(**settings).test_client()
    assert [sign_in(client, "ana@example.org", f"203.0.113.{n}").status_code for n in (1, 2)] == [
        200,
        200,
    ]
    worker = subprocess.run(
        [sys.executable, "-c", WORKER, db_url, REDIS_URL, redis_prefix],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    assert worker.stdout.strip() == "200"  # the other worker's attempt is the third…
    assert sign_in(client, "ana@example.org", "203.0.113.3").status_code == 429  # …so no fourth


def test_production_warns_when_each_worker_counts_on_its_own(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with caplog.at_level("WARNING", logger="app.deployment"):
        create_app({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert "each worker counts sign-in attempts on its own" in caplog.text
