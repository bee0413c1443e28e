"""Personal data is declared and masked: every model column holding emails or phones carries
`meta.pii` (found by sampling the values of the built warehouse, not by trusting names), and
the pii_masked views BI roles read show every mart, row for row, with nothing readable left in
the tagged columns."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import duckdb
import pytest

from cdp.dbt import run_dbt
from cdp.warehouse.schemas import schema
from tests.pipeline.pii_scan import (
    Relation,
    looks_like_email,
    looks_like_phone,
    relations_of,
    untagged_contact_columns,
)

# What each kind looks like once masked (None: the column is null in the view).
MASKED = {
    "email": re.compile(r".\*\*\*@[^@]+|\*\*\*"),
    "phone": re.compile(r"[^0-9]*[0-9]{0,2}"),
    "name": re.compile(r"[^ ]\.(?: +[^ ]\.)*"),
    "identifier": re.compile(r"[0-9a-f]{64}"),
    "ip": re.compile(r"[0-9a-f]{64}"),
    "address": None,
    "free_text": None,
}


@pytest.fixture(scope="module")
def manifest(warehouse, tmp_path_factory):
    return run_dbt(["parse", "--target-path", str(tmp_path_factory.mktemp("pii_parse"))],
                   duckdb_path=warehouse.duckdb_path).result


@pytest.fixture(scope="module")
def masked_views(manifest) -> list[tuple]:
    """(mart node, the pii_masked model that masks it), by mart name."""
    models = {uid: node for uid, node in manifest.nodes.items() if node.resource_type == "model"}
    pairs = [(models[node.depends_on.nodes[0]], node) for node in models.values()
             if node.fqn[1] == "pii_masked"]
    return sorted(pairs, key=lambda pair: pair[0].name)


def test_no_model_holds_untagged_emails_or_phones(warehouse, manifest):
    relations = relations_of(manifest)
    assert len(relations) > 80
    problems = untagged_contact_columns(relations, warehouse.rows)
    assert not problems, "untagged personal data:\n" + "\n".join(problems)


def test_the_scan_finds_the_columns_whose_tags_are_removed(warehouse, manifest):
    """The scan above can fail: the real relations with some tags dropped are reported."""
    dropped = {"dim_customers": {"email", "phone", "emails"}, "dim_audiences": {"owner"},
               "stg_helpdesk__tickets": {"phone_e164"}, "fct_source_rejects": {"raw_record"}}
    relations = [dataclasses.replace(relation, pii={
        name: kind for name, kind in relation.pii.items() if name not in dropped[relation.model]})
        for relation in relations_of(manifest) if relation.model in dropped]
    problems = untagged_contact_columns(relations, warehouse.rows)
    assert [line.split(":")[0] for line in problems] == [
        "dim_audiences.owner", "dim_customers.email", "dim_customers.phone",
        "dim_customers.emails", "fct_source_rejects.raw_record",
        "stg_helpdesk__tickets.phone_e164"]
    assert "named like an email or phone column" in problems[1]


def test_the_scan_reads_values_and_names():
    relation = Relation("fake", "s", "t", pii={"tagged": "email"})
    with duckdb.connect() as con:
        con.execute("create schema s")
        con.execute("""create table s.t as select * from (values
            ('ann@x.com', '07762 135155', '2024-01-02', 'ann@x.com', cast(null as varchar),
             'CRM-1', 'x'),
            ('bob@y.org', '(713) 656-6052', '1712345678', 'b@z.de', null, 'CRM-2', 'y'),
            ('n/a', '+4915112345678', '12345.67', null, null, 'CRM-3', 'c***@x.com'))
            as t(contact, tel, notes, tagged, billing_email, crm_key, masked)""")
        problems = untagged_contact_columns([relation], lambda sql: con.execute(sql).fetchall())
    assert problems == [
        "fake.contact: 67% of sampled values look like emails, no meta.pii",
        "fake.tel: 100% of sampled values look like phones, no meta.pii",
        "fake.billing_email: named like an email or phone column, no meta.pii"]


def test_looks_like_phone_spares_dates_numbers_and_masks():
    for value in ("+447762135155", "07762 135155", "(713) 656-6052", "713-656-6052",
                  "phone:+17136566052", '{"phone": "+33612345678"}'):
        assert looks_like_phone(value), value
    for value in ("2024-01-02", "1712345678", "12345.67", "+**********55", "CRM-1000020",
                  "-42", "2024-01-02 10:00:00"):
        assert not looks_like_phone(value), value


def test_every_mart_has_its_masked_view(manifest, masked_views):
    marts = {node.name for node in manifest.nodes.values()
             if node.resource_type == "model" and node.fqn[1] == "marts"}
    assert sorted(mart.name for mart, _ in masked_views) == sorted(marts)
    for mart, view in masked_views:
        assert (view.schema, view.alias, view.config.materialized) == (
            schema("pii_masked"), mart.alias, "view"), view.name
        assert len(view.depends_on.nodes) == 1, view.name


def test_masked_views_keep_rows_and_columns_and_hide_contacts(warehouse, masked_views):
    problems = []
    for mart, view in masked_views:
        [(mart_rows,)] = warehouse.rows(f"select count(*) from {mart.schema}.{mart.alias}")
        [(view_rows,)] = warehouse.rows(f"select count(*) from {view.schema}.{view.alias}")
        if mart_rows != view_rows:
            problems.append(f"{view.alias}: {view_rows} rows, the mart has {mart_rows}")
        if ([name for name, _ in _columns(warehouse, view)]
                != [name for name, _ in _columns(warehouse, mart)]):
            problems.append(f"{view.alias}: columns differ from the mart's")
        for column in (name for name, kind in _columns(warehouse, view) if kind == "VARCHAR"):
            for (value,) in warehouse.rows(f'select distinct "{column}" from'
                                           f" {view.schema}.{view.alias}"
                                           f' where "{column}" is not null'):
                if looks_like_email(value) or looks_like_phone(value):
                    problems.append(f"{view.alias}.{column}: shows {value!r}")
                    break
    assert problems == []
    [(rows,)] = warehouse.rows(f"select count(*) from {schema('pii_masked')}.dim_customers")
    assert rows > 1000


def test_masked_columns_follow_their_kind(warehouse, masked_views):
    checked, problems = set(), []
    for mart, view in masked_views:
        for name, column in mart.columns.items():
            kind = column.meta.get("pii")
            if not kind:
                continue
            checked.add(kind)
            values = [value for (value,) in warehouse.rows(
                f'select "{name}" from {view.schema}.{view.alias} where "{name}" is not null')]
            pattern = MASKED.get(kind, re.compile(""))
            if kind == "birth_date":
                wrong = [v for v in values if not (isinstance(v, int) and 1900 <= v < 2100)]
            elif pattern is None:
                wrong = values
            else:
                wrong = [v for v in values if not pattern.fullmatch(str(v))]
            if wrong:
                problems.append(f"{view.alias}.{name} ({kind}): e.g. {wrong[0]!r}")
            if kind == "identifier":  # the hash of the mart's value, so joins still work
                originals = warehouse.rows(f'select distinct "{name}" from'
                                           f" {mart.schema}.{mart.alias}")
                hashes = {hashlib.sha256(v.encode()).hexdigest() for (v,) in originals if v}
                if set(values) != hashes:
                    problems.append(f"{view.alias}.{name}: not the SHA-256 of the mart's value")
    assert problems == []
    assert checked == {"email", "phone", "name", "address", "birth_date", "identifier",
                       "free_text"}


def _columns(warehouse, node) -> list[tuple[str, str]]:
    return warehouse.rows("select column_name, data_type from information_schema.columns"
                          f" where table_schema = '{node.schema}'"
                          f" and table_name = '{node.alias}' order by ordinal_position")
