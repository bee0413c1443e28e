"""Preview an audience on the built warehouse without running dbt: size, SQL, sample members.

The SQL is the audience's compiled DuckDB rule with its exclusions and the higher-priority
audiences of its group subtracted, the same logic `int_audiences__current_members` applies,
and the arms come from the same md5 bucket `hash_bucket` computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cdp.audiences.compile import CompiledAudience
from cdp.warehouse import read_only

SAMPLE_SIZE = 10


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
    return f"select *\nfrom marts.dim_customers\nwhere {where}"


def run_preview(duckdb_path: Path, audience: CompiledAudience,
                compiled: list[CompiledAudience]) -> Preview:
    sql = preview_sql(audience, compiled)
    arm_case = " ".join(
        f"when bucket >= {arm.lower} and bucket < {arm.upper} then '{arm.name}'"
        for arm in audience.audience.arms)
    salt = audience.audience.salt.replace("'", "''")
    columns = ["person_id", *sorted(audience.columns - {"person_id"})]
    with read_only(duckdb_path) as con:
        [(matches,)] = con.execute(
            "select count(*) from marts.dim_customers"
            f" where ({audience.rules['duckdb']})").fetchall()
        con.execute(f"create temp view preview_members as {sql}")
        [(members,)] = con.execute("select count(*) from preview_members").fetchall()
        arms = con.execute(f"""
            select case {arm_case} end as arm, count(*)
            from (select cast('0x' || substr(md5('{salt}:' || person_id), 1, 8) as bigint)
                         % 10000 as bucket
                  from preview_members)
            group by 1 order by 1
        """).fetchall()
        sample = con.execute(
            f"select {', '.join(columns)} from preview_members order by person_id"
            f" limit {SAMPLE_SIZE}").fetchall()
    return Preview(sql, matches, members, arms, columns, sample)
