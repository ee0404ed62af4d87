"""The appliance's one clock: every timestamp, expiry and deadline of the data reads it,
and the one format those timestamps are written in.

Tests set it (``frozen_at``, ``shifted``) to make a key, a session or a conversation
that is already expired, or a console picture that never changes, instead of
rewriting rows with SQL. Monotonic timers (rate limits, timeouts) do not read it:
they measure durations, not dates.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_frozen: float | None = None
_offset = 0.0


def now() -> float:
    """Seconds since the epoch, as the appliance sees them."""
    return _frozen if _frozen is not None else time.time() + _offset


@contextmanager
def frozen_at(epoch: float) -> Iterator[None]:
    """The clock stands still at ``epoch`` inside the block."""
    global _frozen
    saved, _frozen = _frozen, epoch
    try:
        yield
    finally:
        _frozen = saved


@contextmanager
def shifted(seconds: float) -> Iterator[None]:
    """The clock runs ``seconds`` ahead (or, negative, behind) inside the block."""
    global _offset
    saved, _offset = _offset, _offset + seconds
    try:
        yield
    finally:
        _offset = saved


TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""Fixed width, so that ISO strings in SQLite compare in time order."""


def utc_now() -> datetime:
    """:func:`now` as a datetime, to the second (what timestamps record)."""
    return datetime.fromtimestamp(int(now()), UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def now_iso() -> str:
    return iso(utc_now())


def iso_in(seconds: float) -> str:
    return iso(utc_now() + timedelta(seconds=seconds))


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def iso_epoch(epoch: float) -> str:
    return iso(datetime.fromtimestamp(epoch, UTC))
