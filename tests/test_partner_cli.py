"""What a partner runs: hpx upload (files and directories), files, download (resumes,
checks the SHA-256), delete, login and ask — against a real server over TLS."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from appliance.accounts import users
from appliance.cli import main as cli
from tests.cli_runner import run_hpx
from tests.helpers import sha
from tests.servers import Server


@pytest.fixture
def ca_file(server: Server, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(path))
    return str(path)


def hpx(
    server: Server, ca_file: str, key: str | None, *args: str, stdin: str | None = None
) -> object:
    env = {"HPX_API_KEY": key} if key else {}
    r = run_hpx(*args, "--url", server.url, "--cacert", ca_file, "--json", env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_a_directory_up_and_a_file_back(server: Server, ca_file: str, tmp_path: Path) -> None:
    _org, key = server.new_org()
    folder = tmp_path / "export"
    (folder / "day 2").mkdir(parents=True)
    contents = {"a.csv": b"id,x\n1,2\n", "b.bin": os.urandom(70_000), "day 2/c.txt": b"hello"}
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    uploaded = hpx(server, ca_file, key, "upload", str(folder), "--part-size", str(5 * 1024 * 1024))
    assert isinstance(uploaded, list)
    assert sorted(f["sha256"] for f in uploaded) == sorted(sha(d) for d in contents.values())
    listed = hpx(server, ca_file, key, "files")
    assert isinstance(listed, list) and len(listed) == 3
    big = next(f for f in listed if f["filename"] == "b.bin")

    target = tmp_path / "back.bin"
    partial = tmp_path / "back.bin.hpx-download"
    partial.write_bytes(contents["b.bin"][:30_000])  # what an interrupted download leaves
    r = run_hpx("download", big["file_id"], "-o", str(target), "--url", server.url,
                "--cacert", ca_file, "--json", env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 0 and "resuming at 30000 of 70000 bytes" in r.stderr
    got = json.loads(r.stdout)
    assert target.read_bytes() == contents["b.bin"] and not partial.exists()
    assert got["saved_as"] == str(target) and got["sha256_verified"] is True
    assert f"{target}: SHA-256 verified ({sha(contents['b.bin'])})" in r.stderr

    partial.write_bytes(b"not the same bytes at all")  # a stale partial of something else
    r = run_hpx("download", big["file_id"], "-o", str(target), "--url", server.url,
                "--cacert", ca_file, env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 1 and "SHA-256" in r.stderr and not partial.exists()
    assert "verified" not in r.stderr
    hpx(server, ca_file, key, "download", big["file_id"], "-o", str(target))  # starts over: fine
    assert target.read_bytes() == contents["b.bin"]

    assert hpx(server, ca_file, key, "delete", big["file_id"])["deleted"] is True
    assert len(hpx(server, ca_file, key, "files")) == 2


def test_a_drop_link_from_the_command_line(server: Server, ca_file: str) -> None:
    _org, key = server.new_org()
    link = hpx(server, ca_file, key, "link", "--label", "October exports", "--max-files", "3")
    assert isinstance(link, dict)
    assert link["url"].startswith(server.url + "/v1/drop/") and link["max_files"] == 3
    with server.client() as client:
        page = client.get(link["url"])
        assert page.status_code == 200 and "October exports" in page.text


def test_login_keeps_a_token_for_ask(
    server: Server, ca_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, key = server.new_org()
    csv = tmp_path / "ward.csv"
    csv.write_text("patient,age\n1,40\n2,60\n3,80\n")
    hpx(server, ca_file, key, "upload", str(csv))
    users.add_user(
        server.appliance.db, org.id, "analyst@clinic.example", "a long passphrase", rows=True
    )  # a trusted analyst: the exact mean of three rows
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    signed = hpx(server, ca_file, None, "login", "--email", "analyst@clinic.example",
                 "--password-stdin", stdin="a long passphrase\n")  # fmt: skip
    saved = Path(signed["kept_in"])
    assert saved.stat().st_mode & 0o777 == 0o600 and "a long passphrase" not in saved.read_text()
    answer = hpx(server, ca_file, None, "ask", "what is the average age", "--dataset", "ward")
    assert answer["answer"] == 60
    r = run_hpx("login", "--url", server.url, "--cacert", ca_file, "--email",
                "analyst@clinic.example", "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert r.returncode == 1 and "401" in r.stderr


def test_partner_commands_show_no_server_options() -> None:
    for command in ("upload", "files", "download", "delete", "login", "ask", "datasets"):
        r = run_hpx(command, "--help")
        assert r.returncode == 0 and "--url" in r.stdout
        assert "--data-dir" not in r.stdout and "--config" not in r.stdout, command


def test_an_id_is_one_path_segment(server: Server, ca_file: str) -> None:
    """``hpx delete ../uploads/multipart/ID`` must not abort another endpoint's session."""
    _org, key = server.new_org()
    with server.client() as client:
        session = client.post(
            "/v1/uploads/multipart",
            json={"filename": "big.bin", "size": 6 * 1024 * 1024},
            headers={"X-API-Key": key},
        ).json()
        for climbing in (f"../uploads/multipart/{session['upload_id']}", ".."):
            r = run_hpx("delete", climbing, "--url", server.url, "--cacert", ca_file,
                        env={"HPX_API_KEY": key})  # fmt: skip
            assert r.returncode == 1, r.stdout
        r = client.get(f"/v1/uploads/multipart/{session['upload_id']}", headers={"X-API-Key": key})
        assert r.status_code == 200 and r.json()["state"] == "pending", r.text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("files", "--url", "https://[::1"), "not a URL"),
        (("files", "--url", "http://127.0.0.1:8443"), "https://"),
        (("files", "--url", "https://127.0.0.1:99999"), "not a URL"),
        (("upload", "x.csv", "--url", "https://h", "--parallel", "0"), "from 1 to 32"),
        (("upload", "x.csv", "--url", "https://h", "--part-size", "0"), "from 1 to"),
        (("upload", "x.csv", "--url", "https://h", "--part-size", "5X"), "not a size"),
        (("link", "--url", "https://h", "--expires-in", "7w"), "not a duration"),
        (("link", "--url", "https://h", "--expires-in=-5m"), "not a duration"),
    ],
)
def test_a_url_or_number_that_cannot_be_is_a_usage_error(args: tuple[str, ...], said: str) -> None:
    r = run_hpx(*args, env={"HPX_API_KEY": "hpk_x"})
    assert (r.returncode, said in r.stderr) == (2, True), r.stderr


