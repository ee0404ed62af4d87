"""The error vocabulary of the API: each type, its status and its default message, once.

Services raise :class:`ApiError`; the HTTP layer turns it into
``{"error": type, "message": message}`` with the status. Nothing else produces an
error body, so the table in CONTRACT.md section 3 is enforced here.
"""

from __future__ import annotations

from enum import Enum


class ErrorType(Enum):
    """(status, default message) per error type of the contract."""

    invalid_request = (400, "The request is malformed.")
    unauthorized = (401, "A valid API key or bearer token is required.")
    forbidden = (403, "This credential may not do that.")
    invalid_token = (403, "The upload URL is not valid.")
    token_expired = (403, "The upload URL has expired; ask for a new one.")
    not_found = (404, "Not found.")
    method_not_allowed = (405, "This method is not allowed on this path.")
    upload_in_progress = (409, "This upload URL is already receiving a body.")
    token_used = (410, "This upload URL has already been used.")
    request_timeout = (408, "The body arrived too slowly; send it again with the same URL.")
    payload_too_large = (413, "The body is larger than allowed.")
    range_not_satisfiable = (416, "The requested range is outside the file.")
    checksum_mismatch = (422, "The body does not match the declared SHA-256.")
    size_mismatch = (422, "The body does not match the declared size.")
    unanswerable_question = (422, "The question cannot be answered from the data.")
    rate_limited = (429, "Too many attempts; retry later.")
    internal_error = (500, "Something went wrong on the server; nothing was stored.")
    insufficient_storage = (507, "Not enough storage for this upload.")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def default_message(self) -> str:
        return self.value[1]


class ApiError(Exception):
    """An error a client is meant to see."""

    def __init__(
        self,
        kind: ErrorType,
        message: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.message = message or kind.default_message
        self.headers = headers or {}
        super().__init__(f"{kind.name}: {self.message}")

    @property
    def status(self) -> int:
        return self.kind.status

    def body(self) -> dict[str, str]:
        return {"error": self.kind.name, "message": self.message}


def invalid(field: str, why: str) -> ApiError:
    """400 naming the offending field, as the contract asks."""
    return ApiError(ErrorType.invalid_request, f"{field}: {why}")
