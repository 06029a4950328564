"""OpenID Connect: issuers from the environment, the claims Clausewise reads, and the
ID-token checks (signature, iss, aud, exp, nonce) with keys and tokens made here."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError, UnsupportedAlgorithmError
from joserfc.jwk import KeySet, OctKey, RSAKey

from app import create_app
from app.config import ConfigError
from app.integrations import oidc
from app.integrations.oidc_settings import SettingsError, providers_from_env
from tests.oidc_provider import settings

ISSUER = "https://sso.example.org/realms/staff"
BASE = {
    "OIDC_PROVIDERS": "keycloak",
    "OIDC_KEYCLOAK_ISSUER": ISSUER,
    "OIDC_KEYCLOAK_CLIENT_ID": "clausewise",
    "OIDC_KEYCLOAK_CLIENT_SECRET": "s3cret",
}


def test_no_providers_by_default():
    assert providers_from_env({}) == ()


def test_an_issuer_with_every_setting():
    env = {
        **BASE,
        "OIDC_PROVIDERS": "keycloak, entra-id",
        "OIDC_KEYCLOAK_LABEL": "Staff account",
        "OIDC_KEYCLOAK_SCOPES": "openid email profile roles",
        "OIDC_KEYCLOAK_ROLE_CLAIM": "realm_access.roles",
        "OIDC_KEYCLOAK_ROLE_MAP": '{"cw-admin": ["admin", "manager"], "cw-trainer": "trainer"}',
        "OIDC_KEYCLOAK_DEFAULT_ROLE": "none",
        "OIDC_KEYCLOAK_SYNC_ROLES": "1",
        "OIDC_KEYCLOAK_LOGOUT": "true",
        "OIDC_ENTRA_ID_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0",
        "OIDC_ENTRA_ID_CLIENT_ID": "app-id",
        "OIDC_ENTRA_ID_CLIENT_SECRET": "x",
        "OIDC_ENTRA_ID_EMAIL_VERIFIED_CLAIM": "xms_edov",
        "OIDC_ENTRA_ID_USERINFO": "0",
    }
    keycloak, entra = providers_from_env(env)
    assert keycloak.label == "Staff account" and keycloak.role_claim == "realm_access.roles"
    assert keycloak.role_map == {"cw-admin": ("admin", "manager"), "cw-trainer": ("trainer",)}
    assert keycloak.default_roles == () and keycloak.sync_roles and keycloak.logout
    assert keycloak.metadata_url == f"{ISSUER}/.well-known/openid-configuration"
    assert entra.name == "entra-id" and entra.label == "Entra Id"
    assert entra.email_verified_claim == "xms_edov" and not entra.userinfo
    assert entra.default_roles == ("learner",) and entra.scopes == "openid email profile"
    assert "s3cret" not in repr(keycloak)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"OIDC_KEYCLOAK_CLIENT_SECRET": ""}, "OIDC_KEYCLOAK_CLIENT_SECRET is not set"),
        ({"OIDC_KEYCLOAK_ISSUER": "sso.example.org"}, "OIDC_KEYCLOAK_ISSUER must be the issuer"),
        ({"OIDC_KEYCLOAK_SCOPES": "email profile"}, "OIDC_KEYCLOAK_SCOPES must include openid"),
        ({"OIDC_KEYCLOAK_ROLE_MAP": "{cw: admin}"}, "OIDC_KEYCLOAK_ROLE_MAP is not valid JSON"),
        ({"OIDC_KEYCLOAK_ROLE_MAP": '["admin"]'}, "OIDC_KEYCLOAK_ROLE_MAP must be a JSON object"),
        ({"OIDC_KEYCLOAK_ROLE_MAP": '{"x": "root"}'}, r"ROLE_MAP\['x'\]: unknown role root"),
        ({"OIDC_KEYCLOAK_DEFAULT_ROLE": "guest"}, "DEFAULT_ROLE: unknown role guest"),
        ({"OIDC_KEYCLOAK_SYNC_ROLES": "maybe"}, "OIDC_KEYCLOAK_SYNC_ROLES must be 1 or 0"),
        ({"OIDC_PROVIDERS": "Key Cloak"}, "'Key' is not a usable name"),
        ({"OIDC_PROVIDERS": "keycloak keycloak"}, "names an issuer twice"),
    ],
)
def test_a_malformed_issuer_is_refused_naming_the_variable(change, says):
    with pytest.raises(SettingsError, match=says):
        providers_from_env({**BASE, **change})


def test_production_issuers_use_https_but_loopback(monkeypatch):
    plain = {**BASE, "OIDC_KEYCLOAK_ISSUER": "http://sso.example.org"}
    with pytest.raises(SettingsError, match="must use https in production"):
        providers_from_env(plain, production=True)
    assert providers_from_env(plain)  # development may
    local = {**BASE, "OIDC_KEYCLOAK_ISSUER": "http://127.0.0.1:8080/realms/dev"}
    assert providers_from_env(local, production=True)


def test_the_app_refuses_to_start_on_a_bad_issuer_or_sso_only_without_one(monkeypatch, tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x" * 40}
    monkeypatch.setenv("SSO_ONLY", "1")
    with pytest.raises(ConfigError, match="OIDC_PROVIDERS names no issuer"):
        create_app(config)
    for name, value in {**BASE, "OIDC_KEYCLOAK_CLIENT_ID": ""}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="OIDC_KEYCLOAK_CLIENT_ID is not set"):
        create_app(config)
    monkeypatch.setenv("OIDC_KEYCLOAK_CLIENT_ID", "clausewise")
    app = create_app(config)
    assert app.config["SSO_ONLY"] and app.config["OIDC_PROVIDERS"][0].client_id == "clausewise"


# The claims Clausewise reads

PROVIDER = settings(ISSUER, role_claim="realm_access.roles")
ID_CLAIMS = {"iss": ISSUER, "sub": "248289761001", "email": "kim@example.org"}


def read(provider=PROVIDER, **claims):
    return oidc.claims_from(provider, {**ID_CLAIMS, **claims}, "raw.id.token")


def test_roles_come_from_a_dotted_path_holding_a_list_or_one_string():
    assert read(realm_access={"roles": ["cw-admins", "x", 7]}).role_values == (
        "cw-admins",
        "x",
        "7",
    )
    assert read(realm_access={"roles": "cw-admins"}).role_values == ("cw-admins",)
    assert read(realm_access="odd").role_values == ()
    assert read(replace(PROVIDER, role_claim="")).role_values == ()
    assert oidc.claim_path({"a": {"b": {"c": 1}}}, "a.b.c") == 1
    assert oidc.claim_path({"a": [1]}, "a.b") is None


@pytest.mark.parametrize(
    ("value", "verified"),
    [(True, True), ("true", True), (" TRUE ", True), (False, False), ("false", False), (1, False)],
)
def test_only_a_true_email_verified_counts(value, verified):
    assert read(email_verified=value).email_verified is verified
    assert read().email_verified is False  # absent


def test_another_claim_or_trust_can_stand_for_email_verified():
    entra = replace(PROVIDER, email_verified_claim="xms_edov")
    assert read(entra, xms_edov=True).email_verified
    assert not read(entra, email_verified=True).email_verified
    assert read(replace(PROVIDER, trust_email=True)).email_verified


def test_the_name_falls_back_to_given_and_family_names_then_the_user_name():
    assert read(name="Kim Park", given_name="K").name == "Kim Park"
    assert read(given_name="Kim", family_name="Park").name == "Kim Park"
    assert read(preferred_username="kpark").name == "kpark"
    assert read().name == ""


# ID tokens, checked with keys made here, as app.integrations.oidc checks them

KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})
STRANGER = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})


@pytest.fixture
def client(tmp_path):
    """The Authlib client of a configured issuer, with its discovery document in hand."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "OIDC_PROVIDERS": (PROVIDER,),
        }
    )
    with app.app_context():
        found = app.extensions["clausewise.oidc"].create_client("test")
        found.server_metadata.update(
            {
                "issuer": ISSUER,
                "jwks": KeySet([KEY]).as_dict(private=False),
                "id_token_signing_alg_values_supported": ["RS256"],
                "_loaded_at": time.time(),
            }
        )
        yield found


