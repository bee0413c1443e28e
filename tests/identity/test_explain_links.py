"""`cdp explain` on a hand-made identity warehouse (tests/identity/identity_warehouse.py): a
path through probabilistic links says, per link, the match probability, weight, blocking rule
and the evidence terms, as the marts and the accepted pairs hold them."""

from __future__ import annotations

import re

from rich.console import Console

from cdp.identity.report import print_explanation
from cdp.warehouse import open_warehouse
from tests.identity import identity_warehouse


def explained(text: str, to: str) -> str:
    console = Console(record=True, width=400)  # wide: one link, one line
    assert print_explanation(console, text, None, to)
    return console.export_text()


def test_probabilistic_links_show_probability_weight_rule_and_evidence(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    out = explained("a@x.example", "CRM-C")
    steps = [line.strip() for line in out.splitlines() if " ─ " in line]
    assert steps[0] == ("email:a@x.example  ─ 1 record(s), first crm_contacts contacts.csv:1 ─"
                        "  crm_id:CRM-A")
    assert steps[1] == (
        "crm_id:CRM-A  ─ probabilistic match p=0.9991 (weight +10.20, rule dob_initials):"
        " first_name exact +7.41, last_name close +4.20, date_of_birth exact +10.89,"
        " prior -12.30 ─  crm_id:CRM-B")
    # The mart holds this link as CRM-C to CRM-B, the accepted pair as CRM-B and CRM-C.
    assert steps[2] == (
        "crm_id:CRM-B  ─ probabilistic match p=0.9700 (weight +5.00, rule dob_initials):"
        " first_name close +3.10, last_name exact +6.00, prior -4.10 ─  crm_id:CRM-C")
    assert len(steps) == 3


def test_a_link_without_its_accepted_pair_still_shows_its_evidence(engine, tmp_path):
    identity_warehouse.build(tmp_path / "raw")
    with open_warehouse() as wh:
        wh.execute("delete from intermediate.int_identity__fuzzy_matches"
                   " where contact_a = 'CRM-D'")
    out = explained("CRM-D", "CRM-E")
    assert re.search(r"crm_id:CRM-D  ─ probabilistic match p=0\.9500: first_name exact \+7\.00,"
                     r" prior -2\.70 ─  crm_id:CRM-E", out), out
