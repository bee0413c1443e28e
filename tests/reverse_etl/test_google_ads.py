"""Google Ads Customer Match against the loopback fake: §2.3 vectors, the job flow, identifier
caps, partial failures mapped to keys, remove, retries and config errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reverse_etl.destinations.base import ConfigError, Destination, Record
from reverse_etl.destinations.google_ads import NO_IDENTIFIER, GoogleAdsCustomerMatchDestination
from reverse_etl.errors import TransientError
from reverse_etl.pii import hash_for_google, sha256_hex
from reverse_etl.transport import reset_limiters
from tests.reverse_etl.fakes.google_ads import CustomerMatchList
from tests.reverse_etl.hashed_uploads import track_uploads
from tests.reverse_etl.loopback import LoopbackServer, Request

EMAIL_HASH = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
PHONE_HASH = "1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8"
JOHN = {"email": " John_Smith@Gmail.com ", "phone": "+1 (650) 555-1212", "first_name": "John",
        "last_name": "Smith", "country_code": "us", "postal_code": "94107"}
ENV = {"CDP_TEST_GADS_DEV": "dev-tok", "CDP_TEST_GADS_TOKEN": "oauth-tok"}


def _config(url: str) -> dict:
    return {"customer_id": "123-456-7890", "user_list_id": "42", "api_base": url,
            "developer_token_env": "CDP_TEST_GADS_DEV", "access_token_env": "CDP_TEST_GADS_TOKEN",
            "login_customer_id": "999", "rate_limit_per_second": 1000}


def _fake() -> CustomerMatchList:
    return CustomerMatchList("1234567890", "42", developer_token="dev-tok",
                             access_token="oauth-tok", login_customer_id="999")


@pytest.fixture
def google(monkeypatch):
    reset_limiters()
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    fake = _fake()
    with LoopbackServer(fake) as server:
        destination = GoogleAdsCustomerMatchDestination("s", "mirror", _config(server.url))
        destination.http._sleep = lambda _s: None
        yield destination, fake, server
        assert not server.errors
    reset_limiters()


def _people(n: int, emails: int = 1) -> list[Record]:
    return [Record(f"k{i}", {"email": [f"p{i}.{j}@example.org" for j in range(emails)]}, f"h{i}")
            for i in range(n)]


def test_reference_vectors_and_job_flow(google):
    destination, fake, server = google
    assert destination.upsert([Record("john", JOHN, "h")]).accepted == ["john"]
    ids = server.requests[1].json["operations"][0]["create"]["userIdentifiers"]
    assert ids[:2] == [{"hashedEmail": EMAIL_HASH}, {"hashedPhoneNumber": PHONE_HASH}]
    assert ids[2]["addressInfo"] == {"hashedFirstName": sha256_hex("john"),
                                     "hashedLastName": sha256_hex("smith"),
                                     "countryCode": "US", "postalCode": "94107"}
    assert fake.hashes() == set()  # nothing lands before the job runs
    destination.close()
    assert [r.path.rpartition(":")[2] for r in server.requests] == [
        "create", "addOperations", "run"]
    assert fake.hashes() == {EMAIL_HASH} and fake.hashes("hashedPhoneNumber") == {PHONE_HASH}


def test_meta_style_phone_hash_is_refused_by_the_fake(google):
    destination, _, _ = google
    meta_phone = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"
    result = destination.upsert([Record("x", {"email": EMAIL_HASH, "phone": meta_phone}, "h")])
    assert "E.164" in result.rejected["x"]


def test_identifier_caps(google):
    destination, fake, server = google
    greedy = Record("greedy", {"email": [f"g{j}@x.org" for j in range(21)]}, "h")
    nobody = Record("nobody", {"email": "nope"}, "h")
    result = destination.upsert([*_people(6_000, emails=20), greedy, nobody])
    assert len(result.accepted) == 6_000
    assert "20 per user" in result.rejected["greedy"] and result.rejected["nobody"] == NO_IDENTIFIER
    sizes = [sum(len(o["create"]["userIdentifiers"]) for o in r.json["operations"])
             for r in server.requests if r.path.endswith(":addOperations")]
    assert sizes == [100_000, 20_000]
    too_many = {"enablePartialFailure": True, "operations": [
        {"create": {"userIdentifiers": [{"hashedEmail": EMAIL_HASH}] * 21}}]}
    job = next(iter(fake.jobs))
    status, _, body = fake(Request("POST", f"/{job}:addOperations", {}, {
        "developer-token": "dev-tok", "Authorization": "Bearer oauth-tok",
        "login-customer-id": "999"}, b"", too_many))
    assert status == 200 and "TOO_MANY" in str(body["partialFailureError"])


def test_partial_failures_are_mapped_to_keys(google):
    destination, fake, _ = google
    people = _people(30)
    bad = {"k4", "k22"}
    fake.bad_values = {hash_for_google("email", r.fields["email"][0]) for r in people
                       if r.key in bad}
    result = destination.upsert(people)
    assert set(result.rejected) == bad and all("refused" in v for v in result.rejected.values())
    assert len(result.accepted) == 28 and len(fake.hashes(include_pending=True)) == 28


def test_remove_uses_its_own_job_and_applies_on_run(google):
    destination, fake, server = google
    destination.upsert(_people(10))
    assert len(destination.remove(_people(10)[:3]).accepted) == 3
    assert "remove" in server.requests[-1].json["operations"][0]
    destination.close()
    assert len(fake.jobs) == 2 and all(j["ran"] for j in fake.jobs.values())
    assert len(fake.hashes()) == 7


def test_throttling_is_retried_then_transient(google):
    destination, _, server = google
    server.faults.throttle(times=2, retry_after="0")
    assert len(destination.upsert(_people(3)).accepted) == 3
    server.faults.error(503, times=6)
    with pytest.raises(TransientError):
        destination.upsert(_people(3))


def test_missing_env_var_is_a_config_error(monkeypatch):
    monkeypatch.setenv("CDP_TEST_GADS_DEV", "x")
    monkeypatch.delenv("CDP_TEST_GADS_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="CDP_TEST_GADS_TOKEN"):
        GoogleAdsCustomerMatchDestination("s", "upsert", _config("http://unused"))


# Ready to paste into tests/reverse_etl/harnesses.py (HARNESSES["google_ads_customer_match"]).
# Google applies a job only when it runs (at close()): the remote view replays pending
# operations too; the harness remembers the fields it sent per key, and `bad_keys` become
# refused email hashes.
@contextmanager
def google_ads_customer_match(tmp: Path, bad_keys=(), monkeypatch=None
                              ) -> Iterator[tuple[Destination, object]]:
    monkeypatch.setenv("CDP_TEST_GADS_DEV", "dev-tok")
    monkeypatch.setenv("CDP_TEST_GADS_TOKEN", "oauth-tok")
    fake = CustomerMatchList("1234567890", "42", developer_token="dev-tok",
                             access_token="oauth-tok")
    with LoopbackServer(fake) as server:
        destination = GoogleAdsCustomerMatchDestination("conformance", "mirror", {
            "customer_id": "123-456-7890", "user_list_id": "42", "api_base": server.url,
            "developer_token_env": "CDP_TEST_GADS_DEV", "access_token_env": "CDP_TEST_GADS_TOKEN",
            "rate_limit_per_second": 1000})
        destination.http._sleep = lambda _seconds: None
        destination.server = server
        sent = track_uploads(destination, lambda email: hash_for_google("email", email),
                             bad_keys, fake.bad_values)
        yield destination, lambda: {k: v["fields"] for k, v in sent.items()
                                    if v["email"] in fake.hashes(include_pending=True)}
