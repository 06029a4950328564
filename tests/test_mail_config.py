"""MAIL_* and BASE_URL from the environment: off by default, checked when turned on."""

import pytest

from app import create_app
from app.config import ConfigError, load_config

MAIL_VARIABLES = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_SECURITY",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_FROM",
    "MAIL_TIMEOUT",
    "MAIL_CA_FILE",
    "BASE_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)


def test_mail_is_off_by_default(tmp_path):
    config = load_config(str(tmp_path))
    assert config["MAIL_SERVER"] == ""
    assert config["MAIL_SECURITY"] == "starttls" and config["MAIL_PORT"] == 587
    assert config["BASE_URL"] == "http://127.0.0.1:5000"
    create_app({"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production"})  # starts fine


@pytest.mark.parametrize(("security", "port"), [("none", 25), ("starttls", 587), ("ssl", 465)])
def test_the_port_follows_the_security_unless_given(monkeypatch, tmp_path, security, port):
    monkeypatch.setenv("MAIL_SECURITY", security)
    assert load_config(str(tmp_path))["MAIL_PORT"] == port
    monkeypatch.setenv("MAIL_PORT", "2525")
    assert load_config(str(tmp_path))["MAIL_PORT"] == 2525


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("MAIL_SECURITY", "tls", "MAIL_SECURITY must be none, starttls or ssl"),
        ("MAIL_PORT", "smtp", "MAIL_PORT must be a positive whole number"),
        ("MAIL_TIMEOUT", "0", "MAIL_TIMEOUT must be a positive whole number"),
    ],
)
def test_malformed_mail_settings_are_refused(monkeypatch, tmp_path, name, value, complaint):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=complaint):
        load_config(str(tmp_path))


def test_a_mail_server_needs_a_from_address(monkeypatch, tmp_path):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    with pytest.raises(ConfigError, match="MAIL_FROM is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("MAIL_FROM", "not an address")
    with pytest.raises(ConfigError, match="MAIL_FROM is not an address"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("MAIL_FROM", "Clausewise <noreply@example.org>")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["MAIL_SERVER"]


def test_production_mail_needs_the_sites_address(monkeypatch, tmp_path):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_FROM", "noreply@example.org")
    with pytest.raises(ConfigError, match="BASE_URL is not"):
        create_app({"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production"})
    monkeypatch.setenv("BASE_URL", "clausewise.example.org")
    with pytest.raises(ConfigError, match="BASE_URL must be the site's address"):
        create_app({"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production"})
    monkeypatch.setenv("BASE_URL", "https://clausewise.example.org/")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "APP_ENV": "production"})
    assert app.config["BASE_URL"] == "https://clausewise.example.org"
