"""``GET /openapi.json``: the OpenAPI 3.1 description of every endpoint.

Written out so that it says exactly what the contract promises (request fields,
answers, each endpoint's error statuses), except the analytics' schemas and /mcp's
messages: their typed models' (answer_schema, plan_schema, mcp_schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from appliance.analytics import answer_schema
from appliance.errors import ErrorType
from appliance.http.error_responses import STATUS
from appliance.http.mcp_guard import METADATA_PATH
from appliance.http.openapi_schemas import (
    ANALYSIS,
    CHECKSUM,
    CREDENTIAL,
    DATASET,
    DATASET_DETAIL,
    ERROR,
    FILE,
    FILENAME,
    INT,
    JSONRPC_ERROR,
    JSONRPC_MESSAGE,
    MEDIA_TYPE,
    PART,
    PART_URL,
    PATH,
    PRECONDITION,
    PRESIGNED,
    SESSION,
    SHA,
    STR,
    TEXT,
    TIME,
    S,
    null_is_absent,
    obj,
)
from appliance.uploads import multipart

VERSION = "1.0.0"


def _op(
    summary: str,
    ok: tuple[int, S | None],
    errors: list[int],
    *,
    body: S | None = None,
    security: list[S] | None = None,
    params: list[S] | None = None,
) -> S:
    op: S = {"summary": summary, "responses": {}}
    code, schema = ok
    op["responses"][str(code)] = (
        {"description": "OK"}
        if schema is None
        else {"description": "OK", "content": {"application/json": {"schema": schema}}}
    )
    for status in errors:
        op["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    op["security"] = CREDENTIAL if security is None else security
    if params:
        op["parameters"] = params
    return op


def _tus_paths() -> S:
    """The tus 1.0 endpoints (https://tus.io/protocols/resumable-upload), described as
    such: their requests and answers are headers, their bodies raw bytes."""

    def header(name: str, schema: S = STR, required: bool = False) -> S:
        return {"name": name, "in": "header", "required": required, "schema": schema}

    version = header("Tus-Resumable", {"type": "string", "enum": ["1.0.0"]}, required=True)
    tus_errors: S = {
        "412": PRECONDITION,
        "415": {"description": "the body is not application/offset+octet-stream"},
        "460": {"description": "Upload-Checksum differs (the PATCH was not appended)"},
    }

    def op(summary: str, ok: int, errors: list[int], security: list[S], params: list[S]) -> S:
        made = _op(summary, (ok, None), errors, security=security, params=params)
        made["responses"] |= tus_errors
        return made

    token = _path_param("token")
    offset_body: S = {
        "content": {
            "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}
        }
    }
    create = op(
        "tus creation (with an upload, or with the length deferred): 201, Location",
        201,
        [400, 408, 409, 413, 503, 507, *AUTH],
        CREDENTIAL,
        [
            version,
            header("Upload-Length", INT),
            header("Upload-Defer-Length", {"type": "string", "enum": ["1"]}),
            header("Upload-Metadata"),
            header("Upload-Concat"),
        ],
    )
    create["requestBody"] = {"required": False, **offset_body}
    patch = op(
        "tus: append the body at Upload-Offset; 204 with the new offset",
        204,
        [400, 403, 404, 408, 409, 410, 413, 503, 507],
        PRESIGNED,
        [token, version, header("Upload-Offset", INT, required=True),
         header("Upload-Checksum", CHECKSUM), header("Upload-Length", INT)],
    )  # fmt: skip
    patch["requestBody"] = {"required": True, **offset_body}
    discovery = op("tus discovery: version, extensions, maximum size", 204, [], PRESIGNED, [])
    presigned = op(
        "tus creation through a presigned creation URL (once; then 410)",
        201,
        [400, 403, 404, 408, 409, 410, 413, 503, 507],
        PRESIGNED,
        [
            token,
            version,
            header("Upload-Length", INT),
            header("Upload-Defer-Length", {"type": "string", "enum": ["1"]}),
            header("Upload-Metadata"),
        ],
    )
    presigned["requestBody"] = {"required": False, **offset_body}
    return {
        "/v1/tus/": {"post": create, "options": discovery},
        "/v1/tus/{token}": {
            "post": presigned,
            "head": op(
                "tus: the upload's offset", 200, [403, 404, 410], PRESIGNED, [token, version]
            ),
            "patch": patch,
            "delete": op("tus termination", 204, [403, 404, 409, 410], PRESIGNED, [token, version]),
            "options": op("tus discovery", 204, [], PRESIGNED, [token]),
        },
    }


def _link_paths() -> S:
    """A drop link's page (HTML, for a person) and the calls its script makes."""
    token = [_path_param("token")]
    html: S = {"content": {"text/html": {"schema": STR}}}
    page = _op("A drop link's page (HTML), or a page saying why not", (200, None), [],
               security=PRESIGNED, params=token)  # fmt: skip
    page["responses"] = {
        "200": {"description": "the page", **html},
        "403": {"description": "the organization is suspended", **html},
        "404": {"description": "not a valid link", **html},
        "410": {"description": "expired, used, or its credential withdrawn", **html},
        "429": {"$ref": "#/components/responses/E429"},
    }
    opener = _op(
        "Open the link for this browser (sets its session cookie); GET and HEAD do not",
        (200, obj(link_id=STR, max_files={"type": "integer"})),
        [403, 410],
        security=PRESIGNED,
        params=token,
    )
    create = _op(
        "tus creation for the page's script (its session cookie is the credential)",
        (201, None),
        [400, 403, 410, 413, 503, 507],
        security=PRESIGNED,
        params=[*token, {"name": "Tus-Resumable", "in": "header", "required": True,
                         "schema": {"type": "string", "enum": ["1.0.0"]}}],
    )  # fmt: skip
    create["responses"]["412"] = PRECONDITION
    done = _op(
        "Close the link; the files it brought",
        (200, obj(files={"type": "array", "items": FILE})),
        [403, 409, 410],
        security=PRESIGNED,
        params=token,
    )
    return {
        "/v1/drop/{token}": {"get": page},
        "/v1/drop/{token}/open": {"post": opener},
        "/v1/drop/{token}/tus/": {"post": create},
        "/v1/drop/{token}/done": {"post": done},
    }


def _path_param(name: str) -> S:
    return {"name": name, "in": "path", "required": True, "schema": STR}


AUTH = [401, 403, 429]


@dataclass(frozen=True)
class Limits:
    """The configured maxima a request is held to: part of the description, so that a
    value it allows is never refused."""

    max_upload_size: int
    max_multipart_size: int
    upload_url_max_ttl: int


@cache
def openapi_document(limits: Limits) -> S:
    expires_in: S = {"type": "integer", "minimum": 1, "maximum": limits.upload_url_max_ttl}
    upload_id = [_path_param("upload_id")]
    file_id = [_path_param("file_id")]
    dataset_name = [_path_param("name")]
    paths: S = {
        "/v1/uploads": {
            "post": _op(
                "Ask for a presigned single-use upload URL (PUT), a tus creation URL (POST),"
                " or a drop link for a person's browser",
                (
                    201,
                    obj(
                        upload_id=STR,
                        upload_url=STR,
                        link_id=STR,
                        url=STR,
                        label={"type": ["string", "null"]},
                        max_files=INT,
                        method=STR,
                        protocol=STR,
                        headers={"type": "object"},
                        filename=STR,
                        expires_at=TIME,
                        max_size=INT,
                    ),
                ),
                [400, *AUTH, 413, 503, 507],
                body={
                    **null_is_absent(
                        obj(
                            [],
                            filename=FILENAME,
                            protocol={"type": "string", "enum": ["put", "tus", "link"]},
                            label={"type": "string", "minLength": 1, "maxLength": 200},
                            max_files={"type": "integer", "minimum": 1, "maximum": 1000},
                            content_type=MEDIA_TYPE,
                            size={**INT, "maximum": limits.max_upload_size},
                            sha256=SHA,
                            expires_in=expires_in,
                            path=PATH,
                        )
                    ),
                    # put (the default) names its file; a tus upload is checked per
                    # PATCH (Upload-Checksum), so it declares no sha256.
                    "allOf": [
                        {
                            "if": {"not": {"required": ["protocol"]}},
                            "then": {
                                "required": ["filename"],
                                "properties": {"filename": FILENAME},
                            },
                        },
                        {
                            "if": {"properties": {"protocol": {"const": "put"}}},
                            "then": {
                                "required": ["filename"],
                                "properties": {"filename": FILENAME},
                            },
                        },
                        {
                            "if": {
                                "properties": {"protocol": {"const": "tus"}},
                                "required": ["protocol"],
                            },
                            "then": {"not": {"required": ["sha256"]}},
                        },
                    ],
                },
            )
        },
        **_tus_paths(),
        **_link_paths(),
        "/v1/put/{token}": {
            "put": _op(
                "Upload the bytes of a file (201, the file) or of a part (200, the part)",
                (201, FILE),
                [400, 403, 404, 408, 409, 410, 413, 422, 503, 507],
                security=PRESIGNED,
                params=[_path_param("token")],
            )
        },
        "/v1/uploads/multipart": {
            "post": _op(
                "Open a multipart upload session",
                (
                    201,
                    obj(
                        upload_id=STR,
                        filename=STR,
                        size=INT,
                        part_size=INT,
                        part_count=INT,
                        expires_at=TIME,
                        parts={"type": "array", "items": PART_URL},
                    ),
                ),
                [400, *AUTH, 503, 507],
                body=null_is_absent(
                    obj(
                        ["filename", "size"],
                        filename=FILENAME,
                        size={
                            "type": "integer",
                            "minimum": 1,
                            "maximum": limits.max_multipart_size,
                        },
                        part_size={
                            "type": "integer",
                            "minimum": multipart.MIN_PART_SIZE,
                            "maximum": multipart.MAX_PART_SIZE,
                        },
                        sha256=SHA,
                        content_type=MEDIA_TYPE,
                        path=PATH,
                    )
                ),
            )
        },
        "/v1/uploads/multipart/{upload_id}": {
            "get": _op(
                "The session and the parts received, for resuming",
                (200, SESSION),
                [*AUTH, 404],
                params=upload_id,
            ),
            "delete": _op(
                "Abort and remove the parts", (204, None), [*AUTH, 404, 409, 410], params=upload_id
            ),
        },
        "/v1/uploads/multipart/{upload_id}/parts": {
            "post": _op(
                "Fresh presigned URLs for some parts",
                (200, obj(upload_id=STR, parts={"type": "array", "items": PART_URL})),
                [400, *AUTH, 404, 409, 410],
                body=obj(
                    ["part_numbers"],
                    part_numbers={
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 1000,
                        "items": {"type": "integer", "minimum": 1},
                    },
                ),
                params=upload_id,
            )
        },
        "/v1/uploads/multipart/{upload_id}/complete": {
            "post": _op(
                "Assemble the parts into the file (idempotent)",
                (201, FILE),
                [400, *AUTH, 404, 409, 422, 503, 507],
                body=obj(
                    parts={
                        "type": "array",
                        "items": obj(
                            ["part_number", "sha256"],
                            part_number={"type": "integer", "minimum": 1},
                            sha256=SHA,
                        ),
                    }
                ),
                params=upload_id,
            )
        },
        "/v1/files": {
            "get": _op(
                "The organization's files, newest first",
                (
                    200,
                    obj(
                        files={"type": "array", "items": FILE},
                        next_cursor={"type": ["string", "null"]},  # null on the last page
                    ),
                ),
                [400, *AUTH],
                params=[
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "the next_cursor of the page before; any other is 400",
                        "schema": {"type": "string", "minLength": 1},
                    },
                ],
            )
        },
        "/v1/files/{file_id}": {
            "get": _op("One file's metadata", (200, FILE), [*AUTH, 404], params=file_id),
            "delete": _op("Delete a file", (204, None), [*AUTH, 404, 503], params=file_id),
        },
        "/v1/files/{file_id}/content": {
            "get": _op(
                "The file's bytes (Range supported)",
                (200, None),
                [*AUTH, 404, 416, 503],
                params=file_id,
            )
        },
        "/v1/auth/token": {
            "post": _op(
                "Sign in for a bearer token",
                (200, obj(access_token=STR, token_type=STR, expires_in=INT)),
                [400, 401, 403, 429],
                body=obj(["email", "password"], email=TEXT, password=TEXT),
                security=PRESIGNED,
            )
        },
        "/v1/datasets": {
            "get": _op(
                "The organization's datasets, one per uploaded CSV or TSV file",
                (200, obj(datasets={"type": "array", "items": DATASET})),
                AUTH,
            )
        },
        "/v1/datasets/{name}": {
            "get": _op(
                "One dataset with a profile (and dictionary entry) per column",
                (200, DATASET_DETAIL),
                [*AUTH, 404],
                params=dataset_name,
            )
        },
        "/v1/datasets/{name}/dictionary": {
            "put": _op(
                "Label columns and their values; the question reader uses them too",
                (200, DATASET_DETAIL),
                [400, *AUTH, 404],
                params=dataset_name,
                body=obj(
                    ["columns"],
                    columns={
                        "type": "object",
                        "additionalProperties": answer_schema.DICTIONARY_ENTRY,
                    },
                ),
            )
        },
        "/v1/queries": {
            "post": _op(
                "Answer a question or a plan (Accept: text/event-stream streams it;"
                " format=svg draws a survival answer's Kaplan-Meier curve instead)",
                (200, ANALYSIS),
                [400, *AUTH, 404, 422],
                body={
                    **answer_schema.QUERY,
                    "oneOf": [{"required": ["question"]}, {"required": ["plan"]}],
                },
                params=[
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["json", "svg"], "default": "json"},
                    }
                ],
            )
        },
        "/": {
            "get": _op(
                "Where the API and its description are",
                (200, obj(service=STR, api=STR, openapi=STR, health=STR, docs=STR)),
                [],
                security=PRESIGNED,
            )
        },
        "/healthz": {"get": _op("Liveness", (200, obj(status=STR)), [], security=PRESIGNED)},
        "/readyz": {
            "get": _op(
                "Readiness: database, store, disk and secrets (503 with the failing checks)",
                (200, obj(status=STR, checks={"type": "object"})),
                [],
                security=PRESIGNED,
            )
        },
        "/metrics": {"get": _op("Prometheus metrics", (200, None), [], security=PRESIGNED)},
        "/openapi.json": {"get": _op("This document", (200, None), [], security=PRESIGNED)},
        "/mcp": {
            "post": _op(
                "Model Context Protocol (Streamable HTTP, JSON-RPC; docs/agents.md): the tools"
                " list_datasets, describe_dataset, ask and run_plan. 401 carries"
                ' WWW-Authenticate: Bearer resource_metadata="…"; a foreign Host is 421',
                (200, {"type": "object"}),
                AUTH,  # the SDK's own refusals (JSON-RPC errors) are not this table's
                body=JSONRPC_MESSAGE,
            )
        },
        **{
            path: {
                "get": _op(
                    "Protected-resource metadata of /mcp (RFC 9728): how to get a token",
                    (200, obj(resource=STR, bearer_methods_supported={"type": "array"})),
                    [],
                    security=PRESIGNED,
                )
            }
            for path in (METADATA_PATH, METADATA_PATH + "/mcp")
        },
    }
    mcp = paths["/mcp"]["post"]["responses"]
    mcp["202"] = {"description": "A notification (a message without an id) taken"}
    mcp["406"] = JSONRPC_ERROR
    mcp["400"] = {  # this API's error form for a body that is not JSON, else JSON-RPC's
        "description": JSONRPC_ERROR["description"] + "; or this API's error form",
        "content": {
            "application/json": {
                "schema": {"anyOf": [JSONRPC_ERROR["content"]["application/json"]["schema"], ERROR]}
            }
        },
    }
    picture = {"schema": {"type": "string", "description": "an SVG document"}}
    paths["/v1/queries"]["post"]["responses"]["200"]["content"]["image/svg+xml"] = picture
    # A part's URL answers 200 with the part; a whole file's, 201 with the file.
    paths["/v1/put/{token}"]["put"]["responses"]["200"] = {
        "description": "A part received",
        "content": {"application/json": {"schema": PART}},
    }
    statuses = sorted(set(STATUS.values()))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Healthproximate appliance", "version": VERSION},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
            "schemas": {"Error": ERROR},
            "responses": {
                f"E{status}": {
                    "description": ", ".join(e.name for e in ErrorType if STATUS[e] == status),
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
                for status in statuses
            },
        },
    }
