"""Presigned upload URLs: HMAC-signed tokens that are themselves the credential.

A token carries the upload id, the organization, the part number (multipart) and
its expiry, signed with itsdangerous. The signing secrets are a list so they can be
rotated: the file holds one secret a line, newest first; the newest signs, all
verify. Single use is not the token's job: the upload's state in the database is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer

from appliance import clock, secret_files
from appliance.errors import ApplianceError, ErrorType

SALT = "hpx.presigned-upload.v1"
PUT_PATH = "/v1/put/"
"""Path prefix of every presigned URL; the rest of the path is the token (a secret)."""


@dataclass(frozen=True)
class Grant:
    upload_id: str
    org_id: str
    part_number: int | None
    grant_id: str | None
    """For part URLs: the row that makes this particular URL single-use."""
    expires_at: int
    kind: str | None = None
    """None for a PUT URL, "tus" for a resumable upload's URL: neither opens the other."""


class Signer:
    """Holds the signing secrets; signs and verifies upload tokens."""

    def __init__(self, secrets_newest_first: list[str]) -> None:
        if not secrets_newest_first:
            raise ValueError("at least one signing secret is required")
        # itsdangerous wants oldest first and signs with the last.
        self._serializer = URLSafeSerializer(list(reversed(secrets_newest_first)), salt=SALT)

    def sign(
        self,
        upload_id: str,
        org_id: str,
        expires_at: int,
        part: int | None = None,
        grant_id: str | None = None,
        kind: str | None = None,
    ) -> str:
        payload: dict[str, str | int] = {"u": upload_id, "o": org_id, "e": expires_at}
        if kind is not None:
            payload["k"] = kind
        if part is not None and grant_id is not None:
            payload["p"] = part
            payload["g"] = grant_id
        token = self._serializer.dumps(payload)
        return token if isinstance(token, str) else token.decode()

    def verify(self, token: str, now: float | None = None) -> Grant:
        """The grant a token carries; 403 invalid_token or token_expired otherwise."""
        try:
            payload = self._serializer.loads(token)
            grant = Grant(
                upload_id=str(payload["u"]),
                org_id=str(payload["o"]),
                part_number=int(payload["p"]) if "p" in payload else None,
                grant_id=str(payload["g"]) if "g" in payload else None,
                expires_at=int(payload["e"]),
                kind=str(payload["k"]) if "k" in payload else None,
            )
        except (BadSignature, KeyError, TypeError, ValueError) as exc:
            raise ApplianceError(ErrorType.invalid_token) from exc
        if grant.expires_at <= (clock.now() if now is None else now):
            raise ApplianceError(ErrorType.token_expired)
        return grant


def expiry(expires_in: int | None, default_ttl: int) -> int:
    """When a URL asked for now stops working (Unix time): ``expires_in`` seconds from
    now, or the configured default."""
    return int(clock.now()) + (expires_in or default_ttl)


MIN_SECRET_LENGTH = 32
"""A guessable secret would let anyone mint upload URLs and tokens: 32+ characters."""


def load_signing_secrets(path: Path) -> list[str]:
    """Read the secrets file, creating it (0600) with one fresh secret if absent."""
    secret_files.ensure(path)
    lines = [ln.strip() for ln in path.read_text().splitlines()]
    keys = [ln for ln in lines if ln and not ln.startswith("#")]
    if not keys:
        raise ValueError(f"{path} holds no signing secret")
    short = [n for n, key in enumerate(keys, start=1) if len(key) < MIN_SECRET_LENGTH]
    if short:
        raise ValueError(
            f"{path}: secret {short[0]} is shorter than {MIN_SECRET_LENGTH} characters;"
            " generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return keys
