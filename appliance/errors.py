"""The appliance's error vocabulary: each type and its default message, once.

Domain code raises :class:`ApplianceError` with a type from the contract's table
(CONTRACT.md section 3) and a message for a person. It knows nothing of HTTP: the
HTTP layer (``appliance/http/error_responses.py``) gives each type its status and
writes ``{"error": type, "message": message}``; the CLI prints the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


class ErrorType(Enum):
    """The contract's error types, with the message used when none is given."""

    invalid_request = "The request is malformed."
    unauthorized = "A valid API key or bearer token is required."
    forbidden = "This credential may not do that."
    invalid_token = "The upload URL is not valid."  # noqa: S105
    token_expired = "The upload URL has expired; ask for a new one."  # noqa: S105
    not_found = "Not found."
    method_not_allowed = "This method is not allowed on this path."
    request_timeout = "The body arrived too slowly; send it again with the same URL."
    upload_in_progress = "This upload URL is already receiving a body."
    offset_mismatch = "The upload has a different offset; ask with HEAD and go on from there."
    token_used = "This upload URL has already been used."  # noqa: S105
    payload_too_large = "The body is larger than allowed."
    range_not_satisfiable = "The requested range is outside the file."
    checksum_mismatch = "The body does not match the declared SHA-256."
    size_mismatch = "The body does not match the declared size."
    unanswerable_question = "The question cannot be answered from the data."
    rate_limited = "Too many attempts; retry later."
    internal_error = "Something went wrong on the server; nothing was stored."
    insufficient_storage = "Not enough storage for this upload."
    store_unavailable = "The file store cannot be reached right now; try again shortly."

    @property
    def default_message(self) -> str:
        return str(self.value)


class ApplianceError(Exception):
    """An error the caller is meant to see, whoever the caller is."""

    def __init__(
        self,
        kind: ErrorType,
        message: str | None = None,
        *,
        retry_after: int | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.message = message or kind.default_message
        self.retry_after = retry_after
        """Seconds after which trying again may succeed (rate limits)."""
        self.details = dict(details or {})
        """Fields beside ``error`` and ``message`` that help the caller act on it (an
        unanswerable question's words not understood and the suggested plans)."""
        super().__init__(f"{kind.name}: {self.message}")

    def body(self) -> dict[str, Any]:
        return {"error": self.kind.name, "message": self.message} | self.details


STORE_RETRY_AFTER = 5
"""Seconds a client is told to wait when the object store is down or restarting."""


def unavailable(cause: Exception) -> ApplianceError:
    """``store_unavailable`` for a store that cannot be reached (its message stays in
    the log: it names the store's error code, which a client has no use for)."""
    return ApplianceError(ErrorType.store_unavailable, retry_after=STORE_RETRY_AFTER)


def invalid(field: str, why: str) -> ApplianceError:
    """``invalid_request`` naming the offending field, as the contract asks."""
    return ApplianceError(ErrorType.invalid_request, f"{field}: {why}")
