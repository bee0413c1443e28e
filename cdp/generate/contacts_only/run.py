"""`generate_contacts_only`: the CRM export, its truth and the manifest, chunk by chunk.

The same folder layout, file and columns as the default profile's CRM source, so `cdp load`
and `cdp build` take it unchanged; nothing else is written. Rows carry no injected defects:
every record is clean, and the truth's added `noise` column says how it differs from its
person. The output depends on (persons, seed, end_date) and on seeds/identity_nicknames.csv.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from cdp.generate import sql
from cdp.generate.arrays import stage_rng
from cdp.generate.config import CHUNK_PERSONS, GENERATOR_VERSION
from cdp.generate.contacts_only.apply import NOISE_KINDS
from cdp.generate.contacts_only.contacts import SOURCE, Contacts, build
from cdp.generate.contacts_only.households import separate_household_members
from cdp.generate.contacts_only.nicknames import read_nicknames
from cdp.generate.context import ChunkContext
from cdp.generate.files import (
    TRUTH_SCHEMA,
    SourceFile,
    TruthFile,
    claim_output,
    file_digest,
    write_manifest,
)
from cdp.generate.persons_truth import write_persons
from cdp.generate.population import build_population
from cdp.generate.profiles import CONTACTS_ONLY
from cdp.generate.run import progress_bar
from cdp.load.raw_folder import TRUTH_FILES

# The default truth's columns, then the comma-separated noise kinds of each record.
CONTACTS_TRUTH_SCHEMA = TRUTH_SCHEMA.append(pa.field("noise", pa.string()))


def generate_contacts_only(out_dir: Path, persons: int, seed: int, end_date: date, *,
                           show_progress: bool = True, force: bool = False) -> dict:
    """Write crm/contacts.csv, the truth and `manifest.json` to `out_dir` (claimed as
    `generate_sources` claims it)."""
    out_dir = Path(out_dir)
    written = [SOURCE.path, *TRUTH_FILES]
    claim_output(out_dir, written, force=force)
    nicknames = read_nicknames()
    chunks = range(0, persons, CHUNK_PERSONS)
    rows = duplicates = 0
    noise = np.zeros(len(NOISE_KINDS), dtype=np.int64)
    progress = progress_bar(show_progress)
    with progress, ExitStack() as stack:
        task = progress.add_task("persons", total=1 + len(chunks))
        population = build_population(persons, seed, end_date)
        separate_household_members(population, stage_rng(seed, "contacts_only"))
        progress.advance(task)
        con = stack.enter_context(sql.connect())
        file = SourceFile(out_dir, SOURCE, con)
        stack.callback(file.close)
        truth = TruthFile(out_dir / TRUTH_FILES[0], CONTACTS_TRUTH_SCHEMA)
        stack.callback(truth.close)
        counters: dict[str, int] = {}
        for chunk, lo in enumerate(chunks):
            progress.update(task, description=f"chunk {chunk + 1}/{len(chunks)}: contacts")
            ctx = ChunkContext(population, seed, chunk, lo, min(lo + CHUNK_PERSONS, persons),
                               con, counters)
            contacts = build(ctx, nicknames)
            _write(ctx, file, truth, contacts)
            rows += contacts.fields.num_rows
            duplicates += contacts.duplicates
            noise += contacts.applied.sum(axis=0)
            progress.advance(task)
    write_persons(out_dir / TRUTH_FILES[1], population, identifiers=False)
    manifest = {
        "generator_version": GENERATOR_VERSION, "profile": CONTACTS_ONLY, "seed": seed,
        "persons": persons, "end_date": end_date.isoformat(),
        "files": {SOURCE.path: rows}, "rows": {SOURCE.table: rows},
        "defects": {SOURCE.table: 0}, "duplicate_contacts": duplicates,
        "noise": {kind: int(count) for kind, count in zip(NOISE_KINDS, noise, strict=True)},
        "complete": True,
        "written": {path: file_digest(out_dir / path) for path in written},
    }
    write_manifest(out_dir, manifest)
    return manifest


def _write(ctx: ChunkContext, file: SourceFile, truth: TruthFile, contacts: Contacts) -> None:
    n = contacts.fields.num_rows
    source_rows = file.append(contacts.fields, np.zeros(n, dtype=bool),
                              ctx.rng("contacts_only", part=2))
    nulls = pa.nulls(n, pa.string())
    truth.append(
        source_table=pa.array([SOURCE.table] * n, pa.string()),
        source_file=pa.array([SOURCE.path] * n, pa.string()),
        source_row=pa.array(source_rows), record_id=contacts.record_id,
        person_id=ctx.person_ids(contacts.person), defect=nulls, defect_column=nulls,
        true_email=nulls, true_phone=nulls, is_duplicate=pa.array(np.zeros(n, dtype=bool)),
        noise=contacts.noise,
    )
