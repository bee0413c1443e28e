"""cdp.identity.phones: the Python copy of staging's phone rules (prepare_phone,
phone_rewrite_rules), on formats seen in the demo exports. Parity with the SQL on every demo
phone is checked in tests/pipeline/test_readme_examples.py."""

from __future__ import annotations

import pytest

from cdp.identity import phones
from cdp.identity.explain import candidate_values


@pytest.mark.parametrize(("text", "country", "e164"), [
    ("07762 135155", "GB", "+447762135155"),  # national, row country GB
    ("(07762) 135155", "GB", "+447762135155"),
    ("0044 7837 431899", "GB", "+447837431899"),  # 00 international prefix
    ("+44 (0)20 7946 0958", "GB", "+442079460958"),  # (0) after the country code is dropped
    ("07 01 58 88 26", "FR", "+33701588826"),
    ("(415) 914-3694", None, "+14159143694"),  # no row country: var cdp_default_phone_country
    ("1-615-515-8483", "US", "+16155158483"),  # trunk/calling code 1 before the number
    ("612.757.8685", "US", "+16127578685"),
    ("011 1 206 288 7848", "US", "+12062887848"),  # 011: NANP international prefix
    ("+1-718-437-3285", None, "+17184373285"),
    ("415-555-2671 ext. 12", "US", "+14155552671"),  # extension dropped
    ("+4917813637110", "DE", "+4917813637110"),
    ("+86 10 1234 5678", None, "+861012345678"),  # unknown code: 8-15 digits pass
])
def test_phones_become_e164_like_staging(text, country, e164):
    assert phones.to_e164(text, country) == e164


@pytest.mark.parametrize(("text", "country"), [
    ("07762 135155", "US"),  # a GB mobile is no US number
    ("ask at desk", "US"),  # letters
    ("12345", "US"),  # too short
    ("1234567890123456789", "US"),  # too long
    ("07", "DE"),
    ("+44 12", None),  # a known code with a wrong length is invalid, not passed through
    ("  ", None),
    (None, None),
])
def test_what_staging_cannot_read_gives_none(text, country):
    assert phones.to_e164(text, country) is None


def test_readings_try_the_default_country_first_then_the_others():
    assert phones.readings("(415) 914-3694")[0] == "+14159143694"
    assert "+447762135155" in phones.readings("07762 135155")
    assert phones.readings("+44 7762 135155") == ["+447762135155"]  # international: one form
    assert phones.countries_reading("07762 135155", "+447762135155") == ["GB"]


def test_explain_looks_up_e164_written_with_spaces_dashes_and_parentheses():
    assert "+14155552671" in candidate_values("+1 (415) 555-2671")
    assert "+447762135155" in candidate_values("+44 7762-135155")
    assert "+447762135155" in candidate_values("0044 (0)7762 135155")
    assert "CRM-1002763" in candidate_values("crm-1002763")  # other ids: as typed or cased
