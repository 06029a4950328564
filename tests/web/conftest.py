"""Fixtures shared by the page and API tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.models import Role, User
from app.services import tokens


@pytest.fixture
def api(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., object]:
    """A new learner's API caller: api(method, path, **kwargs) under /api/v1 with her
    bearer token (headers passed in are added; an Authorization header replaces hers).
    `api.user` is the learner, `api.token` the plain token."""
    learner = make_user(role=Role.LEARNER)
    _token, plain = tokens.create_token(learner, "tests")

    def call(method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {plain}", **kwargs.pop("headers", {})}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    call.user = learner
    call.token = plain
    return call
