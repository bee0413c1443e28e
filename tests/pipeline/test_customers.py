"""Golden records, traits and CLV on the session's generated data, checked against the truth
the generator kept and against independent recomputations."""

from __future__ import annotations

import duckdb
import pytest

from cdp.clv import summary_from_transactions
from cdp.identity.explain import canonical_email

# The true person behind each resolved person: the one most of its clean records belong to.
_DOMINANT_TRUE_PERSON = """
    with records as (
        select
            resolved.person_id,
            truth.person_id as true_person_id
        from truth
        inner join intermediate.int_identity__record_persons as resolved
            on truth.source_table = resolved.source_table
            and md5(truth.source_table || '-' || truth.source_file || '-'
                    || cast(truth.source_row as varchar)) = resolved.source_record_key
        where truth.defect is null and resolved.person_id is not null
    )
    select person_id, arg_max(true_person_id, n) as true_person_id
    from (select person_id, true_person_id, count(*) as n from records group by all)
    group by person_id
"""


def _true_persons(warehouse) -> str:
    persons = warehouse.raw_dir / "_truth" / "persons.parquet"
    return f"read_parquet('{persons}')"


def test_dim_customers_has_one_row_per_person_with_records(warehouse):
    [(rows, persons, record_persons)] = warehouse.rows("""
        select count(*), count(distinct person_id),
               (select count(distinct person_id) from intermediate.int_identity__record_persons
                where person_id is not null)
        from marts.dim_customers
    """)
    assert rows == persons == record_persons > 1000


def test_golden_email_and_name_are_the_true_persons(warehouse):
    """Survivorship must pick a real mailbox of the real person (any spelling of it, e.g.
    Gmail dots: the truth lists canonical forms) despite typos, old CRM versions and junk
    emails in the sources; and the real name whenever one of the person's records has it (a
    typo on a person's only contact cannot be repaired by picking)."""
    rows = warehouse.rows(f"""
        with dominant as ({_DOMINANT_TRUE_PERSON}),
        names_on_records as (
            select rp.person_id, lower(c.first_name || ' ' || c.last_name) as name
            from intermediate.int_identity__record_persons as rp
            inner join staging.stg_crm__contacts as c using (source_record_key)
            union all
            select rp.person_id, lower(trim(h.requester_name))
            from intermediate.int_identity__record_persons as rp
            inner join staging.stg_helpdesk__tickets as h using (source_record_key)
        )
        select
            c.email,
            t.emails,
            c.last_name is null,
            lower(c.first_name || ' ' || c.last_name) = lower(t.first_name || ' ' || t.last_name),
            exists (
                select 1 from names_on_records as n
                where n.person_id = c.person_id
                    and n.name = lower(t.first_name || ' ' || t.last_name)
            )
        from marts.dim_customers as c
        inner join dominant using (person_id)
        inner join {_true_persons(warehouse)} as t on t.person_id = dominant.true_person_id
    """)
    emails = [(email, true) for email, true, *_ in rows if email is not None]
    email_ok = sum(canonical_email(email) in true for email, true in emails)
    named = [name_ok for *_, no_name, name_ok, available in rows if not no_name and available]
    print(f"email {email_ok}/{len(emails)} name {sum(named)}/{len(named)}")
    assert len(emails) > 500 and email_ok / len(emails) >= 0.97
    assert len(named) > 500 and sum(named) / len(named) >= 0.97


def test_revenue_traits_add_up_to_the_orders(warehouse):
    """Every resolved order's reporting-currency amount lands on exactly one golden record."""
    [(orders_total, dim_total, order_count, dim_orders, dim_returns)] = warehouse.rows("""
        select
            (select sum(total_reporting) from intermediate.int_customers__orders),
            (select sum(net_revenue) from marts.dim_customers),
            (select count(*) from intermediate.int_customers__orders),
            (select sum(orders) from marts.dim_customers),
            (select sum(return_orders) from marts.dim_customers)
    """)
    assert orders_total == dim_total
    assert order_count == dim_orders + dim_returns


def test_lifecycle_stage_agrees_with_the_traits(warehouse):
    bad = warehouse.rows("""
        select person_id, lifecycle_stage, orders, days_since_last_order, is_known
        from marts.dim_customers
        where (lifecycle_stage = 'anonymous_visitor' and (is_known or orders > 0))
           or (lifecycle_stage = 'known_lead' and (not is_known or orders > 0))
           or (lifecycle_stage in ('customer', 'repeat_customer', 'lapsed', 'churned')
               and orders = 0)
           or (lifecycle_stage = 'repeat_customer' and orders < 2)
           or (lifecycle_stage = 'churned' and days_since_last_order <= 365)
    """)
    assert bad == []
    stages = {stage for (stage,) in warehouse.rows(
        "select distinct lifecycle_stage from marts.dim_customers")}
    assert stages == {"anonymous_visitor", "known_lead", "customer", "repeat_customer",
                      "lapsed", "churned"}


