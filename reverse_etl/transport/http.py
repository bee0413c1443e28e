"""The HTTP client every destination uses: shared throttling, retries, error classification.

Destinations describe *what* to send; this decides how hard to try. One instance owns one
`requests.Session` (connection reuse) and is meant for one thread; the rate limit is still
shared across threads and syncs through `account_key`.

Every connection goes through the address policy (`address_policy`, `guard`): the URL is
checked when the transport is made and each connected socket before anything is sent.
Redirects are not followed (a 3xx is a refusal): following one would send our credentials to
wherever the answer points. Error texts are redacted before they leave (see `redact`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import requests

from reverse_etl.errors import (
    DestinationRefusing,
    PermanentError,
    TransientError,
    redacted_start,
)
from reverse_etl.redact import redact, register_secret
from reverse_etl.transport.address_policy import check_url
from reverse_etl.transport.guard import GuardedAdapter
from reverse_etl.transport.ratelimit import limiter_for
from reverse_etl.transport.retry import RetryPolicy, parse_retry_after, retry_call

# 408: the server gave up waiting for our request; 429: throttled; 5xx: the server's trouble.
TRANSIENT_STATUSES = frozenset({408, 429})
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key",
                            "developer-token"})
# Refused requests in a row (4xx, not transient) after which the destination is taken to
# refuse everything. Split retries halve a refused batch of 500 down to one record in 9
# requests, so a receiver that refuses a third of the records one by one can refuse the first
# ~15 requests of a run; 30 lets that through (simulated: never in 3,000 runs; 10 would stop
# 15% of them) and still stops a refuse-everything receiver after 30 requests, not 2 per record.
REFUSALS_BEFORE_ANY_SUCCESS = 30
REFUSALS_AFTER_A_SUCCESS = 100  # once it accepted something, give bad stretches more room


def _is_transient(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


def _sounds_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADERS or any(w in lowered for w in ("token", "secret", "key"))


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
        for name, value in (headers or {}).items():
            if _sounds_secret(name) and value:
                register_secret(value)
                register_secret(value.partition(" ")[2])  # the credential after "Bearer "
        for name, value in parse_qsl(urlsplit(base_url).query):
            # A token in a webhook URL. Short values of ordinary keys (`format=json`) are not
            # registered: they would be redacted from every message in the process.
            if _sounds_secret(name) or len(value) >= 6:
                register_secret(value)
        check_url(base_url, where=f"{account_key.partition(':')[0]} destination")
        self.base_url = base_url  # exactly as configured: a webhook URL is not ours to change
        self.account_key = account_key
        self.limiter = limiter_for(account_key, rate_per_second, burst)
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers.update(headers or {})
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, GuardedAdapter())
        # For the sync summary: calls made, HTTP attempts, retries, 429s, seconds backed off.
        self.stats: dict[str, float] = dict.fromkeys(
            ("requests", "attempts", "retries", "throttled", "retry_wait_s"), 0
        )
        self.refused_in_a_row = 0
        self.ever_succeeded = False

    def url(self, path: str) -> str:
        """Absolute URLs (pagination links) pass through; an empty path is `base_url` as
        configured; other paths are joined to its path, its query string kept."""
        if path.startswith(("http://", "https://")):
            return path
        if not path:
            return self.base_url
        base = urlsplit(self.base_url)
        relative, _, query = path.partition("?")
        joined = f"{base.path.rstrip('/')}/{relative.lstrip('/')}"
        query = "&".join(q for q in (base.query, query) if q)
        return urlunsplit(base._replace(path=joined, query=query))

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        ok_statuses: Collection[int] = (),
    ) -> requests.Response:
        """Send one request, retrying transient failures; the 2xx response or an error.

        Raises PermanentError at once for a refusal, TransientError once retries run out,
        DestinationRefusing when too many requests in a row were refused. `data` sends exact
        bytes (a signed body) instead of serialising `json`. Statuses in `ok_statuses` are
        answered like a 2xx (e.g. a 404 to a DELETE: already gone).
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
                    timeout=self.timeout, allow_redirects=False,
                )
            except requests.Timeout as exc:  # exception texts hold the URL: redacted
                raise TransientError(f"timeout on {method} {path}: {redact(str(exc))}") from exc
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                raise TransientError(
                    f"connection failed on {method} {path}: {redact(str(exc))}") from exc
            if response.status_code in ok_statuses:
                self._accepted()
                return response
            return self._check(method, path, response)

        return retry_call(attempt, self.policy, sleep=self._sleep, on_retry=self._count_retry)

    def _where(self, path: str) -> str:
        """The path for messages: the configured URL's path for "", never a query string."""
        if path and not path.startswith(("http://", "https://")):
            return path
        return urlsplit(self.url(path)).path or "/"

    def _check(self, method: str, path: str, response: requests.Response) -> requests.Response:
        status = response.status_code
        if 200 <= status < 300:
            self._accepted()
            return response
        body = redacted_start(response.text)
        message = f"HTTP {status} from {method} {self._where(path)}: {body}"
        if _is_transient(status):
            if status == 429:
                self.stats["throttled"] += 1
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise TransientError(message, status=status, retry_after=retry_after)
        if 400 <= status < 500:
            self._refused(status, body)
        raise PermanentError(message, status=status, body=body)

    def _accepted(self) -> None:
        self.refused_in_a_row = 0
        self.ever_succeeded = True

    def _refused(self, status: int, body: str) -> None:
        """Count a refusal; raise DestinationRefusing once the streak says "everything"."""
        self.refused_in_a_row += 1
        limit = REFUSALS_AFTER_A_SUCCESS if self.ever_succeeded else REFUSALS_BEFORE_ANY_SUCCESS
        if self.refused_in_a_row < limit:
            return
        since = "since its last success" if self.ever_succeeded else "and none has succeeded"
        raise DestinationRefusing(
            f"the destination refused {self.refused_in_a_row} requests in a row {since} "
            f"(last: HTTP {status}: {body[:200]}); stopping instead of splitting every batch "
            "down to single records", refused=self.refused_in_a_row, status=status, body=body)

    def _count_retry(self, _attempt: int, _error: TransientError, delay: float) -> None:
        self.stats["retries"] += 1
        self.stats["retry_wait_s"] += delay

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
