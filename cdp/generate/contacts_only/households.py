"""Family members the matcher must keep apart: same last name and address, never the same
first name or date of birth.

The shared population draws first names independently, so two members of a household can
share a popular one (about 1.6% of persons); the default profile keeps that (its bytes are a
baseline). Here such a member gets another name of the household's country, so a same-name,
same-address pair is always one person written twice.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cdp.generate.config import COUNTRIES
from cdp.generate.population import Population
from cdp.generate.vocab_people import FIRST_NAMES

# Days a duplicate birthday moves back: far enough to be another person, not a typo.
_SHIFT_DAYS = (400, 4_000)


def separate_household_members(population: Population, rng: np.random.Generator) -> int:
    """Rename / re-date members who share a first name or birthday with an earlier member of
    their household, in place; returns how many persons changed."""
    names = population.first_name.to_pylist()
    days = population.birth_day.copy()
    household, country = population.household, population.country
    changed = 0
    taken_names: set[str] = set()
    taken_days: set[int] = set()
    for i in range(population.n):
        if i == 0 or household[i] != household[i - 1]:  # members are consecutive persons
            taken_names, taken_days = set(), set()
        pool = FIRST_NAMES[COUNTRIES[country[i]]]
        name, day = names[i], int(days[i])
        while name in taken_names:
            name = pool[int(rng.integers(len(pool)))]
        while day in taken_days:
            day -= int(rng.integers(*_SHIFT_DAYS))
        changed += (name != names[i]) or (day != days[i])
        names[i], days[i] = name, day
        taken_names.add(name)
        taken_days.add(day)
    population.first_name = pa.array(names, pa.string())
    population.birth_day = days
    return changed
