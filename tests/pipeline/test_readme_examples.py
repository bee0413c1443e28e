"""Every README example that names demo data runs on the demo data and shows what it says.

The module builds its own warehouse from exactly what `cdp run` generates (persons and seed
from `cdp run`'s defaults, end date from `cdp generate`'s, which `run` passes): the README's
identifiers are real people of that data set, and this is where a change of the generator or
of identity resolution that drops them shows up. The 10k build costs about two minutes.
"""

from __future__ import annotations

import inspect
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp import cli
from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.identity import phones
from cdp.identity.explain import find_identifiers
from cdp.load import load_raw
from cdp.settings import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text()
# The README commands that only read the warehouse (or the truth): the ones this test runs.
READ_ONLY_COMMANDS = {("explain",), ("evaluate", "identity"), ("rejects",),
                      ("audiences", "list"), ("audiences", "preview"),
                      ("audiences", "validate")}


@dataclass(frozen=True)
class Demo:
    raw_dir: Path
    db: Path

    def rows(self, sql: str) -> list[dict]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def cdp(self, args: list[str]) -> subprocess.CompletedProcess:
        env = {**os.environ, "CDP_DUCKDB_PATH": str(self.db), "CDP_RAW_DIR": str(self.raw_dir),
               "COLUMNS": "200"}
        return subprocess.run([sys.executable, "-m", "cdp.cli", *args], capture_output=True,
                              text=True, env=env, cwd=PROJECT_DIR, timeout=300, check=False)


def demo_arguments() -> tuple[int, int, object]:
    run, generate = (inspect.signature(f).parameters for f in (cli.run, cli.generate))
    return run["persons"].default, run["seed"].default, generate["end_date"].default.date()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    root = tmp_path_factory.mktemp("readme_demo")
    persons, seed, end_date = demo_arguments()
    started = time.monotonic()
    generate_sources(root / "raw", persons, seed, end_date, show_progress=False)
    load_raw(root / "raw", root / "cdp.duckdb")
    build_project(duckdb_path=root / "cdp.duckdb")
    print(f"demo warehouse ({persons:,} persons) built in {time.monotonic() - started:.0f}s")
    return Demo(root / "raw", root / "cdp.duckdb")


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def cli_examples() -> list[list[str]]:
    """`cdp ...` lines of the bash blocks that read the warehouse, placeholders left out
    (`IDENTIFIER`, `[--to OTHER]`, `list|validate`)."""
    examples = []
    for line in (line for block in fenced_blocks("bash") for line in block.splitlines()):
        words = shlex.split(line, comments=True)
        if words[:1] != ["cdp"] or any(re.fullmatch(r"[A-Z]+|\[.*|.*\|.*", w) for w in words):
            continue
        reads_only = {tuple(words[1:2]), tuple(words[1:3])} & READ_ONLY_COMMANDS
        if reads_only and words[1:] not in examples:
            examples.append(words[1:])
    return examples


def sql_examples() -> list[str]:
    statements = []
    for block in fenced_blocks("sql"):
        code = re.sub(r"--[^\n]*", "", block)  # the examples hold no `--` inside strings
        statements += [s.strip() for s in code.split(";") if s.strip().startswith("select")]
    return statements


def test_the_readme_names_runnable_examples():
    examples = cli_examples()
    assert {"explain", "evaluate", "rejects", "audiences"} <= {words[0] for words in examples}
    assert any(words[0] == "explain" and "--to" in words for words in examples)
    assert any("id_value = " in sql for sql in sql_examples())


@pytest.mark.parametrize("args", cli_examples(), ids=" ".join)
def test_cli_example_runs(demo, args):
    done = demo.cdp(args)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    if args[0] == "explain":
        counts = re.findall(r"person prs_\w+ with (\d+) identifier\(s\)", out)
        assert counts and int(counts[0]) > 1, out
        assert len(set(re.findall(r"│ (\w+):\S+", out))) > 1  # identifiers of several types
        if "--to" in args:
            to = args[args.index("--to") + 1]
            assert re.search(rf"→ \w+:{re.escape(to)}\b", out), out
    elif args[0] == "evaluate":
        assert "precision" in out and "true persons" in out
    elif args[:2] == ["audiences", "preview"]:
        assert args[2] in out
    else:
        assert out.strip()


@pytest.mark.parametrize("sql", sql_examples(), ids=lambda sql: sql.split("\n")[0][:60])
def test_sql_example_returns_rows(demo, sql):
    rows = demo.rows(sql)
    assert rows
    if "id_value = " in sql:  # "one person": several identifiers, of several types
        assert len(rows) > 1
        assert len({row["id_type"] for row in rows}) > 1


def test_national_phone_of_the_readme_is_the_person_of_its_e164_form(demo, monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(demo.db))
    [national] = [args[1] for args in cli_examples() if args[0] == "explain" and "--to" in args]
    [e164] = {v for v in phones.readings(national) if find_identifiers(v)}
    [by_national] = find_identifiers(national)
    [by_e164] = find_identifiers(f"{e164[:3]} {e164[3:]}")  # as typed: spaced
    assert by_national.person_id == by_e164.person_id is not None


def test_explain_finds_national_crm_phones_where_staging_put_them(demo, monkeypatch):
    """National-format phones of the CRM export (10 per country), typed as they are there,
    lead explain to the E.164 identifier staging made of them, whatever the country."""
    rows = demo.rows("""
        select distinct country_code, phone_text, phone_e164 from staging.base_crm__contacts
        where reject_reason is null and phone_e164 is not null
            and not regexp_matches(phone_text, '^(\\+|00|011)')
        qualify row_number() over (partition by country_code order by phone_text) <= 10""")
    assert {"US", "GB", "DE", "FR"} <= {row["country_code"] for row in rows}
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(demo.db))
    for row in rows:
        found = {identifier.value for identifier in find_identifiers(row["phone_text"])}
        assert row["phone_e164"] in found, row


def test_python_phone_rules_match_staging_on_every_demo_phone(demo):
    rows = demo.rows("""
        select phone_text, country_code, phone_e164 from staging.base_crm__contacts
        union all select mobile_phone_text, country_code, mobile_phone_e164
            from staging.base_crm__contacts
        union all select phone_text, billing_country_code, phone_e164 from staging.base_shop__orders
        union all select phone_text, null, phone_e164 from staging.base_helpdesk__tickets""")
    typed = [row for row in rows if row["phone_text"] is not None]
    assert len(typed) > 5_000
    assert [row for row in typed
            if phones.to_e164(row["phone_text"], row["country_code"]) != row["phone_e164"]] == []
