"""Destinations on 127.0.0.1 that fail in the ways that leak: every error echoes the whole
request back (URL, headers with our bearer token or API key, the form with Meta's
access_token, the payload with the customers' e-mails), some first drop the connection or
stall past the client's timeout, the webhook receiver quotes the shared secret it holds, and
Braze's answer is malformed so that the client fails with an error nobody anticipated.

`leaky_syncs` writes one sync definition per destination type that takes a secret from the
environment, each pointed at its own receiver, and returns the environment variables they
name (the test sets a sentinel in each).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

from tests.reverse_etl.loopback import LoopbackServer, Reply, Request

SOURCE = {"model": "sync_hubspot__contacts"}  # every known person with an e-mail
FIELDS = {"email": "email", "first_name": "first_name", "last_name": "last_name",
          "phone": "phone"}


def echo(request: Request) -> str:
    """Everything the receiver got, as an error body quoting the request would."""
    return (f"{request.method} {request.path} query={request.query} headers={request.headers}"
            f" body={request.raw.decode(errors='replace')}")


def refuse(status: int) -> Callable[[Request], Reply]:
    return lambda request: (status, {}, {"error": {"message": echo(request)}})


def scripted(*first: Callable[[Request], Reply],
             then: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
    """Answer the first requests with `first`, in order, and every later one with `then`."""
    count, lock = [0], threading.Lock()

    def handler(request: Request) -> Reply:
        with lock:
            index, count[0] = count[0], count[0] + 1
        return (first[index] if index < len(first) else then)(request)

    return handler


def webhook_receiver(shared_secret: str) -> Callable[[Request], Reply]:
    """Refuses batches (400, echoed), so the client splits them down to single records, each
    then "rejected" with a reason quoting the record and the shared secret."""
    def handler(request: Request) -> Reply:
        records = (request.json or {}).get("records", [])
        if len(records) > 1:
            return 400, {}, {"error": echo(request)}
        return 200, {}, {"rejected": [
            {"key": r["key"], "reason": f"signature check with {shared_secret} failed for "
                                        f"{json.dumps(r['fields'])}"} for r in records]}
    return handler


def hubspot_receiver() -> Callable[[Request], Reply]:
    """A multi-status answer rejecting every contact with a message quoting the request,
    then 401s echoing the bearer token."""
    def multi_status(request: Request) -> Reply:
        ids = [item["id"] for item in (request.json or {}).get("inputs", [])]
        return 207, {}, {"status": "COMPLETE", "results": [], "errors": [
            {"category": "VALIDATION_ERROR", "message": echo(request), "context": {"ids": ids}}]}
    return scripted(multi_status, then=refuse(401))


def meta_receiver() -> Callable[[Request], Reply]:
    """Meta's throttling answer (code 17, retried) and a 500, both echoing the form with the
    access token, then 400s (split until the client sees it refuses everything)."""
    def throttled(request: Request) -> Reply:
        return 400, {}, {"error": {"code": 17, "message": echo(request)}}
    return scripted(throttled, refuse(500), then=refuse(400))


def malformed_braze_answer(request: Request) -> Reply:
    """A 201 whose error index is the echoed request: the client's int() fails on it, an
    error nobody anticipated, its text quoting the request."""
    return 201, {}, {"message": "success", "errors": [{"type": "bad", "index": echo(request)}]}


def start_receivers(shared_secret: str) -> dict[str, LoopbackServer]:
    """One started server per destination; the caller stops them."""
    servers = {
        "webhook": LoopbackServer(webhook_receiver(shared_secret)),
        "hubspot": LoopbackServer(hubspot_receiver()),
        "meta": LoopbackServer(meta_receiver()),
        "braze": LoopbackServer(scripted(refuse(500), then=malformed_braze_answer)),
        "mailchimp": LoopbackServer(refuse(401)),
        "google_ads": LoopbackServer(refuse(401)),
    }
    servers["webhook"].faults.drop().stall(3.0)  # reset, then past the 1 s read timeout
    servers["meta"].faults.drop()
    servers["braze"].faults.drop()
    return {name: server.start() for name, server in servers.items()}


def leaky_syncs(folder: Path, servers: dict[str, LoopbackServer], closed_port: int) -> list[str]:
    """Write the sync files; the environment variables they read their secrets from."""
    url = {name: server.url for name, server in servers.items()}
    destinations = {
        "webhook": {"type": "webhook", "config": {
            "url": f"{url['webhook']}/hook", "secret_env": "CDP_LEAK_WEBHOOK_SECRET",
            "timeout_seconds": 1}},
        "hubspot": {"type": "hubspot_contacts", "config": {
            "api_base": url["hubspot"], "access_token_env": "CDP_LEAK_HUBSPOT_TOKEN"}},
        "meta": {"type": "meta_custom_audience", "config": {
            "api_base": url["meta"], "audience_id": "120210000000000000",
            "access_token_env": "CDP_LEAK_META_TOKEN", "timeout_seconds": 1,
            "rate_limit_per_second": 100}},  # Meta's 1/s would make 30 refusals take 30 s
        "braze": {"type": "braze_users", "config": {
            "rest_endpoint": url["braze"], "api_key_env": "CDP_LEAK_BRAZE_KEY"}},
        "mailchimp": {"type": "mailchimp_audience", "config": {
            "api_base": url["mailchimp"], "list_id": "a1b2c3",
            "api_key_env": "CDP_LEAK_MAILCHIMP_KEY"}},
        "google_ads": {"type": "google_ads_customer_match", "config": {
            "api_base": url["google_ads"], "customer_id": "1234567890", "user_list_id": "42",
            "developer_token_env": "CDP_LEAK_GOOGLE_DEVELOPER_TOKEN",
            "access_token_env": "CDP_LEAK_GOOGLE_ACCESS_TOKEN", "timeout_seconds": 1}},
        # Nothing listens on the port: connection refused, retried, then given up.
        "postgres": {"type": "postgres_table", "config": {
            "host": "127.0.0.1", "port": closed_port, "dbname": "crm", "user": "cdp",
            "password_env": "CDP_LEAK_PG_PASSWORD", "table": "contacts"}},
    }
    folder.mkdir(parents=True, exist_ok=True)
    variables = []
    for name, destination in destinations.items():
        (folder / f"leak_{name}.yml").write_text(json.dumps({
            "name": f"leak_{name}", "source": SOURCE, "primary_key": "person_id",
            "mode": "upsert", "purpose": "service", "destination": destination,
            "fields": FIELDS}))
        variables += [v for k, v in destination["config"].items() if k.endswith("_env")]
    return variables