def id_token(key=KEY, alg="RS256", **changes):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "kim",
        "aud": "clausewise",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-0S6_WzA2Mj",
        **changes,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key)


def check(client, token, nonce="n-0S6_WzA2Mj"):
    return client.parse_id_token(
        {"id_token": token, "access_token": "at"},
        nonce=nonce,
        claims_options=oidc.id_token_checks(PROVIDER),
        leeway=60,
    )


def test_a_well_formed_id_token_passes(client):
    assert check(client, id_token())["sub"] == "kim"
    assert check(client, id_token(aud=["clausewise", "api"], azp="clausewise"))["sub"] == "kim"


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://evil.example.org"},
        {"iss": None},
        {"aud": "another-client"},
        {"aud": ["another-client"], "azp": "another-client"},
        {"aud": None},
        {"exp": int(time.time()) - 600},
        {"exp": None},
        {"nonce": "replayed-nonce"},
        {"nonce": None},
        {"sub": None},
    ],
    ids=lambda c: ",".join(f"{k}={'absent' if v is None else v}" for k, v in c.items()),
)
def test_an_id_token_with_a_wrong_or_missing_claim_is_refused(client, changes):
    with pytest.raises(JoseError) as refused:
        check(client, id_token(**changes))
    assert refused.value.error in ("invalid_claim", "missing_claim", "expired_token")


def test_an_id_token_signed_with_another_key_or_algorithm_is_refused(client):
    with pytest.raises(BadSignatureError):
        check(client, id_token(key=STRANGER))
    with pytest.raises(UnsupportedAlgorithmError):
        check(
            client,
            id_token(key=OctKey.import_key("a-client-secret-of-32-characters!!"), alg="HS256"),
        )
