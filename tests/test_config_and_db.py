"""Settings precedence and the database's durability settings and migrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.config import load_settings
from appliance.db import open_db
from appliance.db.schema import MIGRATIONS


def test_precedence_defaults_file_env_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HPX_CONFIG", "HPX_DATA_DIR", "HPX_BIND", "HPX_UPLOAD_URL_TTL"):
        monkeypatch.delenv(name, raising=False)
    cfg = tmp_path / "appliance.toml"
    cfg.write_text('data_dir = "/srv/hpx"\nbind = "0.0.0.0:9443"\nupload_url_ttl = 600\n')
    s = load_settings(cfg)
    assert (s.data_dir, s.bind, s.upload_url_ttl) == (Path("/srv/hpx"), "0.0.0.0:9443", 600)
    assert s.max_upload_size == 5 * 1024**3  # default kept
    monkeypatch.setenv("HPX_BIND", "127.0.0.1:1234")
    monkeypatch.setenv("HPX_UPLOAD_URL_TTL", "60")
    s = load_settings(cfg)
    assert (s.bind, s.upload_url_ttl) == ("127.0.0.1:1234", 60)
    s = load_settings(cfg, data_dir=tmp_path, bind=None)
    assert (s.data_dir, s.bind) == (tmp_path, "127.0.0.1:1234")
    assert s.signing_keys_path == tmp_path / "secrets" / "signing-keys"


def test_bad_settings_are_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("data_dirr = 'typo'\n")
    with pytest.raises(ValueError, match="data_dirr"):
        load_settings(cfg)
    with pytest.raises(ValueError, match="upload_url_ttl"):
        load_settings(None, upload_url_ttl=10, upload_url_max_ttl=5)
    with pytest.raises(ValueError, match="tls_cert"):
        load_settings(None, tls_cert="/x.pem")


def test_database_is_wal_full_sync_and_migrated(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert {"orgs", "api_keys", "uploads", "files"} <= set(conn.table_names())
    db.close()
    again = open_db(tmp_path / "a.db")  # re-opening applies nothing twice
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_write_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute(
            "INSERT INTO orgs (id, name, created_at) VALUES ('o1', 'x', '2026-01-01T00:00:00Z')"
        )
        raise RuntimeError("boom")
    assert db.rows("SELECT * FROM orgs") == []


def test_forward_migration_keeps_data(tmp_path: Path) -> None:
    """A database made by the first release is brought up to date on open."""
    import sqlite3

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0])
    raw.execute("PRAGMA user_version=1")
    raw.execute("INSERT INTO orgs (id, name, created_at) VALUES ('o1', 'old', 'x')")
    raw.commit()
    raw.close()
    db = open_db(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert [r["name"] for r in db.rows("SELECT name FROM orgs")] == ["old"]
    assert "users" in db.conn.table_names() and "audit_log" in db.conn.table_names()


def test_boolean_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HPX_HTTP2", raising=False)
    assert load_settings(None, data_dir=tmp_path).http2 is False
    cfg = tmp_path / "a.toml"
    cfg.write_text("http2 = true\n")
    assert load_settings(cfg).http2 is True
    monkeypatch.setenv("HPX_HTTP2", "off")
    assert load_settings(cfg).http2 is False
    monkeypatch.setenv("HPX_HTTP2", "perhaps")
    with pytest.raises(ValueError, match="http2"):
        load_settings(cfg)
