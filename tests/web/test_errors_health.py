"""Health check, error pages in the app's look, and JSON errors under /api/."""

from app.extensions import db


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_missing_page_uses_the_app_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data and b"Clausewise" in response.data


def test_api_errors_are_json(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json["error"]["status"] == 404
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401 and "bearer token" in anonymous.json["error"]["message"]


def test_crash_gives_a_500_page_without_details(make_app, caplog):
    fresh = make_app()

    def explode():
        raise RuntimeError("secret internal detail")

    fresh.add_url_rule("/__explode", "explode", explode)
    with fresh.app_context():
        response = fresh.test_client().get("/__explode")
        db.session.remove()
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internal detail" not in response.data
    assert "unhandled error on GET /__explode" in caplog.text
