"""Everything a request, a CLI command or the console needs, opened once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from appliance.accounts.access_tokens import TokenKeys
from appliance.accounts.presign import Signer, load_signing_secrets
from appliance.audit_seal import Seal
from appliance.config import Settings
from appliance.db import DB, open_db
from storage import LocalStore, S3Config, S3Store, Store


@dataclass
class Appliance:
    settings: Settings
    db: DB
    store: Store
    _signer: Signer | None = field(default=None, repr=False)

    @cached_property
    def signer(self) -> Signer:
        """Loaded on first use, so admin commands never create or read the secrets."""
        return self._signer or Signer(load_signing_secrets(self.settings.signing_keys_path))

    @cached_property
    def token_keys(self) -> TokenKeys:
        return TokenKeys(load_signing_secrets(self.settings.signing_keys_path))


def open_appliance(settings: Settings) -> Appliance:
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    db = open_db(settings.db_path, settings.database_url)
    db.audit_seal = audit_seal(settings)
    return Appliance(settings=settings, db=db, store=open_store(settings))


def audit_seal(settings: Settings) -> Seal:
    """The audit chain's key and this node's head file for ``settings``. The key is made
    on first use only inside the data directory (a development one): elsewhere it is
    the configuration's, made by install.sh and copied to every node like the signing
    secrets, so that no node makes a key of its own the others do not share."""
    key = settings.audit_key_path
    inside = key.resolve().is_relative_to(settings.data_dir.resolve())
    return Seal(key, settings.audit_head_path, create_key=inside)


def open_store(settings: Settings) -> Store:
    """The store the settings name; opening it makes no network call."""
    if settings.store == "s3":
        assert settings.s3_bucket is not None  # checked with the settings
        config = S3Config(
            endpoint_url=settings.s3_endpoint_url,
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            ca_bundle=settings.s3_ca_bundle,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
        return S3Store(config, settings.cache_root)
    return LocalStore(settings.store_root, reserve=settings.disk_reserve)
