"""Settings: defaults defined once here, then the TOML file, then ``HPX_*`` variables.

Every field of :class:`Settings` can be set in the TOML file under its own name and
overridden by the environment variable ``HPX_<NAME>`` (``HPX_DATA_DIR``,
``HPX_BIND``, ...). Command-line flags win over both.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_FILE = Path("/etc/healthproximate/appliance.toml")
GIB = 1024**3


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    bind: str = "127.0.0.1:8443"
    tls_cert: Path | None = None
    """PEM certificate chain; without it a self-signed one is kept under the data directory."""
    tls_key: Path | None = None
    http2: bool = False
    """Offer HTTP/2 by ALPN. Off: uploads run slower over it (docs/performance.md)."""
    public_url: str | None = None
    """Base of the presigned URLs handed out, when clients reach the server by another name."""
    signing_keys_file: Path | None = None
    """One secret a line, newest first; defaults to ``<data_dir>/secrets/signing-keys``."""
    audit_key_file: Path | None = None
    """HMAC key of the audit chain; defaults to ``audit-key`` beside the signing keys."""
    upload_url_ttl: int = 3600
    """Default lifetime of a presigned URL, in seconds."""
    upload_url_max_ttl: int = 7 * 24 * 3600
    """Cap on ``expires_in`` a client may ask for."""
    max_upload_size: int = 5 * GIB
    """Largest body accepted on a single-file upload URL; larger files go multipart."""
    max_multipart_size: int = 5 * 1024 * GIB
    """Largest file accepted through the multipart path (5 TiB)."""
    multipart_session_ttl: int = 24 * 3600
    """How long a multipart session stays resumable; its part URLs live upload_url_ttl."""
    gc_interval: int = 600
    """Seconds between housekeeping runs inside the server (0 turns them off)."""
    access_token_ttl: int = 3600
    """Lifetime of a sign-in JWT, in seconds."""
    auth_failures_per_minute: int = 30
    """Failed API-key, token or sign-in attempts from one address before 429 ``rate_limited``."""
    max_requests_per_address: int = 64
    """Requests one client address may have in flight at once; past it, 429."""
    max_requests: int = 512
    """Requests the server takes in flight at once, from everyone; past it, 429."""
    analytics_threads: int = 4
    """Threads per server process for analytics (queries, fits, dataset lists), apart
    from the request threads; one organization holds at most half of them."""
    cors_origins: str = ""
    """Web origins whose pages may call the API and upload from a browser (presigned
    PUTs, tus), separated by commas; empty (the default) allows none."""
    min_body_rate: int = 1024
    """Bytes per second an upload body must bring, over each ``body_rate_window``; slower
    bodies get 408 ``request_timeout`` and their URL can be used again (0 turns it off)."""
    body_rate_window: int = 30
    """Seconds over which ``min_body_rate`` is measured: a pause shorter than this is fine."""
    disk_reserve: int = 256 * 1024 * 1024
    """Free bytes kept back so the database can still commit when the disk fills."""
    log_level: str = "info"
    workers: int = 1
    """Server processes sharing the listening socket: more than one lets many uploads at
    once use more than one core (docs/performance.md)."""
    store: str = "local"
    """Where files live: ``local`` (the tree under ``data_dir``) or ``s3`` (an
    S3-compatible object store, with the ``s3_*`` settings; docs/scale-out.md)."""
    s3_endpoint_url: str | None = None
    """The object store's URL (``https://rgw.example:7480``); unset: AWS S3."""
    s3_bucket: str | None = None
    """The bucket, made at server start if it does not exist; one key prefix per
    organization inside it."""
    s3_region: str = "us-east-1"
    s3_ca_bundle: Path | None = None
    """PEM file of the authority that signed the object store's certificate, when it is
    not one the system trusts (a hospital's own CA); unset: the system's."""
    s3_access_key_id: str | None = None
    """Unset: the standard ``AWS_ACCESS_KEY_ID`` variable."""
    s3_secret_access_key: str | None = dataclasses.field(default=None, repr=False)
    """Unset: the standard ``AWS_SECRET_ACCESS_KEY`` variable."""
    database_url: str | None = dataclasses.field(default=None, repr=False)
    """Unset: SQLite (``appliance.db`` in ``data_dir``); ``postgresql://…``: PostgreSQL,
    which several nodes share (docs/scale-out.md). Not repr'd: it may hold a password."""

    # Derived locations, one place for each.
    @property
    def db_path(self) -> Path:
        return self.data_dir / "appliance.db"

    @property
    def store_root(self) -> Path:
        return self.data_dir / "orgs"

    @property
    def cache_root(self) -> Path:
        """Copies and tables built from files kept in an object store, on this node."""
        return self.data_dir / "cache"

    @property
    def signing_keys_path(self) -> Path:
        return self.signing_keys_file or self.data_dir / "secrets" / "signing-keys"

    @property
    def audit_key_path(self) -> Path:
        """Kept with the configuration, apart from the database (docs/security.md)."""
        return self.audit_key_file or self.signing_keys_path.parent / "audit-key"

    @property
    def audit_head_path(self) -> Path:
        """This node's latest audit head, outside the database (appliance/audit_seal.py)."""
        return self.data_dir / "audit-head"

    @property
    def tls_dir(self) -> Path:
        return self.data_dir / "tls"


