"""Check a deployed Clausewise end to end through its proxy: health, sign-in, and a bank
import that the job workers run (the dry run, then the import), followed through the
job page's status JSON as the browser follows it.

    CLAUSEWISE_PASSWORD=… python3 smoke_check.py https://clausewise.example.org \
        trainer@example.org bank.yaml [--cafile ca.pem]

Standard library only, so it runs from any machine with Python 3.11. It imports the
file into the bank the file names: use a throw-away bank.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import ssl
import sys
import time
import uuid
from pathlib import Path
from urllib import parse, request

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Browser:
    """Cookies, CSRF tokens and redirects, as a browser keeps them."""

    def __init__(self, base: str, context: ssl.SSLContext | None) -> None:
        if not base.startswith(("https://", "http://")):
            sys.exit("the site's address must start with https:// or http://")
        self.base = base.rstrip("/")
        jar = http.cookiejar.CookieJar()
        handlers: list[request.BaseHandler] = [request.HTTPCookieProcessor(jar)]
        if context is not None:
            handlers.append(request.HTTPSHandler(context=context))
        self.opener = request.build_opener(*handlers)

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as reply:
            return reply.geturl(), reply.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[str, str]:
        # Over HTTPS, Flask-WTF wants a same-site Referer, as browsers send it.
        headers = {"Content-Type": content_type, "Referer": self.base + path}
        req = request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        with self.opener.open(req, timeout=60) as reply:
            return reply.geturl(), reply.read().decode()

    def form(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        return self.post(
            path, parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )


def csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        sys.exit("no CSRF token on the page")
    return found.group(1)


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with the fields and one file."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = b"".join([*parts, head, data, f"\r\n--{boundary}--\r\n".encode()])
    return body, f"multipart/form-data; boundary={boundary}"


def follow(browser: Browser, job_url: str, limit: float) -> str:
    """Poll the job's status JSON until it has finished; return the job page."""
    path = parse.urlparse(job_url).path
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        _url, body = browser.get(f"{path}/status")
        status = json.loads(body)
        print(f"  {status['state']:9} {status['done']}/{status['total']} {status['step']}")
        if status["finished"]:
            return browser.get(path)[1]
        time.sleep(1)
    sys.exit(f"the job at {job_url} did not finish within {limit:.0f} s: are workers running?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("email")
    parser.add_argument("bank", type=Path)
    parser.add_argument("--cafile", help="trust this CA (a self-signed test certificate)")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for a job")
    args = parser.parse_args()
    context = ssl.create_default_context(cafile=args.cafile) if args.cafile else None
    browser = Browser(args.base, context)

    _url, health = browser.get("/healthz")
    print("healthz:", health.strip())
    _url, page = browser.get("/login")
    password = os.environ["CLAUSEWISE_PASSWORD"]
    fields = {"csrf_token": csrf(page), "email": args.email, "password": password}
    url, page = browser.form("/login", fields)
    if "/login" in url:
        sys.exit("sign-in failed")
    print("signed in as", args.email)

    _url, page = browser.get("/train/import")
    options = {"csrf_token": csrf(page), "fmt": "auto", "after": "draft"}
    body, kind = multipart(options, "files", args.bank.name, args.bank.read_bytes())
    job_url, _page = browser.post("/train/import", body, kind)
    print("dry run queued:", job_url)
    page = follow(browser, job_url, args.wait)
    if "Checked: no errors" not in page:
        sys.exit("the dry run found errors (see the job page)")
    confirm = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', page))
    job_url, _page = browser.form("/train/import/confirm", confirm)
    print("import queued:", job_url)
    page = follow(browser, job_url, args.wait)
    done = re.search(r"Imported: \d+ new and \d+ changed questions\.", page)
    if not done:
        sys.exit("the import did not report success (see the job page)")
    print(done.group(0))


if __name__ == "__main__":
    main()
