"""The file destination writes only inside the export root and never overwrites a part file."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pa_csv
import pytest
import yaml

from cdp.settings import PROJECT_DIR, export_root
from reverse_etl.destinations.base import ConfigError, Record
from reverse_etl.destinations.file import FileDestination


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setenv("CDP_EXPORT_ROOT", str(folder))
    return folder


def destination(path: str, sync: str = "s") -> FileDestination:
    return FileDestination(sync, "upsert", {"path": path, "format": "csv"})


def keys(part: Path) -> list[str]:
    return pa_csv.read_csv(part)["record_key"].to_pylist()


@pytest.mark.parametrize("path", ["/etc", "/tmp", "../../outside", "{root}/../elsewhere",
                                  "{root}/a/../../elsewhere"])
def test_paths_outside_the_root_are_refused_without_side_effects(root, path):
    path = path.format(root=root)
    with pytest.raises(ConfigError) as info:
        destination(path, sync="leak")
    message = str(info.value)
    assert "sync leak" in message and repr(path) in message and str(root.resolve()) in message
    assert not (root.parent / "elsewhere").exists()


def test_a_symlink_inside_the_root_pointing_outside_is_refused(root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(ConfigError, match="outside the export root"):
        destination(str(root / "link"))
    with pytest.raises(ConfigError, match="outside the export root"):
        destination(str(root), sync="../outside")  # the sync name is part of the folder


def test_a_symlink_swapped_in_after_the_check_is_refused_at_write_time(root, tmp_path):
    target = destination(str(root / "team"))
    (tmp_path / "outside").mkdir()
    (root / "team").symlink_to(tmp_path / "outside")
    with pytest.raises(ConfigError, match="outside the export root"):
        target.upsert([Record("k1", {"a": "1"}, "h1")])
    assert list((tmp_path / "outside").iterdir()) == []


def test_a_subfolder_of_the_root_is_created_on_first_write(root):
    target = destination(str(root / "team" / "weekly"))
    folder = root / "team" / "weekly" / "s"
    assert not folder.exists()  # checking the config created nothing
    target.upsert([Record("k1", {"a": "1"}, "h1")])
    assert [p.name for p in folder.iterdir()] == ["part-000001.csv"]


def test_the_shipped_relative_path_is_inside_the_default_root(monkeypatch):
    monkeypatch.delenv("CDP_EXPORT_ROOT", raising=False)
    assert export_root() == PROJECT_DIR / "data" / "exports"
    spec = yaml.safe_load((PROJECT_DIR / "syncs" / "paid_subscribers_export.yml").read_text())
    config = spec["destination"]["config"]
    assert config["path"] == "data/exports"
    target = FileDestination(spec["name"], spec["mode"], config)
    assert target.folder == (PROJECT_DIR / "data" / "exports" / spec["name"]).resolve()


def test_parts_continue_after_the_highest_and_never_overwrite(root):
    target = destination(str(root))
    for i in range(3):
        target.upsert([Record(f"k{i}", {"a": str(i)}, f"h{i}")])
    folder = root / "s"
    (folder / "part-000001.csv").unlink()  # a user tidies up the oldest part
    target.upsert([Record("k3", {"a": "3"}, "h3")])
    parts = sorted(p.name for p in folder.iterdir())
    assert parts == ["part-000002.csv", "part-000003.csv", "part-000004.csv"]
    assert [keys(folder / p) for p in parts] == [["k1"], ["k2"], ["k3"]]


def test_a_part_name_taken_meanwhile_is_skipped_not_replaced(root, monkeypatch):
    target = destination(str(root))
    target.upsert([Record("k0", {"a": "0"}, "h0")])
    folder = root / "s"
    real_iterdir = Path.iterdir

    def racing_iterdir(self):  # another writer publishes part 2 right after we list
        listed = list(real_iterdir(self))
        (folder / "part-000002.csv").write_text("record_key\nother\n")
        return iter(listed)

    monkeypatch.setattr(Path, "iterdir", racing_iterdir)
    target.upsert([Record("k1", {"a": "1"}, "h1")])
    monkeypatch.undo()
    assert keys(folder / "part-000002.csv") == ["other"]
    assert keys(folder / "part-000003.csv") == ["k1"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "part-000001.csv", "part-000002.csv", "part-000003.csv"]  # no temporary left
