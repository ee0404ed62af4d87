"""Small helpers shared by the HTTP tests."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx


def presign(client: httpx.Client, key: str, **body: Any) -> dict[str, Any]:
    body.setdefault("filename", "data.csv")
    r = client.post("/v1/uploads", json=body, headers={"X-API-Key": key})
    assert r.status_code == 201, r.text
    return r.json()


def put(client: httpx.Client, url: str, content: Any, **kwargs: Any) -> httpx.Response:
    return client.put(url, content=content, **kwargs)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def error_of(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error", "message"}, body
    return body["error"]
