"""The raw tables the loader lands, the files each one reads, and their expected columns.

The column lists mirror docs/raw_sources.md. CSV and JSONL land as text (staging types and
validates them, so a bad value becomes a reject with a reason instead of a load failure);
Parquet keeps the types its producer wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileFormat = Literal["csv", "jsonl", "parquet"]


@dataclass(frozen=True)
class RawTable:
    name: str
    pattern: str
    file_format: FileFormat
    columns: dict[str, str]

    @property
    def description(self) -> str:
        return f"{self.name} <- {self.pattern} ({self.file_format})"


def _text(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, "VARCHAR")


JSON_PAYLOAD = {"payload": "VARCHAR"}

RAW_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "crm_contacts",
        "crm/contacts*.csv",
        "csv",
        _text(
            "contact_id", "account_id", "loyalty_id", "first_name", "last_name", "email",
            "phone", "mobile_phone", "address_line1", "address_line2", "city", "region",
            "postal_code", "country", "date_of_birth", "created_at", "updated_at",
        ),
    ),
    RawTable("web_events", "web/events*.jsonl", "jsonl", JSON_PAYLOAD),
    RawTable("app_events", "app/events*.jsonl", "jsonl", JSON_PAYLOAD),
    RawTable(
        "shop_orders",
        "shop/orders*.csv",
        "csv",
        _text(
            "order_id", "order_type", "original_order_id", "channel", "store_id", "account_id",
            "customer_email", "customer_phone", "loyalty_id", "billing_country", "currency",
            "subtotal", "discount", "tax", "shipping", "total", "ordered_at", "updated_at",
        ),
    ),
    RawTable(
        "shop_order_items",
        "shop/order_items*.csv",
        "csv",
        _text(
            "order_item_id", "order_id", "sku", "product_name", "category", "quantity",
            "unit_price", "line_total",
        ),
    ),
    RawTable(
        "esp_email_events",
        "esp/email_events*.parquet",
        "parquet",
        {
            **_text("event_id", "email", "event_type", "campaign_id", "campaign_name", "url",
                    "bounce_type"),
            "occurred_at": "BIGINT",
        },
    ),
    RawTable(
        "helpdesk_tickets",
        "helpdesk/tickets*.csv",
        "csv",
        _text(
            "ticket_id", "requester_email", "requester_phone", "requester_name", "channel",
            "topic", "subject", "status", "priority", "created_at", "solved_at", "csat_score",
        ),
    ),
    RawTable(
        "billing_subscriptions",
        "billing/subscriptions*.csv",
        "csv",
        _text(
            "subscription_id", "account_id", "email", "plan", "billing_period", "is_paid",
            "price", "currency", "status", "started_on", "cancelled_on", "trial_ends_on",
            "updated_at",
        ),
    ),
    RawTable("consent_events", "consent/consent_events*.jsonl", "jsonl", JSON_PAYLOAD),
)

# Columns the loader adds to every raw table: where each row came from and when it landed.
LINEAGE_COLUMNS = {
    "_source_file": "VARCHAR",
    "_source_row": "BIGINT",
    "_loaded_at": "TIMESTAMP",
}
