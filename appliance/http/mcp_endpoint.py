"""``POST /mcp``: the analytics as Model Context Protocol tools, for agents.

The official SDK's Streamable HTTP transport, stateless with JSON responses: no
session lives in a process, so any server process, or any node behind a load
balancer, answers any request (a client that initialises a session is simply given
none, and goes on without one). Before the SDK sees a request, the appliance checks
it as it checks ``/v1/queries``: Host and Origin (:mod:`mcp_guard`), then the
credential with the ``query`` scope (:func:`credentials.authenticate`: suspended
organizations, revoked keys, the failure limiter). The tools are :mod:`mcp_tools`.

The SDK (pydantic, its protocol types) is imported when the first ``/mcp`` request
arrives, in a request thread: a process that never serves an agent never holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import traceback
from contextvars import ContextVar
from typing import Any

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from appliance.accounts.apikeys import Principal
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.http import mcp_guard, mcp_tools
from appliance.http.credentials import authenticate
from appliance.threads import in_thread

log = logging.getLogger("hpx.mcp")

INSTRUCTIONS = (
    "Analytics over this organization's uploaded tables. Work as: list_datasets, then"
    " describe_dataset (columns, types, labels, frequent values), then build a plan and"
    " call run_plan. Call ask only to pass on a question a person typed."
)

_caller: ContextVar[tuple[Appliance, Principal]] = ContextVar("hpx_mcp_caller")
"""Set by the endpoint for the request it hands to the SDK; the SDK runs the request's
handler in a task started from it, which inherits it."""


async def _list_tools(_ctx: Any, _params: Any) -> Any:
    import mcp_types as types

    return types.ListToolsResult(
        tools=[
            types.Tool(
                name=t.name,
                title=t.title,
                description=t.description,
                input_schema=t.input_schema,
                output_schema=t.output_schema,
                annotations=types.ToolAnnotations(
                    title=t.title, read_only_hint=True, open_world_hint=False
                ),
            )
            for t in mcp_tools.TOOLS
        ]
    )


async def _call_tool(_ctx: Any, params: Any) -> Any:
    import mcp_types as types

    appliance, principal = _caller.get()
    try:
        result = await mcp_tools.call(appliance, principal, params.name, params.arguments)
    except ApplianceError as exc:  # the tool's error, for the agent to read and correct
        return _tool_error(types, exc)
    except Exception as exc:  # as ErrorBoundary: its type and where, never its message
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("unhandled %s in mcp %s\n%s", type(exc).__name__, params.name, frames)
        return _tool_error(types, ApplianceError(ErrorType.internal_error))
    text = json.dumps(result, allow_nan=False, default=str)
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], structured_content=result
    )


def _tool_error(types: Any, exc: ApplianceError) -> Any:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=f"{exc.kind.name}: {exc.message}")],
        structured_content=exc.body(),
        is_error=True,
    )


def _input_schema(name: str) -> dict[str, Any] | None:
    tool = mcp_tools.BY_NAME.get(name)
    return tool.input_schema if tool else None


def _build() -> Any:
    """The SDK's server and its stateless, JSON-answering transport manager."""
    from mcp.server.lowlevel import Server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

    server: Any = Server(
        "healthproximate-appliance",
        version="1",
        instructions=INSTRUCTIONS,
        # Read by the SDK before each tools/call (its Mcp-Param-* header check); without
        # it, the SDK would build the whole tools/list answer every call to find it.
        get_tool_input_schema=_input_schema,
        on_list_tools=_list_tools,
        on_call_tool=_call_tool,
    )
    server.middleware = []  # no tracing spans: nothing here exports them
    return StreamableHTTPSessionManager(app=server, json_response=True, stateless=True)


class McpEndpoint:
    """The ASGI app at ``/mcp``; one per Starlette app."""

    def __init__(self) -> None:
        self.__name__ = "mcp"  # the handler label of /metrics, as a view function's name
        self._manager: Any = None
        self._keeper: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        appliance: Appliance = request.app.state.appliance
        mcp_guard.check(request, appliance.settings)
        try:
            principal = await authenticate(request, "query")
        except ApplianceError as exc:
            if exc.kind is ErrorType.unauthorized:
                raise mcp_guard.unauthorized(request, appliance.settings, exc.message) from None
            raise
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            # The SDK would answer in plain text; a JSON-RPC message is JSON (the contract's
            # error form, like every other endpoint's refusal of a body it cannot read).
            raise invalid("Content-Type", "must be application/json (a JSON-RPC message)")
        manager = await self._started()
        token = _caller.set((appliance, principal))
        try:
            await manager.handle_request(scope, receive, send)
        finally:
            _caller.reset(token)

    async def _started(self) -> Any:
        if self._manager is None:
            async with self._starting:
                if self._manager is None:
                    manager = await in_thread(_build)
                    running = asyncio.Event()
                    self._keeper = asyncio.create_task(_keep(manager, running))
                    await running.wait()
                    self._manager = manager
                    log.info("MCP SDK loaded by server process %d", os.getpid())
        return self._manager

    async def close(self) -> None:
        """End the SDK's task group (at the app's shutdown), if it was ever started."""
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None


async def _keep(manager: Any, running: asyncio.Event) -> None:
    """Hold the SDK manager's task group open for the life of the process."""
    async with manager.run():
        running.set()
        await asyncio.Event().wait()
