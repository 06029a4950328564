"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1 and a free port, keeping
every message it receives, parsed, with its envelope.

Without aiosmtpd (a dev dependency) the tests that need it skip locally and fail in CI.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest

LINK = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text of the text/<subtype> part."""
        found = self.message.get_body(preferencelist=(subtype,))
        assert found is not None, f"no text/{subtype} part"
        return found.get_content()

    def links(self) -> list[str]:
        """Every http(s) link in the plain-text part, in order."""
        return LINK.findall(self.part("plain"))


class Inbox:
    """What the server received; `wait_for` blocks until enough has arrived."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.port = 0
        self._lock = threading.Condition()

    def add(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)
            self._lock.notify_all()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[Received]:
        """The first `count` messages, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.received)} of {count} messages arrived"
                self._lock.wait(left)
            return list(self.received[:count])

    def to(self, address: str) -> list[Received]:
        """The messages addressed to `address`."""
        with self._lock:
            return [r for r in self.received if address in r.rcpt_tos]


class _Handler:
    """aiosmtpd's handler: keep each message."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=default)
        self.inbox.add(Received(envelope.mail_from, list(envelope.rcpt_tos), raw, parsed))  # type: ignore[arg-type]
        return "250 Message accepted"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_aiosmtpd() -> None:
    """Skip (locally) or fail (in CI) when aiosmtpd is not installed."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(
                "aiosmtpd is not installed: the mail tests cannot run (pip install -e '.[dev]')"
            )
        pytest.skip("aiosmtpd is not installed: the mail tests need its SMTP server")


def start_server(
    inbox: Inbox,
    *,
    tls_context: ssl.SSLContext | None = None,
    ssl_context: ssl.SSLContext | None = None,
    authenticator: Any = None,
) -> Any:
    """Start aiosmtpd on 127.0.0.1 and a free port; the controller (call .stop())."""
    require_aiosmtpd()
    from aiosmtpd.controller import Controller

    inbox.port = free_port()
    options: dict[str, Any] = {"enable_SMTPUTF8": True}
    if tls_context is not None:
        options["tls_context"] = tls_context
    if authenticator is not None:
        options |= {"authenticator": authenticator, "auth_require_tls": False}
    controller = Controller(
        _Handler(inbox),
        hostname="127.0.0.1",
        port=inbox.port,
        ssl_context=ssl_context,
        server_hostname="localhost",
        **options,
    )
    controller.start()
    return controller


def self_signed_certificate(directory: Any) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and localhost, and its key: (cert file, key file)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = f"{directory}/smtp-cert.pem", f"{directory}/smtp-key.pem"
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_file, key_file


def server_tls(cert_file: str, key_file: str) -> ssl.SSLContext:
    """The server side's TLS context for that certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context
