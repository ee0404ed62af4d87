"""Everything a request, a CLI command or the console needs, opened once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from appliance.accounts.access_tokens import TokenKeys
from appliance.config import Settings
from appliance.db import DB, open_db
from appliance.uploads.presign import Signer, load_signing_secrets
from storage import LocalStore, Store


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
    return Appliance(
        settings=settings,
        db=open_db(settings.db_path),
        store=LocalStore(settings.store_root, reserve=settings.disk_reserve),
    )
