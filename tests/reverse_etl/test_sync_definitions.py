"""Sync YAML is untrusted: every name is checked against what the project knows, every field
expression goes through the audience-rule sandbox, and every problem of every file is reported
at once, one line each with file, key and a "did you mean" where one helps. No warehouse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reverse_etl.catalog import processing_purposes, project_catalog
from reverse_etl.config import check_sync, load_syncs
from reverse_etl.destinations.base import ConfigError

PROJECT = Path(__file__).resolve().parents[2]
GOOD = {
    "name": "probe", "source": {"audience": "paid_subscribers"}, "primary_key": "person_id",
    "destination": {"type": "file", "config": {"path": "data/exports"}}, "mode": "mirror",
    "fields": {"email": "email", "plan": "coalesce(subscription_plan, 'none')"},
    "purpose": "marketing", "consent": ["marketing", "email"],
}


@pytest.fixture(scope="module")
def catalog():
    return project_catalog(PROJECT / "audiences")


def _check(tmp_path, catalog, **change):
    content = {**GOOD, **change}
    path = tmp_path / f"{content['name']}.yml"
    path.write_text(yaml.safe_dump(content))
    return check_sync(path, catalog)


def test_the_shipped_syncs_are_valid():
    assert [s.name for s in load_syncs(PROJECT / "syncs")]


def test_a_good_definition_loads(tmp_path, catalog):
    spec, problems = _check(tmp_path, catalog)
    assert problems == [] and spec.consent == ("marketing", "email")
    assert spec.purpose == "marketing"


def test_a_purpose_not_resting_on_consent_needs_no_consent_filter(tmp_path, catalog):
    spec, problems = _check(tmp_path, catalog, purpose="suppression", consent=None)
    assert problems == [] and spec.purpose == "suppression" and spec.consent is None


@pytest.mark.parametrize(("change", "key", "says"), [
    (dict(source={"audience": "x' or true or '"}), "source.audience", "not a valid"),
    (dict(source={"audience": "paid_subscriber"}), "source.audience",
     "did you mean 'paid_subscribers'"),
    (dict(source={"model": "marts.dim_customers"}), "source.model", "not a valid"),
    (dict(source={"model": "dim_customer"}), "source.model", "did you mean 'dim_customers'"),
    (dict(source={"table": "dim_customers"}), "source", "{audience: NAME} or {model: NAME}"),
    (dict(primary_key="person_id as varchar); drop table x; --"), "primary_key", "not a valid"),
    (dict(primary_key="person_idd"), "primary_key", "did you mean 'person_id'"),
    (dict(fields={"email": "read_text('/etc/hostname')"}), "fields.email", "read_text"),
    (dict(fields={"email": "(select 1)"}), "fields.email", "subqueries"),
    (dict(fields={"email": "emial"}), "fields.email", "did you mean 'email'"),
    (dict(fields={"a', 'b": "email"}), "fields", "not a valid destination field name"),
    (dict(fields=["email"]), "fields", "must map"),
    (dict(consent=["advertising", "ads, 'granted'"]), "consent", "has no channel"),
    (dict(consent=["marketting", "email"]), "consent", "did you mean 'marketing'"),
    (dict(consent="marketing"), "consent", "[purpose, channel]"),
    (dict(mode="mirorr"), "mode", "did you mean 'mirror'"),
    (dict(mode="update"), "mode", "does not support 'update'"),
    (dict(destination={"type": "webhok", "config": {}}), "destination.type",
     "did you mean 'webhook'"),
    (dict(destination={"type": "file", "confg": {}}), "destination", "did you mean 'config'"),
    (dict(max_remove_share="half"), "max_remove_share", "must be a number"),
    (dict(batch_size=0), "batch_size", "positive integer"),
    (dict(purpose=None), "purpose", "required: the destination receives personal data"),
    (dict(purpose="marketting"), "purpose", "did you mean 'marketing'"),
    (dict(purpose="x'; drop table y; --"), "purpose", "not a valid purpose"),
    (dict(purpose=["marketing"]), "purpose", "not a valid purpose"),
    (dict(purpose="advertising"), "consent", "not to the sync's purpose 'advertising'"),
    (dict(purpose="service"), "consent", "not to the sync's purpose 'service'"),
    (dict(consent=None), "consent", "required: purpose 'marketing' rests on consent; add "
                                    "consent: [marketing, CHANNEL] (channels: email, push, sms)"),
    (dict(purpose=None, destination={"type": "dummy", "config": {}}), "purpose", "required"),
])
def test_each_problem_names_the_file_the_key_and_why(tmp_path, catalog, change, key, says):
    spec, problems = _check(tmp_path, catalog, **change)
    assert spec is None and len(problems) == 1, problems
    [problem] = problems
    assert problem.startswith(f"{tmp_path / 'probe.yml'}: {key}: ") and says in problem


def test_every_problem_of_every_file_at_once(tmp_path, catalog):
    (tmp_path / "one.yml").write_text(yaml.safe_dump({
        **GOOD, "name": "one", "primary_key": "id'", "fields": {"email": "emial"},
        "consent": ["ads"]}))
    (tmp_path / "two.yml").write_text("name: two\nsource: [\n")
    (tmp_path / "three.yml").write_text(yaml.safe_dump({**GOOD, "name": "three"}))
    errors: list[str] = []
    specs = load_syncs(tmp_path, errors, catalog)
    assert [s.name for s in specs] == ["three"]
    assert [e.split(": ")[1] for e in errors if "one.yml" in e] == [
        "primary_key", "fields.email", "consent"]
    assert any("two.yml: not valid YAML" in e for e in errors)
    with pytest.raises(ConfigError) as raised:
        load_syncs(tmp_path, catalog=catalog)
    assert len(str(raised.value).splitlines()) == len(errors)


@pytest.mark.parametrize(("declared", "says"), [
    ({"marketing": "consent", "advertising": "consent", "analytics": "consent"},
     "people grant and revoke 'personalization' (var cdp_consent_purposes)"),
    ({"marketing": "legitimate_interests", "advertising": "consent", "analytics": "consent",
      "personalization": "consent"}, "marketing: people grant and revoke 'marketing'"),
    ({"marketing": "consent", "advertising": "consent", "analytics": "consent",
      "personalization": "consent", "crm": "because"}, "crm: 'because' is not a legal basis"),
    ({"Marketing'; --": "consent"}, "is not a lower_snake_case name"),
    (["marketing"], "must map each purpose to its legal basis"),
])
def test_the_purposes_var_is_checked_too(declared, says):
    with pytest.raises(ConfigError, match=r"^dbt_project.yml: vars.cdp_processing_purposes") \
            as raised:
        processing_purposes(declared)
    assert says in str(raised.value)


def test_a_broken_purposes_var_is_a_problem_line_not_a_traceback(tmp_path, monkeypatch):
    import reverse_etl.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "dbt_vars", lambda: {
        "cdp_processing_purposes": {"marketing": "consent"},
        "cdp_consent_purposes": [["marketing", "email"], ["advertising", "ads"]]})
    (tmp_path / "probe.yml").write_text(yaml.safe_dump(GOOD))
    errors: list[str] = []
    assert load_syncs(tmp_path, errors) == []
    assert errors == ["dbt_project.yml: vars.cdp_processing_purposes.advertising: people "
                      "grant and revoke 'advertising' (var cdp_consent_purposes), so its legal "
                      "basis must be consent"]


def _cdp(*args, env):
    return subprocess.run([sys.executable, "-m", "cdp.cli", *args], env=env, cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


def test_cli_reports_typos_as_lines_not_tracebacks_and_runs_nothing(tmp_path):
    syncs, raw = tmp_path / "syncs", tmp_path / "raw"
    syncs.mkdir()
    raw.mkdir()
    (syncs / "probe.yml").write_text(yaml.safe_dump(
        {**GOOD, "source": {"model": "sync_hubspot_contacts"}}))
    import os

    env = {**os.environ, "CDP_SYNCS_DIR": str(syncs), "CDP_RAW_DIR": str(raw),
           "CDP_DUCKDB_PATH": str(tmp_path / "none.duckdb"), "COLUMNS": "200"}
    for args in (("sync", "validate"), ("sync", "run", "probe"), ("sync", "list"), ("run",)):
        done = _cdp(*args, env=env)
        output = done.stdout + done.stderr
        assert done.returncode == (0 if args == ("sync", "list") else 1), (args, output)
        assert "did you mean 'sync_hubspot__contacts'" in output and "Traceback" not in output
    assert not any(raw.iterdir())  # `cdp run` generated and loaded nothing


def test_piped_output_is_not_cut_at_80_columns():
    import os

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = _cdp("sync", "list", env=env)
    assert done.returncode == 0 and "…" not in done.stdout
    assert "audience:paid_subscribers" in done.stdout and "meta_custom_audience" in done.stdout
