"""Blocking recall: how many of the true pairs of CRM contacts became candidate pairs.

Probabilistic matching only scores the pairs its blocking rules produce, so a true pair no
rule produced can never be matched, whatever the weights. A true pair is two contacts of
`stg_crm__contacts` whose clean records the generator made for one person (a contact's
versions are one contact, so they make no pair). The candidate table names the first rule
that produced each pair, so per rule this counts the true pairs it found first.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdp.identity.truth import TRUTH
from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import INTERMEDIATE, STAGING

CANDIDATES = "int_identity__candidate_pairs"


@dataclass(frozen=True)
class BlockingRule:
    """A row of int_identity__blocking_rules, and the true pairs it found first."""
    name: str
    keys: str
    blocks: int
    skipped_blocks: int  # larger than the cap: their pairs were never produced
    skipped_records: int
    candidate_pairs: int
    new_pairs: int  # ... no earlier rule produced
    matches: int  # accepted matches among its pairs
    only_matches: int  # ... no other rule produced
    true_pairs_first_found: int


@dataclass(frozen=True)
class Blocking:
    true_pairs: int
    found: int  # true pairs that are candidate pairs
    candidate_pairs: int
    rules: list[BlockingRule]

    @property
    def recall(self) -> float:
        return self.found / self.true_pairs if self.true_pairs else 1.0


def _first_found() -> str:
    """(rule order, true pairs found, true pairs) per first rule; null order: not found (or
    by a rule the rules table lacks). Pairs are compared in either order."""
    return f"""
with {TRUTH},
contacts as (
    select distinct contacts.contact_id, truth.true_person_id
    from truth
    inner join {STAGING}.stg_crm__contacts as contacts
        on truth.source_record_key = contacts.source_record_key
    where truth.source_table = 'crm_contacts'
),
true_pairs as (
    select distinct a.contact_id as contact_a, b.contact_id as contact_b
    from contacts as a
    inner join contacts as b
        on a.true_person_id = b.true_person_id and a.contact_id < b.contact_id
),
candidates as (
    select
        least(pairs.contact_a, pairs.contact_b) as contact_a,
        greatest(pairs.contact_a, pairs.contact_b) as contact_b,
        min(rules.rule_order) as rule_order
    from {INTERMEDIATE}.{CANDIDATES} as pairs
    left join {INTERMEDIATE}.int_identity__blocking_rules as rules
        on pairs.blocking_rule = rules.rule_name
    group by least(pairs.contact_a, pairs.contact_b), greatest(pairs.contact_a, pairs.contact_b)
)
select candidates.rule_order, count(candidates.contact_a), count(*)
from true_pairs
left join candidates
    on true_pairs.contact_a = candidates.contact_a
    and true_pairs.contact_b = candidates.contact_b
group by candidates.rule_order"""


def blocking_recall(wh: Warehouse) -> Blocking | None:
    """None on a warehouse built without blocking (before probabilistic matching). Needs the
    truth uploaded (`cdp.identity.truth`)."""
    if not wh.relation_exists(str(INTERMEDIATE), CANDIDATES):
        return None
    counts = wh.query(_first_found())
    by_rule = {order: int(found) for order, found, _ in counts if order is not None}
    [(candidates,)] = wh.query(f"select count(*) from {INTERMEDIATE}.{CANDIDATES}")
    rules = [BlockingRule(name, keys, *(int(n or 0) for n in numbers),
                          by_rule.get(order, 0))
             for order, name, keys, *numbers in wh.query(f"""
                select rule_order, rule_name, rule_keys, blocks, skipped_blocks,
                    skipped_records, candidate_pairs, new_pairs, matches, only_matches
                from {INTERMEDIATE}.int_identity__blocking_rules order by rule_order""")]
    return Blocking(true_pairs=int(sum(pairs for *_, pairs in counts)),
                    found=int(sum(found for _, found, _ in counts)),
                    candidate_pairs=int(candidates), rules=rules)
