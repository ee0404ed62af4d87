"""Operations endpoints: health, metrics, and the OpenAPI description."""

from __future__ import annotations

import re

import httpx
from starlette.routing import Mount, Route

from appliance.http import create_app
from tests.helpers import presign
from tests.servers import Server


def test_metrics_count_requests_and_upload_bytes(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    grant = presign(client, key, filename="Jane Doe.csv")
    assert client.put(grant["upload_url"], content=b"z" * 5000).status_code == 201
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert re.search(
        r'hpx_http_requests_total\{handler="put_presigned",method="PUT",'
        r'status="201"\} [1-9]',
        text,
    )
    assert float(re.search(r"^hpx_upload_bytes_total (\S+)$", text, re.M).group(1)) >= 5000
    assert "hpx_uploads_in_progress 0" in text
    # A histogram, so that p99 can be read; free disk and imports for alerting.
    bucket = r'hpx_http_request_duration_seconds_bucket\{handler="put_presigned",le="0.1"\}'
    assert re.search(bucket, text)
    assert float(re.search(r"^hpx_disk_free_bytes (\S+)$", text, re.M).group(1)) > 0
    assert "hpx_dataset_imports_running" in text
    token = grant["upload_url"].rsplit("/", 1)[1]
    for secret in (token, key, "Jane", _org.id):
        assert secret not in text


def test_openapi_describes_every_route(server: Server, client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    app = create_app(server.appliance)
    routes: set[tuple[str, str]] = set()
    for route in app.routes:
        children = route.routes if isinstance(route, Mount) else [route]
        prefix = route.path if isinstance(route, Mount) else ""
        for child in children:
            assert isinstance(child, Route)
            methods = child.methods or set()
            implicit = {"HEAD"} if "GET" in methods else set()  # Starlette adds HEAD to GET
            routes |= {(prefix + child.path, m) for m in methods - implicit}
    assert routes == described
    for ops in doc["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                if "$ref" in response:
                    assert response["$ref"].rsplit("/", 1)[1] in doc["components"]["responses"]
