"""The JSON-RPC 2.0 messages of ``/mcp``, as typed models: their JSON Schemas are what
``GET /openapi.json`` says a client sends and what the transport's own errors look
like (the MCP SDK checks the messages themselves, with its own models)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from appliance.analytics.plan_schema import json_schema

S = dict[str, Any]
Id = str | int


class RpcError(msgspec.Struct):
    code: int
    message: str


class Request(msgspec.Struct, kw_only=True):
    """A request (with an id) or a notification (without)."""

    jsonrpc: Literal["2.0"]
    method: str
    id: Id | UnsetType = UNSET
    params: dict[str, Any] | UnsetType | None = UNSET


class Response(msgspec.Struct, kw_only=True):
    jsonrpc: Literal["2.0"]
    id: Id
    result: Any


class ErrorMessage(msgspec.Struct, kw_only=True):
    jsonrpc: Literal["2.0"]
    id: Id | UnsetType | None = UNSET
    error: RpcError


MESSAGE: S = {"anyOf": [json_schema(Request), json_schema(Response), json_schema(ErrorMessage)]}
"""A message to /mcp: a JSON-RPC 2.0 request, notification, response or error, as the
MCP specification has a client send them."""
ERROR_RESPONSE: S = {
    "description": "A JSON-RPC error from the MCP transport (not this API's error form):"
    " a message that is not JSON-RPC, an unknown method, or a missing Accept",
    "content": {"application/json": {"schema": json_schema(ErrorMessage)}},
}
