"""Bring your own source: the example of docs/own_source.md (a loyalty POS export with a new
identifier type, `pos_card_id`) added to a scratch copy of this project by configuration
only, built on small generated data plus hand-written POS rows.

The guide's code blocks are the test's input, used as written: blocks whose first line names
a model or YAML file are written there, the `dbt_project.yml` block is merged into the vars,
the contract block is appended to dim_customers' columns and the landing SQL runs after
`cdp load`. POS sales carrying a generated person's email (in another case) resolve into that
person, a later sale with the card alone follows the card, a card seen with nothing else is a
person of its own, and the new type has its columns in dim_customers.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from cdp.build import halves
from cdp.clv.step import score_clv
from cdp.generate import generate_sources
from cdp.load import load_raw
from cdp.settings import PROJECT_DIR, dbt_vars
from cdp.warehouse import open_warehouse

GUIDE = PROJECT_DIR / "docs" / "own_source.md"
PERSONS = 300
BIN = Path(sys.executable).parent
BUILD = ["build", "--select", "+dim_customers", "+fct_identity_links",
         "--indirect-selection", "cautious"]
VARS_BLOCK = "# dbt_project.yml: add under vars"
CONTRACT_BLOCK = "# models/marts/customers/_customers__models.yml: add to dim_customers columns"
LANDING_BLOCK = "-- land data/raw/loyalty/pos_transactions.csv in raw (DuckDB)"


def guide_blocks() -> dict[str, str]:
    """The guide's fenced code blocks, by their first line."""
    blocks = re.findall(r"^```[a-z]+\n(.*?)^```", GUIDE.read_text(), re.MULTILINE | re.DOTALL)
    return {block.split("\n", 1)[0].strip(): block for block in blocks}


def _scratch_project(root: Path) -> Path:
    """This project's models copied (the guide edits them), macros, seeds and data tests
    linked, and the guide's files, vars and contract columns applied."""
    project = root / "project"
    project.mkdir()
    shutil.copytree(PROJECT_DIR / "models", project / "models")
    for linked in ("macros", "seeds", "tests/data_tests"):
        (project / linked).parent.mkdir(parents=True, exist_ok=True)
        (project / linked).symlink_to(PROJECT_DIR / linked, target_is_directory=True)
    shutil.copy(PROJECT_DIR / "profiles.yml", project / "profiles.yml")

    blocks = guide_blocks()
    written = []
    for first_line, block in blocks.items():
        named = re.fullmatch(r"(?:--|#) (models/\S+\.(?:sql|yml))", first_line)
        if named:
            path = project / named.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block)
            written.append(named.group(1))
    assert len(written) == 4, written  # sources, models, base and staging model

    settings = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    shipped = copy.deepcopy(settings["vars"]["cdp_identity_sources"])
    for name, value in yaml.safe_load(blocks[VARS_BLOCK]).items():
        current = settings["vars"].get(name)
        if isinstance(current, dict):
            current.update(value)
        else:
            settings["vars"][name] = value
    (project / "dbt_project.yml").write_text(yaml.safe_dump(settings, sort_keys=False))

    # A unit test mocks every model its model reads and the golden-record models read every
    # declared source: each unit test that does not pin its declarations yet is pinned to the
    # shipped ones it was written for (docs/own_source.md asks unit tests to pin them).
    for unit_file in (project / "models").rglob("*.yml"):
        spec = yaml.safe_load(unit_file.read_text()) or {}
        pinned = [test for test in spec.get("unit_tests", [])
                  if "cdp_identity_sources" not in test.get("overrides", {}).get("vars", {})]
        for test in pinned:
            test.setdefault("overrides", {}).setdefault("vars", {})["cdp_identity_sources"] = (
                shipped)
        if pinned:
            unit_file.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))

    contract_file = project / "models/marts/customers/_customers__models.yml"
    contract = yaml.safe_load(contract_file.read_text())
    [customers] = [m for m in contract["models"] if m["name"] == "dim_customers"]
    customers["columns"] += yaml.safe_load(blocks[CONTRACT_BLOCK])
    contract_file.write_text(yaml.safe_dump(contract, sort_keys=False))
    return project


