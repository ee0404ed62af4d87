"""Cross-origin requests from browsers: off unless ``cors_origins`` names origins.

Starlette's CORS middleware answers preflights and adds the headers; this keeps its
refusals in the appliance's JSON error form and lists the headers browsers must be
allowed to read (a tus client reads ``Location`` and ``Upload-Offset``; a download,
``Content-Range`` and ``ETag``).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
EXPOSED = [
    "Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Upload-Defer-Length",
    "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm",
    "ETag", "Content-Range", "Content-Disposition", "Retry-After",
]  # fmt: skip


def origins(setting: str) -> list[str]:
    """``cors_origins``: origins separated by commas or spaces (``*`` for any)."""
    return [o.strip().rstrip("/") for o in setting.replace(",", " ").split() if o.strip()]


class Cors(CORSMiddleware):
    def __init__(self, app: ASGIApp, allow: list[str]) -> None:
        super().__init__(
            app,
            allow_origins=allow,
            allow_methods=METHODS,
            allow_headers=["*"],
            expose_headers=EXPOSED,
            max_age=600,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code == 200:
            return answer
        refused = bytes(answer.body).decode()
        body = {"error": "forbidden", "message": f"{refused}: see cors_origins"}
        # The refusal's own length and type describe its text, not this body: kept,
        # they announced 22 bytes before a longer body, h11 broke the connection, and
        # every refused preflight left a traceback in the log.
        kept = {
            name: value
            for name, value in answer.headers.items()
            if name.lower() not in ("content-length", "content-type")
        }
        return JSONResponse(body, status_code=403, headers=kept)
