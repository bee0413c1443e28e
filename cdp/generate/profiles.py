"""What a generator run writes: every source (`default`) or one source shaped for one test.

`contacts-only` is the CRM contact export alone, without emails or phones, where one person
often has several contacts that differ by typos, nicknames and missing fields: the data set
probabilistic identity (names, date of birth, address) is measured on.
"""

from __future__ import annotations

import difflib

DEFAULT = "default"
CONTACTS_ONLY = "contacts-only"
PROFILES = (DEFAULT, CONTACTS_ONLY)


class UnknownProfile(ValueError):
    """A profile name the generator does not know; the message is one line for the CLI."""


def checked_profile(name: str) -> str:
    """`name` if it is a profile, else `UnknownProfile` suggesting the closest one."""
    if name in PROFILES:
        return name
    close = difflib.get_close_matches(name.strip().lower(), PROFILES, n=1, cutoff=0.5)
    hint = f": did you mean '{close[0]}'?" if close else ""
    raise UnknownProfile(f"unknown profile '{name}'{hint} (profiles: {', '.join(PROFILES)})")
