"""The Starlette application: routes, error handling and shared state."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route

from appliance.analytics import datasets
from appliance.api import analytics, auth, files, multipart, ops, put, uploads
from appliance.api.errors import ErrorBoundary, on_api_error, on_http_exception
from appliance.api.limits import InFlightLimit
from appliance.context import Appliance
from appliance.errors import ApiError
from appliance.metrics import Metrics, MetricsMiddleware
from appliance.presign import PUT_PATH
from appliance.ratelimit import FailureLimiter


def create_app(appliance: Appliance) -> Starlette:
    metrics = Metrics(
        free_bytes=lambda: float(appliance.store.free_bytes()),
        imports_running=lambda: float(datasets.imports_running()),
    )
    put_prefix = PUT_PATH.removeprefix("/v1")
    v1 = [
        Route("/auth/token", auth.sign_in, methods=["POST"]),
        Route("/datasets", analytics.list_datasets, methods=["GET"]),
        Route("/datasets/{name}", analytics.get_dataset, methods=["GET"]),
        Route("/datasets/{name}/dictionary", analytics.put_dictionary, methods=["PUT"]),
        Route("/queries", analytics.ask, methods=["POST"]),
        Route("/uploads", uploads.create_upload, methods=["POST"]),
        Route("/uploads/multipart", multipart.create_session, methods=["POST"]),
        Route("/uploads/multipart/{upload_id}", multipart.get_session, methods=["GET"]),
        Route("/uploads/multipart/{upload_id}", multipart.abort, methods=["DELETE"]),
        Route("/uploads/multipart/{upload_id}/parts", multipart.fresh_part_urls, methods=["POST"]),
        Route("/uploads/multipart/{upload_id}/complete", multipart.complete, methods=["POST"]),
        Route(put_prefix + "{token}", put.put_presigned, methods=["PUT"]),
        Route("/files", files.list_files, methods=["GET"]),
        Route("/files/{file_id}", files.get_file, methods=["GET"]),
        Route("/files/{file_id}", files.delete_file, methods=["DELETE"]),
        Route("/files/{file_id}/content", files.file_content, methods=["GET"]),
    ]
    app = Starlette(
        routes=[
            Route("/", ops.root, methods=["GET"]),
            Route("/healthz", ops.healthz, methods=["GET"]),
            Route("/readyz", ops.readyz, methods=["GET"]),
            Route("/metrics", ops.metrics, methods=["GET"]),
            Route("/openapi.json", ops.openapi, methods=["GET"]),
            Mount("/v1", routes=v1),
        ],
        middleware=[
            Middleware(MetricsMiddleware, metrics=metrics),
            Middleware(
                InFlightLimit,
                per_address=appliance.settings.max_requests_per_address,
                total=appliance.settings.max_requests,
            ),
            Middleware(ErrorBoundary),
        ],
        exception_handlers={ApiError: on_api_error, HTTPException: on_http_exception},
    )
    app.state.appliance = appliance
    app.state.metrics = metrics
    app.state.failure_limiter = FailureLimiter(appliance.settings.auth_failures_per_minute)
    return app
