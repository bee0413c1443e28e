"""The cleaning and cross-db macros, executed for real on DuckDB through dbt.

Every table below is compiled once (one `dbt compile` for all of them, as analyses of a scratch
project that links this project's `macros/` and copies its vars), then run with the duckdb API
over its cases. The scratch project keeps these tests independent of the models' state.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import duckdb
import phonenumbers
import pyarrow as pa
import pytest

from tests.dbt.scratch_project import PROJECT, invoke_dbt, write_scratch_project

PROJECT_VARS = PROJECT["vars"]


@dataclass(frozen=True)
class MacroTable:
    """Input columns (text), output expressions (Jinja over the inputs), and the cases: each
    case is the inputs followed by the expected outputs. `portable` maps an output to the
    default__ implementation that must give the same values on DuckDB."""

    inputs: tuple[str, ...]
    outputs: dict[str, str]
    cases: list[tuple]
    portable: dict[str, str] = field(default_factory=dict)


def _in_range(expr: str, kind: str) -> str:
    """A default__ parser wrapped in the same validity range the public macro applies."""
    bounds = f"var('cdp_valid_{kind}_range')"
    data_type = "timestamp" if kind == "timestamp" else "date"
    return f"{{{{ within_range({expr}, {bounds}[0], {bounds}[1], '{data_type}') }}}}"


# The four timestamp formats of the data contract, as a Jinja list.
TIMESTAMP_FORMATS = (
    "['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%SZ']"
)

EMAILS = MacroTable(
    inputs=("value",),
    outputs={
        "normalized": "{{ normalize_email('value') }}",
        "is_valid": "{{ is_valid_email(normalize_email('value')) }}",
        "canonical": "case when {{ is_valid_email(normalize_email('value')) }}"
        " then {{ canonical_email(normalize_email('value')) }} end",
    },
    cases=[
        ("  John.Doe@Example.COM ", "john.doe@example.com", True, "john.doe@example.com"),
        ("J.O.H.N+promo@gmail.com", "j.o.h.n+promo@gmail.com", True, "john@gmail.com"),
        ("john.smith+news@googlemail.com", "john.smith+news@googlemail.com", True,
         "johnsmith@gmail.com"),
        ("Jane+Work@Outlook.com", "jane+work@outlook.com", True, "jane@outlook.com"),
        ("jane.doe+x@hotmail.com", "jane.doe+x@hotmail.com", True, "jane.doe@hotmail.com"),
        ("sam+tag@yahoo.com", "sam+tag@yahoo.com", True, "sam+tag@yahoo.com"),
        ("first.last@company.co.uk", "first.last@company.co.uk", True,
         "first.last@company.co.uk"),
        ("o'connor@example.ie", "o'connor@example.ie", True, "o'connor@example.ie"),
        ("test@test.com", "test@test.com", True, "test@test.com"),
        ("user@localhost", "user@localhost", False, None),
        ("user@example.c", "user@example.c", False, None),
        ("a@b@example.com", "a@b@example.com", False, None),
        ("john  doe@example.com", "john doe@example.com", False, None),
        ("john..doe@example.com", "john..doe@example.com", False, None),
        ("john@example..com", "john@example..com", False, None),
        ("user@exa_mple.com", "user@exa_mple.com", False, None),
        ("johnexample.com", "johnexample.com", False, None),
        ("N/A", None, None, None),
        (" unknown ", None, None, None),
        ("   ", None, None, None),
        (None, None, None, None),
    ],
)

PHONES = MacroTable(
    inputs=("value", "country"),
    outputs={"e164": "{{ normalize_phone('value', 'country') }}"},
    cases=[
        # US, default country (null country column) in every common format
        ("(415) 555-2671", None, "+14155552671"),
        ("415-555-2671", None, "+14155552671"),
        ("415.555.2671", None, "+14155552671"),
        ("415 555 2671", None, "+14155552671"),
        ("4155552671", None, "+14155552671"),
        ("1-415-555-2671", None, "+14155552671"),
        ("1 (415) 555-2671", None, "+14155552671"),
        ("14155552671", None, "+14155552671"),
        ("+1 415 555 2671", None, "+14155552671"),
        ("+1-415-555-2671", "US", "+14155552671"),
        ("001 415 555 2671", "US", "+14155552671"),
        ("(415) 555-2671 ext 12", None, "+14155552671"),
        ("415-555-2671 x12", None, "+14155552671"),
        ("415.555.2671 Ext. 7", "US", "+14155552671"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("0000000000", None, "+10000000000"),
        ("555-2671", None, None),
        ("415 555 2671 12345", None, None),
        ("1 1415 555 2671", None, None),
        ("call me", None, None),
        ("415-555-CALL", None, None),
        ("415+555 2671", None, None),
        ("N/A", None, None),
        ("-", None, None),
        ("", None, None),
        (None, "US", None),
        # GB
        ("020 7946 0958", "GB", "+442079460958"),
        ("07911 123456", "GB", "+447911123456"),
        ("+44 20 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", "GB", "+442079460958"),
        ("+44 (0) 7911 123456", None, "+447911123456"),
        ("0044 20 7946 0958", "GB", "+442079460958"),
        ("00 44 7911 123456", "GB", "+447911123456"),
        ("447911123456", "GB", "+447911123456"),
        ("011 44 20 7946 0958", "GB", None),
        ("+44 20 7946", "GB", None),
        # DE and FR
        ("030 1234567", "DE", "+49301234567"),
        ("+49 30 1234567", None, "+49301234567"),
        ("+49 (0)30 1234567", "DE", "+49301234567"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", None, "+33612345678"),
        ("+33 (0)6 12 34 56 78", "FR", "+33612345678"),
        ("0033612345678", "FR", "+33612345678"),
        ("06 12 34 56 78 90", "FR", None),
        # the row's country column, not the default, reads national numbers
        ("020 7946 0958", "gb", "+442079460958"),
        ("020 7946 0958", None, None),
        ("020 7946 0958", "ZZ", None),
        ("+44 20 7946 0958", "ZZ", "+442079460958"),
        # international numbers of codes outside var cdp_phone_countries: 8-15 digits
        ("+7 912 345 67 89", None, "+79123456789"),
        ("+999 1234", None, None),
        ("+0 123 456 789", None, None),
        ("+1 415 555 26711", None, None),
    ],
)

TIMESTAMPS = MacroTable(
    inputs=("value",),
    outputs={
        "any_format": "{{ parse_timestamp('value', " + TIMESTAMP_FORMATS + ") }}",
        "crm_format": "{{ parse_timestamp('value', ['%Y-%m-%d %H:%M:%S']) }}",
    },
    portable={
        "any_format": _in_range(
            "cdp.default__parse_timestamp('value', " + TIMESTAMP_FORMATS + ")", "timestamp"
        ),
        "crm_format": _in_range(
            "cdp.default__parse_timestamp('value', ['%Y-%m-%d %H:%M:%S'])", "timestamp"
        ),
    },
    cases=[
        ("2025-03-01 14:03:00", datetime(2025, 3, 1, 14, 3), datetime(2025, 3, 1, 14, 3)),
        (" 2025-03-01 14:03:00 ", datetime(2025, 3, 1, 14, 3), datetime(2025, 3, 1, 14, 3)),
        ("2025-03-01T14:03:00.123Z", datetime(2025, 3, 1, 14, 3, 0, 123000), None),
        ("2025-03-01T14:03:00.5Z", datetime(2025, 3, 1, 14, 3, 0, 500000), None),
        ("2025-03-01T14:03:00.123456Z", datetime(2025, 3, 1, 14, 3, 0, 123456), None),
        ("2025-03-01T14:03:00Z", datetime(2025, 3, 1, 14, 3), None),
        ("2025-03-01T14:03:00+01:00", datetime(2025, 3, 1, 13, 3), None),
        ("2025-03-01T00:30:00+02:00", datetime(2025, 2, 28, 22, 30), None),
        ("2024-12-31T22:00:00-05:00", datetime(2025, 1, 1, 3, 0), None),
        ("2025-03-01T14:03:00+0530", datetime(2025, 3, 1, 8, 33), None),
        ("2024-02-29 12:00:00", datetime(2024, 2, 29, 12), datetime(2024, 2, 29, 12)),
        ("2024-02-30 12:00:00", None, None),
        ("2000-01-01 00:00:00", datetime(2000, 1, 1), datetime(2000, 1, 1)),
        ("1999-12-31 23:59:59", None, None),
        ("2100-01-01 00:00:00", None, None),
        ("2023-02-29T00:00:00Z", None, None),
        ("2025-04-31T10:00:00+01:00", None, None),
        ("2025-13-01 00:00:00", None, None),
        ("2025-03-01 25:00:00", None, None),
        ("2025-03-01", None, None),
        ("2025-03-01T14:03:00.123456789Z", None, None),
        ("1700000000", None, None),
        ("not a date", None, None),
        ("", None, None),
        (None, None, None),
    ],
)

DATES = MacroTable(
    inputs=("value",),
    outputs={"parsed": "{{ parse_date('value', ['%Y-%m-%d']) }}"},
    portable={"parsed": _in_range("cdp.default__parse_date('value', ['%Y-%m-%d'])", "date")},
    cases=[
        ("1985-07-14", date(1985, 7, 14)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2000-02-29", date(2000, 2, 29)),
        ("1900-02-29", None),
        ("1900-01-01", date(1900, 1, 1)),
        ("1899-12-31", None),
        ("2100-01-01", None),
        ("2023-02-29", None),
        ("2024-02-30", None),
        ("2024-06-31", None),
        ("14/07/1985", None),
        ("1985-07-14 00:00:00", None),
        ("abc", None),
        (None, None),
    ],
)

EPOCHS = MacroTable(
    inputs=("value",),
    outputs={
        "from_ms": "{{ epoch_to_timestamp('value', 'ms') }}",
        "from_s": "{{ epoch_to_timestamp('value', 's') }}",
    },
    portable={
        "from_ms": _in_range("cdp.default__epoch_to_timestamp('value', 'ms')", "timestamp"),
        "from_s": _in_range("cdp.default__epoch_to_timestamp('value', 's')", "timestamp"),
    },
    cases=[
        ("1700000000000", datetime(2023, 11, 14, 22, 13, 20), None),
        ("1700000000123", datetime(2023, 11, 14, 22, 13, 20, 123000), None),
        # Seconds sent as milliseconds land in 1970: outside the valid range, so invalid.
        ("1700000000", None, datetime(2023, 11, 14, 22, 13, 20)),
        (" 1700000000 ", None, datetime(2023, 11, 14, 22, 13, 20)),
        ("946684800", None, datetime(2000, 1, 1)),
        ("946684799", None, None),
        ("4102444800", None, None),
        ("0", None, None),
        ("-1000", None, None),
        ("1700000000.5", None, None),
        ("17e11", None, None),
        ("99999999999999999999", None, None),
        ("abc", None, None),
        ("", None, None),
        (None, None, None),
    ],
)

NUMBERS = MacroTable(
    inputs=("value",),
    outputs={
        "amount": "{{ try_cast_decimal('value') }}",
        "rate": "{{ try_cast_decimal('value', 10, 4) }}",
        "quantity": "{{ try_cast_integer('value') }}",
    },
    portable={
        "amount": "{{ cdp.default__try_cast_decimal('value', 18, 2) }}",
        "rate": "{{ cdp.default__try_cast_decimal('value', 10, 4) }}",
        "quantity": "{{ cdp.default__try_cast_integer('value') }}",
    },
    cases=[
        ("12.50", Decimal("12.50"), Decimal("12.5"), None),
        ("12", Decimal("12"), Decimal("12"), 12),
        (" 7 ", Decimal("7"), Decimal("7"), 7),
        ("-3.75", Decimal("-3.75"), Decimal("-3.75"), None),
        ("12.555", Decimal("12.56"), Decimal("12.555"), None),
        ("0.00005", Decimal("0"), Decimal("0.0001"), None),
        ("-0", Decimal("0"), Decimal("0"), 0),
        ("007", Decimal("7"), Decimal("7"), 7),
        ("3.0", Decimal("3"), Decimal("3"), None),
        ("123456789", Decimal("123456789"), None, 123456789),
        ("123456789012345678", None, None, 123456789012345678),
        ("99999999999999999999999", None, None, None),
        ("12,50", None, None, None),
        ("$12", None, None, None),
        ("1e3", None, None, None),
        ("1.", None, None, None),
        (".5", None, None, None),
        ("+5", None, None, None),
        ("1 000", None, None, None),
        ("abc", None, None, None),
        ("", None, None, None),
        (None, None, None, None),
    ],
)

BOOLEANS = MacroTable(
    inputs=("value",),
    outputs={"parsed": "{{ parse_boolean('value') }}"},
    cases=[
        *[(spelling, True) for spelling in ("true", "TRUE", " True ", "t", "1", "yes", "Y")],
        *[(spelling, False) for spelling in ("false", "False", "f", "0", "no", "N")],
        *[(spelling, None) for spelling in ("maybe", "2", "yes!", "", "-", None)],
    ],
)

JSON_PAYLOAD = (
    '{"messageId":"m-1","context":{"page":{"url":"https://shop.example/p?id=1"}},'
    '"properties":{"price":12.5,"tags":["a","b"]}}'
)
JSON = MacroTable(
    inputs=("payload",),
    outputs={
        "is_valid": "{{ is_valid_json('payload') }}",
        "id_text": "{{ json_text('payload', ['messageId']) }}",
        "id_type": "{{ json_type('payload', ['messageId']) }}",
        "url_text": "{{ json_text('payload', ['context', 'page', 'url']) }}",
        "url_type": "{{ json_type('payload', ['context', 'page', 'url']) }}",
        "properties_text": "{{ json_text('payload', ['properties']) }}",
        "properties_type": "{{ json_type('payload', ['properties']) }}",
    },
    cases=[
        (JSON_PAYLOAD, True, "m-1", "string", "https://shop.example/p?id=1", "string",
         '{"price":12.5,"tags":["a","b"]}', "object"),
        ('{"messageId":42,"context":{"page":{}},"properties":[1,2]}', True,
         "42", "number", None, None, "[1,2]", "array"),
        ('{"messageId":null,"context":"oops","properties":true}', True,
         None, "null", None, None, "true", "boolean"),
        ('{"messageId":"caf\\u00e9 \\"quoted\\""}', True,
         'caf\u00e9 "quoted"', "string", None, None, None, None),
        ('{"messageId":12.5,"properties":false}', True,
         "12.5", "number", None, None, "false", "boolean"),
        ("{}", True, None, None, None, None, None, None),
        ("[1,2]", True, None, None, None, None, None, None),
        ('{"messageId": "m-2"', False, None, None, None, None, None, None),
        ("not json", False, None, None, None, None, None, None),
        ("", False, None, None, None, None, None, None),
        (None, None, None, None, None, None, None, None),
    ],
)

def _md5_key(*values: str | None) -> str:
    text = "-".join("_cdp_null_" if value is None else value for value in values)
    return hashlib.md5(text.encode()).hexdigest()


ROWS = MacroTable(
    inputs=("source", "file", "line"),
    outputs={
        "record": "{{ row_to_json(['source', 'file', 'line']) }}",
        "key": "{{ surrogate_key(['source', 'file', 'line']) }}",
        "key_again": "{{ surrogate_key(['source', 'file', 'line']) }}",
    },
    cases=[
        (values[0], values[1], values[2], record, _md5_key(*values), _md5_key(*values))
        for values, record in [
            (("crm_contacts", "crm/contacts.csv", "1"),
             '{"source":"crm_contacts","file":"crm/contacts.csv","line":"1"}'),
            (("crm_contacts", None, "1"),
             '{"source":"crm_contacts","file":null,"line":"1"}'),
            (("crm_contacts", "", "1"),
             '{"source":"crm_contacts","file":"","line":"1"}'),
            (('say "hi"', "a\\b", "\u00e9"),
             '{"source":"say \\"hi\\"","file":"a\\\\b","line":"\u00e9"}'),
        ]
    ],
)

TEXTS = MacroTable(
    inputs=("value",),
    outputs={"cleaned": "{{ clean_text('value') }}"},
    cases=[
        ("  hello   world  ", "hello world"),
        ("\thello\n\n world\r\n", "hello world"),
        ("Nancy", "Nancy"),
        ("n/a-ish", "n/a-ish"),
        ("null value", "null value"),
        ("--", "--"),
        *[(token, None) for token in ("N/A", "n/a", " NULL ", "None", "unknown", "-",
                                      "Undefined", "na", "NA", "", "   ")],
        (None, None),
    ],
)

NAMES = MacroTable(
    inputs=("value",),
    outputs={"proper": "{{ proper_case('value') }}"},
    cases=[
        ("o'BRIEN  mary-jane", "O'Brien Mary-Jane"),
        ("JOHN", "John"),
        ("mcdonald", "Mcdonald"),
        ("anne-marie o\u2019neil", "Anne-Marie O\u2019Neil"),
        ("  san   francisco ", "San Francisco"),
        ("\u00e9MILE zola", "\u00c9mile Zola"),
        ("1st avenue", "1st Avenue"),
        (None, None),
    ],
)

STREETS = MacroTable(
    inputs=("value",),
    outputs={"street": "{{ standardize_street('value') }}"},
    cases=[
        ("12 baker STREET", "12 Baker St"),
        ("221b Baker Street, Apt 2", "221b Baker St, Apt 2"),
        ("10 Downing   Street", "10 Downing St"),
        ("5 abbey road", "5 Abbey Rd"),
        ("1600 pennsylvania avenue nw", "1600 Pennsylvania Ave Nw"),
        ("8000 Sunset Boulevard", "8000 Sunset Blvd"),
        ("2 Mulholland drive", "2 Mulholland Dr"),
        ("3 Pudding Lane", "3 Pudding Ln"),
        ("7 Earls Court Road", "7 Earls Ct Rd"),
        ("9 Grosvenor Place", "9 Grosvenor Pl"),
        ("4 Streetly Roadway", "4 Streetly Roadway"),
        (None, None),
    ],
)

COUNTRIES = MacroTable(
    inputs=("value",),
    outputs={"code": "{{ normalize_country('value') }}"},
    cases=[
        ("US", "US"),
        ("us", "US"),
        (" gb ", "GB"),
        ("United Kingdom", "GB"),
        ("united   kingdom", "GB"),
        ("UK", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("Deutschland", "DE"),
        ("germany", "DE"),
        ("Espa\u00f1a", "ES"),
        ("FR", "FR"),
        ("Narnia", None),
        ("XYZ", None),
        ("1", None),
        ("N/A", None),
        ("", None),
        (None, None),
    ],
)

POSTCODES = MacroTable(
    inputs=("value", "country"),
    outputs={"postcode": "{{ normalize_postcode('value', 'country') }}"},
    cases=[
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("  ec1a   1bb ", "GB", "EC1A 1BB"),
        ("m11ae", "GB", "M1 1AE"),
        ("94105-1234", "US", "94105"),
        ("941051234", "US", "94105"),
        ("94105", "US", "94105"),
        ("75008", "FR", "75008"),
        ("10115", "DE", "10115"),
        ("k1a  0b1", "CA", "K1A 0B1"),
        ("ab  12", None, "AB 12"),
        (None, "GB", None),
    ],
)


def _by_substring(formats: str, as_date: bool = False) -> str:
    """parse_timestamp / parse_date the PostgreSQL way (fields cut out by position, see
    postgres__parse_datetime_by_regex): plain SQL that DuckDB runs too, and must agree."""
    parsed = ("{%- set parsed = [] -%}{%- for format in " + formats + " -%}"
              "{%- do parsed.append(cdp.postgres__parse_datetime_by_regex("
              f"'trim(value)', format, {str(as_date).lower()})) -%}}{{%- endfor -%}}")
    return parsed + _in_range("'coalesce(' ~ parsed | join(', ') ~ ')'",
                              "date" if as_date else "timestamp")


# The same cases, parsed the PostgreSQL way.
TIMESTAMPS_BY_SUBSTRING = MacroTable(
    inputs=TIMESTAMPS.inputs,
    outputs={
        "any_format": _by_substring(TIMESTAMP_FORMATS),
        "crm_format": _by_substring("['%Y-%m-%d %H:%M:%S']"),
    },
    cases=TIMESTAMPS.cases,
)
DATES_BY_SUBSTRING = MacroTable(
    inputs=DATES.inputs,
    outputs={"parsed": _by_substring("['%Y-%m-%d']", as_date=True)},
    cases=DATES.cases,
)
# Fields after a variable-width one (%f, %z's optional colon): placed from the right, or
# read with a regex when neither end is fixed.
ODD_FORMATS = "['%f|%Y-%m-%d', '%%%Y-%m-%d %z|%f', '%Y-%m-%d %f %z x %H', '%d/%m/%Y']"
TIMESTAMPS_ODD_FORMATS = MacroTable(
    inputs=("value",),
    outputs={
        "portable": _in_range(
            "cdp.default__parse_timestamp('value', " + ODD_FORMATS + ")", "timestamp"),
        "by_substring": _by_substring(ODD_FORMATS),
    },
    cases=[
        ("123|2024-01-02", datetime(2024, 1, 2, 0, 0, 0, 123000),
         datetime(2024, 1, 2, 0, 0, 0, 123000)),
        ("%2024-01-02 +01:30|12", datetime(2024, 1, 1, 22, 30, 0, 120000),
         datetime(2024, 1, 1, 22, 30, 0, 120000)),
        ("%2024-01-02 -0130|123456", datetime(2024, 1, 2, 1, 30, 0, 123456),
         datetime(2024, 1, 2, 1, 30, 0, 123456)),
        ("2024-01-02 123456 +01:00 x 03", datetime(2024, 1, 2, 2, 0, 0, 123456),
         datetime(2024, 1, 2, 2, 0, 0, 123456)),
        ("02/01/2024", datetime(2024, 1, 2), datetime(2024, 1, 2)),
        ("31/04/2024", None, None),
        ("2024-01-02 1234567 +01:00 x 03", None, None),
    ],
)

# Literal prefixes of anchored regexes (phone_e164_from_prepared's cheap pre-check).
PREFIX_CASES = [
    (r"^US\|(?:1)?([0-9]{10})$", "US|"), (r"^\+44(?:0)?([1-9][0-9]{8,9})$", "+44"),
    (r"^\+(?:1|44|353)", "+"), (r"^\+([1-9][0-9]{7,14})$", "+"), (r"^ab?c", "a"),
    (r"^ab*", "a"), (r"^ab{2}", "a"), (r"^ab+", "ab"), (r"^a\+?", "a"), (r"^ab|cd", ""),
    (r"ab", ""), (r"^a[|(]b|c", ""), (r"^a[]|]b", "a"), (r"^a[^]|]b", "a"), (r"^a(b|c)d", "a"),
    (r"^\d3", ""), (r"^x\s", "x"), (r"^.a", ""), (r"^a[\]|]|b", ""), (r"^(a)|b", ""),
]
REGEXP_PREFIXES = MacroTable(
    inputs=("value",),
    outputs={f"prefix_{index}": "'{{ regexp_literal_prefix('" + pattern + "') }}'"
             for index, (pattern, _) in enumerate(PREFIX_CASES)},
    cases=[(None, *(prefix for _, prefix in PREFIX_CASES))],
)

TABLES = {
    "emails": EMAILS,
    "phones": PHONES,
    "timestamps": TIMESTAMPS,
    "dates": DATES,
    "timestamps_by_substring": TIMESTAMPS_BY_SUBSTRING,
    "dates_by_substring": DATES_BY_SUBSTRING,
    "timestamps_odd_formats": TIMESTAMPS_ODD_FORMATS,
    "regexp_prefixes": REGEXP_PREFIXES,
    "epochs": EPOCHS,
    "numbers": NUMBERS,
    "booleans": BOOLEANS,
    "json": JSON,
    "rows": ROWS,
    "texts": TEXTS,
    "names": NAMES,
    "streets": STREETS,
    "countries": COUNTRIES,
    "postcodes": POSTCODES,
}


# ---------- phone numbers generated and checked against libphonenumber


def _phone_samples(per_region: int = 40, seed: int = 7) -> list[tuple[str, str | None, str]]:
    """Valid numbers (per the `phonenumbers` package) of US/GB/DE/FR, each written in several
    formats: (text, country column, E.164 that phonenumbers reads from that text)."""
    rng = random.Random(seed)
    countries = PROJECT_VARS["cdp_phone_countries"]
    samples = []
    for region in ("US", "GB", "DE", "FR"):
        spec = countries[region]
        found = 0
        while found < per_region:
            length = rng.randint(spec["min_length"], spec["max_length"])
            national = str(rng.randint(1, 9)) + "".join(
                str(rng.randint(0, 9)) for _ in range(length - 1)
            )
            number = phonenumbers.parse("+" + spec["calling_code"] + national)
            if not phonenumbers.is_valid_number(number):
                continue
            found += 1
            for text, country in _phone_formats(number, region, spec, rng):
                parsed = phonenumbers.parse(text, country or "US")
                if phonenumbers.is_valid_number(parsed):
                    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                    samples.append((text, country, e164))
    return samples


def _phone_formats(number, region: str, spec: dict, rng: random.Random):
    fmt = phonenumbers.PhoneNumberFormat
    international = phonenumbers.format_number(number, fmt.INTERNATIONAL)
    national = phonenumbers.format_number(number, fmt.NATIONAL)
    code, nsn = spec["calling_code"], str(number.national_number)
    other = rng.choice([None, "US", "GB", "DE", "FR"])
    yield phonenumbers.format_number(number, fmt.E164), other
    yield international, other
    yield international.replace(" ", "-"), other
    yield national, region
    yield "".join(c for c in national if c.isdigit()), region
    yield f"{national} ext {rng.randint(1, 999)}", region
    if region != "DE":  # German area codes start with 49 too: libphonenumber reads them national
        yield code + nsn, region
    if region == "US":
        yield national, None
        yield f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", None
        yield f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]} x{rng.randint(1, 99)}", None
    else:
        yield "00 " + international[1:], region
        yield "011 " + international[1:], "US"
        yield f"+{code} (0){nsn}", rng.choice([None, region])


PHONE_SAMPLES = _phone_samples()
PHONES_VS_LIBPHONENUMBER = MacroTable(
    inputs=("value", "country"),
    outputs={"e164": "{{ normalize_phone('value', 'country') }}"},
    cases=PHONE_SAMPLES,
)


# ---------- harness


def _analysis(table: MacroTable) -> str:
    columns = [f"{expr} as {name}" for name, expr in table.outputs.items()]
    columns += [f"{expr} as portable_{name}" for name, expr in table.portable.items()]
    select_list = ",\n    ".join(["case_id", *columns])
    return f"select\n    {select_list}\nfrom cases\norder by case_id\n"


@pytest.fixture(scope="module")
def compiled_sql(tmp_path_factory) -> dict[str, str]:
    """One `dbt compile` of every table's analysis; returns table name -> compiled SQL."""
    root = tmp_path_factory.mktemp("macro_project")
    tables = {**TABLES, "phones_vs_libphonenumber": PHONES_VS_LIBPHONENUMBER}
    write_scratch_project(root)
    (root / "analyses").mkdir()
    for name, table in tables.items():
        (root / "analyses" / f"{name}.sql").write_text(_analysis(table))
    result = invoke_dbt(root, "compile")
    assert result.success, f"dbt compile failed: {result.exception or result.result}"
    compiled = root / "target" / "compiled" / PROJECT["name"] / "analyses"
    return {name: (compiled / f"{name}.sql").read_text() for name in tables}


