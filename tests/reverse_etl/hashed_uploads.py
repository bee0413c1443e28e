"""What the ad-platform harnesses share: their fakes hold hashed emails only, so the harness
remembers each sent record's fields by its hashed email to say which records the remote holds."""

from __future__ import annotations

from collections.abc import Callable

from reverse_etl.destinations.base import Destination


def track_uploads(destination: Destination, hash_email: Callable[[str | None], str],
                  bad_keys, bad_values: set) -> dict[str, dict]:
    """Wrap `destination.upsert`: every record's fields and hashed email land in the returned
    dict by key; the emails of `bad_keys` go to the fake's `bad_values`, which it refuses."""
    sent: dict[str, dict] = {}
    upsert = destination.upsert

    def tracking_upsert(records):
        for record in records:
            email = hash_email(record.fields.get("email"))
            if record.key in bad_keys:
                bad_values.add(email)
            sent[record.key] = {"fields": dict(record.fields), "email": email}
        return upsert(records)

    destination.upsert = tracking_upsert
    return sent