def _pos_rows(db: Path) -> tuple[list[str], dict[str, str]]:
    """Hand-written POS lines; two carry emails of generated CRM contacts (one contact per
    email, one email per contact), written upper-cased. Returns the CSV lines and
    {transaction_id: contact_id} for those two."""
    with duckdb.connect(str(db), read_only=True) as con:
        contacts = con.execute("""
            select contact_id, any_value(lower(trim(email))) as email
            from raw.crm_contacts
            where regexp_full_match(lower(trim(email)), '[a-z0-9.]+@[a-z0-9-]+\\.[a-z]+')
                and lower(trim(email)) not in (
                    select lower(trim(email)) from raw.crm_contacts where email is not null
                    group by 1 having count(distinct contact_id) > 1)
            group by contact_id
            having count(distinct lower(trim(email))) = 1
            order by contact_id
            limit 2""").fetchall()
    (ann_contact, ann_email), (bob_contact, bob_email) = contacts
    lines = [
        "transaction_id,card_number,customer_email,customer_name,store_id,amount,purchased_at",
        f"POS-1,PC-0001, {ann_email.upper()} ,Ann Example,S-01,12.50,2026-10-01 10:00:00",
        "POS-2,pc-0001,,Ann Example,S-02,3.20,2026-10-03 17:45:00",
        f"POS-3,PC-0002,{bob_email},Bob Example,S-01,7.00,2026-10-05 12:00:00",
        "POS-4,PC-0003,not-an-email,Cy Broken,S-03,1.00,2026-10-06 09:00:00",
        "POS-5,PC-0009,,Dana Walkin,S-01,5.00,2026-10-07 15:30:00",
        "POS-6,PC-0010,new.shopper@posteo.de,Eve Newcomer,S-02,9.99,2026-10-08 11:00:00",
    ]
    return lines, {"POS-1": ann_contact, "POS-2": ann_contact, "POS-3": bob_contact}


class Built:
    def __init__(self, root: Path, project: Path, db: Path, contacts: dict[str, str]):
        self.root, self.project, self.db, self.contacts = root, project, db, contacts

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def pos_person(self, transaction_id: str) -> str | None:
        return self._person("base_loyalty__pos_transactions", "loyalty_pos",
                            "transaction_id", transaction_id)

    def contact_person(self, contact_id: str) -> str:
        return self._person("stg_crm__contacts", "crm_contacts", "contact_id", contact_id)

    def _person(self, model: str, source_table: str, key_column: str, key: str) -> str | None:
        """The person of the record of `model` whose `key_column` is `key`."""
        [(person,)] = self.rows(f"""
            select persons.person_id
            from staging.{model} as records
            inner join intermediate.int_identity__record_persons as persons
                on persons.source_table = ?
                and records.source_record_key = persons.source_record_key
            where records.{key_column} = ?""", [source_table, key])
        return person

    def customer(self, person_id: str) -> dict:
        with duckdb.connect(str(self.db), read_only=True) as con:
            cursor = con.execute("select * from marts.dim_customers where person_id = ?",
                                 [person_id])
            [row] = cursor.fetchall()
            return dict(zip([d[0] for d in cursor.description], row, strict=True))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("own_source")
    project = _scratch_project(root)
    raw, db = root / "raw", root / "cdp.duckdb"
    generate_sources(raw, PERSONS, seed=5, show_progress=False)
    load_raw(raw, db)

    lines, contacts = _pos_rows(db)
    (raw / "loyalty").mkdir()
    (raw / "loyalty" / "pos_transactions.csv").write_text("\n".join(lines) + "\n")
    landing = guide_blocks()[LANDING_BLOCK].replace("'data/raw/", f"'{raw}/")
    with duckdb.connect(str(db)) as con:
        con.execute(landing)

    env = {**os.environ, "CDP_DUCKDB_PATH": str(db), "CDP_TARGET": "duckdb",
           "CDP_THREADS": "2"}
    first, second = halves(BUILD[1:])  # a build as `cdp build` makes it, CLV step between
    for number, half in enumerate((first, second)):
        if number:
            with open_warehouse(duckdb_path=db) as warehouse:
                score_clv(warehouse, dbt_vars()["cdp_clv"])
        completed = subprocess.run(
            [str(BIN / "dbt"), "build", *half, "--project-dir", str(project), "--profiles-dir",
             str(project), "--target-path", str(root / "target"), "--log-path",
             str(root / "logs")],
            capture_output=True, text=True, env=env, cwd=project, timeout=600, check=False)
        assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    return Built(root, project, db, contacts)


