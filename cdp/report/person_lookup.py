"""Which person `cdp report --person <text>` means: a person id, or any identifier in the
forms `cdp explain` finds it (as typed, canonical email, E.164 phone)."""

from __future__ import annotations

from cdp.identity.explain import find_identifiers
from cdp.warehouse import query
from cdp.warehouse.schemas import MARTS


class PersonNotFound(LookupError):
    """No single person answers to the text (the message says why, in one line)."""


def resolve_person(text: str) -> str:
    """The person id `text` stands for: one with a golden record."""
    if _has_record(text.strip()):
        return text.strip()
    found = find_identifiers(text)
    if not found:
        raise PersonNotFound(f"no person or identifier {text!r} in the warehouse (try `cdp "
                             "explain` with the email, phone or id as the source has it)")
    persons = sorted({i.person_id for i in found if i.person_id and _has_record(i.person_id)})
    if not persons:
        # Blocked identifiers have no person; a shared one keeps a profile of its own, which
        # has no golden record unless some record carries nothing else.
        statuses = ", ".join(sorted({f"{i.id_type} {i.status}" for i in found}))
        raise PersonNotFound(f"{text!r} belongs to no single person ({statuses}: such an "
                             "identifier links nobody)")
    if len(persons) > 1:
        raise PersonNotFound(f"{text!r} matches {len(persons)} persons ({', '.join(persons)}):"
                             " pass one of these person ids")
    return persons[0]


def _has_record(person_id: str) -> bool:
    return query(f"select count(*) from {MARTS}.dim_customers where person_id = ?",
                 [person_id])[0][0] > 0
