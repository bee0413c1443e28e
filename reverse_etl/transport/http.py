"""The HTTP client every destination uses: shared throttling, retries, error classification.

Destinations describe *what* to send; this decides how hard to try. One instance owns one
`requests.Session` (connection reuse) and is meant for one thread; the rate limit is still
shared across threads and syncs through `account_key`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from reverse_etl.errors import PermanentError, TransientError
from reverse_etl.transport.ratelimit import limiter_for
from reverse_etl.transport.retry import RetryPolicy, parse_retry_after, retry_call

# 408: the server gave up waiting for our request; 429: throttled; 5xx: the server's trouble.
TRANSIENT_STATUSES = frozenset({408, 429})


def _is_transient(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


class HttpTransport:
    """Rate-limited, retrying JSON-over-HTTP client for one destination account."""

    def __init__(
        self,
        base_url: str,
        *,
        account_key: str,
        rate_per_second: float | None = None,
        burst: int = 1,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_key = account_key
        self.limiter = limiter_for(account_key, rate_per_second, burst)
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers.update(headers or {})
        # For the sync summary: calls made, HTTP attempts, retries, 429s, seconds backed off.
        self.stats: dict[str, float] = dict.fromkeys(
            ("requests", "attempts", "retries", "throttled", "retry_wait_s"), 0
        )

    def url(self, path: str) -> str:
        """Absolute URLs (pagination links) pass through; paths are joined to `base_url`."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one request, retrying transient failures; the 2xx response or an error.

        Raises PermanentError at once for a refusal, TransientError once retries run out.
        `data` sends exact bytes (a signed body) instead of serialising `json`.
        """
        method = method.upper()
        self.stats["requests"] += 1

        def attempt() -> requests.Response:
            if self.limiter is not None:
                self.limiter.acquire()  # every attempt spends quota, retries included
            self.stats["attempts"] += 1
            try:
                response = self.session.request(
                    method, self.url(path), json=json, data=data, params=params, headers=headers,
                    timeout=self.timeout,
                )
            except requests.Timeout as exc:
                raise TransientError(f"timeout on {method} {path}: {exc}") from exc
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                raise TransientError(f"connection failed on {method} {path}: {exc}") from exc
            return self._check(method, path, response)

        return retry_call(attempt, self.policy, sleep=self._sleep, on_retry=self._count_retry)

    def _check(self, method: str, path: str, response: requests.Response) -> requests.Response:
        status = response.status_code
        if 200 <= status < 300:
            return response
        body = response.text[:500]
        message = f"HTTP {status} from {method} {path}: {body}"
        if _is_transient(status):
            if status == 429:
                self.stats["throttled"] += 1
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise TransientError(message, status=status, retry_after=retry_after)
        raise PermanentError(message, status=status, body=body)

    def _count_retry(self, _attempt: int, _error: TransientError, delay: float) -> None:
        self.stats["retries"] += 1
        self.stats["retry_wait_s"] += delay

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
