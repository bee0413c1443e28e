"""Per-destination PII normalisation and hashing for audience activation.

Platforms differ: Meta hashes phone digits without ``+``, Google Customer Match E.164 with ``+``,
so one shared ``hashed_phone`` column is wrong (reverse_etl.md §0.4, rules §2.2, vectors §2.3).

Error policy: row data that cannot be normalised gives ``None`` (field left blank, caller reports
the row), so nothing that would silently fail to match is hashed. ``ValueError`` is for caller
errors only (unknown field, malformed default calling code) and for the Mailchimp member key,
which cannot be blank. Messages never include raw PII.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import partial

Normaliser = Callable[[object], str | None]

_HASH_RE = re.compile(r"[0-9a-f]{64}|[0-9a-f]{32}", re.IGNORECASE)
_SHA256_RE = re.compile(r"[0-9a-f]{64}", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_EXTENSION_RE = re.compile(r"(?:ext\.?|x|#).*$", re.IGNORECASE)
_CALLING_CODE_RE = re.compile(r"\+?([1-9][0-9]{0,2})")
_INTERNATIONAL_RE = re.compile(r"[^0-9]*(?:\+|00)")  # "+" or "00" before the first digit
_US_ZIP_RE = re.compile(r"([0-9]{5})(?:-?[0-9]{4})?")
_KEEPS_TRUNK_ZERO = frozenset({"39", "378", "379"})  # Italy, San Marino, Vatican: 0 is kept
_COUNTRY_ALIASES = {"uk": "gb", "usa": "us"}
_GENDERS = {"m": "m", "male": "m", "f": "f", "female": "f"}
_DOB_RANGES = ((4, 1000, 9999), (2, 1, 12), (2, 1, 31))  # (width, low, high): DOBY, DOBM, DOBD


def _clean(value: object) -> str:
    """Stringify, NFC-normalise and trim; None is "" (Meta: unknown values are left blank)."""
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


def _letters(text: str, keep_spaces: bool = False) -> str:
    """Keep Unicode letters and marks only: Meta accepts UTF-8 such as ``valéry``."""
    kept = (c for c in text if unicodedata.category(c)[0] in "LM" or (keep_spaces and c.isspace()))
    return " ".join("".join(kept).split())


def normalize_email(value: object) -> str | None:
    """Trim and lower-case (Meta ``EMAIL``, Google Customer Match); invalid addresses are None.

    Gmail dots and ``+tags`` are kept: only CM360 and TikTok strip them, and that changes the hash.
    """
    text = _clean(value).lower()
    return text if _EMAIL_RE.fullmatch(text) else None


def normalize_phone_meta(
    value: object, default_country_calling_code: str | None = None
) -> str | None:
    """Digits with country code, no ``+``, no leading zeros (Meta ``PHONE``: ``16505551212``).

    ``+``/``00`` marks an international number (our E.164). Otherwise the number is national:
    its trunk ``0`` is dropped (not for Italy) and the default code prefixed, since Meta requires
    the country code; with no default it is None. NANP: 11 digits starting with 1 already have it.
    """
    default = default_country_calling_code
    match = _CALLING_CODE_RE.fullmatch(str(default).strip()) if default is not None else None
    if default is not None and match is None:
        raise ValueError(f"default_country_calling_code must be 1-3 digits, got {default!r}")
    code = match.group(1) if match else None
    text = _EXTENSION_RE.sub("", _clean(value).replace("(0)", ""))
    digits = re.sub(r"[^0-9]", "", text)
    if _INTERNATIONAL_RE.match(text):
        digits = digits.lstrip("0")
    elif code is None:
        return None
    elif not (code == "1" and len(digits) == 11 and digits.startswith("1")):
        digits = code + (digits if code in _KEEPS_TRUNK_ZERO else digits.lstrip("0"))
    return digits if 7 <= len(digits) <= 15 else None


def normalize_phone_e164(
    value: object, default_country_calling_code: str | None = None
) -> str | None:
    """E.164 with leading ``+`` (Google Customer Match: ``+16505551212``); else it never matches."""
    digits = normalize_phone_meta(value, default_country_calling_code)
    return f"+{digits}" if digits else None


def normalize_name(value: object) -> str | None:
    """Meta ``FN``/``LN``: trim, lower-case, no punctuation; UTF-8 letters kept (``valéry``)."""
    return _letters(_clean(value).lower(), keep_spaces=True) or None


def normalize_name_google(value: object) -> str | None:
    """Google Customer Match first/last name: trim and lower-case only."""
    return _clean(value).lower() or None


def normalize_city(value: object) -> str | None:
    """Meta ``CT``: lower-case, no punctuation, digits or whitespace (``sanfrancisco``)."""
    return _letters(_clean(value).lower()) or None


def normalize_state(value: object) -> str | None:
    """Meta ``ST``: lower-case letters only; US states must be the 2-letter ANSI code (``ca``)."""
    return normalize_city(value)


def normalize_zip(value: object) -> str | None:
    """Meta ``ZIP``: lower-case, no whitespace; a US ZIP+4 keeps its first 5 digits."""
    compact = re.sub(r"\s+", "", _clean(value).lower())
    us = _US_ZIP_RE.fullmatch(compact)
    return us.group(1) if us else (compact or None)


def normalize_country(value: object) -> str | None:
    """Meta ``COUNTRY``: ISO 3166-1 alpha-2, lower-case; names are not guessed (None)."""
    code = _letters(_clean(value).lower())
    code = _COUNTRY_ALIASES.get(code, code)
    return code if len(code) == 2 and code.isascii() else None


def normalize_gender(value: object) -> str | None:
    """Meta ``GEN``: ``m`` or ``f``; anything else is None."""
    return _GENDERS.get(_letters(_clean(value).lower()))


def normalize_dob(value: object) -> tuple[str, str, str] | None:
    """Split a birth date (date or ISO string) into Meta ``DOBY`` ``DOBM`` ``DOBD``."""
    try:
        born = value if isinstance(value, date) else date.fromisoformat(_clean(value)[:10])
    except ValueError:
        return None
    return f"{born.year:04d}", f"{born.month:02d}", f"{born.day:02d}"


def _dob_part(value: object, part: int) -> str | None:
    """One of ``DOBY``/``DOBM``/``DOBD`` from a full date or the bare part (``7`` -> ``07``)."""
    parts, text = normalize_dob(value), _clean(value)
    if parts:
        return parts[part]
    width, low, high = _DOB_RANGES[part]
    valid = text.isascii() and text.isdigit() and low <= int(text) <= high
    return text.zfill(width) if valid else None


def sha256_hex(value: str) -> str:
    """Lower-case hex SHA-256 of the UTF-8 bytes (Meta and Google Customer Match)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def md5_hex(value: str) -> str:
    """Lower-case hex MD5 of the UTF-8 bytes (Mailchimp member id; not for security)."""
    return hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest()


