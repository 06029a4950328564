"""The OpenAPI 3.1 description of the learner API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from app.models import AttemptMode

_ERROR = {"$ref": "#/components/responses/Error"}
_NAME_PARAMETER = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}


def _op(summary: str, ok: str, body: dict | None = None, status: str = "200") -> dict[str, Any]:
    """One operation with the standard error responses."""
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {
            status: {"description": ok},
            "400": _ERROR,
            "401": _ERROR,
            "404": _ERROR,
            "409": _ERROR,
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def _path_params(*names: str) -> list[dict[str, Any]]:
    """Integer path parameters."""
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "integer"}} for n in names
    ]


def openapi_document(server: str) -> dict[str, Any]:
    """The whole document; `server` is the API's base URL."""
    start = {
        "type": "object",
        "required": ["scheme"],
        "properties": {
            "scheme": {"type": "string", "examples": ["foundation"]},
            "mode": {"enum": [str(mode) for mode in AttemptMode]},
            "count": {"type": "integer", "minimum": 1, "maximum": 100},
            "clauses": {"type": "array", "items": {"type": "string"}},
            "cbm": {"type": "boolean"},
            "language": {
                "type": "string",
                "description": "The exam language (BCP 47): each item shows in it where it "
                "has an up-to-date translation, else in its bank's language, and says which in its "
                "`language`. Left out: every item in its bank's language",
                "examples": ["zh-Hans"],
            },
        },
    }
    answer = {
        "type": "object",
        "required": ["response"],
        "properties": {
            "response": {
                "description": "By question type: an option id, a list of option ids, a "
                "boolean, text, {prompt id: match id} or step ids in order. Ids are the "
                "ones this attempt shows (opaque, different in every attempt); 409 when "
                "the attempt is closed or the answer was checked"
            },
            "confidence": {"enum": [1, 2, 3]},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Clausewise API",
            "version": "1.0.0",
            "description": "Learners start, answer and submit attempts; managers read "
            "their teams' readiness. Authenticate with a "
            "bearer token created on your profile page or with `flask users token`. "
            "Times are ISO 8601 in UTC with their offset (2026-12-07T15:59:00+00:00), "
            "whatever the caller's time zone; pages and downloads show local time.",
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Error": {
                    "description": "An error with a message",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "error": {
                                        "type": "object",
                                        "properties": {
                                            "status": {"type": "integer"},
                                            "title": {"type": "string"},
                                            "message": {"type": "string"},
                                        },
                                    }
                                },
                            }
                        }
                    },
                }
            },
        },
        "paths": {
            "/me": {"get": _op("Who the token belongs to", "The account")},
            "/banks/{bank_id}/assets/{name}": {
                "parameters": [*_path_params("bank_id"), _NAME_PARAMETER],
                "get": _op(
                    "A file an item shows",
                    "The file (an image or a sound): an item's texts refer to it as "
                    "`asset:<name>` and its `bank` names the bank",
                ),
            },
            "/schemes": {"get": _op("List qualification schemes", "The schemes")},
            "/attempts": {
                "post": _op("Start an attempt", "The new attempt, items without keys", start, "201")
            },
            "/attempts/{attempt_id}": {
                "parameters": _path_params("attempt_id"),
                "get": _op("Get an attempt (no keys while open)", "The attempt"),
            },
            "/attempts/{attempt_id}/responses/{position}": {
                "parameters": _path_params("attempt_id", "position"),
                "put": _op("Save the answer to one item", "When it was saved", answer),
            },
            "/attempts/{attempt_id}/submit": {
                "parameters": _path_params("attempt_id"),
                "post": _op("Submit (idempotent)", "The result"),
            },
            "/attempts/{attempt_id}/result": {
                "parameters": _path_params("attempt_id"),
                "get": _op("Get the result of a closed attempt", "Result and review"),
            },
            "/teams/{team_id}/readiness": {
                "parameters": [
                    *_path_params("team_id"),
                    {
                        "name": "scheme",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "examples": ["foundation"]},
                        "description": "One scheme; default: the schemes the team's targets name",
                    },
                ],
                "get": _op(
                    "Managers: a team's readiness per scheme (targets and one row per member)",
                    "Targets and members with status, pass probability, range and trend",
                ),
            },
        },
    }
