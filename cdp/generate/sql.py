"""In-process DuckDB session that turns generated numbers into the text exports contain.

numpy decides everything random (which variant, which typo position...); these macros only
spell the decision out, so they are pure functions and the output does not depend on DuckDB's
threading. Every query that produces rows orders them explicitly.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

_MACROS = r"""
-- Epoch seconds / milliseconds as text; make_timestamp gives a zone-less UTC timestamp.
CREATE MACRO ts_text(s, fmt) AS strftime(make_timestamp(s::BIGINT * 1000000), fmt);
CREATE MACRO ts_ms_text(ms) AS strftime(make_timestamp(ms::BIGINT * 1000), '%Y-%m-%dT%H:%M:%S.%gZ');
CREATE MACRO money(cents) AS (cents::DECIMAL(18, 0) / 100)::DECIMAL(18, 2)::VARCHAR;

-- Name as someone typed it: case, padding, accents dropped, or one typo (kinds 5-8) at a
-- position chosen by r that never touches the first letter.
CREATE MACRO typo_at(n, r) AS 2 + r % greatest(length(n) - 2, 1);
CREATE MACRO name_variant(n, kind, r) AS CASE
    WHEN n IS NULL OR kind = 0 THEN n
    WHEN kind = 1 THEN upper(n)
    WHEN kind = 2 THEN lower(n)
    WHEN kind = 3 THEN '  ' || n || ' '
    WHEN kind = 4 THEN strip_accents(n)
    WHEN length(n) < 4 THEN n
    WHEN kind = 5 THEN n[1:typo_at(n, r) - 1] || chr((97 + (r // 7) % 26)::INTEGER)
        || n[typo_at(n, r) + 1:]
    WHEN kind = 6 THEN n[1:typo_at(n, r) - 1] || n[typo_at(n, r) + 1] || n[typo_at(n, r)]
        || n[typo_at(n, r) + 2:]
    WHEN kind = 7 THEN n[1:typo_at(n, r) - 1] || n[typo_at(n, r) + 1:]
    ELSE n[1:typo_at(n, r)] || n[typo_at(n, r)] || n[typo_at(n, r) + 1:]
END;

-- Email as written, always with the same canonical form as the base address e (lower case):
-- case, padding, +tag (gmail/googlemail/outlook only), gmail dots, googlemail swap.
CREATE MACRO email_local(e) AS split_part(e, '@', 1);
CREATE MACRO email_domain(e) AS split_part(e, '@', 2);
CREATE MACRO gmail_dots(l, r) AS CASE WHEN contains(l, '.') THEN replace(l, '.', '')
    ELSE l[1:1 + r % greatest(length(l) - 1, 1)] || '.' || l[2 + r % greatest(length(l) - 1, 1):]
    END;
CREATE MACRO email_variant(e, kind, r, tag) AS CASE
    WHEN e IS NULL OR kind = 0 THEN e
    WHEN kind = 1 THEN upper(e[1]) || e[2:]
    WHEN kind = 2 THEN upper(e)
    WHEN kind = 3 THEN ' ' || e || '  '
    WHEN kind = 4 AND email_domain(e) IN ('gmail.com', 'googlemail.com', 'outlook.com')
        THEN email_local(e) || '+' || tag || '@' || email_domain(e)
    WHEN kind = 5 AND email_domain(e) IN ('gmail.com', 'googlemail.com')
        THEN gmail_dots(email_local(e), r) || '@' || email_domain(e)
    WHEN kind = 6 AND email_domain(e) = 'gmail.com' THEN email_local(e) || '@googlemail.com'
    WHEN kind = 6 AND email_domain(e) = 'googlemail.com' THEN email_local(e) || '@gmail.com'
    WHEN kind = 7 THEN upper(e[1]) || email_local(e)[2:] || '@' || upper(email_domain(e)[1])
        || email_domain(e)[2:]
    ELSE e
END;

-- Phones. cc = calling code, nsn = national significant number. Area code length decides
-- how people group the digits.
CREATE MACRO area_len(cc, nsn) AS CASE
    WHEN cc = '1' THEN 3
    WHEN cc = '33' THEN 1
    WHEN cc = '44' THEN CASE WHEN nsn[1] = '7' THEN 4 WHEN nsn[1] = '2' THEN 2 ELSE 3 END
    ELSE CASE WHEN nsn[1] = '1' THEN 3 WHEN nsn[1:2] IN ('30', '40', '89', '69') THEN 2 ELSE 3 END
END;
CREATE MACRO phone_rest(cc, nsn) AS nsn[area_len(cc, nsn) + 1:];
CREATE MACRO gb_rest(x) AS CASE length(x) WHEN 8 THEN x[1:4] || ' ' || x[5:]
    WHEN 7 THEN x[1:3] || ' ' || x[4:] WHEN 6 THEN x ELSE x END;
CREATE MACRO fr_pairs(nsn, sep) AS nsn[1] || sep || nsn[2:3] || sep || nsn[4:5] || sep
    || nsn[6:7] || sep || nsn[8:9];
-- Digits grouped the local way, without trunk prefix: '415 555 2671', '20 7946 0958'.
CREATE MACRO phone_grouped(cc, nsn) AS CASE cc
    WHEN '1' THEN nsn[1:3] || ' ' || nsn[4:6] || ' ' || nsn[7:]
    WHEN '33' THEN fr_pairs(nsn, ' ')
    WHEN '44' THEN nsn[1:area_len(cc, nsn)] || ' ' || gb_rest(phone_rest(cc, nsn))
    ELSE nsn[1:area_len(cc, nsn)] || ' ' || phone_rest(cc, nsn)
END;
CREATE MACRO phone_national(cc, nsn, v) AS CASE cc
    WHEN '1' THEN CASE v % 7
        WHEN 0 THEN '(' || nsn[1:3] || ') ' || nsn[4:6] || '-' || nsn[7:]
        WHEN 1 THEN nsn[1:3] || '-' || nsn[4:6] || '-' || nsn[7:]
        WHEN 2 THEN nsn[1:3] || '.' || nsn[4:6] || '.' || nsn[7:]
        WHEN 3 THEN nsn
        WHEN 4 THEN '1-' || nsn[1:3] || '-' || nsn[4:6] || '-' || nsn[7:]
        WHEN 5 THEN '1 (' || nsn[1:3] || ') ' || nsn[4:6] || '-' || nsn[7:]
        ELSE phone_grouped(cc, nsn) END
    WHEN '44' THEN CASE v % 3
        WHEN 0 THEN '0' || phone_grouped(cc, nsn)
        WHEN 1 THEN '0' || nsn
        ELSE '(0' || nsn[1:area_len(cc, nsn)] || ') ' || gb_rest(phone_rest(cc, nsn)) END
    WHEN '49' THEN CASE v % 4
        WHEN 0 THEN '0' || phone_grouped(cc, nsn)
        WHEN 1 THEN '0' || nsn[1:area_len(cc, nsn)] || '/' || phone_rest(cc, nsn)
        WHEN 2 THEN '0' || nsn[1:area_len(cc, nsn)] || '-' || phone_rest(cc, nsn)
        ELSE '0' || nsn END
    ELSE CASE v % 3 WHEN 0 THEN '0' || fr_pairs(nsn, ' ') WHEN 1 THEN '0' || nsn
        ELSE '0' || fr_pairs(nsn, '.') END
END;
-- International forms; form 3 uses the dialling prefix of the row's context: 011 in the US
-- (NANP), 00 elsewhere.
CREATE MACRO phone_international(cc, nsn, v, ctx_us) AS CASE v
    WHEN 0 THEN '+' || cc || ' ' || phone_grouped(cc, nsn)
    WHEN 1 THEN '+' || cc || nsn
    WHEN 2 THEN CASE WHEN cc = '1' THEN '+1-' || nsn[1:3] || '-' || nsn[4:6] || '-' || nsn[7:]
        ELSE '+' || cc || ' (0)' || phone_grouped(cc, nsn) END
    ELSE CASE WHEN ctx_us THEN '011 ' ELSE '00' END || cc || ' ' || phone_grouped(cc, nsn)
END;
-- style < 10: national variant; 10-13: international variant (numpy enforces the context rule).
CREATE MACRO phone_text(cc, nsn, style, ctx_us) AS CASE
    WHEN nsn IS NULL THEN NULL
    WHEN style < 10 THEN phone_national(cc, nsn, style)
    ELSE phone_international(cc, nsn, style - 10, ctx_us)
END;

-- A CSV field: quoted only when it holds a delimiter or quote; null is an empty field.
CREATE MACRO csv_field(x) AS coalesce(CASE WHEN contains(x, ',') OR contains(x, '"')
    THEN '"' || replace(x, '"', '""') || '"' ELSE x END, '');
"""


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(_MACROS)
    return con


def run(con: duckdb.DuckDBPyConnection, query: str, **tables: pa.Table) -> pa.Table:
    """Run `query` with Arrow tables bound by name; returns an Arrow table."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        return con.sql(query).to_arrow_table()
    finally:
        for name in tables:
            con.unregister(name)


def pick_literal(values: tuple[str, ...], index: str) -> str:
    """SQL picking values[index] (0-based SQL expression) from a literal list."""
    return "[" + ", ".join(f"'{v}'" for v in values) + f"][{index} + 1]"
