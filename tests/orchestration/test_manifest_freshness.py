"""The Dagster code parses the dbt project again when a file dbt reads changed after the
manifest: a model or test edited since the last parse made the job fail on nodes its assets
did not know (KeyError in dagster-dbt's event stream)."""

from __future__ import annotations

import os

from orchestration.project import dbt_project, manifest_is_current


def test_a_definition_edited_after_parsing_makes_the_manifest_stale(tmp_path, monkeypatch):
    assert manifest_is_current(), "importing the project parses it when needed"
    edited = tmp_path / "new_audience.yml"
    edited.write_text("name: later\n")
    later = dbt_project.manifest_path.stat().st_mtime + 60
    os.utime(edited, (later, later))
    monkeypatch.setenv("CDP_AUDIENCES_DIR", str(tmp_path))
    assert not manifest_is_current()


def test_files_older_than_the_manifest_keep_it(tmp_path, monkeypatch):
    old = tmp_path / "old_audience.yml"
    old.write_text("name: earlier\n")
    os.utime(old, (0, 0))
    os.utime(tmp_path, (0, 0))
    monkeypatch.setenv("CDP_AUDIENCES_DIR", str(tmp_path))
    assert manifest_is_current()
