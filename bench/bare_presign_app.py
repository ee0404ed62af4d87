"""The peer of the presign benchmark: a bare Starlette app on Hypercorn doing the work
a presign must do, and nothing else: read a JSON body, sign one token with
itsdangerous (HMAC), insert one row into SQLite in WAL mode with synchronous=FULL
(durable before the answer), answer JSON.

    hypercorn bench.bare_presign_app:app --certfile C --keyfile K --bind 127.0.0.1:P

``BARE_DB`` names the SQLite file. The insert runs in Starlette's thread pool (an
fsync must not stop the event loop), on one connection under a lock, as any small
app would write it.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time

from itsdangerous import URLSafeSerializer
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

_db = sqlite3.connect(os.environ.get("BARE_DB", "bare.db"), check_same_thread=False)
_db.execute("PRAGMA journal_mode=WAL")
_db.execute("PRAGMA synchronous=FULL")
_db.execute("CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, filename TEXT, at REAL)")
_lock = threading.Lock()
_signer = URLSafeSerializer(secrets.token_urlsafe(48), salt="bare")


def _insert(upload_id: str, filename: str) -> None:
    with _lock:
        _db.execute("INSERT INTO uploads VALUES (?, ?, ?)", (upload_id, filename, time.time()))
        _db.commit()


async def presign(request: Request) -> JSONResponse:
    body = await request.json()
    upload_id = secrets.token_hex(8)
    token = _signer.dumps({"u": upload_id, "e": int(time.time()) + 3600})
    await run_in_threadpool(_insert, upload_id, str(body.get("filename")))
    return JSONResponse({"upload_id": upload_id, "upload_url": "/put/" + str(token)}, 201)


app = Starlette(routes=[Route("/v1/uploads", presign, methods=["POST"])])
