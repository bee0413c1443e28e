"""The `contacts-only` generator profile: a CRM contact export made for probabilistic identity
(names, birth dates, addresses; no emails or phones), with the truth of every change."""

from cdp.generate.contacts_only.run import generate_contacts_only

__all__ = ["generate_contacts_only"]
