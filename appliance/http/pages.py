"""HTML pages for people (the drop-link page and its notices), not for programs.

Pages are files in ``pages/`` filled with :class:`string.Template`; every value is
HTML-escaped here. Their scripts and styles come from ``static/`` on the appliance
itself (no CDN: the host may have no internet), and the Content-Security-Policy
allows nothing else. ``Referrer-Policy: no-referrer`` keeps the page's URL, which is
its credential, out of every request the page makes.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from string import Template

from starlette.responses import HTMLResponse

from appliance.errors import ApplianceError, ErrorType

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

NOTICES: dict[ErrorType, tuple[int, str, str]] = {
    ErrorType.invalid_token: (
        404,
        "This link is not valid",
        "Check that the whole link was copied, or ask whoever sent it for a new one.",
    ),
    ErrorType.token_expired: (
        410,
        "This link has expired",
        "Ask whoever sent it for a new link.",
    ),
    ErrorType.token_used: (
        410,
        "This link has already been used",
        "Each link works once, in the browser that first opened it. To send more files, "
        "ask whoever sent it for a new link.",
    ),
    ErrorType.unauthorized: (
        410,
        "This link is no longer valid",
        "The credential that made it was withdrawn. Ask whoever sent it for a new link.",
    ),
    ErrorType.forbidden: (
        403,
        "Uploads are paused",
        "The organization this link belongs to is not accepting files at the moment.",
    ),
    ErrorType.not_found: (
        404,
        "This link is not valid",
        "The organization it belongs to no longer exists.",
    ),
}


@cache
def _template(name: str) -> Template:
    return Template(resources.files("appliance.http").joinpath("pages", name).read_text())


def render(name: str, status: int = 200, headers: dict[str, str] | None = None,
           **values: str) -> HTMLResponse:  # fmt: skip
    body = _template(name).substitute({k: html.escape(v) for k, v in values.items()})
    return HTMLResponse(body, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def notice(error: ApplianceError) -> HTMLResponse:
    """The page a person sees instead of a JSON error."""
    status, title, advice = NOTICES.get(
        error.kind, (500, "Something went wrong", "Try again in a few minutes.")
    )
    if error.kind is ErrorType.rate_limited:
        status, title, advice = 429, "Too many attempts", "Wait a minute, then reload."
    return render("notice.html", status, title=title, advice=advice)
