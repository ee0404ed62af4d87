"""What the audit chain depends on outside the database: its HMAC key and this node's
latest head.

Why: a hash chain anyone can recompute proves nothing to someone who holds the
database file, who can edit a record and recompute every hash after it. So each
record's hash is an HMAC under a key kept with the configuration (``audit-key``,
0600, the service user's, never in the database), and a record without the key
cannot be made to fit. A key alone does not show records cut off the end, so after
every committed audit write the node keeps the chain's latest head (its ``seq`` and
hash, with an HMAC of them) in ``<data_dir>/audit-head``, only ever moving it
forward; ``hpx audit verify`` requires that record to be in the chain, unchanged.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from storage.durable import write_private

MIN_KEY_LENGTH = 32


class SealError(Exception):
    """The key or the head file cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


@dataclass
class Seal:
    """The key and head file of one configuration; the key is read on first use."""

    key_path: Path
    head_path: Path
    create_key: bool = True
    """Generate the key when it is absent (a development data directory); a production
    install makes it (install.sh) and the service cannot write there."""
    _key: bytes | None = field(default=None, repr=False)

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = load_key(self.key_path, create=self.create_key)
        return self._key

    def mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def read_head(self) -> Head | None:
        """The head kept outside the database, None if there is none; SealError if it
        does not parse or its HMAC is not the key's (edited, or another key's)."""
        try:
            raw = self.head_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SealError(f"cannot read the audit head: {exc.strerror}") from None
        try:
            data = json.loads(raw)
            head = Head(int(data["seq"]), str(data["hash"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError):
            raise SealError(f"{self.head_path} is damaged") from None
        if not hmac.compare_digest(mac, self.mac(_head_text(head))):
            raise SealError(f"{self.head_path} was not written with this audit key")
        return head

    def write_head(self, head: Head) -> None:
        """Keep ``head`` unless the file already names a later record: several
        processes write it, each after its own commit, in any order."""
        lock_path = self.head_path.with_name(self.head_path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = self.read_head()
            except SealError:
                current = None  # damaged: replaced by a good one
            if current is not None and current.seq >= head.seq:
                return
            data = {"seq": head.seq, "hash": head.hash, "mac": self.mac(_head_text(head))}
            staging = self.head_path.with_name(self.head_path.name + ".new")
            write_private(staging, json.dumps(data).encode())
            os.replace(staging, self.head_path)
        finally:
            os.close(fd)


def _head_text(head: Head) -> str:
    return json.dumps(["audit-head", head.seq, head.hash])


def load_key(path: Path, *, create: bool) -> bytes:
    """The key's bytes; created (0600) with a random one if absent and ``create``."""
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            write_private(path, (secrets.token_urlsafe(48) + "\n").encode(), exclusive=True)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:
            pass  # not ours to write (/etc on a production host): said below
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        raise SealError(
            f"{path} does not exist: the audit key is made by install.sh (or copy it from"
            " the first node, docs/scale-out.md)"
        ) from None
    except OSError as exc:
        raise SealError(f"cannot read the audit key {path}: {exc.strerror}") from None
    if len(text) < MIN_KEY_LENGTH:
        raise SealError(f"{path} holds no audit key of {MIN_KEY_LENGTH} characters or more")
    return text.encode()
