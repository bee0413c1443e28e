"""The noise identity resolution must cope with is really in the generated files."""

from __future__ import annotations

import pytest

from cdp.generate.config import SOURCES
from cdp.generate.vocab_business import JUNK_EMAILS, NULL_TOKENS
from cdp.generate.vocab_places import JUNK_PHONES

CLEAN = "defect is null"


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def test_emails_come_as_case_space_and_alias_variants_of_one_address(generated):
    [(case_or_space, plus_tag, folded)] = generated.with_truth("crm_contacts", f"""
        select count(*) filter (where email <> lower(trim(email))),
               count(*) filter (where email like '%+%@%'),
               count(*) filter (where lower(trim(email)) <> true_email
                                and lower(trim(email)) not like '%+%')
        from rows where {CLEAN} and true_email is not null""")
    assert case_or_space > 20
    assert plus_tag > 5
    assert folded > 5  # Gmail dots, googlemail.com


def test_phones_come_in_many_national_and_international_formats(generated):
    [(shapes, plus, double_zero, parens, trunk_zero)] = generated.with_truth("crm_contacts", f"""
        select count(distinct regexp_replace(phone, '[0-9]', '9', 'g')),
               count(*) filter (where phone like '+%'),
               count(*) filter (where phone like '00%' or phone like '011 %'),
               count(*) filter (where phone like '(%'),
               count(*) filter (where phone similar to '0[1-9].*')
        from rows where {CLEAN} and true_phone is not null""")
    assert shapes >= 20
    assert min(plus, double_zero, parens, trunk_zero) > 0


def test_junk_identifiers_and_null_tokens_are_written(generated):
    junk_phones = [text for rows in JUNK_PHONES.values() for text, _ in rows]
    [(junk_email, junk_phone, null_token)] = generated.with_truth("crm_contacts", f"""
        select count(*) filter (where lower(trim(email)) in ({_sql_list(JUNK_EMAILS)})),
               count(*) filter (where phone in ({_sql_list(junk_phones)})
                                or mobile_phone in ({_sql_list(junk_phones)})),
               count(*) filter (where trim(date_of_birth) in ({_sql_list(NULL_TOKENS)})
                                or trim(email) in ({_sql_list(NULL_TOKENS)})
                                or trim(country) in ({_sql_list(NULL_TOKENS)}))
        from rows where {CLEAN}""")
    assert min(junk_email, junk_phone, null_token) > 0


def test_people_use_several_emails_and_change_them(generated):
    [(share_with_several,)] = generated.truth(
        "select avg((len(emails) >= 2)::int) from persons where len(emails) > 0"
    )
    assert share_with_several > 0.15
    [(persons_with_two,)] = generated.truth("""
        select count(*) from (
            select person_id from truth where true_email is not null
            group by 1 having count(distinct true_email) >= 2)""")
    assert persons_with_two > 20


def test_households_share_a_landline_and_some_devices(generated):
    [(shared_phones,)] = generated.truth("""
        select count(*) from (
            select true_phone from truth where true_phone is not null
            group by 1 having count(distinct person_id) >= 2)""")
    assert shared_phones > 0
    [(shared_devices,)] = generated.with_truth("app_events", f"""
        select count(*) from (
            select device_id from rows where {CLEAN}
            group by 1 having count(distinct person_id) >= 2)""")
    assert shared_devices > 0


def test_anonymous_visitors_identify_later_or_never(generated):
    [(identified_later, never_identified)] = generated.with_truth("web_events", f"""
        with cookies as (
            select anonymousId,
                   min(timestamp) as first_seen,
                   min(timestamp) filter (where userId is not null
                                          or json_extract_string(traits, '$.email') is not null)
                       as first_identified
            from rows where {CLEAN} group by 1)
        select count(*) filter (where first_identified > first_seen),
               count(*) filter (where first_identified is null)
        from cookies""")
    assert identified_later > 20
    assert never_identified > 0


def test_crm_holds_duplicate_contacts_and_re_exports(generated):
    [(persons_with_two_ids, re_exported)] = generated.with_truth("crm_contacts", f"""
        select (select count(*) from (select person_id from rows where {CLEAN}
                                      group by 1 having count(distinct contact_id) >= 2)),
               (select count(*) from (select contact_id from rows where {CLEAN}
                                      group by 1 having count(*) >= 2))
        """)
    assert persons_with_two_ids > 5
    assert re_exported > 5


@pytest.mark.parametrize(
    "source", [s for s in SOURCES if s.table != "shop_order_items"], ids=lambda s: s.table
)
def test_sources_re_deliver_some_rows(generated, source):
    [(copies,)] = generated.truth(
        f"select count(*) filter (where is_duplicate) from truth"
        f" where source_table = '{source.table}'"
    )
    assert copies > 0


def test_some_web_events_arrive_late(generated):
    [(late,)] = generated.with_truth("web_events", f"""
        select count(*) from rows where {CLEAN}
        and try_cast(receivedAt as timestamp) - try_cast(timestamp as timestamp)
            > interval 1 hour""")
    assert late > 0


def test_names_are_typed_with_typos(generated):
    [(typos, exact)] = generated.with_truth("crm_contacts", f"""
        with compared as (
            select levenshtein(lower(strip_accents(trim(rows.first_name))),
                               lower(strip_accents(persons.first_name))) as distance
            from rows
            join '{generated.raw_dir / "_truth" / "persons.parquet"}' as persons using (person_id)
            where {CLEAN} and rows.first_name <> '')
        select count(*) filter (where distance between 1 and 2),
               avg((distance = 0)::int) from compared""")
    assert typos > 5
    assert exact > 0.9
