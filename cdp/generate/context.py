"""What a source writer sees while it builds the rows of one chunk of persons."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from cdp.generate import sql
from cdp.generate.arrays import stage_rng
from cdp.generate.population import Population


@dataclass
class ChunkContext:
    """Persons [lo, hi) of the population, plus the state shared by all chunks.

    `counters` carries sequential id numbers across chunks (CRM ids, order numbers), so ids stay
    unique and the output depends only on (persons, seed, end date).
    """

    population: Population
    seed: int
    chunk: int
    lo: int
    hi: int
    con: duckdb.DuckDBPyConnection
    counters: dict[str, int] = field(default_factory=dict)

    def rng(self, stage: str, part: int = 0) -> np.random.Generator:
        return stage_rng(self.seed, stage, self.chunk, part)

    def people(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Person indices of this chunk, optionally only where `mask` (over all persons) holds."""
        people = np.arange(self.lo, self.hi, dtype=np.int64)
        return people if mask is None else people[mask[self.lo:self.hi]]

    def next_numbers(self, counter: str, n: int, start: int = 1) -> np.ndarray:
        """n consecutive id numbers from a counter that runs across chunks."""
        first = self.counters.get(counter, start)
        self.counters[counter] = first + n
        return np.arange(first, first + n, dtype=np.int64)

    def sql(self, query: str, **tables: pa.Table) -> pa.Table:
        return sql.run(self.con, query, **tables)

    def person_ids(self, people: np.ndarray) -> pa.Array:
        return self.population.person_id.take(pa.array(people))
