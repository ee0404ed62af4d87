"""Small helpers shared by the HTTP tests."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import httpx

from storage import S3Store


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
    # An unanswerable question also says which words and what it could answer instead.
    extra = (
        {"not_understood", "suggestions"} if body.get("error") == "unanswerable_question" else set()
    )
    assert set(body) == {"error", "message"} | extra, body
    return body["error"]


# -- what the store holds, through the Store protocol (the local tree or an object store) --


def stored_names(server: Any, org_id: str) -> list[str]:
    """The organization's published files, sorted."""
    return sorted(server.appliance.store.stored_names(org_id))


def stored_bytes(server: Any, org_id: str, name: str) -> bytes:
    with server.appliance.store.open_file(org_id, name) as fh:
        data: bytes = fh.read()
        return data


def temp_files(server: Any, org_id: str) -> list[str]:
    """Bodies received and not published (and, in an object store, its unfinished
    multipart uploads). An object store's are removed in the background after a
    failure: they are waited for, up to a deadline."""
    store = server.appliance.store
    if isinstance(store, S3Store):
        deadline = time.monotonic() + 10
        while True:
            left = [i.key for i in store.s3.objects(f"{org_id}/tmp/")]
            left += [key for key, _, _ in store.s3.multipart_uploads(f"{org_id}/")]
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.05)  # the poll interval of a wait on a visible condition
    tmp = store.root / org_id / "tmp"
    return sorted(p.name for p in tmp.iterdir()) if tmp.exists() else []


def wait_until(
    condition: Callable[[], object], what: str, timeout: float = 30, interval: float = 0.01
) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` once ``timeout`` seconds
    have passed. A wait on a visible condition, not a sleep standing in for one."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(interval)  # the poll interval of a wait on a visible condition
