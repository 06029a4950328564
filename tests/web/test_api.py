"""The learner API: tokens, a full journey, and 4xx JSON errors that change nothing."""

from app.models import Attempt, Response, Role
from app.services import tokens
from tests.factories import bearer


def test_openapi_document_is_public_and_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert "/attempts/{attempt_id}/responses/{position}" in doc["paths"]


def test_full_journey_from_a_plain_http_client(api, banks):
    assert {s["id"] for s in api("GET", "/schemes").json["schemes"]} >= {"foundation"}
    started = api("POST", "/attempts", json={"scheme": "foundation", "mode": "mock"})
    assert started.status_code == 201
    attempt = started.json
    assert len(attempt["items"]) == 40 and attempt["result"] is None
    assert all("review" not in item for item in attempt["items"])
    for item in attempt["items"]:
        question = item["question"]
        answer = question["options"][0]["id"] if "options" in question else True
        saved = api(
            "PUT",
            f"/attempts/{attempt['id']}/responses/{item['position']}",
            json={"response": answer},
        )
        assert saved.status_code == 200, saved.json
    assert Response.query.count() == 40
    submitted = api("POST", f"/attempts/{attempt['id']}/submit")
    again = api("POST", f"/attempts/{attempt['id']}/submit")
    assert submitted.json["result"] == again.json["result"]
    result = api("GET", f"/attempts/{attempt['id']}/result").json
    assert result["status"] == "submitted" and "review" in result["items"][0]


def test_bad_requests_get_json_errors_and_change_nothing(api, banks, make_user):
    assert (
        api("POST", "/attempts", data="{not json", content_type="application/json").status_code
        == 400
    )
    assert api("POST", "/attempts", json={"scheme": 5}).status_code == 400
    assert api("POST", "/attempts", json={"scheme": "nope"}).status_code == 404
    assert (
        api(
            "POST", "/attempts", json={"scheme": "foundation", "count": "ten", "mode": "practice"}
        ).status_code
        == 400
    )
    attempt = api("POST", "/attempts", json={"scheme": "foundation"}).json
    base = f"/attempts/{attempt['id']}/responses"
    assert api("PUT", f"{base}/99", json={"response": "a"}).status_code == 404
    wrong_type = api("PUT", f"{base}/1", json={"response": {"x": 1}})
    assert wrong_type.status_code == 400 and wrong_type.json["error"]["message"]
    assert api("PUT", f"{base}/1", json={"nothing": 1}).status_code == 400
    assert api("GET", f"/attempts/{attempt['id']}/result").status_code == 409
    assert Response.query.count() == 0

    other = make_user(role=Role.LEARNER)
    foreign = api("GET", f"/attempts/{attempt['id']}", headers=bearer(other, "other"))
    assert foreign.status_code == 404


def test_revoked_and_missing_tokens_are_refused(api, client):
    assert api("GET", "/me").json["email"] == api.user.email
    token = tokens.list_tokens(api.user)[0]
    tokens.revoke_token(api.user, token.id)
    assert api("GET", "/me").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_late_answers_are_refused_by_the_api(api, banks):
    from datetime import timedelta

    from app.extensions import db
    from app.models.base import utcnow

    attempt = api("POST", "/attempts", json={"scheme": "foundation"}).json
    row = db.session.get(Attempt, attempt["id"])
    row.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    late = api("PUT", f"/attempts/{attempt['id']}/responses/1", json={"response": "a"})
    assert late.status_code == 409 and "Time is up" in late.json["error"]["message"]


def test_profile_page_creates_and_revokes_tokens(client, login_as):
    login_as(Role.LEARNER)
    page = client.post("/profile/tokens", data={"name": "laptop"}).data.decode()
    assert "it will not be shown again" in page and "cw_" in page
    plain = page.split('<code class="user-select-all">')[1].split("<")[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    token_id = (
        tokens.user_for_token(plain) and tokens.list_tokens(tokens.user_for_token(plain))[0].id
    )
    client.post(f"/profile/tokens/{token_id}/revoke")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_cli_prints_a_working_token(app, make_user, client):
    user = make_user(role=Role.LEARNER, email="cli-token@example.org")
    out = app.test_cli_runner().invoke(args=["users", "token", "--email", user.email])
    plain = out.output.strip()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).json["id"] == user.id
    )


def test_starting_attempts_is_rate_limited_per_account_not_per_address(make_app, banks, make_user):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()

    def start(plain: str):
        headers = {"Authorization": f"Bearer {plain}"}
        body = {"scheme": "foundation", "mode": "practice", "count": 1}
        return client.post("/api/v1/attempts", json=body, headers=headers)

    _t, first = tokens.create_token(make_user(role=Role.LEARNER), "first")
    _t, second = tokens.create_token(make_user(role=Role.LEARNER), "second")
    codes = [start(first).status_code for _ in range(31)]
    # 20 open attempts are allowed, then 409 until the 30-a-minute allowance runs out.
    assert codes[:20] == [201] * 20 and set(codes[20:30]) == {409} and codes[30] == 429
    assert start(second).status_code == 201  # same address, other account: not limited


def test_the_start_reply_shows_exactly_what_reading_the_attempt_back_shows(api, banks):
    """The reply to a start is built from what the start drew, not read back: it must
    match the stored attempt item for item (ids, option order, case texts)."""
    with_case = 0
    for body in (
        {"scheme": "foundation", "mode": "mock"},
        {"scheme": "practitioner", "mode": "mock"},
        {"scheme": "auditor", "mode": "practice", "count": 100},
    ):
        started = api("POST", "/attempts", json=body)
        assert started.status_code == 201, started.json
        stored = api("GET", f"/attempts/{started.json['id']}").json
        assert started.json == stored
        with_case += sum(item["scenario"] is not None for item in stored["items"])
    assert with_case  # the comparison covered items shown with their case
