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
from dataclasses import dataclass, field
from pathlib import Path

from appliance import secret_files

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
        """The head kept outside the database, None if there is none; SealError if
        neither of its slots parses with an HMAC of this key (edited, or another key's)."""
        try:
            raw = self.head_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SealError(f"cannot read the audit head: {exc.strerror}") from None
        heads = [h for h in (self._slot(raw, n) for n in range(SLOTS)) if h is not None]
        if not heads:
            raise SealError(f"{self.head_path} is damaged, or not written with this audit key")
        return max(heads, key=lambda h: h.seq)

    def _slot(self, raw: bytes, n: int) -> Head | None:
        """Slot ``n``'s head if it parses and its HMAC is this key's: a slot torn by a
        power cut during its write is not, and the other slot then holds the head."""
        try:
            data = json.loads(raw[n * SLOT_BYTES : n * SLOT_BYTES + SLOT_SIZE].strip(b" \0\n"))
            head = Head(int(data["seq"]), str(data["hash"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError):
            return None
        return head if hmac.compare_digest(mac, self.mac(_head_text(head))) else None

    def write_head(self, head: Head) -> None:
        """Keep ``head`` unless the file already names a later record: several
        processes write it, each after its own commit, in any order.

        Written in place, in the older of two slots, without fsync: a rename or an fsync
        per audit record tripled its cost (ext4 flushes a renamed file's data), and a
        head lost to a power cut only leaves the file behind the chain, never ahead,
        which verify accepts; a slot torn by one leaves the other."""
        fd = os.open(self.head_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, SLOTS * SLOT_BYTES, 0)
            slots = [self._slot(raw, n) for n in range(SLOTS)]
            seqs = [h.seq if h is not None else -1 for h in slots]
            if max(seqs) >= head.seq:
                return
            data = {"seq": head.seq, "hash": head.hash, "mac": self.mac(_head_text(head))}
            text = json.dumps(data).encode().ljust(SLOT_SIZE - 1) + b"\n"
            if max(seqs) < 0:  # new (or wholly damaged): both slots, made durable once
                os.pwrite(fd, text.ljust(SLOT_BYTES, b" ") + text, 0)
                os.fsync(fd)
            else:
                os.pwrite(fd, text, seqs.index(min(seqs)) * SLOT_BYTES)
        finally:
            os.close(fd)


SLOTS = 2
SLOT_SIZE = 256
"""Bytes of one slot's text: a JSON object of a seq, a hash and an HMAC, padded."""
SLOT_BYTES = 4096
"""Where the slots start, a block apart, so that a torn write reaches only one."""


def _head_text(head: Head) -> str:
    return json.dumps(["audit-head", head.seq, head.hash])


def load_key(path: Path, *, create: bool) -> bytes:
    """The key's bytes; created (0600) with a random one if absent and ``create``."""
    if create:
        try:
            secret_files.ensure(path)
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
