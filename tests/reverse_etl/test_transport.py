"""Transport behaviour against a real loopback server: retries, throttling, split retries."""

from __future__ import annotations

import math
import random
import threading
import time
from datetime import UTC, datetime

import pytest

from reverse_etl.errors import PermanentError, TransientError
from reverse_etl.transport import (
    HttpTransport,
    RateLimiter,
    RetryPolicy,
    backoff_delay,
    limiter_for,
    parse_retry_after,
    reset_limiters,
    retry_call,
    send_with_bisection,
)
from tests.reverse_etl.loopback import LoopbackServer, Reply, Request

FAST = RetryPolicy(max_attempts=4, base=0.001, cap=0.01)
NOW = datetime(2026, 10, 21, 7, 27, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_limiters():
    reset_limiters()
    yield
    reset_limiters()


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def transport(server: LoopbackServer, sleeps: list[float], **kw) -> HttpTransport:
    """A transport whose retry waits are recorded in `sleeps` instead of slept."""
    return HttpTransport(server.url, account_key="test", sleep=sleeps.append, policy=FAST, **kw)


@pytest.mark.parametrize(("header", "expected"), [
    ("120", 120.0), (" 1.5 ", 1.5), ("0", 0.0), ("Wed, 21 Oct 2026 07:28:00 GMT", 30.0),
    ("Wed, 21 Oct 2026 07:00:00 GMT", 0.0), ("-5", None), ("nan", None), ("inf", None),
    ("soon", None), ("", None), (None, None),
])
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, now=NOW) == expected


