"""One rule for schema names in dbt and in Python: `generate_schema_name` (and the sources'
`schema:`) and `cdp.warehouse.schemas.schema` give every name the same schema in prod and in
dev, read from the same inputs (CDP_ENVIRONMENT, the profile's schema), and refuse the same
bad inputs. dbt parses the real project, so a source whose `schema:` drifts from the rule
fails here."""

from __future__ import annotations

import pytest
from dbt.cli.main import dbtRunner

from cdp.settings import PROJECT_DIR
from cdp.warehouse import schemas
from cdp.warehouse.schemas import MARTS, SchemaError, schema


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: prod, the default target, a scratch DuckDB file."""
    for name in ("CDP_ENVIRONMENT", "CDP_SCHEMA", "CDP_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(tmp_path / "scratch.duckdb"))
    return monkeypatch


def _parse(tmp_path):
    """dbt's manifest of the project as the environment is now (a full parse)."""
    target = tmp_path / "target"
    result = dbtRunner().invoke([
        "parse", "--quiet", "--project-dir", str(PROJECT_DIR), "--profiles-dir",
        str(PROJECT_DIR), "--target-path", str(target), "--log-path", str(target)])
    return result


def _dbt_schemas(manifest) -> dict[str, tuple[str, str]]:
    """unique_id -> (the name the rule applies to, the schema dbt chose)."""
    found = {node.unique_id: (node.config.schema, node.schema)
             for node in manifest.nodes.values()
             if node.resource_type in ("model", "seed") and node.config.schema}
    return found


def test_python_resolves_per_call_and_checks_its_inputs(env):
    assert schema("marts") == f"{MARTS}" == "marts"
    env.setenv("CDP_ENVIRONMENT", "ci")
    env.setenv("CDP_SCHEMA", "ci_1234")
    assert f"{MARTS}.dim_customers" == "ci_1234_marts.dim_customers"
    assert schemas.model_schemas() == ["ci_1234_staging", "ci_1234_intermediate",
                                       "ci_1234_sync", "ci_1234_marts", "ci_1234_pii_masked",
                                       "ci_1234_reference"]
    env.setenv("CDP_TARGET", "postgres")  # the active target's schema, like dbt
    env.delenv("CDP_SCHEMA")
    assert schema("raw") == "public_raw"
    env.setenv("CDP_ENVIRONMENT", "prod")
    assert schema("cdp_sync") == "cdp_sync"
    for environment, prefix, problem in (("Dev", "dbt_alice", "not an environment name"),
                                         ("dev", "Alice", "set CDP_SCHEMA"),
                                         ("dev", "cdp", "set CDP_SCHEMA")):
        env.setenv("CDP_ENVIRONMENT", environment)
        env.setenv("CDP_SCHEMA", prefix)
        with pytest.raises(SchemaError, match=problem):
            schema("marts")


def test_dbt_and_python_agree_in_prod_and_in_dev(env, tmp_path):
    prod = _parse(tmp_path / "prod")
    assert prod.success, prod.exception
    prod_sources = {s.unique_id: s.schema for s in prod.result.sources.values()}
    assert set(prod_sources.values()) == {"raw", "clv", "privacy"}
    assert {name for name, chosen in _dbt_schemas(prod.result).values()
            if name == chosen} == set(schemas.folder_schemas())

    env.setenv("CDP_ENVIRONMENT", "dev")
    env.setenv("CDP_SCHEMA", "dbt_alice")
    dev = _parse(tmp_path / "dev")
    assert dev.success, dev.exception
    for unique_id, (name, chosen) in _dbt_schemas(dev.result).items():
        assert chosen == schema(name) == f"dbt_alice_{name}", unique_id
    for source in dev.result.sources.values():
        assert source.schema == schema(prod_sources[source.unique_id]), source.unique_id


@pytest.mark.parametrize(("environment", "prefix", "problem"), [
    ("Dev", "dbt_alice", "is not an environment name"),
    ("dev", "cdp", "set CDP_SCHEMA to a lower-case name of your own"),
])
def test_dbt_refuses_what_python_refuses(env, tmp_path, environment, prefix, problem):
    env.setenv("CDP_ENVIRONMENT", environment)
    env.setenv("CDP_SCHEMA", prefix)
    with pytest.raises(SchemaError, match=problem):
        schema("marts")
    result = _parse(tmp_path)
    assert not result.success and problem in str(result.exception)
