"""Sign-in for applications: email and password for a JWT, checked on every request."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
from argon2 import PasswordHasher

from appliance.accounts import orgs, users
from appliance.accounts.access_tokens import TokenKeys
from appliance.accounts.presign import load_signing_secrets
from tests.helpers import error_of
from tests.servers import InProcess, Server


@pytest.fixture(scope="session")
def server(app_in_process: InProcess) -> InProcess:
    """This module's API tests run against the app in this process (tests/servers.py)."""
    return app_in_process


PASSWORD = "a sufficiently long passphrase"


def sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/v1/auth/token", json={"email": email, "password": password})


def new_user(server: Server) -> tuple[orgs.Org, str]:
    org, _ = server.new_org()
    email = f"app-{org.id}@example.org"
    users.add_user(server.appliance.db, org.id, email, PASSWORD)
    return org, email


def test_sign_in_gives_a_bearer_token(server: Server, client: httpx.Client) -> None:
    org, email = new_user(server)
    r = sign_in(client, email, PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["token_type"], body["expires_in"]) == ("bearer", 3600)
    assert r.headers["cache-control"] == "no-store"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["org"] == org.id and claims["exp"] - claims["iat"] == 3600
    # The token is a valid credential: it is refused for uploads by scope, not as unknown.
    r = client.get("/v1/files", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert (r.status_code, error_of(r)) == (403, "forbidden")
    assert "upload" in r.json()["message"]


def test_passwords_are_stored_at_the_production_parameters(
    server: Server,
    client: httpx.Client,
    production_hasher: PasswordHasher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tests' process hashes at the lowest cost (tests/conftest.py); the application's
    own hasher is argon2id at RFC 9106's second recommended option: 64 MiB, three
    passes, four lanes. A user added with it signs in, and only with their password."""
    monkeypatch.setattr(users, "_hasher", production_hasher)
    _org, email = new_user(server)
    stored = server.appliance.db.row("SELECT password_hash FROM users WHERE email = ?", (email,))
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored["password_hash"]
    assert sign_in(client, email, PASSWORD).status_code == 200
    assert sign_in(client, email, PASSWORD + "!").status_code == 401


def test_wrong_credentials_are_401_and_never_say_which(
    server: Server, client: httpx.Client
) -> None:
    _org, email = new_user(server)
    wrong = sign_in(client, email, "not the password at all")
    unknown = sign_in(client, "nobody@example.org", PASSWORD)
    assert (wrong.status_code, error_of(wrong)) == (401, "unauthorized")
    assert wrong.json() == unknown.json()
    r = client.post("/v1/auth/token", json={"email": email})
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    assert r.json()["message"].startswith("password")


def test_disable_and_suspend_take_effect_on_the_next_request(
    server: Server, client: httpx.Client
) -> None:
    org, email = new_user(server)
    token = sign_in(client, email, PASSWORD).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/files", headers=h).status_code == 403  # valid, wrong scope
    orgs.set_status(server.appliance.db, org.id, "suspended")
    r = client.get("/v1/files", headers=h)
    assert (r.status_code, error_of(r)) == (403, "forbidden") and "suspended" in r.text
    orgs.set_status(server.appliance.db, org.id, "active")
    users.disable_user(server.appliance.db, email)
    r = client.get("/v1/files", headers=h)
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert sign_in(client, email, PASSWORD).status_code == 401


def test_a_password_change_or_a_disable_ends_the_tokens_issued_before(
    server: Server, client: httpx.Client
) -> None:
    """A token outlives neither its password nor a disable: enabling the user again
    does not revive it, while a token signed in afterwards works."""
    _org, email = new_user(server)

    def status(token: str) -> int:
        r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {token}"})
        return r.status_code

    before_reset = sign_in(client, email, PASSWORD).json()["access_token"]
    assert status(before_reset) == 200
    new_password = "another sufficiently long passphrase"
    users.reset_password(server.appliance.db, email, new_password)
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {before_reset}"})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert "sign in again" in r.json()["message"]

    before_disable = sign_in(client, email, new_password).json()["access_token"]
    assert status(before_disable) == 200
    users.disable_user(server.appliance.db, email)
    users.enable_user(server.appliance.db, email)
    assert status(before_disable) == 401
    assert status(before_reset) == 401
    after = sign_in(client, email, new_password).json()["access_token"]
    assert status(after) == 200


def test_a_token_without_an_epoch_is_401(server: Server, client: httpx.Client) -> None:
    """A token signed with the right key but without ``gen`` (as every token was
    before epochs) is refused: nothing says it was issued after the last reset."""
    org, _email = new_user(server)
    user = users.list_users(server.appliance.db, org.id)[0]
    keys = TokenKeys(load_signing_secrets(server.data_dir / "secrets" / "signing-keys"))
    now = int(time.time())
    claims = {"sub": user["id"], "org": org.id, "scope": "query", "iat": now,
              "exp": now + 3600, "aud": "hpx-api", "iss": "healthproximate-appliance"}  # fmt: skip
    without = jwt.encode(claims, keys._keys[0], algorithm="HS256")
    with_epoch = jwt.encode(claims | {"gen": 0}, keys._keys[0], algorithm="HS256")
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {without}"})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {with_epoch}"})
    assert r.status_code == 200, r.text


def test_expired_tampered_and_foreign_tokens_are_401(server: Server, client: httpx.Client) -> None:
    org, email = new_user(server)
    user = users.list_users(server.appliance.db, org.id)[0]
    secrets_file = server.data_dir / "secrets" / "signing-keys"
    keys = TokenKeys(load_signing_secrets(secrets_file))
    now = int(time.time())
    expired = jwt.encode(
        {
            "sub": user["id"],
            "org": org.id,
            "iat": now - 7200,
            "exp": now - 3600,
            "aud": "hpx-api",
            "iss": "healthproximate-appliance",
        },
        keys._keys[0],
        algorithm="HS256",
    )
    foreign = jwt.encode(
        {
            "sub": user["id"],
            "org": org.id,
            "iat": now,
            "exp": now + 3600,
            "aud": "hpx-api",
            "iss": "healthproximate-appliance",
        },
        "someone else's key, long enough for HS256",
        algorithm="HS256",
    )
    none_alg = jwt.encode({"sub": user["id"], "org": org.id}, None, algorithm="none")
    good = sign_in(client, email, PASSWORD).json()["access_token"]
    tampered = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for token in (expired, foreign, none_alg, tampered, "garbage"):
        r = client.get("/v1/files", headers={"Authorization": f"Bearer {token}"})
        assert (r.status_code, error_of(r)) == (401, "unauthorized"), token
