"""Client-side throttling: one token bucket per destination account, shared process-wide.

API quotas are per account (HubSpot, Braze, Meta ad accounts), not per sync, so two syncs
writing to the same account in parallel must draw from one bucket or together they exceed it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Token bucket: `burst` requests back to back, then `rate_per_second` on average.

    `acquire()` reserves a slot under the lock and sleeps outside it, so waiting threads queue
    in arrival order without holding the lock (tokens may go negative: that is the queue).
    """

    def __init__(
        self,
        rate_per_second: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError(f"rate_per_second must be positive, got {rate_per_second}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate = float(rate_per_second)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)  # starts full: an idle process may burst at once
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take a token and return how long the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._updated)
            self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
            self._updated = now
            self._tokens -= 1.0
            return max(0.0, -self._tokens / self.rate)

    def acquire(self) -> None:
        """Block until this caller may send one request."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)

    def tighten(self, rate_per_second: float, burst: int) -> None:
        """Adopt the stricter of the current and the given limits."""
        with self._lock:
            self.rate = min(self.rate, float(rate_per_second))
            self.burst = min(self.burst, burst)
            self._tokens = min(self._tokens, float(self.burst))


_registry: dict[str, RateLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(
    account_key: str, rate_per_second: float | None, burst: int = 1
) -> RateLimiter | None:
    """The process-wide limiter of `account_key` (created on first use); None: no limit.

    When syncs configure different limits for one account the strictest wins, since the
    quota they share is the same one.
    """
    if rate_per_second is None:
        return None
    with _registry_lock:
        limiter = _registry.get(account_key)
        if limiter is None:
            limiter = _registry[account_key] = RateLimiter(rate_per_second, burst)
        else:
            limiter.tighten(rate_per_second, burst)
        return limiter


def reset_limiters() -> None:
    """Forget every shared limiter (tests; a fresh process gets fresh buckets anyway)."""
    with _registry_lock:
        _registry.clear()
