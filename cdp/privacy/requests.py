"""Recording forget requests (`cdp forget`): from the command line or a requests file.

The identifier is hashed here, in every form staging may have stored it (as typed, cased,
canonical email, E.164 phone in every configured country) and for every identifier type the
request may mean, so its clear value never reaches the warehouse. The next run resolves the
hashes through the ID graph (`cdp.privacy.erasure`).
"""

from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cdp.definition_files import shown, suggest
from cdp.identity import phones
from cdp.identity.explain import candidate_values
from cdp.privacy import store
from cdp.settings import dbt_vars
from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import PRIVACY

REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
FILE_COLUMNS = ("request_id", "identifier_type", "identifier_value", "requested_at")


class RequestError(ValueError):
    """A request that cannot be recorded (one line per problem, never the identifier)."""


@dataclass(frozen=True)
class Request:
    request_id: str
    value: str
    id_type: str | None = None
    requested_at: datetime | None = None


def identifier_types() -> list[str]:
    return [str(t) for t in dbt_vars()["cdp_identity_types"]]


def check(request: Request, where: str) -> list[str]:
    """Problems of one request, each starting with `where` (never quoting the value)."""
    problems = []
    if not request.value.strip():
        problems.append(f"{where}: the identifier is empty")
    if not REQUEST_ID.fullmatch(request.request_id):
        problems.append(f"{where}: request id {shown(request.request_id)} must be letters,"
                        " digits, and . _ : - (at most 100)")
    types = identifier_types()
    if request.id_type is not None and request.id_type not in types:
        problems.append(f"{where}: unknown identifier type {shown(request.id_type)}"
                        f"{suggest(request.id_type, types)} (types: {', '.join(types)})")
    if request.requested_at is not None and request.requested_at > store.now():
        problems.append(f"{where}: requested_at is in the future")
    return problems


def new_request_id() -> str:
    return f"req_{uuid.uuid4().hex[:16]}"


def read_requests_file(path: Path) -> list[Request]:
    """A CSV with columns request_id, identifier_type (may be empty), identifier_value,
    requested_at (ISO date or timestamp; may be empty: now). Every problem is raised at once."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in FILE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RequestError(f"{path}: missing column(s) {', '.join(missing)}"
                                   f" (expected {', '.join(FILE_COLUMNS)})")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RequestError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    requests, problems = [], []
    for number, row in enumerate(rows, start=2):
        try:
            when = (datetime.fromisoformat(row["requested_at"].strip())
                    if (row["requested_at"] or "").strip() else None)
        except ValueError:
            problems.append(f"{path}: row {number}: requested_at is not an ISO date")
            continue
        request = Request(request_id=(row["request_id"] or "").strip() or new_request_id(),
                          value=row["identifier_value"] or "",
                          id_type=(row["identifier_type"] or "").strip() or None,
                          requested_at=when.replace(tzinfo=None) if when else None)
        problems += check(request, f"{path}: row {number}")
        requests.append(request)
    if problems:
        raise RequestError("\n".join(problems))
    return requests


def record(warehouse: Warehouse, requests: list[Request], origin: str) -> list[str]:
    """Store `requests` (hashed); returns the ids of those that were new (an id recorded
    before is skipped, so importing the same file twice changes nothing)."""
    salt = store.salt(warehouse)
    known = {row[0] for row in warehouse.query(
        f"select request_id from {PRIVACY}.deletion_requests")}
    received, new, hashes = store.now(), [], []
    for request in requests:
        if request.request_id in known:
            continue
        known.add(request.request_id)
        new.append({"request_id": request.request_id, "id_type": request.id_type,
                    "requested_at": request.requested_at or received,
                    "received_at": received, "origin": origin})
        for id_type in [request.id_type] if request.id_type else identifier_types():
            hashes += [{"request_id": request.request_id, "id_type": id_type,
                        "identifier_hash": store.identifier_hash(salt, id_type, form)}
                       for form in sorted(_forms(request.value))]
    # Hashes first: a request row is only ever seen with all of its hashes.
    store.append(warehouse, "request_identifiers", hashes)
    store.append(warehouse, "deletion_requests", new)
    return [row["request_id"] for row in new]


def withdraw(warehouse: Warehouse, request_id: str) -> None:
    """The request no longer holds: its suppressions stop applying (erased data stays gone)."""
    store.ensure_tables(warehouse)
    if not warehouse.query(f"select 1 from {PRIVACY}.deletion_requests where request_id = ?",
                           [request_id]):
        raise RequestError(f"no forget request {shown(request_id)}")
    store.append(warehouse, "request_events", [store.event(request_id, "withdrawn")])


def _forms(text: str) -> set[str]:
    """Every matching form staging may have given `text` (see `cdp explain`)."""
    return candidate_values(text) | set(phones.readings(text))
