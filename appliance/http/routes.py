"""The Starlette application: routes, error handling and shared state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from appliance.accounts.presign import PUT_PATH
from appliance.analytics import datasets
from appliance.context import Appliance
from appliance.errors import ApplianceError
from appliance.http import (
    analytics_views,
    cors,
    credentials,
    file_views,
    link_views,
    mcp_guard,
    ops_views,
    tus_views,
    upload_views,
)
from appliance.http.error_responses import ErrorBoundary, on_api_error, on_http_exception
from appliance.http.limits import InFlightLimit
from appliance.http.mcp_endpoint import McpEndpoint
from appliance.http.ratelimit import FailureLimiter
from appliance.http.request_metrics import MetricsMiddleware
from appliance.metrics import Metrics


def create_app(appliance: Appliance) -> Starlette:
    metrics = Metrics(
        free_bytes=lambda: float(appliance.store.free_bytes()),
        imports_running=lambda: float(datasets.imports_running()),
    )
    # Under "/v1" by name, not in a Mount: a Mount matches the rest of the path with
    # ".*", which stops at a newline, so a drop link broken across lines by a mail
    # program ("%0A" in the token) got the JSON "no such endpoint" instead of the page
    # saying the link is not valid.
    v1 = [
        Route("/v1/auth/token", credentials.sign_in, methods=["POST"]),
        Route("/v1/datasets", analytics_views.list_datasets, methods=["GET"]),
        Route("/v1/datasets/{name}", analytics_views.get_dataset, methods=["GET"]),
        Route("/v1/datasets/{name}/dictionary", analytics_views.put_dictionary, methods=["PUT"]),
        Route("/v1/queries", analytics_views.ask, methods=["POST"]),
        Route("/v1/uploads", upload_views.create_upload, methods=["POST"]),
        Route("/v1/uploads/multipart", upload_views.create_session, methods=["POST"]),
        Route("/v1/uploads/multipart/{upload_id}", upload_views.get_session, methods=["GET"]),
        Route("/v1/uploads/multipart/{upload_id}", upload_views.abort, methods=["DELETE"]),
        Route(
            "/v1/uploads/multipart/{upload_id}/parts",
            upload_views.fresh_part_urls,
            methods=["POST"],
        ),
        Route(
            "/v1/uploads/multipart/{upload_id}/complete", upload_views.complete, methods=["POST"]
        ),
        Route(PUT_PATH + "{token}", upload_views.put_presigned, methods=["PUT"]),
        Route("/v1/tus/", tus_views.tus_create, methods=["POST"]),
        Route("/v1/tus/", tus_views.tus_options, methods=["OPTIONS"]),
        Route("/v1/tus/{token}", tus_views.tus_create_presigned, methods=["POST"]),
        Route("/v1/tus/{token}", tus_views.tus_head, methods=["HEAD"]),
        Route("/v1/tus/{token}", tus_views.tus_patch, methods=["PATCH"]),
        Route("/v1/tus/{token}", tus_views.tus_delete, methods=["DELETE"]),
        Route("/v1/tus/{token}", tus_views.tus_options, methods=["OPTIONS"]),
        Route("/v1/drop/{token}", link_views.drop_page, methods=["GET"]),
        Route("/v1/drop/{token}/open", link_views.drop_open, methods=["POST"]),
        Route("/v1/drop/{token}/tus/", link_views.drop_create, methods=["POST"]),
        Route("/v1/drop/{token}/done", link_views.drop_done, methods=["POST"]),
        Route("/v1/files", file_views.list_files, methods=["GET"]),
        Route("/v1/files/{file_id}", file_views.get_file, methods=["GET"]),
        Route("/v1/files/{file_id}", file_views.delete_file, methods=["DELETE"]),
        Route("/v1/files/{file_id}/content", file_views.file_content, methods=["GET"]),
    ]
    middleware = [
        Middleware(MetricsMiddleware, metrics=metrics),
        Middleware(
            InFlightLimit,
            per_address=appliance.settings.max_requests_per_address,
            total=appliance.settings.max_requests,
        ),
        Middleware(ErrorBoundary),
    ]
    allowed = cors.origins(appliance.settings.cors_origins)
    if allowed:  # outermost: a preflight is answered before anything else
        middleware.insert(0, Middleware(cors.Cors, allow=allowed))
    mcp = McpEndpoint()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await mcp.close()

    app = Starlette(
        routes=[
            Route("/", ops_views.root, methods=["GET"]),
            Route("/healthz", ops_views.healthz, methods=["GET"]),
            Route("/readyz", ops_views.readyz, methods=["GET"]),
            Route("/metrics", ops_views.metrics, methods=["GET"]),
            Route("/openapi.json", ops_views.openapi, methods=["GET"]),
            Route("/mcp", mcp, methods=["POST"]),
            Route(mcp_guard.METADATA_PATH, mcp_guard.protected_resource, methods=["GET"]),
            Route(mcp_guard.METADATA_PATH + "/mcp", mcp_guard.protected_resource, methods=["GET"]),
            *v1,
            Mount("/static", StaticFiles(packages=[("appliance.http", "static")])),
        ],
        middleware=middleware,
        exception_handlers={ApplianceError: on_api_error, HTTPException: on_http_exception},
        lifespan=lifespan,
    )
    app.state.appliance = appliance
    app.state.metrics = metrics
    app.state.failure_limiter = FailureLimiter(appliance.settings.auth_failures_per_minute)
    return app
