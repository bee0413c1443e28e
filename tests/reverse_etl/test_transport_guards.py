"""The transport sends to URLs exactly as configured, does not follow redirects, and stops a
destination that refuses everything instead of splitting every batch to single records."""

from __future__ import annotations

import random
import socket

import pytest

from reverse_etl.destinations.base import Record
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.errors import DestinationRefusing, PermanentError, TransientError
from reverse_etl.transport import HttpTransport, RetryPolicy
from reverse_etl.transport.http import REFUSALS_AFTER_A_SUCCESS, REFUSALS_BEFORE_ANY_SUCCESS
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer, Request

SECRET_ENV, SECRET = "CDP_TEST_GUARD_SECRET", "guard-secret"
FAST = RetryPolicy(max_attempts=3, base=0.001, cap=0.001)


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)


def webhook(url: str, **config) -> WebhookDestination:
    destination = WebhookDestination("guards", "upsert", {
        "url": url, "secret_env": SECRET_ENV, **config})
    destination.http._sleep = lambda _seconds: None
    return destination


def records(n: int) -> list[Record]:
    return [Record(f"k{i:04d}", {"n": i}, f"h{i}") for i in range(n)]


@pytest.mark.parametrize(("suffix", "path", "query"), [
    ("/hook", "/hook", {}), ("/hook/", "/hook/", {}),
    ("/hook?token=abc", "/hook", {"token": ["abc"]}), ("", "/", {})])
def test_webhook_posts_to_the_url_exactly_as_configured(suffix, path, query):
    with LoopbackServer(WebhookReceiver(SECRET)) as server, webhook(server.url + suffix) as hook:
        assert hook.upsert(records(2)).accepted == ["k0000", "k0001"]
        [request] = server.requests
        assert (request.path, request.query) == (path, query)


def test_relative_paths_join_the_base_path_and_keep_its_query(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))])
    with HttpTransport("https://x.example.test/api?k=v", account_key="t") as http:
        assert http.url("items") == "https://x.example.test/api/items?k=v"
        assert http.url("/items?page=2") == "https://x.example.test/api/items?k=v&page=2"
        assert http.url("") == "https://x.example.test/api?k=v"
        assert http.url("https://other.example.test/p?c=1") == "https://other.example.test/p?c=1"
    with HttpTransport("https://x.example.test/v1/", account_key="t") as http:
        assert http.url("users/track") == "https://x.example.test/v1/users/track"


def test_redirects_are_refusals_not_followed():
    def moved(request: Request):
        if request.path == "/elsewhere":
            return 200, {}, {"followed": True}
        return 302, {"Location": "/elsewhere"}, ""

    with LoopbackServer(moved) as server, webhook(f"{server.url}/hook") as hook:
        with pytest.raises(PermanentError, match="HTTP 302") as info:
            hook.upsert(records(8))  # about the URL, not a record: not split either
        assert info.value.status == 302
        assert [r.path for r in server.requests] == ["/hook"]


def test_a_receiver_refusing_everything_stops_the_run_within_30_requests():
    with LoopbackServer(lambda _request: (400, {}, {"error": "nope"})) as server, \
            webhook(f"{server.url}/hook") as hook:
        all_records = records(3_000)
        with pytest.raises(DestinationRefusing) as info:
            for start in range(0, len(all_records), 500):  # as the engine batches them
                hook.upsert(all_records[start:start + 500])
        assert len(server.requests) <= 30
    assert not isinstance(info.value, PermanentError | TransientError)
    assert f"refused {REFUSALS_BEFORE_ANY_SUCCESS} requests in a row" in str(info.value)
    assert "HTTP 400" in str(info.value) and "nope" in str(info.value)
    assert info.value.status == 400 and info.value.refused == REFUSALS_BEFORE_ANY_SUCCESS


def test_a_receiver_refusing_many_records_one_by_one_still_completes():
    rng = random.Random(7)
    keys = [r.key for r in records(1_000)]
    # A third refused, the first ones among them: the run's longest refusal streak comes
    # first, before anything was accepted (the hardest case for the guard).
    bad = set(keys[:3]) | {k for k in keys if rng.random() < 0.3}
    receiver = WebhookReceiver(SECRET, malformed_keys=bad)  # 422 for a batch with any of them
    with LoopbackServer(receiver) as server, webhook(f"{server.url}/hook") as hook:
        accepted, rejected = [], {}
        for start in range(0, len(keys), 500):
            result = hook.upsert(records(1_000)[start:start + 500])
            accepted += result.accepted
            rejected.update(result.rejected)
    assert set(rejected) == bad and set(accepted) == set(keys) - bad
    assert set(receiver.store) == set(keys) - bad


def test_after_a_success_the_guard_allows_longer_refusal_streaks():
    answers = iter([200] + [400] * (REFUSALS_AFTER_A_SUCCESS - 1) + [200]
                   + [400] * REFUSALS_AFTER_A_SUCCESS)
    with LoopbackServer(lambda _request: (next(answers), {}, {})) as server, \
            HttpTransport(server.url, account_key="t", policy=FAST) as http:
        http.request("POST", "/x")
        for _ in range(REFUSALS_AFTER_A_SUCCESS - 1):
            with pytest.raises(PermanentError):
                http.request("POST", "/x")
        http.request("POST", "/x")  # a success resets the streak
        for _ in range(REFUSALS_AFTER_A_SUCCESS - 1):
            with pytest.raises(PermanentError):
                http.request("POST", "/x")
        with pytest.raises(DestinationRefusing, match="since its last success"):
            http.request("POST", "/x")


def test_ok_statuses_answer_like_a_success_and_reset_the_streak():
    answers = iter([400] * (REFUSALS_BEFORE_ANY_SUCCESS - 1) + [404]
                   + [400] * (REFUSALS_AFTER_A_SUCCESS - 1) + [404, 404])
    with LoopbackServer(lambda _request: (next(answers), {}, {"gone": True})) as server, \
            HttpTransport(server.url, account_key="t", policy=FAST) as http:
        for _ in range(REFUSALS_BEFORE_ANY_SUCCESS - 1):
            with pytest.raises(PermanentError):
                http.request("DELETE", "/m/1")
        assert http.request("DELETE", "/m/1", ok_statuses={404}).status_code == 404
        for _ in range(REFUSALS_AFTER_A_SUCCESS - 1):
            with pytest.raises(PermanentError):
                http.request("DELETE", "/m/1")
        assert http.request("DELETE", "/m/1", ok_statuses={404}).json() == {"gone": True}
        with pytest.raises(PermanentError) as info:  # not listed: still a refusal
            http.request("DELETE", "/m/1")
        assert info.value.status == 404
