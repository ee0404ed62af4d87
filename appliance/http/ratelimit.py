"""Counting failed attempts per client address, to slow down credential guessing."""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque

from appliance.errors import ApplianceError, ErrorType

MAX_TRACKED = 10_000
"""Addresses remembered at once; the least recently seen are forgotten first."""


class FailureLimiter:
    """At most ``limit`` failures per ``window`` seconds from one key (an address)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, key: str) -> None:
        """Raise 429 while the key is over its limit."""
        times = self._recent(key)
        if times is not None and len(times) >= self.limit:
            retry = max(1, math.ceil(times[0] + self.window - time.monotonic()))
            raise ApplianceError(
                ErrorType.rate_limited,
                f"too many failed attempts; retry in {retry} s",
                retry_after=retry,
            )

    def attempt(self, key: str) -> None:
        """Count an attempt before checking it; :meth:`succeeded` takes it back.

        Counting first means concurrent attempts see each other: 100 wrong passwords
        sent at once are refused past the limit, not all checked.
        """
        self.check(key)
        self.fail(key)

    def succeeded(self, key: str) -> None:
        times = self._failures.get(key)
        if times:
            times.pop()

    def fail(self, key: str) -> None:
        times = self._recent(key) or deque()
        times.append(time.monotonic())
        self._failures[key] = times
        self._failures.move_to_end(key)
        while len(self._failures) > MAX_TRACKED:
            self._failures.popitem(last=False)

    def _recent(self, key: str) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        cutoff = time.monotonic() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times
