"""Per-destination PII normalisation and hashing against the reverse_etl.md §2.2/§2.3 rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from reverse_etl.pii import (
    hash_for_google,
    hash_for_meta,
    is_hashed,
    mailchimp_subscriber_hash,
    md5_hex,
    normalize_city,
    normalize_country,
    normalize_dob,
    normalize_email,
    normalize_gender,
    normalize_name,
    normalize_name_google,
    normalize_phone_e164,
    normalize_phone_meta,
    normalize_state,
    normalize_zip,
    sha256_hex,
)

# §2.3 test vectors (the email, Meta phone, mary@example.com and FN ones match Meta's docs).
EMAIL_JOHN = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
META_PHONE = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"
GOOGLE_PHONE = "1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8"
EMAIL_MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79"
FN_MARY = "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec"
MAILCHIMP_JOHN = "ac862c981fee6b90654257051c4e197a"


@pytest.mark.parametrize(("normalised", "expected"), [
    ("john_smith@gmail.com", EMAIL_JOHN), ("16505551212", META_PHONE),
    ("+16505551212", GOOGLE_PHONE), ("mary@example.com", EMAIL_MARY), ("mary", FN_MARY),
])
def test_published_sha256_vectors(normalised: str, expected: str):
    assert sha256_hex(normalised) == expected


def test_published_mailchimp_vector():
    assert md5_hex("john_smith@gmail.com") == MAILCHIMP_JOHN
    assert mailchimp_subscriber_hash("john_smith@gmail.com") == MAILCHIMP_JOHN


@pytest.mark.parametrize(
    "email", ["john_smith@gmail.com", "  John_Smith@Gmail.com ", "\tJOHN_SMITH@GMAIL.COM\n"])
def test_messy_email_reaches_the_vector_for_every_destination(email: str):
    assert hash_for_meta("EMAIL", email) == EMAIL_JOHN
    assert hash_for_meta("em", email) == EMAIL_JOHN  # CAPI key
    assert hash_for_google("email", email) == EMAIL_JOHN
    assert hash_for_google("hashed_email", email) == EMAIL_JOHN
    assert mailchimp_subscriber_hash(email) == MAILCHIMP_JOHN
    assert hash_for_meta("EMAIL", "  Mary@Example.COM") == EMAIL_MARY


def test_gmail_dots_and_plus_tags_are_kept():
    assert normalize_email(" John.Smith+Promo@GMail.com ") == "john.smith+promo@gmail.com"


@pytest.mark.parametrize(("phone", "default"), [
    ("(650)555-1212", "1"), ("(650) 555-1212", "1"), ("650.555.1212", "+1"),
    ("1 (650) 555-1212", "1"), ("+16505551212", None), ("+1 650-555-1212", None),
    ("001 650 555 1212", None), ("tel: +1 (650) 555-1212", "44"), ("+1 650 555 1212 ext. 9", None),
])
def test_messy_phones_reach_both_phone_vectors(phone: str, default: str | None):
    assert normalize_phone_meta(phone, default) == "16505551212"
    assert normalize_phone_e164(phone, default) == "+16505551212"
    assert hash_for_meta("PHONE", phone, default) == META_PHONE
    assert hash_for_meta("ph", phone, default_country_calling_code=default) == META_PHONE
    assert hash_for_google("phone", phone, default) == GOOGLE_PHONE
    assert hash_for_google("hashed_phone_number", phone, default) == GOOGLE_PHONE


def test_meta_and_google_hash_the_same_number_differently():
    assert hash_for_meta("PHONE", "+16505551212") != hash_for_google("phone", "+16505551212")


@pytest.mark.parametrize(("phone", "default", "expected"), [
    ("+44 7700 900123", None, "447700900123"), ("07700 900123", "44", "447700900123"),
    ("+44 (0)7700 900123", None, "447700900123"), ("0044 7700 900123", "1", "447700900123"),
    ("06 1234 5678", "39", "390612345678"),  # Italy keeps the leading 0 after the code
])
def test_international_and_national_phones(phone: str, default: str | None, expected: str):
    assert normalize_phone_meta(phone, default) == expected
    assert normalize_phone_e164(phone, default) == f"+{expected}"


@pytest.mark.parametrize(("phone", "default"), [
    ("(650) 555-1212", None), (16505551212, None),  # no country code, no default: unknowable
    ("555", "1"), ("+1234567890123456", None), ("call me", "1"), ("fax", None),
])
def test_phones_that_cannot_be_normalised_are_none(phone: object, default: str | None):
    assert normalize_phone_meta(phone, default) is None
    assert normalize_phone_e164(phone, default) is None
    assert hash_for_meta("PHONE", phone, default) is None
    assert hash_for_google("phone", phone, default) is None


@pytest.mark.parametrize("default", ["", "0", "1234", "uk", "+"])
def test_malformed_default_calling_code_is_a_caller_error(default: str):
    with pytest.raises(ValueError, match="default_country_calling_code"):
        normalize_phone_meta("+16505551212", default)


@pytest.mark.parametrize("hashed", [EMAIL_JOHN, EMAIL_JOHN.upper(), MAILCHIMP_JOHN.upper()])
def test_already_hashed_values_pass_through_unchanged_for_meta(hashed: str):
    assert is_hashed(hashed) and is_hashed(f" {hashed} ")
    for field in ("EMAIL", "PHONE", "FN", "ZIP"):
        assert hash_for_meta(field, hashed) == hashed
        assert hash_for_meta(field, f"  {hashed}\n") == hashed


def test_google_passes_sha256_through_but_never_sends_md5():
    assert hash_for_google("email", EMAIL_JOHN.upper()) == EMAIL_JOHN.upper()
    assert hash_for_google("phone", GOOGLE_PHONE) == GOOGLE_PHONE
    assert hash_for_google("email", MAILCHIMP_JOHN) is None


def test_hashing_twice_does_not_double_hash():
    once = hash_for_meta("EMAIL", "john_smith@gmail.com")
    assert hash_for_meta("EMAIL", once) == once == EMAIL_JOHN
    assert hash_for_google("phone", hash_for_google("phone", "+16505551212")) == GOOGLE_PHONE


@pytest.mark.parametrize("value", [
    None, "", "abc", EMAIL_JOHN[:-1], EMAIL_JOHN + "0", "g" * 64, MAILCHIMP_JOHN[:31], 12345,
])
def test_is_hashed_rejects_non_hashes(value: object):
    assert not is_hashed(value)


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Mary ", "mary"), ("Valéry", "valéry"), ("Vale\u0301ry", "valéry"),  # NFD -> NFC
    ("O'Brien-Smith,", "obriensmith"), ("Mary  Ann", "mary ann"), ("José!", "josé"),
    ("Zoë 2nd", "zoë nd"), ("Nguyễn", "nguyễn"), ("...", None),
])
def test_meta_names_strip_punctuation_and_keep_utf8_letters(raw: str, expected: str | None):
    assert normalize_name(raw) == expected


def test_meta_first_name_and_initial_hashes():
    assert hash_for_meta("FN", " Mary! ") == FN_MARY
    assert hash_for_meta("fn", "MARY") == FN_MARY
    assert hash_for_meta("LN", "Valéry") == sha256_hex("valéry")
    assert hash_for_meta("FI", " mary") == sha256_hex("m")


def test_google_names_are_only_trimmed_and_lower_cased():
    assert normalize_name_google("  O'Brien ") == "o'brien"
    assert hash_for_google("first_name", " Mary ") == FN_MARY
    assert hash_for_google("hashed_last_name", "Valéry") == sha256_hex("valéry")


@pytest.mark.parametrize(("raw", "expected"), [
    ("94103-1234", "94103"), ("941031234", "94103"), (" 94103 ", "94103"), (94103, "94103"),
    (" SW1A 1AA ", "sw1a1aa"), ("K1A 0B1", "k1a0b1"),
])
def test_meta_zip(raw: object, expected: str):
    assert normalize_zip(raw) == expected


def test_meta_city_state_country_gender():
    assert normalize_city(" San Francisco ") == "sanfrancisco"
    assert normalize_city("St. Louis 2") == "stlouis"
    assert normalize_city("São Paulo") == "sãopaulo"
    assert normalize_state(" CA ") == "ca"
    assert normalize_state("Île-de-France") == "îledefrance"
    assert [normalize_country(c) for c in ("US", " gb ", "U.S.", "UK", "USA")] == [
        "us", "gb", "us", "gb", "us"]
    assert normalize_country("United States") is None
    assert normalize_country("de1") == "de"
    assert [normalize_gender(g) for g in ("M", "Female", " f ", "x")] == ["m", "f", "f", None]
    assert hash_for_meta("COUNTRY", "US") == sha256_hex("us")
    assert hash_for_meta("ZIP", "94103-1234") == sha256_hex("94103")


def test_google_country_and_postal_code_are_not_hashed():
    assert hash_for_google("country_code", " us ") == "US"
    assert hash_for_google("country_code", "United States") is None
    assert hash_for_google("postal_code", " 94103 ") == "94103"
    assert hash_for_google("postal_code", "") is None


def test_meta_plain_identifiers_are_not_hashed():
    assert hash_for_meta("MADID", " AB12-CD34 ") == "ab12-cd34"
    assert hash_for_meta("EXTERN_ID", " Cust-42 ") == "Cust-42"


@pytest.mark.parametrize("born", [date(1990, 7, 4), datetime(1990, 7, 4, 12), "1990-07-04"])
def test_date_of_birth_parts(born: object):
    assert normalize_dob(born) == ("1990", "07", "04")
    assert hash_for_meta("DOBY", born) == sha256_hex("1990")
    assert hash_for_meta("DOBM", born) == sha256_hex("07")
    assert hash_for_meta("DOBD", born) == sha256_hex("04")


def test_date_of_birth_bare_parts_and_invalid():
    assert hash_for_meta("DOBM", "7") == sha256_hex("07")
    assert hash_for_meta("DOBD", 4) == sha256_hex("04")
    assert hash_for_meta("DOBY", "1990") == sha256_hex("1990")
    assert [hash_for_meta(f, v) for f, v in [("DOBM", "13"), ("DOBY", "90"), ("DOBD", "x")]] == [
        None, None, None]
    assert normalize_dob("1990-02-30") is None
    assert normalize_dob("not a date") is None


NORMALISERS = [
    normalize_email, normalize_phone_meta, normalize_phone_e164, normalize_name,
    normalize_name_google, normalize_city, normalize_state, normalize_zip, normalize_country,
    normalize_gender, normalize_dob,
]


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_none_and_blank_values_are_none_everywhere(blank: str | None):
    for normalise in NORMALISERS:
        assert normalise(blank) is None, normalise.__name__
    for field in ("EMAIL", "PHONE", "FN", "LN", "FI", "CT", "ST", "ZIP", "COUNTRY", "GEN",
                  "DOBY", "DOBM", "DOBD", "MADID", "EXTERN_ID"):
        assert hash_for_meta(field, blank, "1") is None, field
    for field in ("email", "phone", "first_name", "last_name", "country_code", "postal_code"):
        assert hash_for_google(field, blank, "1") is None, field


@pytest.mark.parametrize("email", ["john", "john@", "@gmail.com", "john smith@gmail.com", "a@b"])
def test_invalid_email_is_none_and_never_hashed(email: str):
    assert normalize_email(email) is None
    assert hash_for_meta("EMAIL", email) is None
    assert hash_for_google("email", email) is None


@pytest.mark.parametrize("email", [None, "", "not-an-email"])
def test_mailchimp_key_cannot_be_blank_and_error_has_no_pii(email: str | None):
    with pytest.raises(ValueError, match="email") as info:
        mailchimp_subscriber_hash(email)
    assert "not-an-email" not in str(info.value)


def test_unknown_field_is_a_caller_error_naming_the_field():
    with pytest.raises(ValueError, match="unknown Meta field 'emial'"):
        hash_for_meta("emial", "john_smith@gmail.com")
    with pytest.raises(ValueError, match="unknown Google field 'zip'"):
        hash_for_google("zip", None)
