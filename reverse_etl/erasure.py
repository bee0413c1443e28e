"""Removals a sync owes for forgotten persons (`cdp forget`, cdp.privacy).

When a forget request is resolved, every sync whose state holds one of its persons owes the
destination a removal (`delivery_required`, the person id kept only as a salted hash). A run
plans those keys as `erase`, whatever its mode and whatever the source says: an upsert sync
that would silently forget a departed person, or a run that starts before the rebuild that
drops the person, still sends the removal. Each acknowledged one is recorded
(`delivery_confirmed`) before the key leaves the state, so a kill in between re-sends nothing
and loses no confirmation; fct_privacy_requests reports what is still owed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from cdp.privacy import store
from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import PRIVACY, SYNC_STATE


@dataclass
class Erasures:
    warehouse: Warehouse | None = None  # where the privacy log is (Spark: not the scratch)
    sync_name: str = ""
    owed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key -> requests

    @classmethod
    def owed_by(cls, warehouse: Warehouse, sync_name: str) -> Erasures:
        """The record keys of `sync_name`'s state whose removal a forget request awaits."""
        found = cls(warehouse, sync_name)
        if not (warehouse.relation_exists(str(PRIVACY), "request_events")
                and warehouse.relation_exists(str(SYNC_STATE), "snapshots")):
            return found
        pending = warehouse.query(f"""
            select request_id, subject_hash from {PRIVACY}.request_events
            where event = 'delivery_required' and sync_name = ?
            except
            select request_id, subject_hash from {PRIVACY}.request_events
            where event = 'delivery_confirmed' and sync_name = ?""",
                                  [sync_name, sync_name])
        if not pending:
            return found
        by_hash: dict[str, list[tuple[str, str]]] = {}
        for request_id, subject_hash in pending:
            by_hash.setdefault(subject_hash, []).append((request_id, subject_hash))
        salt = store.salt(warehouse)
        for (key,) in warehouse.query(f"select record_key from {SYNC_STATE}.snapshots"
                                      " where sync_name = ?", [sync_name]):
            if (hashed := store.identifier_hash(salt, "person", key)) in by_hash:
                found.owed[key] = by_hash[hashed]
        return found

    def plan(self, con) -> int:
        """Turn the owed keys of the temp table `plan` into `erase` ops (their snapshot's
        removal payload), replacing whatever the diff planned for them."""
        if not self.owed:
            return 0
        con.write_table("erased_keys", pa.table({"record_key": sorted(self.owed)}),
                        temporary=True)
        con.execute("delete from plan where record_key in (select record_key from erased_keys)")
        con.execute(f"""
            insert into plan (record_key, op, row_hash, fields_json, was_in_doubt)
            select record_key, 'erase', coalesce(row_hash, ''),
                coalesce(pending_json, removal_json), in_doubt is not null
            from {SYNC_STATE}.snapshots
            where sync_name = ? and record_key in (select record_key from erased_keys)
        """, [self.sync_name])
        con.execute("drop table erased_keys")
        return len(self.owed)

    def confirm(self, keys: list[str]) -> None:
        """The destination acknowledged removing `keys`: record it for their requests."""
        events = [store.event(request_id, "delivery_confirmed", sync_name=self.sync_name,
                              subject_hash=subject_hash)
                  for key in keys for request_id, subject_hash in self.owed.get(key, [])]
        if events and self.warehouse is not None:
            store.append(self.warehouse, "request_events", events)
