"""Ralph, a real Learning Record Store, run by the tests on 127.0.0.1 with its
file-system backend, from its own venv (tests/tools/ralph, made by `make test`)."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RALPH_PYTHON = ROOT / "tests" / "tools" / "ralph" / ".venv" / "bin" / "python"
SERVE = ROOT / "tests" / "tools" / "ralph" / "serve.py"  # Ralph's app, appending to its file
USERNAME, PASSWORD = "clausewise", "lrs-test-password"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_ralph() -> None:
    """Skip locally (fail in CI) when Ralph's venv is not installed."""
    if RALPH_PYTHON.exists():
        return
    reason = f"Ralph is not installed at {RALPH_PYTHON}: run `make test` (or its ralph target)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class Ralph:
    """One LRS process on a fixed port; start() and stop() as a test needs."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(folder),
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "statements"),
        }
        (folder / "statements").mkdir(parents=True, exist_ok=True)
        self._credentials()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def _credentials(self) -> None:
        """Write the LRS's basic-auth user with Ralph's own command."""
        subprocess.run(
            [
                *(str(RALPH_PYTHON), "-m", "ralph", "auth", "-u", USERNAME, "-p", PASSWORD),
                *("-s", "all", "-M", "mailto:lrs-admin@example.org", "-w"),
            ],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self.log = log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [str(RALPH_PYTHON), str(SERVE), "127.0.0.1", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/whoami")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.folder / "ralph.log").read_text()) from None
                time.sleep(0.3)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None
            self.log.close()

    def get(self, path: str) -> Any:
        """GET a resource of the LRS (as its admin user) and return the JSON."""
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 (local)
            return json.loads(reply.read())

    def statements(self) -> list[dict[str, Any]]:
        """Every statement the LRS holds, read back through its xAPI resource."""
        found: list[dict[str, Any]] = []
        path = "/xAPI/statements?limit=500"
        while path:
            page = self.get(path)
            found += page["statements"]
            more = page.get("more") or ""
            path = more if more.startswith("/") else ""
        return found
