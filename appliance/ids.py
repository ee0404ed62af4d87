"""Identifiers and timestamps, in one format everywhere."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from appliance import clock

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""Fixed width, so that ISO strings in SQLite compare in time order."""


def new_id(prefix: str) -> str:
    """``org_…``, ``upl_…``, ``file_…``: the prefix tells a reader what an id names."""
    return f"{prefix}_{secrets.token_hex(8)}"


def now() -> datetime:
    return datetime.fromtimestamp(int(clock.now()), UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def now_iso() -> str:
    return iso(now())


def iso_in(seconds: float) -> str:
    return iso(now() + timedelta(seconds=seconds))


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def iso_epoch(epoch: float) -> str:
    return iso(datetime.fromtimestamp(epoch, UTC))
