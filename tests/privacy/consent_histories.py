"""Random consent histories for the privacy property tests, written as the exports the
consent platform and the ESP deliver, and the consent each person holds, computed here from
the history alone (never from the models it is checked against).

Every person has an email, an account and a cookie, linked once by a preference-centre event
carrying all three; after that their events arrive on any one of them, at a few instants only
(so ties are common), and ESP unsubscribes and spam complaints on their email revoke
marketing by email. A few events come from a junk email alone (no person): never sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

START = datetime(2024, 3, 1, tzinfo=UTC)
# The synced pair comes up most, so most persons have a history for it.
PAIRS = [("marketing", "email")] * 3 + [("marketing", "sms"), ("advertising", "ads")]
VIAS = ("email", "account", "cookie", "esp_unsubscribe", "esp_spam_complaint", "esp_open")
JUNK_EMAIL = "test@test.com"  # blocklisted: its events resolve to no person


@dataclass(frozen=True)
class Event:
    person: int  # -1: the junk subject
    via: str  # a VIAS entry, or "all" (the linking event)
    purpose: str
    channel: str
    status: str
    minute: int  # the few instants events happen at (ties)


def identifiers(person: int) -> dict[str, str]:
    return {"email": f"person{person}@streamly-mail.com", "account": f"acct-{person:05d}",
            "cookie": f"cookie-{person:05d}-7f3a"}


@st.composite
def histories(draw, min_persons: int = 20, max_persons: int = 40) -> list[Event]:
    persons = draw(st.integers(min_persons, max_persons))
    event = st.tuples(st.sampled_from(VIAS), st.sampled_from(PAIRS),
                      st.sampled_from(("granted", "revoked")), st.integers(1, 4))
    events = []
    for person in range(persons):
        events.append(Event(person, "all", "analytics", "web", "granted", 0))
        for via, (purpose, channel), status, minute in draw(st.lists(event, max_size=6)):
            events.append(Event(person, via, purpose, channel, status, minute))
    for minute in draw(st.lists(st.integers(1, 4), max_size=2)):
        events.append(Event(-1, "junk", "marketing", "email", "granted", minute))
    return events


def is_consent_event(event: Event) -> bool:
    return event.via != "esp_open"


def effective(event: Event) -> tuple[str, str, str]:
    """(purpose, channel, status) the event records: ESP opt-outs revoke marketing by email."""
    if event.via.startswith("esp_"):
        return "marketing", "email", "revoked"
    return event.purpose, event.channel, event.status


def granted_persons(events: list[Event], purpose: str, channel: str) -> set[int]:
    """Persons whose latest event for the pair is a grant; on a tie a revocation wins."""
    latest: dict[int, tuple[int, bool]] = {}  # person -> (minute, revoked at that minute)
    for event in events:
        if event.person < 0 or not is_consent_event(event):
            continue
        if effective(event)[:2] != (purpose, channel):
            continue
        revoked = effective(event)[2] == "revoked"
        minute, was_revoked = latest.get(event.person, (-1, False))
        if event.minute > minute:
            latest[event.person] = (event.minute, revoked)
        elif event.minute == minute:
            latest[event.person] = (minute, was_revoked or revoked)
    return {person for person, (_, revoked) in latest.items() if not revoked}


def write_exports(events: list[Event], raw: Path, part: int) -> None:
    """One consent JSONL and one ESP Parquet file (`part` numbers them, so a later part adds
    to what was loaded before)."""
    (raw / "consent").mkdir(parents=True, exist_ok=True)
    (raw / "esp").mkdir(parents=True, exist_ok=True)
    lines, esp = [], []
    for number, event in enumerate(events):
        key = f"p{part}-{number}"
        at = START + timedelta(minutes=event.minute)
        if event.via.startswith("esp_"):
            esp.append({"event_id": key, "email": identifiers(event.person)["email"],
                        "event_type": event.via.removeprefix("esp_"),
                        "occurred_at": int(at.timestamp())})
            continue
        ids = identifiers(event.person) if event.person >= 0 else {"email": JUNK_EMAIL}
        subject = {"all": {"email": ids.get("email"), "user_id": ids.get("account"),
                           "anonymous_id": ids.get("cookie")},
                   "junk": {"email": JUNK_EMAIL}, "email": {"email": ids.get("email")},
                   "account": {"user_id": ids.get("account")},
                   "cookie": {"anonymous_id": ids.get("cookie")}}[event.via]
        lines.append(json.dumps({
            "consent_id": key, "subject": subject, "purpose": event.purpose,
            "channel": event.channel, "status": event.status,
            "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": "preference_center", "policy_version": "2024-01"}))
    (raw / "consent" / f"consent_events_{part}.jsonl").write_text("\n".join(lines) + "\n")
    schema = pa.schema([*((name, pa.string()) for name in (
        "event_id", "email", "event_type", "campaign_id", "campaign_name", "url",
        "bounce_type")), ("occurred_at", pa.int64())])
    pq.write_table(pa.Table.from_pylist(esp, schema=schema),
                   raw / "esp" / f"email_events_{part}.parquet")
