"""The tables of the metadata database, and the migrations that make them: the one
schema both databases run (appliance/db/postgres.py translates its few SQLite words)."""

from __future__ import annotations

# Forward migrations, applied in order; the schema version is PRAGMA user_version.
# Never edit a released entry: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        quota_bytes INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        last_used_at TEXT
    );
    CREATE INDEX api_keys_org ON api_keys(org_id);
    CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single', 'multipart')),
        filename TEXT NOT NULL,
        content_type TEXT,
        size INTEGER,
        sha256 TEXT,
        max_size INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'receiving', 'assembling', 'done')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        file_id TEXT,
        part_size INTEGER,
        part_count INTEGER
    );
    CREATE INDEX uploads_org ON uploads(org_id, created_at);
    CREATE INDEX uploads_expiry ON uploads(state, expires_at);
    CREATE TABLE part_grants (
        id TEXT PRIMARY KEY,
        upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'receiving', 'done')),
        expires_at TEXT NOT NULL
    );
    CREATE INDEX part_grants_upload ON part_grants(upload_id, part_number);
    CREATE TABLE upload_parts (
        upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
    );
    CREATE TABLE files (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        upload_id TEXT,
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX files_org ON files(org_id, seq);
    CREATE UNIQUE INDEX files_upload ON files(upload_id);
    """,
    # 2: users who sign in for a JWT, and the audit trail of administrative actions.
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
    );
    CREATE INDEX users_org ON users(org_id);
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        org_id TEXT,
        target TEXT,
        detail TEXT
    );
    CREATE INDEX audit_log_org ON audit_log(org_id, seq);
    """,
    # 3: analytics — data dictionaries of datasets, and follow-up conversations.
    """
    CREATE TABLE dataset_dictionaries (
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        file_id TEXT NOT NULL,
        columns TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (org_id, file_id)
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        plan TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX conversations_expiry ON conversations(expires_at);
    """,
    # 4: who made an upload URL, so that revoking the key (or disabling the user)
    # refuses the URLs it made.
    """
    ALTER TABLE uploads ADD COLUMN key_id TEXT;
    ALTER TABLE uploads ADD COLUMN user_id TEXT;
    """,
    # 5: the audit trail is append-only and hash-chained (see audit.py).
    """
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    """,
    # 6: resumable uploads over the tus 1.0 protocol (see uploads/tus_records.py).
    """
    CREATE TABLE tus_uploads (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        content_type TEXT,
        length INTEGER,
        received INTEGER NOT NULL DEFAULT 0,
        max_size INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open'
            CHECK (state IN ('reserved', 'open', 'receiving', 'done')),
        concat TEXT CHECK (concat IN ('partial', 'final')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        file_id TEXT,
        key_id TEXT,
        user_id TEXT
    );
    CREATE INDEX tus_uploads_expiry ON tus_uploads(state, expires_at);
    """,
    # 7: drop links, single-use pages a person uploads files through (uploads/links.py).
    """
    CREATE TABLE drop_links (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        label TEXT,
        max_files INTEGER NOT NULL,
        uploads INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'open', 'closed')),
        session_hash TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        opened_at TEXT,
        closed_at TEXT,
        key_id TEXT,
        user_id TEXT
    );
    CREATE INDEX drop_links_expiry ON drop_links(expires_at);
    ALTER TABLE tus_uploads ADD COLUMN link_id TEXT;
    CREATE INDEX tus_uploads_link ON tus_uploads(link_id);
    """,
    # 8: who holds each claim, so that only a dead holder's claims are given back
    # (appliance/uploads/claims.py): several nodes share one database.
    """
    ALTER TABLE uploads ADD COLUMN claimed_by TEXT;
    ALTER TABLE part_grants ADD COLUMN claimed_by TEXT;
    ALTER TABLE tus_uploads ADD COLUMN claimed_by TEXT;
    """,
    # 9: a user's token epoch, carried in each sign-in token and raised by a password
    # change or a disable, so that those end the tokens issued before them.
    """
    ALTER TABLE users ADD COLUMN token_epoch INTEGER NOT NULL DEFAULT 0;
    """,
    # 10: disclosure control (analytics/disclosure.py): each organization's smallest
    # count an answer may show (11 for every organization, new or existing), and which
    # users an operator granted record-level access (the scope ``rows``).
    """
    ALTER TABLE orgs ADD COLUMN min_cell_size INTEGER NOT NULL DEFAULT 11;
    ALTER TABLE users ADD COLUMN rows_scope INTEGER NOT NULL DEFAULT 0;
    """,
]


TABLES = (
    "orgs", "api_keys", "users", "uploads", "part_grants", "upload_parts", "files",
    "audit_log", "dataset_dictionaries", "conversations", "tus_uploads", "drop_links",
)  # fmt: skip
"""Every table, each after the ones it refers to."""