def is_hashed(value: object) -> bool:
    """True for 64-hex SHA-256 or 32-hex MD5 (any case): re-hashing those never matches."""
    return isinstance(value, str) and _HASH_RE.fullmatch(value.strip()) is not None


_META_HASHED: dict[str, Normaliser] = {
    "EMAIL": normalize_email, "FN": normalize_name, "LN": normalize_name,
    "FI": lambda v: (normalize_name(v) or "")[:1] or None,  # Meta FI: first initial
    "CT": normalize_city, "ST": normalize_state, "ZIP": normalize_zip,
    "COUNTRY": normalize_country, "GEN": normalize_gender,
    "DOBY": partial(_dob_part, part=0), "DOBM": partial(_dob_part, part=1),
    "DOBD": partial(_dob_part, part=2),
}
_META_PLAIN: dict[str, Normaliser] = {  # Meta: not hashed; MADID lower-cased, hyphens kept
    "MADID": lambda v: _clean(v).lower() or None, "EXTERN_ID": lambda v: _clean(v) or None,
}
_META_ALIASES = {"EM": "EMAIL", "PH": "PHONE", "ZP": "ZIP", "GE": "GEN"}
_GOOGLE_HASHED: dict[str, Normaliser] = {
    "email": normalize_email, "first_name": normalize_name_google,
    "last_name": normalize_name_google,
}
_GOOGLE_PLAIN: dict[str, Normaliser] = {  # Google: sent in plain text, ISO code as "US"
    "country_code": lambda v: (normalize_country(v) or "").upper() or None,
    "postal_code": lambda v: _clean(v) or None,
}


def _hash_field(
    platform: str, field: str, key: str, value: object, hashed: dict[str, Normaliser],
    plain: dict[str, Normaliser], passthrough: re.Pattern[str],
) -> str | None:
    """Normalise then SHA-256; existing hashes pass through (double hashing never matches)."""
    if key in plain:
        return plain[key](value)
    if key not in hashed:
        known = sorted([*hashed, *plain])
        raise ValueError(f"unknown {platform} field {field!r}; expected one of {known}")
    if is_hashed(value):
        text = str(value).strip()
        return text if passthrough.fullmatch(text) else None
    normalised = hashed[key](value)
    return sha256_hex(normalised) if normalised else None


def hash_for_meta(
    field: str, value: object, default_country_calling_code: str | None = None
) -> str | None:
    """Normalise by Meta's rule for ``field`` (schema name or CAPI key) and SHA-256 it.

    SHA-256/MD5 hex passes through unchanged (FB SDK); ``MADID``/``EXTERN_ID`` are not hashed.
    """
    key = field.strip().upper()
    key = _META_ALIASES.get(key, key)
    phone = partial(normalize_phone_meta, default_country_calling_code=default_country_calling_code)
    hashed = {**_META_HASHED, "PHONE": phone}
    return _hash_field("Meta", field, key, value, hashed, _META_PLAIN, _HASH_RE)


def hash_for_google(
    field: str, value: object, default_country_calling_code: str | None = None
) -> str | None:
    """Normalise by Google Customer Match's rule for ``field`` and SHA-256 it.

    ``country_code``/``postal_code`` are sent unhashed. SHA-256 hex passes through unchanged;
    MD5 gives None because Google only matches SHA-256.
    """
    key = field.strip().lower().removeprefix("hashed_")
    key = "phone" if key == "phone_number" else key
    phone = partial(normalize_phone_e164, default_country_calling_code=default_country_calling_code)
    hashed = {**_GOOGLE_HASHED, "phone": phone}
    return _hash_field("Google", field, key, value, hashed, _GOOGLE_PLAIN, _SHA256_RE)


def mailchimp_subscriber_hash(email: object) -> str:
    """Mailchimp ``subscriber_hash``: MD5 of the lower-cased email (reverse_etl.md §2.1).

    An invalid email raises ``ValueError``: this is the member's key, it cannot be left blank.
    """
    normalised = normalize_email(email)
    if normalised is None:
        raise ValueError("email: not a valid address, cannot build a Mailchimp subscriber_hash")
    return md5_hex(normalised)
