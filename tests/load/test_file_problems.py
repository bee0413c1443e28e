"""Empty exports load as zero rows; a file that cannot be loaded is one line naming the file,
the table and the reason (`cdp load` prints it and exits 1), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cdp.load import LoadError, load_raw
from tests.load.raw_helpers import TABLE, csv_header, csv_line, rows

ESP = "esp/email_events.parquet"


def _esp_columns(**overrides: pa.Array) -> dict[str, pa.Array]:
    columns = {name: pa.array(["x"], pa.string()) for name in TABLE["esp_email_events"].columns}
    columns["occurred_at"] = pa.array([1_700_000_000], pa.int64())
    return {**columns, **overrides}


def _parquet(path: Path, columns: dict[str, pa.Array]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)


EMPTY = {
    "crm/contacts.csv: zero bytes": ("crm/contacts.csv", b""),
    "crm/contacts.csv: blank": ("crm/contacts.csv", b"\r\n  \n"),
    "crm/contacts.csv: header only": ("crm/contacts.csv", csv_header("crm_contacts").encode()),
    "crm/contacts.csv: BOM, header": ("crm/contacts.csv",
                                      b"\xef\xbb\xbf" + csv_header("crm_contacts").encode()),
    "web/events.jsonl: zero bytes": ("web/events.jsonl", b""),
    "web/events.jsonl: blank": ("web/events.jsonl", b"\n\n"),
    f"{ESP}: zero bytes": (ESP, b""),
}


@pytest.mark.parametrize("name", [*EMPTY, f"{ESP}: no rows"])
def test_an_empty_export_loads_as_zero_rows_and_is_recorded(tmp_path, name):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    if name in EMPTY:
        relative, content = EMPTY[name]
        (raw / relative).parent.mkdir(parents=True)
        (raw / relative).write_bytes(content)
    else:
        relative = ESP
        _parquet(raw / ESP, {k: v.slice(0, 0) for k, v in _esp_columns().items()})
    (raw / "helpdesk").mkdir()
    (raw / "helpdesk/tickets.csv").write_text(csv_header("helpdesk_tickets") + "\nT-1" +
                                              "," * 11 + "\n")  # the other files still load
    load_raw(raw, db)
    assert rows(db, "select source_file, rows_loaded, bad_lines from raw._loaded_files"
                    " order by 1") == sorted([(relative, 0, 0), ("helpdesk/tickets.csv", 1, 0)])
    assert rows(db, "select count(*) from raw._load_errors") == [(0,)]


def test_parquet_values_become_the_declared_type_when_they_fit(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    _parquet(raw / ESP, _esp_columns(
        event_id=pa.array([17], pa.int32()),                    # an id written as a number
        email=pa.array(["josé@example.org".encode()], pa.binary()),  # text as UTF-8 bytes
        occurred_at=pa.array([1_700_000_000.0], pa.float64()),  # pandas: ints with nulls
    ))
    load_raw(raw, db)
    assert rows(db, "select event_id, email, occurred_at from raw.esp_email_events") == [
        ("17", "josé@example.org", 1_700_000_000)]


UNLOADABLE = {
    "occurred_at as text": (
        lambda raw: _parquet(raw / ESP, _esp_columns(occurred_at=pa.array(["1700000000"]))),
        rf"^{ESP}: column occurred_at is VARCHAR, raw\.esp_email_events expects BIGINT"),
    "occurred_at with fractions": (
        lambda raw: _parquet(raw / ESP, _esp_columns(occurred_at=pa.array([1.5]))),
        rf"^{ESP}: column occurred_at is DOUBLE and 1 value\(s\) \(first at row 1\) do not fit"
        r" BIGINT of raw\.esp_email_events"),
    "email bytes not UTF-8": (
        lambda raw: _parquet(raw / ESP, _esp_columns(email=pa.array([b"\xff"], pa.binary()))),
        rf"^{ESP}: column email is BLOB and 1 value\(s\) .* do not fit VARCHAR"),
    "corrupt parquet": (
        lambda raw: (raw / ESP).write_bytes(b"PAR1 not really parquet PAR1"),
        rf"^{ESP}: cannot be read as parquet for raw\.esp_email_events: "),
    "csv not UTF-8": (
        lambda raw: (raw / "crm/contacts.csv").write_bytes("\n".join([
            csv_header("crm_contacts"), csv_line("crm_contacts", contact_id="CRM-1"),
            csv_line("crm_contacts", contact_id="CRM-2", first_name="Jos\xe9")]
        ).encode("latin-1")),
        r"^crm/contacts\.csv: line 3 is not valid UTF-8 .* for raw\.crm_contacts"),
    "csv header not UTF-8": (
        lambda raw: (raw / "crm/contacts.csv").write_bytes(
            ("pr\xe9nom," + csv_header("crm_contacts")).encode("latin-1")),
        r"^crm/contacts\.csv: line 1 is not valid UTF-8 .* for raw\.crm_contacts"),
    "jsonl not UTF-8": (
        lambda raw: (raw / "web/events.jsonl").write_bytes(b'{"a": 1}\n{"name": "Jos\xe9"}\n'),
        r"^web/events\.jsonl: line 2 is not valid UTF-8 .* for raw\.web_events"),
}


@pytest.mark.parametrize("case", UNLOADABLE)
def test_an_unloadable_file_is_one_line_naming_file_table_and_reason(tmp_path, case):
    write_file, message = UNLOADABLE[case]
    raw = tmp_path / "raw"
    for folder in ("crm", "web", "esp"):
        (raw / folder).mkdir(parents=True)
    write_file(raw)
    with pytest.raises(LoadError, match=message) as error:
        load_raw(raw, tmp_path / "w.duckdb")
    assert "\n" not in str(error.value)


def test_cdp_load_prints_the_one_line_and_exits_1(tmp_path):
    raw = tmp_path / "raw"
    _parquet(raw / ESP, _esp_columns(occurred_at=pa.array(["2024-01-01"])))
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cdp")), "load", "--in", str(raw),
         "--duckdb", str(tmp_path / "w.duckdb")],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "1000"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    [line] = [line for line in result.stdout.splitlines() if line.strip()]
    assert line.startswith(f"error: {ESP}: column occurred_at is VARCHAR")
