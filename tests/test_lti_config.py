"""LTI settings from the environment: off by default, secure cookies in production."""

import pytest

from app import create_app
from app.config import ConfigError


def test_lti_is_off_by_default_and_its_cookie_lax_in_development(monkeypatch, tmp_path):
    for name in ("LTI_ENABLED", "LTI_COOKIE_SECURE", "LTI_HTTP_TIMEOUT", "LTI_LAUNCH_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    config = create_app({"INSTANCE_PATH": str(tmp_path)}).config
    assert config["LTI_ENABLED"] is False and config["LTI_COOKIE_SECURE"] is False
    assert config["LTI_HTTP_TIMEOUT"] == 10 and config["LTI_LAUNCH_LIMIT"] == "120 per minute"


def test_production_makes_the_lti_cookie_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("LTI_ENABLED", "yes")
    monkeypatch.delenv("LTI_COOKIE_SECURE", raising=False)
    config = create_app({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)}).config
    assert config["LTI_ENABLED"] is True and config["LTI_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("LTI_ENABLED", "maybe", "LTI_ENABLED must be 1 or 0"),
        ("LTI_HTTP_TIMEOUT", "0", "LTI_HTTP_TIMEOUT must be whole seconds"),
        ("LTI_HTTP_TIMEOUT", "ten", "LTI_HTTP_TIMEOUT must be whole seconds"),
        ("LTI_LAUNCH_LIMIT", "lots", "LTI_LAUNCH_LIMIT is not a rate limit"),
    ],
)
def test_a_wrong_lti_setting_stops_the_start_and_says_which(
    monkeypatch, tmp_path, name, value, said
):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=said):
        create_app({"INSTANCE_PATH": str(tmp_path)})
