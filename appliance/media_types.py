"""Media types (``text/csv; charset=utf-8``) a client declares for a file: one rule
for every way in, and one for the way out.

The type is stored and later sent back as the ``Content-Type`` of every download, so
a line break in it would split the header and a character outside Latin-1 cannot be
sent at all: either made every download of the file fail. Each entrance (the JSON of
``POST /v1/uploads``, tus ``filetype`` metadata through a key, a presigned creation
URL, a drop link or a final concatenation) checks with :func:`check`; a type stored
before this rule existed is served as :data:`FALLBACK` (:func:`servable`).
"""

from __future__ import annotations

import re

from appliance.errors import invalid

MAX_LENGTH = 255
FALLBACK = "application/octet-stream"
_TCHARS = r"[A-Za-z0-9!#$&^_.+-]+"
_QUOTED = r'"[A-Za-z0-9!#$&^_.+ -]*"'
_MEDIA_TYPE = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/{_TCHARS}([ \t]*;[ \t]*{_TCHARS}=({_TCHARS}|{_QUOTED}))*",
    re.ASCII,
)
"""type/subtype, then ``; name=value`` parameters: printable ASCII only (RFC 9110)."""


def is_media_type(value: str) -> bool:
    return len(value) <= MAX_LENGTH and _MEDIA_TYPE.fullmatch(value) is not None


def check(value: str, field: str) -> str:
    """``value`` if it is a media type; else ``invalid_request`` naming ``field``."""
    if not is_media_type(value):
        raise invalid(field, "must be a media type such as text/csv")
    return value


def servable(value: str | None) -> str:
    """The type to send with a download: the stored one if it is sendable."""
    return value if value is not None and is_media_type(value) else FALLBACK
