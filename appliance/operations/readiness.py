"""Readiness: can this server take an upload and a sign-in right now?

``/healthz`` says the process answers; ``/readyz`` says whether it can do its work, so a
load balancer or an operator's monitor can tell a full disk or a read-only database
from a healthy node.
"""

from __future__ import annotations

from typing import Any

from appliance.context import Appliance
from storage import StorageError


def check(appliance: Appliance) -> dict[str, dict[str, Any]]:
    """Each check's ``ok`` and, when not ok, ``problem`` — never a path or a secret."""
    results: dict[str, dict[str, Any]] = {}

    def run(name: str, probe: Any) -> None:
        try:
            detail = probe() or {}
            results[name] = {"ok": True, **detail}
        except Exception as exc:  # any failure is a "not ready", said by its kind
            results[name] = {"ok": False, "problem": _problem(exc)}

    def database() -> None:
        with appliance.db.write():  # takes the write lock, commits nothing
            pass

    def disk() -> dict[str, Any]:
        free = appliance.store.free_bytes()
        if free <= appliance.store.reserve:
            raise RuntimeError(f"free space {free} bytes is at or below the reserve")
        return {"free_bytes": free}

    def secrets() -> None:
        appliance.signer  # noqa: B018 - loading them is the check

    run("database", database)
    run("store", appliance.store.probe_writable)
    run("disk", disk)
    run("signing_secrets", secrets)
    return results


def _problem(exc: Exception) -> str:
    if isinstance(exc, StorageError):  # its messages never name a file
        return str(exc)
    if isinstance(exc, OSError):
        return (exc.strerror or type(exc).__name__).lower()
    if isinstance(exc, RuntimeError):
        return str(exc)
    return type(exc).__name__
