"""Redaction: each pattern, registered secrets, what must stay readable, and error texts built
from a receiver that echoes our request headers and the records' e-mails back."""

from __future__ import annotations

import json
import logging

import pytest

from reverse_etl.destinations.base import Record
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.engine import SyncCrashed
from reverse_etl.errors import PermanentError, TransientError
from reverse_etl.redact import (
    forget_payload_values,
    payload_values,
    redact,
    register_secret,
)
from reverse_etl.transport import HttpTransport, RetryPolicy
from tests.reverse_etl.loopback import LoopbackServer, Reply, Request


@pytest.mark.parametrize(("text", "expected"), [
    ("Authorization: Bearer abc.def-123\nHost: x", "Authorization: [REDACTED]\nHost: x"),
    ("{'Authorization': 'Bearer sk_live_123', 'Host': 'h'}",
     "{'Authorization': '[REDACTED]', 'Host': 'h'}"),
    ('{"authorization": "Basic YW55c3RyaW5nOnQwa2Vu", "x": 1}',
     '{"authorization": "[REDACTED]", "x": 1}'),
    ('{\\"authorization\\": \\"Bearer abc123\\"}', '{\\"authorization\\": \\"[REDACTED]\\"}'),
    ("Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [REDACTED]"),
    ("sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "sent Bearer [REDACTED]"),
    ("with Basic YW55c3RyaW5nOmtleQ== again", "with Basic [REDACTED] again"),
    ("GET /x?access_token=EAAB123&limit=10&api_key=zz",
     "GET /x?access_token=[REDACTED]&limit=10&api_key=[REDACTED]"),
    ('{"client_secret": "abc", "password": "hunter2", "count": 3}',
     '{"client_secret": "[REDACTED]", "password": "[REDACTED]", "count": 3}'),
    ("x-api-key: 12345abc; developer-token: devtok; sig=ff00",
     "x-api-key: [REDACTED]; developer-token: [REDACTED]; sig=[REDACTED]"),
    ("form token=t&passwd=p&apikey=k&key=v&signature=s&secret=q",
     "form token=[REDACTED]&passwd=[REDACTED]&apikey=[REDACTED]&key=[REDACTED]"
     "&signature=[REDACTED]&secret=[REDACTED]"),
    ("dsn https://user:pa55@db.example.com/x", "dsn https://[REDACTED]@db.example.com/x"),
    ("p7@example.org, P.Q+x@Sub.Example.co.uk and p7%40example.org",
     "[email], [email] and [email]"),
    ("call +1 (555) 123-4567, 030 1234567, +4915112345678 or 06-12-34-56-78",
     "call [phone], [phone], [phone] or [phone]"),
])
def test_each_pattern_is_redacted(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected  # redacting twice changes nothing


@pytest.mark.parametrize("text", [
    "HTTP 400 from POST /hooks: invalid bearer token",
    "Basic plan customers; primary key (email) duplicate key value violates unique constraint",
    "record p_000123 and record_key=p_000123, CRM-9999998, /members/12345678",
    "hash 5d41402abc4b2a76b9719d911017c592 "
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "HTTP 422, 429 and 503; batch 500 of 3,000 records",
    "at 2026-12-01 10:00:00, 2026-12-01T10:00:00.123456+00:00 and 01.12.2026",
    "uuid 123e4567-e89b-12d3-a456-426614174000 from 192.168.100.200",
])
def test_plain_words_keys_hashes_statuses_and_timestamps_stay(text):
    assert redact(text) == text


def test_registered_secrets_longest_first_and_url_encoded():
    register_secret("zq9-secret-value")
    register_secret("zq9-secret")  # a prefix of the first: must not leave "-value" behind
    register_secret("ab")  # too short to register: would redact ordinary text
    register_secret(None)
    assert redact("x zq9-secret-value y zq9-secret") == "x [REDACTED] y [REDACTED]"
    register_secret("p&ss w/rd")
    assert redact("q=p%26ss%20w%2Frd and q=p%26ss+w%2Frd") == "q=[REDACTED] and q=[REDACTED]"
    assert redact("grab a tab") == "grab a tab" and redact(None) is None


TOKEN = "hQ7-echo-token-9931"  # set directly on the transport: redacted even unregistered


def _echo(status: int):
    """A receiver answering `status` with our request headers and the records' e-mails."""
    def handler(request: Request) -> Reply:
        records = (request.json or {}).get("records", [])
        return status, {}, {"emails": [r["fields"]["email"] for r in records],
                            "headers": request.headers, "repr": repr(request.headers)}
    return handler


def _records(n: int) -> list[Record]:
    return [Record(f"k{i}", {"email": f"person{i}@example.org"}, f"h{i}") for i in range(n)]


def _assert_clean(text: str) -> None:
    assert TOKEN not in text and "example.org" not in text and "@" not in text, text
    assert "[REDACTED]" in text and "[email]" in text


def test_echoed_headers_and_emails_never_reach_error_messages(monkeypatch):
    monkeypatch.setenv("CDP_TEST_REDACT_SECRET", "hook-secret")
    with LoopbackServer(_echo(400)) as server:
        destination = WebhookDestination("redact", "upsert", {
            "url": f"{server.url}/hook", "secret_env": "CDP_TEST_REDACT_SECRET"})
        destination.http.session.headers["Authorization"] = f"Bearer {TOKEN}"
        result = destination.upsert(_records(4))  # split down to single records, each refused
        assert set(result.rejected) == {"k0", "k1", "k2", "k3"}
        for reason in result.rejected.values():
            _assert_clean(reason)
        with pytest.raises(PermanentError) as info:
            destination.http.request("POST", "", json={"records": [
                {"key": "k", "fields": {"email": "someone@example.org"}}]})
        _assert_clean(str(info.value))
        _assert_clean(info.value.body)


def test_transient_messages_and_retry_logs_are_redacted(caplog):
    with LoopbackServer(_echo(503)) as server, HttpTransport(
            server.url, account_key="redact", sleep=lambda _s: None,
            headers={"Authorization": f"Bearer {TOKEN}"},
            policy=RetryPolicy(max_attempts=2, base=0.001, cap=0.001)) as http:
        caplog.set_level(logging.INFO, logger="reverse_etl.transport.retry")
        with pytest.raises(TransientError) as info:
            http.request("POST", "/x", json={"records": [{"fields": {"email": "a@example.org"}}]})
    _assert_clean(str(info.value))
    assert caplog.records and TOKEN not in caplog.text and "a@example.org" not in caplog.text


def test_a_token_in_the_url_stays_out_of_connection_error_texts(caplog):
    with LoopbackServer() as server:
        url = f"{server.url}/hook?token=Zk29-url-token&user=me@example.org"
    # The server is gone: connecting fails, and requests' error text quotes the whole URL.
    with HttpTransport(url, account_key="redact", sleep=lambda _s: None,
                       policy=RetryPolicy(max_attempts=2, base=0.001, cap=0.001)) as http:
        caplog.set_level(logging.INFO, logger="reverse_etl.transport.retry")
        with pytest.raises(TransientError) as info:
            http.request("POST", "", json={})
    text = str(info.value) + caplog.text
    assert "connection failed" in text and "/hook" in text
    assert "Zk29-url-token" not in text and "me@example.org" not in text


def test_echoed_body_json_stays_parseable_after_redaction():
    body = json.dumps({"headers": {"Authorization": f"Bearer {TOKEN}"}, "n": 1})
    assert json.loads(redact(body)) == {"headers": {"Authorization": "[REDACTED]"}, "n": 1}


def test_a_webhook_url_token_echoed_bare_is_redacted_everywhere(monkeypatch):
    monkeypatch.setenv("CDP_TEST_REDACT_SECRET", "hook-secret")
    with LoopbackServer(lambda request: (400, {}, f"unknown hook {request.query}")) as server:
        hook = WebhookDestination("redact", "upsert", {
            "url": f"{server.url}/hook?t=Qx81-webhook-token&format=json",
            "secret_env": "CDP_TEST_REDACT_SECRET"})
        with hook, pytest.raises(PermanentError) as info:
            hook.http.request("POST", "", json={})
    message = str(info.value)
    assert "Qx81-webhook-token" not in message and "[REDACTED]" in message
    assert message.startswith("HTTP 400 from POST /hook: ") and "json" in message


PAYLOAD = {"first_name": "Björn", "last_name": "O'Brien", "city": "Saint-Étienne",
           "postal_code": "L17 4FR", "tags": ["Gold Member"], "segment": "at_risk",
           "country": "US", "orders": "401", "channel": "email"}


def test_values_of_the_records_in_flight_are_redacted_in_any_echoed_form():
    token = payload_values([PAYLOAD])
    try:
        echoed = ('HTTP 401: {"first_name": "Bj\\u00f6rn", "last_name": "O\'Brien"} '
                  "city=Saint-%C3%89tienne SAINT-ÉTIENNE, L17 4FR, gold member")
        assert redact(echoed) == ('HTTP 401: {"first_name": "[value]", "last_name": "[value]"}'
                                  " city=[value] [value], [value], [value]")
        # Whole words only; codes, short numbers and our own words stay readable.
        kept = "Björnsson, Lisa; segment at_risk in US, 401 x; missing or invalid email"
        assert redact(kept) == kept
        assert redact(redact(echoed)) == redact(echoed)
    finally:
        forget_payload_values(token)
    assert redact("Björn from Saint-Étienne") == "Björn from Saint-Étienne"  # forgotten


def test_an_unanticipated_error_leaves_the_engine_redacted_and_without_its_cause():
    register_secret("plainwordsecret")
    token = payload_values([PAYLOAD])
    try:
        try:
            int("plainwordsecret for Björn O'Brien")
        except ValueError as error:
            crashed = SyncCrashed(error)
    finally:
        forget_payload_values(token)
    text = str(crashed) + crashed.details
    assert "plainwordsecret" not in text and "Björn" not in text and "O'Brien" not in text
    assert str(crashed).startswith("ValueError: invalid literal for int()")
    assert "Traceback" in crashed.details and "[REDACTED]" in text
