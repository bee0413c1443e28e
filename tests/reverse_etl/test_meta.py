"""Meta Custom Audiences against the loopback fake: §2.3 vectors, batch limits, invalid rows
mapped to keys, remove, Meta's rate-limit codes and config errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest

from reverse_etl.destinations.base import ConfigError, Destination, Record
from reverse_etl.destinations.meta import NO_IDENTIFIER, MetaCustomAudienceDestination
from reverse_etl.errors import TransientError
from reverse_etl.pii import hash_for_meta
from reverse_etl.transport import reset_limiters
from tests.reverse_etl.fakes.meta import MetaAudience, meta_error
from tests.reverse_etl.hashed_uploads import track_uploads
from tests.reverse_etl.loopback import LoopbackServer, Request

EMAIL_HASH = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
PHONE_HASH = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"
JOHN = {"email": " John_Smith@Gmail.com ", "phone": "+1 (650) 555-1212", "first_name": "John",
        "last_name": "Smith", "country_code": "US", "postal_code": "94107-1234"}


@pytest.fixture(autouse=True)
def _fresh_limiters():
    reset_limiters()
    yield
    reset_limiters()


@pytest.fixture
def meta(monkeypatch):
    monkeypatch.setenv("CDP_TEST_META_TOKEN", "tok")
    audience = MetaAudience("123", "tok")
    with LoopbackServer(audience) as server:
        destination = MetaCustomAudienceDestination("s", "mirror", {
            "audience_id": "123", "access_token_env": "CDP_TEST_META_TOKEN",
            "api_base": server.url, "rate_limit_per_second": 1000})
        destination.http._sleep = lambda _s: None
        yield destination, audience, server
        assert not server.errors


def _people(n: int) -> list[Record]:
    return [Record(f"k{i}", {"email": f"p{i}@example.org"}, f"h{i}") for i in range(n)]


def _form(request) -> dict:
    return {k: json.loads(v[0]) for k, v in parse_qs(request.raw.decode()).items()
            if k in ("payload", "session")}


def test_reference_vectors_end_to_end(meta):
    destination, audience, server = meta
    result = destination.upsert([Record("john", JOHN, "h")])
    assert result.accepted == ["john"] and not result.rejected
    payload = _form(server.requests[0])["payload"]
    assert payload["schema"] == ["EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY"]
    row = dict(zip(payload["schema"], payload["data"][0], strict=True))
    assert row["EMAIL"] == EMAIL_HASH and row["PHONE"] == PHONE_HASH
    assert row["ZIP"] == hash_for_meta("ZIP", "94107") and audience.hashes() == {EMAIL_HASH}
    assert server.requests[0].query == {}  # the token travels in the form, never the URL


def test_already_hashed_values_pass_through_and_wrong_phone_form_is_caught(meta):
    destination, audience, _ = meta
    hashed = Record("a", {"email": EMAIL_HASH.upper(), "phone": PHONE_HASH}, "h")
    assert destination.upsert([hashed]).accepted == ["a"]
    assert audience.hashes("PHONE") == {PHONE_HASH}
    google_style = "1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8"
    wrong = Record("b", {"email": EMAIL_HASH, "phone": google_style}, "h")
    assert "PHONE not normalised" in destination.upsert([wrong]).rejected["b"]


def test_25000_records_take_three_requests_in_one_session(meta):
    destination, audience, server = meta
    result = destination.upsert(_people(10_000))
    result.merge(destination.upsert(_people(25_000)[10_000:20_000]))
    result.merge(destination.upsert(_people(25_000)[20_000:]))
    assert len(result.accepted) == 25_000 and len(server.requests) == 3
    sessions = [_form(r)["session"] for r in server.requests]
    assert [s["batch_seq"] for s in sessions] == [1, 2, 3]
    assert len({s["session_id"] for s in sessions}) == 1
    assert [s["estimated_num_total"] for s in sessions] == [10_000, 20_000, 25_000]
    assert not any(s["last_batch_flag"] for s in sessions) and len(audience.hashes()) == 25_000


def test_meta_limit_enforced_by_fake_and_respected_by_destination(meta):
    destination, audience, server = meta
    payload = {"schema": ["EMAIL"], "data": [[EMAIL_HASH]] * 10_001}
    session = {"session_id": 1, "batch_seq": 1, "last_batch_flag": True, "estimated_num_total": 1}
    raw = urlencode({"payload": json.dumps(payload), "session": json.dumps(session),
                     "access_token": "tok"}).encode()
    status, _, body = audience(Request("POST", "/123/users", {}, {}, raw, None))
    assert status == 400 and body["error"]["code"] == 100
    assert len(destination.upsert(_people(10_001)).accepted) == 10_001
    assert [len(_form(r)["payload"]["data"]) for r in server.requests] == [10_000, 1]


def test_invalid_rows_are_mapped_to_keys_even_when_not_sampled(meta):
    destination, audience, _ = meta
    people = _people(40)
    bad = {"k3", "k17", "k31"}
    audience.bad_values = {hash_for_meta("EMAIL", r.fields["email"]) for r in people
                           if r.key in bad}
    audience.sample_limit = 1  # Meta names one; split retries find the others
    no_id = Record("nobody", {"email": "not-an-email", "country_code": "US"}, "h")
    result = destination.upsert([*people, no_id])
    assert set(result.rejected) == bad | {"nobody"}
    assert result.rejected["nobody"] == NO_IDENTIFIER
    assert all("value refused" in result.rejected[k] for k in bad)
    assert sorted(result.accepted) == sorted(r.key for r in people if r.key not in bad)
    assert len(audience.hashes()) == 37


def test_remove_deletes_with_the_same_payload(meta):
    destination, audience, server = meta
    destination.upsert(_people(10))
    result = destination.remove(_people(10)[:4])
    assert sorted(result.accepted) == ["k0", "k1", "k2", "k3"]
    assert server.requests[-1].method == "DELETE" and len(audience.hashes()) == 6


@pytest.mark.parametrize("code", [4, 17, 613, 80003])
def test_rate_limit_codes_are_retried(meta, code):
    destination, audience, server = meta
    server.faults.error(400, times=2, body=meta_error(code, "User request limit reached")[2])
    assert len(destination.upsert(_people(3)).accepted) == 3
    assert destination.http.stats["retries"] == 2 and len(audience.hashes()) == 3


def test_rate_limit_exhausted_is_transient_and_other_400s_split(meta):
    destination, _, server = meta
    server.faults.error(403, times=6, body=meta_error(17, "User request limit reached")[2])
    with pytest.raises(TransientError):
        destination.upsert(_people(2))
    server.faults.error(400, times=1, body=meta_error(100, "Invalid parameter")[2])
    assert len(destination.upsert(_people(2)).accepted) == 2  # halves went through


def test_missing_env_var_is_a_config_error(monkeypatch):
    monkeypatch.delenv("CDP_TEST_META_MISSING", raising=False)
    with pytest.raises(ConfigError, match="CDP_TEST_META_MISSING"):
        MetaCustomAudienceDestination("s", "upsert", {
            "audience_id": "1", "access_token_env": "CDP_TEST_META_MISSING"})
    monkeypatch.setenv("CDP_TEST_META_MISSING", "x")
    with pytest.raises(ConfigError, match="BOGUS"):
        MetaCustomAudienceDestination("s", "upsert", {
            "audience_id": "1", "access_token_env": "CDP_TEST_META_MISSING", "schema": ["BOGUS"]})


# Ready to paste into tests/reverse_etl/harnesses.py (HARNESSES["meta_custom_audience"]).
# Meta holds hashes, not fields: the harness remembers the fields it sent per key and reports
# a key as held while the fake audience holds its email hash; `bad_keys` become refused hashes.
@contextmanager
def meta_custom_audience(tmp: Path, bad_keys=(), monkeypatch=None
                         ) -> Iterator[tuple[Destination, object]]:
    audience = MetaAudience("act_audience_1", "meta-token")
    with LoopbackServer(audience) as server:
        monkeypatch.setenv("CDP_TEST_META_TOKEN", "meta-token")
        destination = MetaCustomAudienceDestination("conformance", "mirror", {
            "audience_id": "act_audience_1", "access_token_env": "CDP_TEST_META_TOKEN",
            "api_base": server.url, "rate_limit_per_second": 1000})
        destination.http._sleep = lambda _seconds: None
        destination.server = server
        sent = track_uploads(destination, lambda email: hash_for_meta("EMAIL", email),
                             bad_keys, audience.bad_values)
        yield destination, lambda: {k: v["fields"] for k, v in sent.items()
                                    if v["email"] in audience.hashes()}
