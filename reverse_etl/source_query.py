"""The SQL of a sync's source rows, built only from checked pieces.

Nothing from the sync YAML is pasted into SQL as it is: the relation is looked up in the
warehouse's catalog (bound parameters), the primary key and every field are checked against the
relation's real columns and the audience-rule sandbox, identifiers are quoted, destination field
names are quoted literals, and the audience name and consent pair are bound parameters. A spec
built in code (tests, scripts) goes through the same checks as one loaded from YAML, its
purpose and consent rules included.

The consent filter reads `dim_consent`, the one consent rule of the project: a person is sent
only when their consent to the pair is `granted` there (no row, never asked: not sent).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from cdp.definition_files import shown
from cdp.warehouse.schemas import MARTS, PII_MASKED, model_schemas
from reverse_etl import spec_checks as checks
from reverse_etl.catalog import AUDIENCE_COLUMNS, consent_pairs, processing_purposes
from reverse_etl.config import SyncSpec
from reverse_etl.destinations.base import ConfigError
from reverse_etl.destinations.registry import DESTINATIONS

DIALECT = "duckdb"
# A template: the marts schema is the environment's when the query is built.
AUDIENCE_BASE = ("select customers.*, members.variant as audience_variant"
                 " from {MARTS}.fct_audience_members as members"
                 " inner join {MARTS}.dim_customers as customers using (person_id)"
                 " where members.audience_name = ? and not members.is_holdout")


@dataclass(frozen=True)
class SourceQuery:
    sql: str  # record_key, fields_json: one row per source row
    params: list


def source_query(con, spec: SyncSpec) -> SourceQuery:
    """The checked query of `spec`'s source rows; ConfigError lists every problem."""
    problems = _name_problems(spec)
    if problems:
        raise _error(spec, problems)
    if spec.source_kind == "audience":
        _require_audience(con, spec)
        base, params = AUDIENCE_BASE.format(MARTS=MARTS), [spec.source_name]
        columns = [*_columns(con, str(MARTS), "dim_customers"), *AUDIENCE_COLUMNS]
    else:
        schema = _model_schema(con, spec)
        base, params = f"select * from {_quote(schema)}.{_quote(spec.source_name)}", []
        columns = _columns(con, schema, spec.source_name)
    expressions, problems = checks.checked_fields(spec.fields, columns, DIALECT)
    problems.insert(0, checks.column_problem("primary_key", spec.primary_key, columns))
    if spec.consent and "person_id" not in columns:
        problems.append("consent: needs a person_id column in the source")
    if problems := [p for p in problems if p]:
        raise _error(spec, problems)
    if spec.consent:  # dim_consent has one row per person, purpose and channel: no fan-out
        base = (f"select source.* from ({base}) as source"
                f" inner join {MARTS}.dim_consent as consent"
                " on source.person_id = consent.person_id and consent.purpose = ?"
                " and consent.channel = ? and consent.status = 'granted'")
        params = [*params, *spec.consent]
    packed = ", ".join(f"{exp.Literal.string(name).sql(DIALECT)}, {expression}"
                       for name, expression in sorted(expressions.items()))
    sql = (f"select cast({_quote(spec.primary_key)} as varchar) as record_key,"
           f" json_object({packed}) as fields_json from ({base}) as source")
    return SourceQuery(sql, params)


def _name_problems(spec: SyncSpec) -> list[str]:
    problems = [
        checks.identifier_problem(f"source.{spec.source_kind}", spec.source_name),
        checks.identifier_problem("primary_key", spec.primary_key, "column name"),
    ]
    if spec.source_kind not in ("audience", "model"):
        problems.append(f"source: unknown kind {shown(spec.source_kind)}")
    pairs = consent_pairs()
    if spec.consent is not None:
        problems.append(checks.consent_problem(list(spec.consent), pairs))
    try:
        purposes = processing_purposes()
    except ConfigError as error:
        return [*[p for p in problems if p], *str(error).splitlines()]
    kind = DESTINATIONS.get(spec.destination_type if isinstance(spec.destination_type, str)
                            else "")
    personal = kind.capabilities.personal_data if kind else True  # unknown: the safe side
    problems += checks.purpose_problems(
        spec.purpose, list(spec.consent) if spec.consent is not None else None, personal,
        purposes, pairs)
    return [p for p in problems if p]


def _require_audience(con, spec: SyncSpec) -> None:
    """A sync on an audience the build does not know is an error, never an empty success."""
    known = [name for (name,) in con.execute(
        f"select audience_name from {MARTS}.dim_audiences order by 1").fetchall()]
    problem = checks.known_problem("source.audience", spec.source_name, known,
                                   f"audience (not in {MARTS}.dim_audiences)")
    if problem:
        raise _error(spec, [problem])


def _model_schema(con, spec: SyncSpec) -> str:
    """The schema of this environment's dbt build holding the model (another environment's
    build of it, on the same warehouse, is not a candidate). The masked views for BI roles
    take their marts' names, and are never what a sync reads."""
    models = [name for name in model_schemas() if name != str(PII_MASKED)]
    schemas = [schema for (schema,) in con.execute(
        "select table_schema from information_schema.tables where table_name = ?"
        f" and table_schema in ({', '.join('?' for _ in models)})"
        " order by table_schema", [spec.source_name, *models]).fetchall()]
    if len(schemas) == 1:
        return schemas[0]
    if schemas:
        raise _error(spec, [f"source.model: '{spec.source_name}' exists in several schemas "
                            f"({', '.join(schemas)})"])
    raise _error(spec, [f"source.model: '{spec.source_name}' is not built in the warehouse "
                        "(run `cdp build`)"])


def _columns(con, schema: str, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table]).fetchall()]


def _quote(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(DIALECT)


def _error(spec: SyncSpec, problems: list[str]) -> ConfigError:
    return ConfigError("\n".join(f"{spec.label}: {problem}" for problem in problems))
