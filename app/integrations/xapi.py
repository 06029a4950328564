"""xAPI (Experience API 1.0.3): statements about attempts, and sending them to a
Learning Record Store.

Statements are plain dicts built from stored facts only (times, scores, answers), and
their ids are derived from the attempt's registration: a statement sent twice (a retry
after a timeout) is the same statement, which an LRS stores once.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib import error, request

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL + name for name in ("launched", "answered", "completed", "passed", "failed")}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
# Statement ids are uuid5 names under this namespace (fixed: changing it would make a
# resent statement look new).
NAMESPACE = uuid.UUID("6f0c7a52-3b7e-4d55-9b4a-1f2e9d8c7b60")
TIMEOUT = 20  # seconds for one POST


class LrsError(RuntimeError):
    """The LRS did not store the statements (down, refused, or an unexpected answer)."""


@dataclass(frozen=True)
class Settings:
    """Where statements go and who the learners are to the LRS."""

    endpoint: str  # …/xAPI (the statements resource is endpoint + "/statements")
    authorization: str  # the Authorization header value, or ""
    home_page: str  # https://host: root of activity ids and of account homePages
    actor: str = "account"  # "account" (opaque name) or "mbox" (the e-mail address)


def settings(config: dict[str, Any]) -> Settings | None:
    """The xAPI settings of an app config, or None when no endpoint is configured."""
    endpoint = config.get("XAPI_ENDPOINT")
    if not endpoint:
        return None
    auth = config.get("XAPI_AUTH") or ""
    if not auth and config.get("XAPI_USERNAME"):
        pair = f"{config['XAPI_USERNAME']}:{config.get('XAPI_PASSWORD', '')}".encode()
        auth = "Basic " + base64.b64encode(pair).decode()
    return Settings(endpoint, auth, config["XAPI_HOME_PAGE"], config.get("XAPI_ACTOR", "account"))


def timestamp(moment: datetime) -> str:
    """An ISO 8601 UTC time, as xAPI wants it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """An ISO 8601 duration (PT…S)."""
    return f"PT{max(seconds, 0):.2f}S"


def activity_id(home_page: str, *parts: str) -> str:
    """A stable activity IRI under this site: https://host/xapi/activities/…"""
    return "/".join([home_page, "xapi", "activities", *parts])


def agent(config: Settings, opaque_id: str, email: str, name: str) -> dict[str, Any]:
    """The learner as an Agent: an account (homePage + opaque name) or their mailbox."""
    if config.actor == "mbox":
        return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}
    return {"objectType": "Agent", "account": {"homePage": config.home_page, "name": opaque_id}}


def statement_id(registration: str, *parts: str) -> str:
    """The statement's id, the same every time it is built."""
    return str(uuid.uuid5(NAMESPACE, "/".join([registration, *parts])))


def statement(
    *,
    key: tuple[str, ...],
    actor: dict[str, Any],
    verb: str,
    target: dict[str, Any],
    at: datetime,
    registration: str,
    result: dict[str, Any] | None = None,
    parent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One statement; `key` names it within the registration (for its stable id)."""
    context: dict[str, Any] = {"registration": registration, "platform": "Clausewise"}
    if parent is not None:
        context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": parent["id"]}]}
    built: dict[str, Any] = {
        "id": statement_id(registration, *key),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", **target},
        "context": context,
        "timestamp": timestamp(at),
        "version": VERSION,
    }
    if result is not None:
        built["result"] = result
    return built


def score(raw: float | None, maximum: float | None) -> dict[str, float] | None:
    """xAPI's score object (scaled in 0…1), or None without a score."""
    if raw is None or not maximum:
        return None
    raw = min(max(raw, 0.0), maximum)  # xAPI wants min <= raw <= max
    return {"scaled": round(raw / maximum, 4), "raw": raw, "min": 0.0, "max": maximum}


def send(config: Settings, statements: list[dict[str, Any]]) -> None:
    """POST the statements; raises LrsError unless the LRS stored them all.

    A 409 means the LRS holds one of the ids already (ids are stable: an earlier try got
    through). Some LRSs then refuse the whole batch, so each statement is sent again on
    its own, and a 409 for one statement alone counts as stored.
    """
    if not statements:
        return
    if not _post(config, statements) and len(statements) > 1:
        for one in statements:
            _post(config, [one])


def _post(config: Settings, statements: list[dict[str, Any]]) -> bool:
    """One POST: True when stored, False on a 409; LrsError otherwise."""
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": VERSION}
    if config.authorization:
        headers["Authorization"] = config.authorization
    url = config.endpoint + "/statements"
    body = json.dumps(statements).encode()
    req = request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with request.urlopen(req, timeout=TIMEOUT) as reply:  # noqa: S310 (configured URL)
            reply.read()
            return True
    except error.HTTPError as err:
        if err.code == 409:
            return False
        detail = err.read()[:500].decode(errors="replace")
        raise LrsError(f"the LRS at {url} answered {err.code}: {detail}") from err
    except (error.URLError, TimeoutError, OSError) as err:
        raise LrsError(f"the LRS at {url} cannot be reached: {err}") from err