def test_backoff_is_full_jitter_under_a_doubling_cap():
    rng = random.Random(1)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (10, 30.0), (500, 30.0)]:
        delays = [backoff_delay(attempt, base=0.5, cap=30.0, rng=rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range


def in_threads(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _failing(errors: list[Exception]):
    calls: list[int] = []

    def fn():
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "done"

    return fn, calls


def test_retry_call_honours_capped_retry_after_and_never_retries_permanent():
    sleeps: list[float] = []
    policy = RetryPolicy(base=0.001, cap=0.001, retry_after_cap=60.0)
    errors = [TransientError("x", retry_after=3.0), TransientError("y", retry_after=1e6)]
    fn, calls = _failing([*errors, TransientError("z")])
    assert retry_call(fn, policy, sleep=sleeps.append) == "done" and len(calls) == 4
    assert sleeps[:2] == [3.0, 60.0] and sleeps[2] <= 0.001  # floor, cap, plain backoff
    fn, calls = _failing([PermanentError("bad", status=400)])
    with pytest.raises(PermanentError):
        retry_call(fn, FAST, sleep=sleeps.append)
    assert len(calls) == 1
    fn, calls = _failing([TransientError(f"try {i}") for i in range(10)])
    with pytest.raises(TransientError, match="try 3"):  # the last one
        retry_call(fn, FAST, sleep=sleeps.append)
    assert len(calls) == FAST.max_attempts


def test_429_then_200_honours_retry_after(server):
    server.faults.throttle(retry_after="2")
    sleeps: list[float] = []
    with transport(server, sleeps) as http:
        assert http.request("POST", "/hooks", json={"a": 1}).json() == {"ok": True}
    assert len(server.requests) == 2 and server.requests[1].json == {"a": 1}
    assert len(sleeps) == 1 and 2.0 <= sleeps[0] <= 2.01
    assert http.stats == {"requests": 1, "attempts": 2, "retries": 1, "throttled": 1,
                          "retry_wait_s": sleeps[0]}


def test_5xx_timeouts_and_dropped_connections_are_retried(server):
    server.faults.error(500, times=2)
    with transport(server, []) as http:
        assert http.request("GET", "/x").status_code == 200
    assert len(server.requests) == 3
    server.faults.stall(2.0).drop(times=2)
    with transport(server, [], timeout=(1.0, 0.2)) as http:
        assert http.request("GET", "/y", params={"q": "1"}).json() == {"ok": True}
        assert http.stats["attempts"] == 4
    assert [r.fault for r in server.requests[3:]] == ["stall", "drop", "drop", None]
    assert server.requests[-1].query == {"q": ["1"]}


def test_400_is_permanent_at_once_and_exhaustion_raises_transient(server):
    server.handler = lambda request: (400, {}, {"error": "bad email"})
    with transport(server, []) as http, pytest.raises(PermanentError) as info:
        http.request("POST", "/hooks", json=[1])
    assert str(info.value) == 'HTTP 400 from POST /hooks: {"error": "bad email"}'
    assert info.value.status == 400 and "bad email" in info.value.body
    assert len(server.requests) == 1
    server.faults.error(503, times=10)
    with transport(server, []) as http, pytest.raises(TransientError) as info:
        http.request("GET", "/x")
    assert info.value.status == 503 and len(server.requests) == 1 + FAST.max_attempts


def test_rate_limiter_spaces_calls_after_the_burst():
    now, sleeps = [0.0], []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2.0, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert sleeps == pytest.approx([0.5, 0.5])  # three at once, then one per 0.5 s
    now[0] += 10  # idle time refills the bucket, but only up to `burst`
    for _ in range(4):
        limiter.acquire()
    assert sleeps == pytest.approx([0.5, 0.5, 0.5])


def test_concurrent_callers_queue_on_one_bucket():
    limiter = RateLimiter(4.0, clock=lambda: 0.0)  # frozen clock: waits come from reservations
    waits: list[float] = []
    in_threads(*[lambda: waits.append(limiter.reserve())] * 8)
    assert sorted(waits) == pytest.approx([i / 4 for i in range(8)])


def test_limiter_is_shared_per_account_across_transports_and_threads(server):
    t1 = HttpTransport(server.url, account_key="acct", rate_per_second=20)
    t2 = HttpTransport(server.url, account_key="acct", rate_per_second=50)
    other = HttpTransport(server.url, account_key="other", rate_per_second=20)
    assert t1.limiter is t2.limiter is limiter_for("acct", 20)
    assert other.limiter is not t1.limiter and t1.limiter.rate == 20  # the stricter rate wins
    assert HttpTransport(server.url, account_key="acct").limiter is None

    started = time.monotonic()
    in_threads(*[lambda http=http: http.request("GET", "/x") for http in (t1, t2, t1, t2, t1, t2)])
    assert len(server.requests) == 6
    assert time.monotonic() - started >= 5 / 20 - 0.01  # one bucket: 1 free, then 5 at 20/s


def test_bisection_isolates_exactly_the_bad_items():
    bad, calls = {3, 7}, []

    def send(batch: list[int]) -> int:
        calls.append(batch)
        if bad & set(batch):
            raise PermanentError(f"HTTP 400: bad item in {batch}", status=400)
        return len(batch)

    rejected: dict[int, str] = {}
    sent = send_with_bisection(list(range(10)), send, on_rejected=rejected.__setitem__)
    assert sorted(i for s in sent for i in s.items) == [0, 1, 2, 4, 5, 6, 8, 9]
    assert sum(s.result for s in sent) == 8
    assert set(rejected) == bad and rejected[3] == "HTTP 400: bad item in [3]"
    assert len(calls) <= 1 + 2 * len(bad) * math.ceil(math.log2(10))


@pytest.mark.parametrize("error", [TransientError("HTTP 503", status=503),
                                   PermanentError("HTTP 401", status=401)])
def test_bisection_propagates_transient_and_request_level_errors(error):
    calls = []

    def send(batch):
        calls.append(batch)
        raise error

    with pytest.raises(type(error)):
        send_with_bisection([1, 2, 3, 4], send, on_rejected=lambda *a: pytest.fail("rejected"))
    assert len(calls) == 1  # not split: no record is at fault (or it is for the next run)


def test_destination_pattern_end_to_end(server):
    def contacts_api(request: Request) -> Reply:
        emails = [c["email"] for c in request.json["inputs"]]
        if any("@" not in e for e in emails):
            return 400, {}, {"message": "invalid email"}
        return 200, {}, {"results": emails}

    server.handler = contacts_api
    rejected: dict[str, str] = {}
    with transport(server, []) as http:
        sent = send_with_bisection(
            ["a@x", "b@x", "broken", "c@x"],
            lambda batch: http.request(
                "POST", "/contacts/batch", json={"inputs": [{"email": e} for e in batch]}
            ).json(),
            on_rejected=rejected.__setitem__,
        )
    assert [e for s in sent for e in s.result["results"]] == ["a@x", "b@x", "c@x"]
    assert list(rejected) == ["broken"] and "invalid email" in rejected["broken"]
