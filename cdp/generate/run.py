"""`generate_sources`: the whole generator, chunk by chunk, with a progress bar and a manifest."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cdp.generate import sql
from cdp.generate.batch import Batch
from cdp.generate.config import (
    CHUNK_PERSONS,
    GENERATOR_VERSION,
    SOURCES,
    SOURCES_BY_TABLE,
)
from cdp.generate.context import ChunkContext
from cdp.generate.defects import inject
from cdp.generate.files import SourceFile, TruthFile, claim_output, file_digest, write_manifest
from cdp.generate.persons_truth import write_persons
from cdp.generate.population import build_population
from cdp.generate.profiles import CONTACTS_ONLY, DEFAULT, checked_profile
from cdp.generate.sources import BUILDERS
from cdp.load.raw_folder import TRUTH_FILES

DEFAULT_END_DATE = date(2026, 10, 31)


def generate_sources(out_dir: Path, persons: int, seed: int = 42,
                     end_date: date = DEFAULT_END_DATE, *, show_progress: bool = True,
                     force: bool = False, profile: str = DEFAULT) -> dict:
    """Write every source's export files, the ground truth and `manifest.json` to `out_dir`.

    The output depends only on (persons, seed, end_date, profile): same arguments, same bytes.
    `profile` other than `default` writes that profile's files instead (profiles.py;
    `UnknownProfile` for a name that is none). `out_dir` must be empty or the generator's own
    (its manifest); `force` also allows a folder with other files. Files the generator did
    not write are never deleted or overwritten (`OutputFolderError` instead, before anything
    is written).
    """
    if checked_profile(profile) == CONTACTS_ONLY:
        # Imported here: the profile's runner reuses this module's progress bar.
        from cdp.generate.contacts_only import generate_contacts_only

        return generate_contacts_only(out_dir, persons, seed, end_date,
                                      show_progress=show_progress, force=force)
    out_dir = Path(out_dir)
    written = [*(s.path for s in SOURCES), *TRUTH_FILES]
    claim_output(out_dir, written, force=force)
    chunks = range(0, persons, CHUNK_PERSONS)
    progress = progress_bar(show_progress)
    counts = {"rows": {}, "defects": {}, "duplicates": {}}
    with progress, ExitStack() as stack:
        task = progress.add_task("persons", total=1 + len(chunks) * len(BUILDERS))
        population = build_population(persons, seed, end_date)
        progress.advance(task)
        con = stack.enter_context(sql.connect())
        files = {s.table: SourceFile(out_dir, s, con) for s in SOURCES}
        for f in files.values():
            stack.callback(f.close)
        truth = TruthFile(out_dir / TRUTH_FILES[0])
        stack.callback(truth.close)
        counters: dict[str, int] = {}
        for chunk, lo in enumerate(chunks):
            ctx = ChunkContext(population, seed, chunk, lo, min(lo + CHUNK_PERSONS, persons),
                               con, counters)
            for builder in BUILDERS:
                progress.update(task, description=f"chunk {chunk + 1}/{len(chunks)}: "
                                                  f"{builder.__module__.rsplit('.', 1)[-1]}")
                for table, batch in builder(ctx).items():
                    _emit(ctx, files[table], truth, batch, counts)
                progress.advance(task)
    write_persons(out_dir / TRUTH_FILES[1], population)
    manifest = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "persons": persons,
        "end_date": end_date.isoformat(),
        "files": {s.path: files[s.table].rows for s in SOURCES},
        **counts,
        # What this run wrote, by content: the only files a later run may replace or delete.
        "complete": True,
        "written": {path: file_digest(out_dir / path) for path in written},
    }
    write_manifest(out_dir, manifest)
    return manifest


def progress_bar(show: bool) -> Progress:
    return Progress(TextColumn("{task.description:<32}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    disable=not show)


def _emit(ctx: ChunkContext, file: SourceFile, truth: TruthFile, batch: Batch,
          counts: dict[str, dict[str, int]]) -> None:
    """Order a batch, give it its defects, write it and its truth rows."""
    source = SOURCES_BY_TABLE[file.source.table]
    order = np.argsort(batch.sort_key, kind="stable")
    batch = batch.take(order)
    batch, defects = inject(batch, source, ctx.rng("defects", part=SOURCES.index(source)))
    rows = file.append(batch.fields, defects.broken_line,
                       ctx.rng("defects", part=100 + SOURCES.index(source)))
    n = batch.num_rows
    truth.append(
        source_table=pa.array([source.table] * n, pa.string()),
        source_file=pa.array([source.path] * n, pa.string()),
        source_row=pa.array(rows), record_id=batch.record_id,
        person_id=ctx.person_ids(batch.person), defect=defects.code,
        defect_column=defects.column, true_email=batch.true_email,
        true_phone=batch.true_phone, is_duplicate=pa.array(batch.is_duplicate),
    )
    for key, value in (("rows", n), ("defects", n - defects.code.null_count),
                       ("duplicates", int(batch.is_duplicate.sum()))):
        counts[key][source.table] = counts[key].get(source.table, 0) + value