def test_consent_is_the_latest_event_per_person(warehouse):
    """Recomputed in pandas from staging: latest consent event (ESP unsubscribes revoke email
    marketing; on a tie a revocation wins) per person, purpose and channel."""
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        events = con.execute("""
            select rp.person_id, e.purpose, e.channel, e.status, e.occurred_at
            from staging.stg_consent__consent_events as e
            inner join intermediate.int_identity__record_persons as rp
                on rp.source_table = 'consent_events'
                and rp.source_record_key = e.source_record_key
            where rp.person_id is not null
            union all
            select rp.person_id, 'marketing', 'email', 'revoked', e.occurred_at
            from staging.stg_esp__email_events as e
            inner join intermediate.int_identity__record_persons as rp
                on rp.source_table = 'esp_email_events'
                and rp.source_record_key = e.source_record_key
            where e.event_type in ('unsubscribe', 'spam_complaint')
        """).df()
        dim = con.execute("""
            select person_id, consent_marketing_email, consent_advertising_ads,
                   consent_analytics_web
            from marts.dim_customers
        """).df().set_index("person_id")
    latest = (events.sort_values(["occurred_at", "status"])
              .groupby(["person_id", "purpose", "channel"]).tail(1)
              .set_index(["person_id", "purpose", "channel"])["status"])
    checked = 0
    for purpose, channel in [("marketing", "email"), ("advertising", "ads"),
                             ("analytics", "web")]:
        expected = latest.xs((purpose, channel), level=["purpose", "channel"])
        actual = dim[f"consent_{purpose}_{channel}"].dropna()
        assert actual.sort_index().equals(expected.sort_index().rename(actual.name))
        checked += len(expected)
    assert checked > 500


def test_the_consent_ledger_drops_no_event_and_dim_consent_is_the_golden_record(warehouse):
    """Every clean consent event and ESP opt-out is in the ledger once (without a person too),
    one event is in force per person, purpose and channel, and the golden record's consent
    columns are dim_consent's statuses, nothing else."""
    [(events, opt_outs, ledger, unresolved, unexplained)] = warehouse.rows("""
        select
            (select count(*) from staging.stg_consent__consent_events),
            (select count(*) from staging.stg_esp__email_events
             where event_type in ('unsubscribe', 'spam_complaint')),
            (select count(*) from marts.fct_consent_events),
            (select count(*) from marts.fct_consent_events where person_id is null),
            (select count(*) from marts.fct_consent_events
             where (person_id is null) <> (unresolved_reason is not null))""")
    assert ledger == events + opt_outs and unexplained == 0
    assert unresolved == warehouse.rows("""
        select count(*) from marts.fct_consent_events where not is_in_force
            and person_id is null""")[0][0]
    assert warehouse.rows("""
        select count(*) from marts.dim_consent as d
        full outer join (select * from marts.fct_consent_events where is_in_force) as f
            on d.deciding_event_key = f.consent_event_key
        where d.person_id is null or f.person_id is null or d.status <> f.status""") == [(0,)]
    assert warehouse.rows("""
        select count(*) from marts.dim_customers as c
        left join marts.dim_consent as d
            on c.person_id = d.person_id and d.purpose = 'marketing' and d.channel = 'email'
        where c.consent_marketing_email is distinct from d.status""") == [(0,)]


def test_clv_summary_matches_the_python_reference(warehouse):
    """The SQL purchase summary equals `summary_from_transactions` on the same orders."""
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        orders = con.execute("""
            select person_id, ordered_at, cast(total_reporting as double) as amount
            from intermediate.int_customers__orders where not is_return
        """).df()
        [(as_of,)] = con.execute(
            "select as_of_at from intermediate.int_customers__as_of").fetchall()
        sql = con.execute(
            "select * from intermediate.int_clv__purchase_summary").df().set_index("person_id")
    reference = summary_from_transactions(orders, as_of, customer="person_id",
                                          timestamp="ordered_at", amount="amount")
    assert len(sql) == len(reference) > 300
    joined = sql.join(reference.add_suffix("_reference"), how="inner")
    assert len(joined) == len(sql)
    assert (joined["frequency"] == joined["frequency_reference"]).all()
    assert (joined["recency_days"] == joined["recency_reference"]).all()
    assert (joined["t_days"] == joined["T_reference"]).all()
    repeat = joined[joined["frequency"] > 0]
    assert repeat["monetary_value"].astype(float).to_numpy() == pytest.approx(
        repeat["monetary_value_reference"].to_numpy(), abs=1e-4)


def test_clv_scores_behave_like_the_model(warehouse):
    scores = warehouse.rows("""
        select s.person_id, p.frequency, p.recency_days, p.t_days, s.p_alive,
               s.expected_purchases_90d, s.expected_purchases_365d, s.predicted_clv,
               c.purchase_propensity
        from staging.stg_clv__scores as s
        inner join intermediate.int_clv__purchase_summary as p using (person_id)
        inner join marts.dim_customers as c using (person_id)
    """)
    assert len(scores) > 300
    for _, frequency, _, _, alive, in_90, in_365, clv, tier in scores:
        assert 0 < alive <= 1
        assert 0 <= in_90 <= in_365
        assert clv >= 0
        assert tier in {"high", "medium", "low"}
        if frequency == 0:
            assert alive == pytest.approx(1.0)
    tiers = {tier for *_, tier in scores}
    assert tiers == {"high", "medium", "low"}