def _run(sql: str, table: MacroTable) -> list[tuple]:
    columns = {"case_id": pa.array(range(len(table.cases)), pa.int64())}
    for index, name in enumerate(table.inputs):
        columns[name] = pa.array([case[index] for case in table.cases], pa.string())
    cases = pa.table(columns)
    with duckdb.connect() as con:
        con.register("cases_arrow", cases)
        con.execute("create table cases as select * from cases_arrow")
        return con.execute(sql).fetchall()


def _mismatches(table: MacroTable, rows: list[tuple]) -> list[str]:
    outputs = list(table.outputs) + [f"portable_{name}" for name in table.portable]
    problems = []
    for case, row in zip(table.cases, rows, strict=True):
        inputs, expected = case[: len(table.inputs)], case[len(table.inputs) :]
        expected_by_output = dict(zip(table.outputs, expected, strict=True))
        for output, actual in zip(outputs, row[1:], strict=True):
            want = expected_by_output[output.removeprefix("portable_")]
            if actual != want or type(actual) is not type(want):
                problems.append(f"{output}{inputs}: expected {want!r}, got {actual!r}")
    return problems


@pytest.mark.parametrize("name", TABLES)
def test_macro_cases(name: str, compiled_sql: dict[str, str]) -> None:
    table = TABLES[name]
    rows = _run(compiled_sql[name], table)
    assert _mismatches(table, rows) == []


def test_normalize_phone_agrees_with_libphonenumber(compiled_sql: dict[str, str]) -> None:
    assert len(PHONE_SAMPLES) >= 300
    rows = _run(compiled_sql["phones_vs_libphonenumber"], PHONES_VS_LIBPHONENUMBER)
    assert _mismatches(PHONES_VS_LIBPHONENUMBER, rows) == []


def test_surrogate_key_is_pinned() -> None:
    """Keys are persisted downstream: changing the separator or null marker re-keys history."""
    assert _md5_key("crm_contacts", "crm/contacts.csv", "1") == "1ee7c4591421d9557a736f0d901f93c2"


def test_phone_countries_are_iso2_codes() -> None:
    """YAML 1.1 reads an unquoted `NO:` (Norway) as false; such a key never matches a row."""
    keys = list(PROJECT_VARS["cdp_phone_countries"])
    assert [key for key in keys if not (isinstance(key, str) and len(key) == 2)] == []
