"""Phone text to E.164 in Python, with the rules staging uses in SQL.

A port of the macros `prepare_phone` and `phone_rewrite_rules` (macros/cleaning/), built from
the same vars of dbt_project.yml (`cdp_default_phone_country`, `cdp_phone_countries`), so that
`cdp explain` finds a phone however it was typed exactly where staging would have stored it.
Keep the two in step: tests/pipeline/test_readme_examples.py compares this module with
staging's `phone_e164` on every phone of the demo data.
"""

from __future__ import annotations

import re
from functools import cache

from cdp.settings import dbt_vars

# prepare_phone's clean-up, in order: drop a trailing extension; mark text holding letters,
# symbols or a non-leading `+` invalid (`!`); drop `(0)` after an international prefix; keep
# only digits, `+` and the mark. re.ASCII: RE2's `\s` is ASCII whitespace only.
_CLEANUP = [
    (r"\s*(?:ext(?:ension)?|x)[.:]?\s*[0-9]+$", ""),
    (r"(?s)^(?:.*[^0-9\s().+/-].*|.+\+.*)$", "!"),
    (r"^((?:\+|00|011)[^(]*)\(0\)", r"\1"),
    (r"[^0-9+!]", ""),
]


def default_country() -> str:
    return str(dbt_vars()["cdp_default_phone_country"]).upper()


def countries() -> dict[str, dict]:
    """var cdp_phone_countries keyed by upper-case ISO2, in the var's order."""
    return {str(code).upper(): spec for code, spec in dbt_vars()["cdp_phone_countries"].items()}


def prepare(text: str, country: str) -> str:
    """`+<digits>` for an international number, else `<ISO2>|<digits>`; `!` marks junk."""
    cleaned = text.strip().lower()
    for pattern, replacement in _CLEANUP:
        cleaned = re.sub(pattern, replacement, cleaned, flags=re.ASCII)
    nanp = [re.escape(c) for c, spec in countries().items() if str(spec["calling_code"]) == "1"]
    international = r"[^|]*\|(?:\+|00)" + (f"|(?:{'|'.join(nanp)})\\|011" if nanp else "")
    return re.sub(f"^(?:{international})([1-9])", r"+\1", f"{country.upper()}|{cleaned}")


@cache
def rewrite_rules() -> list[tuple[re.Pattern, str | None]]:
    """phone_rewrite_rules: ordered (pattern, replacement); None means invalid."""
    national, international, codes = [], [], []
    for country, spec in countries().items():
        code = str(spec["calling_code"])
        trunk = str(spec.get("trunk_prefix") or "")
        low, high = int(spec["min_length"]), int(spec["max_length"])
        if len(trunk) == 1:  # a national significant number never starts with the trunk
            nsn = f"[{'0123456789'.replace(trunk, '')}][0-9]{{{low - 1},{high - 1}}}"
        else:
            nsn = f"[0-9]{{{low},{high}}}"
        prefixes = [code] + ([trunk] if trunk and trunk != code else [])
        national.append((f"^{re.escape(country)}\\|(?:{'|'.join(prefixes)})?({nsn})$",
                         f"+{code}\\1"))
        rule = (f"^\\+{code}" + (f"(?:{trunk})?" if trunk else "") + f"({nsn})$",
                f"+{code}\\1")
        if rule not in international:
            international.append(rule)
        if code not in codes:
            codes.append(code)
    rules = [*national, *international, (f"^\\+(?:{'|'.join(codes)})", None),
             (r"^\+([1-9][0-9]{7,14})$", r"+\1")]
    return [(re.compile(pattern), replacement) for pattern, replacement in rules]


def to_e164(text: str | None, country: str | None = None) -> str | None:
    """E.164 of `text` read in `country` (ISO2; None: var cdp_default_phone_country), or None,
    exactly as staging's prepare_phone + phone_e164_from_prepared would store it."""
    if text is None or not text.strip():
        return None
    prepared = prepare(text, country or default_country())
    for pattern, replacement in rewrite_rules():
        if pattern.search(prepared):  # the first matching rule decides, as the SQL CASE does
            return pattern.sub(replacement, prepared) if replacement else None
    return None


def readings(text: str) -> list[str]:
    """Every E.164 form `text` can be: read in the default country first, then in each other
    country of var cdp_phone_countries (an explain lookup has no row country to go by)."""
    found: list[str] = []
    for country in [default_country(), *countries()]:
        value = to_e164(text, country)
        if value and value not in found:
            found.append(value)
    return found


def countries_reading(text: str, e164: str) -> list[str]:
    """The countries of var cdp_phone_countries in which `text` reads as `e164`."""
    return [country for country in countries() if to_e164(text, country) == e164]
