"""Access tokens for applications: JWTs issued at sign-in, checked on every request.

HS256 with a key derived from the newest presigned-URL signing secret (a separate
derivation, so a token can never pass as an upload URL or the other way round);
every secret of the rotation list verifies, so rotating secrets does not sign
everyone out at once. A token names a user, an organization and the user's token
epoch (``gen``); all are looked up on each request, so disabling a user, changing
their password or suspending an organization takes effect on the next request, not
when the token expires (and a disabled user enabled again must sign in again).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from appliance import clock
from appliance.accounts import users
from appliance.accounts.apikeys import Principal
from appliance.accounts.orgs import require_active_org
from appliance.accounts.scopes import ROWS
from appliance.db import DB
from appliance.errors import ApplianceError, ErrorType
from appliance.lean_imports import without

with without("cryptography"):  # sign-in tokens are HMAC (HS256): no public-key code
    import jwt

ALGORITHM = "HS256"
AUDIENCE = "hpx-api"
ISSUER = "healthproximate-appliance"
TOKEN_SCOPES = frozenset({"query", ROWS})
"""What a sign-in token may carry: ``query`` always, ``rows`` for a user an operator
granted it (users.set_rows), which raises the user's epoch so no older token outlives
a change of it."""


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expires_in: int

    def to_dict(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
        }


class TokenKeys:
    """The JWT keys, one per signing secret; the first (newest) signs."""

    def __init__(self, secrets_newest_first: list[str]) -> None:
        self._keys = [
            hmac.new(s.encode(), b"hpx.jwt.v1", hashlib.sha256).digest()
            for s in secrets_newest_first
        ]

    def issue(self, db: DB, email: str, password: str, ttl: int) -> AccessToken:
        user, org = users.check_password(db, email, password)
        now = int(clock.now())
        claims = {
            "sub": user.id,
            "org": org.id,
            "gen": user.token_epoch,
            "scope": " ".join(sorted(user.scopes)),
            "iat": now,
            "exp": now + ttl,
            "aud": AUDIENCE,
            "iss": ISSUER,
            "jti": secrets.token_hex(8),
        }
        return AccessToken(jwt.encode(claims, self._keys[0], algorithm=ALGORITHM), ttl)

    def authenticate(self, db: DB, token: str) -> Principal:
        claims = self._decode(token)
        standing = users.token_standing(db, claims["sub"])
        if standing is None or standing[0] != claims["org"]:
            raise ApplianceError(ErrorType.unauthorized, "this token's user is disabled or gone")
        if claims["gen"] != standing[1]:
            raise ApplianceError(
                ErrorType.unauthorized,
                "this token was issued before the user's password changed or the user was"
                " disabled: sign in again",
            )
        org = require_active_org(db, claims["org"], missing=ErrorType.unauthorized)
        carried = str(claims.get("scope", "query")).split()
        # The epoch matched, so the grant the token carries is the user's current one.
        scopes = TOKEN_SCOPES.intersection(carried) | {"query"}
        return Principal(org=org, scopes=frozenset(scopes), user_id=claims["sub"])

    def _decode(self, token: str) -> dict[str, Any]:
        for key in self._keys:
            try:
                return dict(
                    jwt.decode(
                        token,
                        key,
                        algorithms=[ALGORITHM],
                        audience=AUDIENCE,
                        issuer=ISSUER,
                        options={"require": ["exp", "iat", "sub", "org", "gen", "aud", "iss"]},
                    )
                )
            except jwt.ExpiredSignatureError as exc:
                raise ApplianceError(ErrorType.unauthorized, "the token has expired") from exc
            except jwt.InvalidSignatureError:
                continue  # perhaps signed with an older secret
            except jwt.InvalidTokenError as exc:
                raise ApplianceError(ErrorType.unauthorized, "the token is not valid") from exc
        raise ApplianceError(ErrorType.unauthorized, "the token is not valid")