_ENV_PREFIX = "HPX_"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from defaults, the TOML file, the environment and ``overrides``.

    ``config_file`` defaults to ``$HPX_CONFIG``, then /etc/healthproximate/appliance.toml
    when it exists. Overrides that are None are ignored, so CLI flags can be passed
    through unconditionally.
    """
    values: dict[str, Any] = {}
    path = config_file or _env_path("HPX_CONFIG")
    if path is None and DEFAULT_CONFIG_FILE.is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None:
        with open(path, "rb") as fh:
            values.update(tomllib.load(fh))
    for f in fields(Settings):
        env = os.environ.get(_ENV_PREFIX + f.name.upper())
        if env is not None and env != "":
            values[f.name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})

    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    settings = Settings(**{k: _coerce(known[k], v) for k, v in values.items()})
    return _validated(settings)


def _coerce(f: dataclasses.Field[Any], value: Any) -> Any:
    kind = str(f.type)
    if value is None:
        return None
    if "Path" in kind:
        return Path(value).expanduser()
    if kind == "int":
        return int(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{f.name}: expected true or false, not {value!r}")
    return str(value)


def _validated(s: Settings) -> Settings:
    if s.upload_url_ttl <= 0 or s.upload_url_max_ttl < s.upload_url_ttl:
        raise ValueError("upload_url_ttl must be positive and not above upload_url_max_ttl")
    sizes = (s.max_upload_size, s.max_multipart_size, s.multipart_session_ttl, s.access_token_ttl)
    if min(sizes) <= 0:
        raise ValueError(
            "max_upload_size, max_multipart_size, multipart_session_ttl, access_token_ttl:"
            " must be positive"
        )
    if s.gc_interval < 0:
        raise ValueError("gc_interval must not be negative")
    if not 1 <= s.workers <= 64:
        raise ValueError("workers must be between 1 and 64")
    if not 2 <= s.analytics_threads <= 64:
        raise ValueError("analytics_threads must be between 2 and 64")
    if s.min_body_rate < 0 or s.body_rate_window <= 0:
        raise ValueError("min_body_rate must not be negative, body_rate_window must be positive")
    if s.store not in ("local", "s3"):
        raise ValueError(f"store: expected local or s3, not {s.store!r}")
    if s.store == "s3" and not s.s3_bucket:
        raise ValueError("store = s3 needs s3_bucket")
    if s.database_url is not None and not s.database_url.startswith(
        ("postgresql://", "postgres://")
    ):
        raise ValueError("database_url: expected postgresql://USER[:PASSWORD]@HOST:PORT/DB")
    if (s.tls_cert is None) != (s.tls_key is None):
        raise ValueError("tls_cert and tls_key go together")
    return s


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None
