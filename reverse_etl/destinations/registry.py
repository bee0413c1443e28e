"""Destination kinds by name: sync YAML says `destination: {type: <kind>, config: {...}}`."""

from __future__ import annotations

from reverse_etl.destinations.base import ConfigError, Destination
from reverse_etl.destinations.braze import BrazeUsersDestination
from reverse_etl.destinations.dummy import DummyDestination
from reverse_etl.destinations.file import FileDestination
from reverse_etl.destinations.google_ads import GoogleAdsCustomerMatchDestination
from reverse_etl.destinations.hubspot import HubSpotContactsDestination
from reverse_etl.destinations.mailchimp import MailchimpAudienceDestination
from reverse_etl.destinations.meta import MetaCustomAudienceDestination
from reverse_etl.destinations.postgres_table import PostgresTableDestination
from reverse_etl.destinations.webhook import WebhookDestination

DESTINATIONS: dict[str, type[Destination]] = {
    cls.kind: cls for cls in (DummyDestination, FileDestination, WebhookDestination,
                              HubSpotContactsDestination, MailchimpAudienceDestination,
                              BrazeUsersDestination, MetaCustomAudienceDestination,
                              GoogleAdsCustomerMatchDestination, PostgresTableDestination)
}


def destination_class(kind: str) -> type[Destination]:
    if kind not in DESTINATIONS:
        raise ConfigError(f"unknown destination type '{kind}' "
                          f"(available: {', '.join(sorted(DESTINATIONS))})")
    return DESTINATIONS[kind]


def create_destination(kind: str, sync_name: str, mode: str, config: dict) -> Destination:
    cls = destination_class(kind)
    if mode not in cls.capabilities.modes:
        raise ConfigError(f"{kind} destination does not support mode '{mode}' "
                          f"(supports {', '.join(sorted(cls.capabilities.modes))})")
    return cls(sync_name, mode, config)
