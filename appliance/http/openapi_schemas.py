"""The building blocks of ``GET /openapi.json`` (:mod:`appliance.http.openapi`): the
shared schemas of files, uploads, errors and answers, and the helpers that write an
object's schema. Apart so that the document's module holds the endpoints alone."""

from __future__ import annotations

from typing import Any

from appliance import media_types
from appliance.analytics import answer_schema
from appliance.errors import ErrorType
from appliance.http import mcp_schema
from appliance.uploads import paths

S = dict[str, Any]


def obj(required: list[str] | None = None, **props: S) -> S:
    schema: S = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def null_is_absent(body: S) -> S:
    """``body`` with each optional field also allowed as null: the server reads a
    field sent as null as one left out (appliance/http/parsing.py)."""
    required = set(body.get("required", [])) | {"protocol"}  # absent: put; null: 400
    props = {
        name: schema if name in required else {"anyOf": [schema, {"type": "null"}]}
        for name, schema in body["properties"].items()
    }
    return {**body, "properties": props}


STR: S = {"type": "string"}
TEXT: S = {"type": "string", "minLength": 1, "pattern": "\\S"}
"""A string that must say something: empty or blank is refused (400)."""
FILENAME: S = {**TEXT, "maxLength": 1024}
PATH: S = {
    "type": "string",
    "minLength": 1,
    "maxLength": paths.MAX_PATH_CHARS,
    "allOf": [
        {"pattern": "\\S"},
        {"pattern": f"^[^/\\\\]*(?:[/\\\\][^/\\\\]*){{0,{paths.MAX_DEPTH - 1}}}$"},
    ],
    "description": "where the file was on the sender's side (tree/2024/labs.csv):"
    " recorded with the file, each part sanitized as a filename; at most"
    f" {paths.MAX_DEPTH} parts",
}
INT: S = {"type": "integer", "minimum": 0}
SHA: S = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
MEDIA_TYPE: S = {
    "type": "string",
    "minLength": 3,
    "maxLength": media_types.MAX_LENGTH,
    "pattern": f"^(?:{media_types._MEDIA_TYPE.pattern})$",
}
"""What appliance/media_types.py accepts: ``text/csv; charset=utf-8``."""
CHECKSUM: S = {
    "type": "string",
    "pattern": "^(sha1|sha256) (?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}
"""``Upload-Checksum``: the algorithm, a space, the digest in base64 (tus checksum)."""
PRECONDITION: S = {"description": "Tus-Resumable is missing or not 1.0.0"}
TIME: S = {"type": "string", "format": "date-time"}

FILE = obj(
    file_id=STR,
    upload_id=STR,
    filename=STR,
    size=INT,
    sha256=SHA,
    content_type=STR,
    created_at=TIME,
    path={"type": ["string", "null"]},  # null unless sent with the upload
)
PART = obj(part_number=INT, size=INT, sha256=SHA)
PART_URL = obj(part_number=INT, size=INT, upload_url=STR, expires_at=TIME)
SESSION = obj(
    upload_id=STR,
    filename=STR,
    size=INT,
    sha256={"anyOf": [SHA, {"type": "null"}]},  # null unless declared
    content_type=STR,
    part_size=INT,
    part_count=INT,
    state=STR,
    created_at=TIME,
    expires_at=TIME,
    file_id={"type": ["string", "null"]},  # null until completed
    parts_received={"type": "array", "items": obj(part_number=INT, size=INT, sha256=SHA)},
)
ERROR = obj(
    ["error", "message"], error={"type": "string", "enum": [e.name for e in ErrorType]}, message=STR
)

JSONRPC_MESSAGE = mcp_schema.MESSAGE
JSONRPC_ERROR = mcp_schema.ERROR_RESPONSE
DATASET = answer_schema.DATASET
DATASET_DETAIL = answer_schema.DATASET_DETAIL
ANALYSIS = answer_schema.ANALYSIS

CREDENTIAL: list[S] = [{"apiKey": []}, {"bearer": []}]
API_KEY_ONLY: list[S] = [{"apiKey": []}]
PRESIGNED: list[S] = []  # the URL is the credential
