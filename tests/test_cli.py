"""The hpx command line on a real data directory, through ``cli.main`` in this process
(tests/cli_runner.py); test_first_day.py starts the installed entry point itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Result, run_hpx


def hpx(data_dir: Path, *args: str, stdin: str | None = None) -> Result:
    return run_hpx(*args, "--data-dir", str(data_dir), stdin=stdin)


def ok(data_dir: Path, *args: str) -> object:
    r = hpx(data_dir, *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(autouse=True)
def initialized(tmp_path: Path) -> None:
    """Every test here starts from a data directory made by `hpx init`, as an operator's."""
    assert ok(tmp_path, "init")["ready"] is True


def test_org_lifecycle(tmp_path: Path) -> None:
    created = ok(tmp_path, "org", "create", "St Mary's")
    assert created["name"] == "St Mary's" and created["id"].startswith("org_")
    assert created["status"] == "active"
    assert [o["name"] for o in ok(tmp_path, "org", "list")] == ["St Mary's"]
    assert ok(tmp_path, "org", "suspend", "St Mary's")["status"] == "suspended"
    assert ok(tmp_path, "org", "resume", created["id"])["status"] == "active"
    dup = hpx(tmp_path, "org", "create", "st mary's")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    refused = hpx(tmp_path, "org", "delete", "St Mary's")  # no terminal, no --yes
    assert refused.returncode == 1
    assert ok(tmp_path, "org", "list") != []
    assert ok(tmp_path, "org", "delete", "St Mary's", "--yes")["deleted"] is True
    assert ok(tmp_path, "org", "list") == []


def test_key_is_printed_once_and_stored_hashed(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "acme")
    issued = ok(tmp_path, "key", "issue", "acme", "--name", "lab", "--scopes", "upload")
    assert issued["api_key"].startswith(f"hpk_{issued['key_id']}_")
    assert issued["scopes"] == ["upload"]
    secret = issued["api_key"].split("_", 2)[2]

    listed = hpx(tmp_path, "key", "list", "acme", "--json")
    assert secret not in listed.stdout and issued["api_key"] not in listed.stdout
    (row,) = json.loads(listed.stdout)
    assert row["key_id"] == issued["key_id"] and row["revoked_at"] is None
    assert row["prefix"] == f"hpk_{issued['key_id']}_"
    db_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("appliance.db*"))
    assert secret.encode() not in db_bytes

    ok(tmp_path, "key", "revoke", issued["key_id"])
    (row,) = ok(tmp_path, "key", "list")
    assert row["revoked_at"] is not None
    missing = hpx(tmp_path, "key", "revoke", "ffffffffffff")
    assert missing.returncode == 1


@pytest.mark.parametrize("scopes", ["", "upload,admin"])
def test_bad_scopes_are_refused(tmp_path: Path, scopes: str) -> None:
    ok(tmp_path, "org", "create", "acme")
    r = hpx(tmp_path, "key", "issue", "acme", "--scopes", scopes)
    assert r.returncode == 1 and "scopes" in r.stderr


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("org", "quota", "acme", "99999999999999999999T"), 1, "500G"),
        (("org", "quota", "acme", "inf"), 1, "500G"),
        (("key", "issue", "acme", "--expires-in-days", "100000000"), 1, "from 1 to 36500"),
        (("activity", "--limit", "99999999999999999999"), 2, "from 1 to 10000"),
        (("audit", "--limit", "-1"), 2, "from 1 to 10000"),
    ],
)
def test_numbers_out_of_range_are_refused_with_a_message(
    tmp_path: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    ok(tmp_path, "org", "create", "acme")
    r = hpx(tmp_path, *args)
    assert (r.returncode, said in r.stderr) == (code, True), r.stderr
    assert "Traceback" not in r.stderr


def test_human_output_is_a_table(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "acme")
    r = hpx(tmp_path, "org", "list")
    assert r.returncode == 0
    header, row = r.stdout.splitlines()
    assert header.split()[:3] == ["ID", "NAME", "STATUS"] and "acme" in row


def test_data_dir_from_environment(tmp_path: Path) -> None:
    env = {"HPX_DATA_DIR": str(tmp_path / "from-env")}
    for args in (["init"], ["org", "create", "x"]):
        r = run_hpx(*args, env=env)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "from-env" / "appliance.db").exists()


def test_users_with_password_from_stdin_and_the_audit_trail(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "clinic")
    r = hpx(
        tmp_path,
        "user",
        "add",
        "clinic",
        "ann@example.org",
        "--password-stdin",
        "--json",
        stdin="correct horse battery\n",
    )
    assert r.returncode == 0, r.stderr
    assert "correct horse" not in r.stdout
    short = hpx(
        tmp_path, "user", "add", "clinic", "bob@example.org", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 1 and "password" in short.stderr
    (row,) = ok(tmp_path, "user", "list", "clinic")
    assert (row["email"], row["status"]) == ("ann@example.org", "active")
    assert ok(tmp_path, "user", "disable", "ann@example.org")["status"] == "disabled"
    db_text = b"".join(p.read_bytes() for p in tmp_path.glob("appliance.db*"))
    assert b"correct horse" not in db_text and b"$argon2id$" in db_text

    ok(tmp_path, "org", "quota", "clinic", "1000000")
    ok(tmp_path, "org", "rename", "clinic", "Clinic North")
    actions = [e["action"] for e in ok(tmp_path, "audit")]
    assert actions == ["org.rename", "org.quota", "user.disable", "user.add", "org.create"]
    entry = ok(tmp_path, "audit")[0]
    assert entry["actor"].startswith("cli:") and entry["org_name"] == "Clinic North"


def test_sizes_are_for_a_person_and_bytes_in_json(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "acme")
    assert ok(tmp_path, "org", "quota", "acme", "500G")["quota_bytes"] == 500 * 1024**3
    r = hpx(tmp_path, "org", "list")
    header, row = r.stdout.splitlines()
    assert "QUOTA" in header.split() and "QUOTA_BYTES" not in header
    assert "500.0 GiB" in row and str(500 * 1024**3) not in row
    (listed,) = ok(tmp_path, "org", "list")  # type: ignore[misc]
    assert listed["quota_bytes"] == 500 * 1024**3
    # a count that ends in _size is no size
    from appliance.cli.output import for_a_person

    assert for_a_person({"min_cell_size": 11, "size": 1536, "received": None}) == {
        "min_cell_size": 11,
        "size": "1.5 KiB",
        "received": None,
    }
