"""One harness per destination for the conformance suite: a context manager yielding the
destination (in mirror mode) and a function reading what the remote system now holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from reverse_etl.destinations.base import Destination
from reverse_etl.destinations.dummy import DummyDestination
from reverse_etl.destinations.file import FileDestination
from reverse_etl.destinations.webhook import WebhookDestination
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

Remote = Callable[[], dict[str, dict]]


@contextmanager
def dummy(tmp: Path, bad_keys=()) -> Iterator[tuple[Destination, Remote]]:
    import json

    path = tmp / "remote.json"
    yield (DummyDestination("conformance", "mirror",
                            {"path": str(path), "reject_keys": list(bad_keys)}),
           lambda: json.loads(path.read_text()) if path.exists() else {})


@contextmanager
def file(tmp: Path, bad_keys=()) -> Iterator[tuple[Destination, Remote]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDP_EXPORT_ROOT", str(tmp))  # `tmp` is outside the project's root
        yield FileDestination("conformance", "mirror", {"path": str(tmp)}), _replay(tmp)


def _replay(tmp: Path) -> Remote:
    def remote() -> dict[str, dict]:  # replay the parts in order
        held: dict[str, dict] = {}
        for part in sorted((tmp / "conformance").glob("part-*.parquet")):
            for row in pq.read_table(part).to_pylist():
                op, key = row.pop("op"), row.pop("record_key")
                row.pop("row_hash")
                if op == "remove":
                    held.pop(key, None)
                else:
                    held[key] = {k: v for k, v in row.items() if v is not None}
        return held

    return remote


@contextmanager
def webhook(tmp: Path, bad_keys=(), monkeypatch=None) -> Iterator[tuple[Destination, Remote]]:
    receiver = WebhookReceiver("s3cret", reject_keys=bad_keys[:1], malformed_keys=bad_keys[1:])
    with LoopbackServer(receiver) as server:
        monkeypatch.setenv("CDP_TEST_WEBHOOK_SECRET", "s3cret")
        destination = WebhookDestination("conformance", "mirror", {
            "url": f"{server.url}/hooks", "secret_env": "CDP_TEST_WEBHOOK_SECRET"})
        destination.http._sleep = lambda _seconds: None  # retries without waiting
        destination.server = server
        yield destination, lambda: dict(receiver.store)


from tests.reverse_etl.test_crm_esp_destinations import braze, hubspot, mailchimp  # noqa: E402
from tests.reverse_etl.test_google_ads import google_ads_customer_match  # noqa: E402
from tests.reverse_etl.test_meta import meta_custom_audience  # noqa: E402
from tests.reverse_etl.test_postgres_table import postgres_table  # noqa: E402

HARNESSES = {"dummy": dummy, "file": file, "webhook": webhook, "hubspot_contacts": hubspot,
             "mailchimp_audience": mailchimp, "braze_users": braze,
             "meta_custom_audience": meta_custom_audience,
             "google_ads_customer_match": google_ads_customer_match,
             "postgres_table": postgres_table}
# Destinations that answer per record (the file system takes whole batches or fails).
PER_RECORD_REJECTS = {"dummy", "webhook", "hubspot_contacts", "mailchimp_audience",
                      "braze_users", "meta_custom_audience", "google_ads_customer_match",
                      "postgres_table"}
# Fakes that need the secret's environment variable set.
NEEDS_ENV = {"webhook", "hubspot_contacts", "mailchimp_audience", "braze_users",
             "meta_custom_audience", "google_ads_customer_match", "postgres_table"}