def test_the_declaration_puts_the_new_models_upstream(built):
    nodes = json.loads((built.root / "target" / "manifest.json").read_text())["nodes"]

    def parents(model: str) -> set[str]:
        return set(nodes[f"model.cdp.{model}"]["depends_on"]["nodes"])

    assert "model.cdp.base_loyalty__pos_transactions" in parents("int_identity__observations")
    for golden in ("int_customers__best_emails", "int_customers__best_names"):
        assert "model.cdp.stg_loyalty__pos_transactions" in parents(golden)
    assert "model.cdp.stg_loyalty__pos_transactions" not in parents("int_customers__best_phones")


def test_pos_sales_resolve_into_the_persons_of_their_emails(built):
    for transaction_id, contact_id in built.contacts.items():
        assert built.pos_person(transaction_id) == built.contact_person(contact_id), transaction_id
    assert built.pos_person("POS-1") != built.pos_person("POS-3")
    # the card links the email's person: PC-0001 is that person's identifier
    [(status, person)] = built.rows(
        "select status, person_id from marts.dim_identity_identifiers"
        " where id_type = 'pos_card_id' and id_value = 'PC-0001'")
    assert (status, person) == ("linked", built.pos_person("POS-1"))


def test_a_card_seen_alone_is_a_person_of_its_own(built):
    walk_in = built.pos_person("POS-5")
    assert walk_in is not None
    assert built.rows("select id_type, id_value from marts.dim_identity_identifiers"
                      " where person_id = ?", [walk_in]) == [("pos_card_id", "PC-0009")]
    customer = built.customer(walk_in)
    assert (customer["pos_card_ids"], customer["email"]) == ("PC-0009", None)


def test_dim_customers_lists_the_new_identifier_type(built):
    customer = built.customer(built.pos_person("POS-1"))
    assert customer["pos_card_ids"] == "PC-0001"  # pc-0001 and PC-0001: one card (upper form)
    assert customer["pos_card_id_count"] == 1
    assert customer["crm_id_count"] >= 1
    [(with_cards,)] = built.rows(
        "select count(*) from marts.dim_customers where pos_card_id_count > 0")
    assert with_cards == 4  # PC-0001, PC-0002, PC-0009, PC-0010 (PC-0003 was rejected)


def test_the_source_offers_golden_record_values(built):
    newcomer = built.customer(built.pos_person("POS-6"))
    assert (newcomer["email"], newcomer["email_source"]) == ("new.shopper@posteo.de",
                                                              "loyalty_pos")
    assert (newcomer["first_name"], newcomer["last_name"], newcomer["name_source"]) == (
        "Eve", "Newcomer", "loyalty_pos")


def test_rejected_pos_rows_never_reach_identity(built):
    assert built.rows(
        "select reject_reason, reject_column from staging.base_loyalty__pos_transactions"
        " where transaction_id = 'POS-4'") == [("invalid_email", "customer_email")]
    assert built.rows("select * from marts.dim_identity_identifiers"
                      " where id_value = 'PC-0003'") == []


def test_cdp_explain_shows_the_card(built):
    completed = subprocess.run(
        [str(BIN / "cdp"), "explain", "pc-0001", "--duckdb", str(built.db)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=120,
        check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert built.pos_person("POS-1") in completed.stdout
    assert "pos_card_id:PC-0001" in completed.stdout
