"""Generator constants and the per-source contract (docs/raw_sources.md) it writes to.

Everything that changes the output for a given (persons, seed, end_date) lives here, so the
generator version must be bumped when any of it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cdp.load.tables import RAW_TABLES

GENERATOR_VERSION = "1.0.0"

# Persons per processing chunk. A constant (never derived from the machine) so that output
# bytes do not depend on where the generator runs.
CHUNK_PERSONS = 100_000
MALFORMED_RATE = 0.01
HISTORY_YEARS = 3

COUNTRIES = ("US", "GB", "DE", "FR")
COUNTRY_WEIGHTS = (0.70, 0.15, 0.08, 0.07)
CALLING_CODES = ("1", "44", "49", "33")

# Share of all persons who only ever browse anonymously (own truth persons, is_anonymous).
ANONYMOUS_SHARE = 0.08

Format = Literal["csv", "jsonl", "parquet"]


@dataclass(frozen=True)
class Source:
    """One raw table: where it is written and its staging checks in order.

    `checks` lists (reject code, raw columns the check reads), in the staging order; the
    defect injector draws a code, then one of its columns (None = whole line).
    """

    table: str
    path: str
    fmt: Format
    checks: tuple[tuple[str, tuple[str | None, ...]], ...]
    key: str  # the column holding the record's natural id
    email_columns: tuple[str, ...] = ()
    phone_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """The file's columns (CSV header, Parquet schema): the loader's contract. JSON lines
        have none: each line is one document."""
        if self.fmt == "jsonl":
            return ()
        return tuple(next(t for t in RAW_TABLES if t.name == self.table).columns)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.checks)


_MISSING = "missing_required_field"

SOURCES: tuple[Source, ...] = (
    Source(
        "crm_contacts", "crm/contacts.csv", "csv",
        (("unparseable_row", (None,)), (_MISSING, ("contact_id", "created_at")),
         ("invalid_email", ("email",)), ("invalid_phone", ("phone", "mobile_phone")),
         ("invalid_date", ("date_of_birth",)), ("invalid_timestamp", ("created_at", "updated_at"))),
        key="contact_id", email_columns=("email",), phone_columns=("phone", "mobile_phone"),
    ),
    Source(
        "web_events", "web/events.jsonl", "jsonl",
        (("malformed_json", (None,)),
         ("wrong_type", ("messageId", "timestamp", "context", "properties", "traits")),
         (_MISSING, ("messageId", "type", "timestamp", "anonymousId")),
         ("invalid_value", ("type",)), ("invalid_timestamp", ("timestamp", "receivedAt")),
         ("invalid_email", ("traits.email",))),
        key="messageId", email_columns=("traits.email",),
    ),
    Source(
        "app_events", "app/events.jsonl", "jsonl",
        (("malformed_json", (None,)),
         ("wrong_type", ("event_id", "event_ts", "properties", "properties.duration_sec")),
         (_MISSING, ("event_id", "event_name", "device_id", "platform", "event_ts")),
         ("invalid_value", ("event_name", "platform")), ("invalid_timestamp", ("event_ts",))),
        key="event_id",
    ),
    Source(
        "shop_orders", "shop/orders.csv", "csv",
        (("unparseable_row", (None,)),
         (_MISSING, ("order_id", "order_type", "channel", "total", "ordered_at")),
         ("invalid_value", ("order_type", "channel")),
         ("non_numeric_amount", ("subtotal", "discount", "tax", "shipping", "total")),
         ("invalid_timestamp", ("ordered_at", "updated_at")),
         ("invalid_email", ("customer_email",)), ("invalid_phone", ("customer_phone",))),
        key="order_id", email_columns=("customer_email",), phone_columns=("customer_phone",),
    ),
    Source(
        "shop_order_items", "shop/order_items.csv", "csv",
        (("unparseable_row", (None,)),
         (_MISSING, ("order_item_id", "order_id", "quantity", "unit_price")),
         ("wrong_type", ("quantity",)), ("non_numeric_amount", ("unit_price", "line_total"))),
        key="order_item_id",
    ),
    Source(
        "esp_email_events", "esp/email_events.parquet", "parquet",
        ((_MISSING, ("event_id", "email", "event_type", "occurred_at")),
         ("invalid_value", ("event_type",)), ("invalid_email", ("email",)),
         ("invalid_timestamp", ("occurred_at",))),
        key="event_id", email_columns=("email",),
    ),
    Source(
        "helpdesk_tickets", "helpdesk/tickets.csv", "csv",
        (("unparseable_row", (None,)), (_MISSING, ("ticket_id", "created_at", "requester_email")),
         ("invalid_value", ("channel", "status", "priority")), ("wrong_type", ("csat_score",)),
         ("invalid_email", ("requester_email",)), ("invalid_phone", ("requester_phone",)),
         ("invalid_timestamp", ("created_at", "solved_at"))),
        key="ticket_id", email_columns=("requester_email",), phone_columns=("requester_phone",),
    ),
    Source(
        "billing_subscriptions", "billing/subscriptions.csv", "csv",
        (("unparseable_row", (None,)),
         (_MISSING, ("subscription_id", "plan", "status", "started_on")),
         ("invalid_value", ("plan", "billing_period", "status")), ("wrong_type", ("is_paid",)),
         ("non_numeric_amount", ("price",)), ("invalid_email", ("email",)),
         ("invalid_date", ("started_on", "cancelled_on", "trial_ends_on")),
         ("invalid_timestamp", ("updated_at",))),
        key="subscription_id", email_columns=("email",),
    ),
    Source(
        "consent_events", "consent/consent_events.jsonl", "jsonl",
        (("malformed_json", (None,)), ("wrong_type", ("consent_id", "subject")),
         (_MISSING, ("consent_id", "purpose", "channel", "status", "occurred_at", "subject")),
         ("invalid_value", ("purpose", "channel", "status", "source")),
         ("invalid_timestamp", ("occurred_at",)), ("invalid_email", ("subject.email",))),
        key="consent_id", email_columns=("subject.email",),
    ),
)
SOURCES_BY_TABLE = {source.table: source for source in SOURCES}

# Staging checks the injector never draws, per raw table: `checks` above is each base model's
# check list without these, in the same order. `nested_value` (an object or array where a JSON
# field is read as a scalar, e.g. `"userId": {"id": 123}`) comes right after `wrong_type`; the
# defect writer has no value for it yet, so tests/pipeline/test_rejects_signal.py covers it.
# Not used to generate anything: adding a code here does not change the output.
NOT_INJECTED_CHECKS: dict[str, tuple[str, ...]] = {
    "web_events": ("nested_value",),
    "app_events": ("nested_value",),
    "consent_events": ("nested_value",),
}
