"""Retrying transient failures: exponential backoff with full jitter, honouring Retry-After.

A server's Retry-After is a floor (retrying earlier only earns another 429) but is capped, so
a huge or hostile header cannot stall a run; PermanentError is never retried.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from reverse_etl.errors import TransientError
from reverse_etl.redact import redact

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # attempts in total, the first one included
    base: float = 0.5  # seconds; the backoff ceiling doubles from here
    cap: float = 30.0  # ceiling of one computed backoff
    retry_after_cap: float = 120.0  # longest wait a Retry-After header can impose


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per an RFC 7231 Retry-After header (delay-seconds or HTTP-date).

    None for a missing, negative or unparseable header (the caller falls back to backoff);
    0.0 for an HTTP-date already past. `now` is injectable for tests.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter backoff after failed attempt `attempt` (1-based): U(0, min(cap, base*2^(n-1))).

    Jitter spreads the retries of parallel workers so they do not hit the API in lockstep.
    """
    ceiling = min(cap, base * 2 ** min(attempt - 1, 64))
    return rng.uniform(0.0, ceiling)


def retry_call(
    fn: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    on_retry: Callable[[int, TransientError, float], None] | None = None,
) -> T:
    """Call `fn` until it returns, retrying TransientError up to `policy.max_attempts` times.

    Before each retry `on_retry(failed_attempt, error, delay)` is called, then `sleep(delay)`.
    The last TransientError is re-raised when attempts run out; anything else propagates at once.
    """
    rng = rng or random.Random()
    attempt = 1
    while True:
        try:
            return fn()
        except TransientError as error:
            if attempt >= policy.max_attempts:
                raise
            delay = backoff_delay(attempt, base=policy.base, cap=policy.cap, rng=rng)
            if error.retry_after is not None:
                delay = min(max(error.retry_after, delay), policy.retry_after_cap)
            # Redacted on its own account: a log line must be safe whatever made the error.
            log.info("attempt %d failed (%s); retrying in %.2fs", attempt, redact(str(error)),
                     delay)
            if on_retry is not None:
                on_retry(attempt, error, delay)
            sleep(delay)
            attempt += 1
