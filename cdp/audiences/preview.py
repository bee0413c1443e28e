"""Preview an audience on the built warehouse without running dbt: size, SQL, sample members.

The SQL is the audience's compiled rule with its exclusions and the higher-priority audiences
of its group subtracted, the same logic `int_audiences__current_members` applies, and the arms
come from the same md5 bucket `hash_bucket` computes. It runs on the active target with the
rules as compiled for that engine (the text dbt runs there); the statements around them are
written in DuckDB's dialect and transpiled, like every statement outside dbt.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdp.audiences.compile import CompiledAudience
from cdp.warehouse import reading
from cdp.warehouse.schemas import MARTS

SAMPLE_SIZE = 10
BUCKETS = 10_000
_HEX = "0123456789abcdef"
MEMBERS = "cdp_preview_members"  # stands for the members query in the transpiled statements


@dataclass(frozen=True)
class Preview:
    sql: str
    rule_matches: int
    members: int
    arms: list[tuple[str, int]]  # (arm, members) including the holdout
    sample_columns: list[str]
    sample: list[tuple]


def preview_sql(audience: CompiledAudience, compiled: list[CompiledAudience],
                dialect: str = "duckdb") -> str:
    by_name = {c.audience.name: c for c in compiled}
    others = [by_name[name] for name in audience.audience.exclude]
    if audience.audience.group:
        others += [c for c in compiled if c.audience.group == audience.audience.group
                   and c.audience.priority < audience.audience.priority]
    conditions = [f"({audience.rules[dialect]})"]
    conditions += [f"not coalesce(({other.rules[dialect]}), false)"
                   f"  -- {other.audience.name}" for other in others]
    where = "\n  and ".join(conditions)
    return f"select *\nfrom {MARTS}.dim_customers\nwhere {where}"


def hash_bucket_sql(hex8: str) -> str:
    """`hash_bucket`'s value from `hex8`, the first 8 hex digits of the md5: each digit's
    position in '0123456789abcdef' times its power of 16. Each engine parses hex its own way
    (the macro has one per adapter); this arithmetic transpiles to all of them."""
    digits = [f"cast(strpos('{_HEX}', substr({hex8}, {i + 1}, 1)) - 1 as bigint) * {16 ** (7 - i)}"
              for i in range(8)]
    return f"(({' + '.join(digits)}) % {BUCKETS})"


def run_preview(audience: CompiledAudience, compiled: list[CompiledAudience]) -> Preview:
    arm_case = " ".join(
        f"when bucket >= {arm.lower} and bucket < {arm.upper} then '{arm.name}'"
        for arm in audience.audience.arms)
    salt = audience.audience.salt.replace("'", "''")
    columns = ["person_id", *sorted(audience.columns - {"person_id"})]
    with reading("cdp audiences preview") as wh:
        sql = preview_sql(audience, compiled, wh.dialect)

        def rows(statement: str) -> list[tuple]:
            # A subquery rather than a temp view: no DDL on a read-only connection. The
            # newline ends the `-- audience` comment `preview_sql` closes its last line with.
            return wh.query_native(wh.sql(statement).replace(
                MEMBERS, f"({sql}\n) as preview_members"))

        [(matches,)] = wh.query_native(f"select count(*) from {MARTS}.dim_customers"
                                       f" where ({audience.rules[wh.dialect]})")
        [(n_members,)] = rows(f"select count(*) from {MEMBERS}")
        arms = rows(f"""
            select case {arm_case} end as arm, count(*)
            from (select {hash_bucket_sql('hex8')} as bucket
                  from (select substr(md5('{salt}:' || person_id), 1, 8) as hex8
                        from {MEMBERS}) as hashed) as buckets
            group by 1 order by 1
        """)
        sample = rows(f"select {', '.join(columns)} from {MEMBERS} order by person_id"
                      f" limit {SAMPLE_SIZE}")
    return Preview(sql, matches, n_members, arms, columns, sample)