def test_datasets_from_the_command_line(
    server: Server, ca_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hpx datasets, dataset show and dataset dictionary (GET, then PUT from a file):
    an analyst needs no curl for what the API offers, with a key or hpx login's token."""
    org, key = server.new_org(scopes=["upload", "query"])
    csv = tmp_path / "ward.csv"
    csv.write_text("patient,sex,age\n1,1,40\n2,2,60\n3,2,80\n")
    hpx(server, ca_file, key, "upload", str(csv))

    listed = hpx(server, ca_file, key, "datasets")
    assert isinstance(listed, list)
    assert [(d["name"], d["row_count"]) for d in listed] == [("ward", 3)]
    profile = hpx(server, ca_file, key, "dataset", "show", "ward")
    assert isinstance(profile, dict)
    assert [c["name"] for c in profile["columns"]] == ["patient", "sex", "age"]
    assert hpx(server, ca_file, key, "dataset", "dictionary", "ward") == {"columns": {}}

    wanted = {"columns": {"sex": {"label": "sex at birth",
                                  "value_labels": {"1": "male", "2": "female"}}}}  # fmt: skip
    sent = tmp_path / "ward.json"
    sent.write_text(json.dumps(wanted))
    r = run_hpx("dataset", "dictionary", "ward", str(sent), "--url", server.url,
                "--cacert", ca_file, env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 0 and "columns_described  1" in r.stdout, r.stderr
    assert hpx(server, ca_file, key, "dataset", "dictionary", "ward") == wanted
    # the round trip an analyst makes: print it, edit it, send it back
    r = run_hpx("dataset", "dictionary", "ward", "--url", server.url, "--cacert", ca_file,
                env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 0 and json.loads(r.stdout) == wanted

    r = run_hpx("dataset", "show", "ward", "--url", server.url, "--cacert", ca_file,
                env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("ward: 3 rows from ward.csv")
    assert lines[1].split() == ["COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX", "LABEL"]
    sex = next(line for line in lines if line.startswith("sex "))
    assert sex.endswith("sex at birth")
    r = run_hpx("datasets", "--url", server.url, "--cacert", ca_file, env={"HPX_API_KEY": key})
    assert r.returncode == 0 and r.stdout.splitlines()[1].split()[:3] == ["ward", "3", "3"]

    # a signed-in user's token works as well; a file that is not JSON is a clear refusal
    users.add_user(server.appliance.db, org.id, "datasets@clinic.example", "a long passphrase")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    hpx(server, ca_file, None, "login", "--email", "datasets@clinic.example",
        "--password-stdin", stdin="a long passphrase\n")  # fmt: skip
    assert hpx(server, ca_file, None, "dataset", "dictionary", "ward") == wanted
    sent.write_text("{not json")
    r = run_hpx("dataset", "dictionary", "ward", str(sent), "--url", server.url,
                "--cacert", ca_file, env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 1 and "not a JSON file" in r.stderr
    r = run_hpx("dataset", "show", "nope", "--url", server.url, "--cacert", ca_file,
                env={"HPX_API_KEY": key})  # fmt: skip
    assert r.returncode == 1 and "404" in r.stderr


def test_after_login_no_command_needs_url_or_cacert(
    server: Server, ca_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hpx login keeps --url and --cacert beside the token (0600); sizes are written as
    quotas are (5M), link lifetimes as 12h."""
    org, key = server.new_org()
    users.add_user(server.appliance.db, org.id, "remember@clinic.example", "a long passphrase")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    r = run_hpx("files", env={"HPX_API_KEY": key})
    assert r.returncode == 1 and "--url is required" in r.stderr
    hpx(server, ca_file, None, "login", "--email", "remember@clinic.example",
        "--password-stdin", stdin="a long passphrase\n")  # fmt: skip

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(6 * 1024 * 1024))
    r = run_hpx("upload", str(big), "--part-size", "5M", "--json", env={"HPX_API_KEY": key})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sha256"] == sha(big.read_bytes())
    # 4M is 4 MiB, under the server's 5 MiB minimum part: proof the suffix means MiB
    r = run_hpx("upload", str(big), "--part-size", "4M", env={"HPX_API_KEY": key})
    assert r.returncode == 1 and "part_size" in r.stderr

    r = run_hpx("link", "--expires-in", "12h", "--json", env={"HPX_API_KEY": key})
    assert r.returncode == 0, r.stderr
    expires = datetime.fromisoformat(json.loads(r.stdout)["expires_at"].replace("Z", "+00:00"))
    left = (expires - datetime.now(UTC)).total_seconds()
    assert 12 * 3600 - 600 < left <= 12 * 3600, left


@pytest.mark.parametrize(
    ("written", "seconds"), [("7d", 7 * 86400), ("12h", 43200), ("90m", 5400), ("90", 90)]
)
def test_link_lifetimes_as_people_write_them(written: str, seconds: int) -> None:
    args = cli.build_parser().parse_args(["link", "--expires-in", written])
    assert args.expires_in == seconds
