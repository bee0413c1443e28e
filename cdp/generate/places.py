"""Household postal addresses in each country's own layout, built column-wise with Arrow."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import digit_matrix, pick, pick_text, take, text_from_matrix
from cdp.generate.vocab_places import (
    DE_CITIES,
    DE_LINE2,
    DE_STREETS,
    FR_CITIES,
    FR_LINE2,
    FR_STREETS,
    GB_CITIES,
    GB_LINE2,
    GB_STREETS,
    GB_SUFFIXES,
    US_CITIES,
    US_LINE2,
    US_STREETS,
    US_SUFFIXES,
)

_GB_INWARD_LETTERS = np.frombuffer(b"ABDEFGHJLNPQRSTUWXYZ", dtype=np.uint8)


@dataclass
class Addresses:
    line1: pa.Array
    line2: pa.Array
    city: pa.Array
    region: pa.Array
    postcode: pa.Array
    area_code: pa.Array  # landline area code of the city (national digits, no trunk)

    def __getitem__(self, rows: np.ndarray) -> Addresses:
        index = pa.array(np.asarray(rows, dtype=np.int64))
        return Addresses(*(getattr(self, f).take(index) for f in self.__dataclass_fields__))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _num(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def _line2(rng: np.random.Generator, templates: tuple[str, ...], n: int, share: float
           ) -> pa.Array:
    """Second address line from templates like 'Apt {n}B' for `share` of households."""
    chosen = pick(rng, np.full(n, len(templates)))
    head = take([t.split("{n}")[0] for t in templates], chosen)
    tail = take([t.split("{n}")[1] if "{n}" in t else "" for t in templates], chosen)
    uses_n = np.array(["{n}" in t for t in templates])[chosen]
    number = pc.if_else(pa.array(uses_n), _num(1 + pick(rng, np.full(n, 40))), "")
    present = pa.array(rng.random(n) < share)
    return pc.if_else(present, _join(head, number, tail), pa.scalar(None, pa.string()))


def _five_digits(low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> pa.Array:
    return text_from_matrix(digit_matrix(low + pick(rng, high - low + 1), 5))


def _postcode_in_range(cities: tuple, index: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """DE/FR: a 5-digit code within the city's (low, high) range, fields 2 and 3."""
    low, high = (np.array([c[k] for c in cities])[index] for k in (2, 3))
    return _five_digits(low, high, rng)


def build_addresses(rng: np.random.Generator, country: np.ndarray) -> Addresses:
    """One address per household; `country` is the household's country index (US GB DE FR)."""
    n = len(country)
    city_u = rng.random(n) ** 1.4  # bigger (earlier listed) cities are more likely

    def city_of(cities: tuple) -> np.ndarray:
        return (city_u * len(cities)).astype(np.int64)

    # United States: "1234 Oak Street", ZIP (sometimes ZIP+4).
    us = city_of(US_CITIES)
    zip5 = _join(take([c[2] for c in US_CITIES], us),
                 text_from_matrix(digit_matrix(pick(rng, np.full(n, 100)), 2)))
    plus4 = text_from_matrix(digit_matrix(pick(rng, np.full(n, 10_000)), 4))
    us_zip = pc.if_else(pa.array(rng.random(n) < 0.08), _join(zip5, "-", plus4), zip5)
    us_line1 = _join(_num(1 + (rng.random(n) ** 2 * 9_999).astype(np.int64)), " ",
                     pick_text(rng, US_STREETS, n), " ",
                     pick_text(rng, US_SUFFIXES, n))
    us_area = take([c[3][0] for c in US_CITIES], us)

    # United Kingdom: "12 Station Road", outward code + inward "1AB".
    gb = city_of(GB_CITIES)
    outward_flat = [o for c in GB_CITIES for o in c[2]]
    outward_offset = np.cumsum([0] + [len(c[2]) for c in GB_CITIES])[:-1]
    outward_size = np.array([len(c[2]) for c in GB_CITIES])
    outward = take(outward_flat, outward_offset[gb] + pick(rng, outward_size[gb]))
    inward = np.column_stack([
        digit_matrix(pick(rng, np.full(n, 10)), 1),
        _GB_INWARD_LETTERS[pick(rng, np.full(n, len(_GB_INWARD_LETTERS)))],
        _GB_INWARD_LETTERS[pick(rng, np.full(n, len(_GB_INWARD_LETTERS)))],
    ])
    gb_postcode = _join(outward, " ", text_from_matrix(inward))
    gb_line1 = _join(_num(1 + pick(rng, np.full(n, 250))), " ",
                     pick_text(rng, GB_STREETS, n), " ",
                     pick_text(rng, GB_SUFFIXES, n))

    # Germany: "Hauptstraße 12a"; France: "12 bis rue de la Paix".
    de = city_of(DE_CITIES)
    de_letter = take(["", "", "", "", "", "", "", "", "", "", "a", "b"], pick(rng, np.full(n, 12)))
    de_line1 = _join(pick_text(rng, DE_STREETS, n), " ",
                     _num(1 + pick(rng, np.full(n, 150))), de_letter)
    fr = city_of(FR_CITIES)
    fr_bis = take([""] * 19 + [" bis"], pick(rng, np.full(n, 20)))
    fr_line1 = _join(_num(1 + pick(rng, np.full(n, 120))), fr_bis, " ",
                     pick_text(rng, FR_STREETS, n))

    def by_country(us_v, gb_v, de_v, fr_v) -> pa.Array:
        return pc.choose(pa.array(country.astype(np.int8)), us_v, gb_v, de_v, fr_v)

    def city_field(cities: tuple, index: np.ndarray, field: int) -> pa.Array:
        return take([str(c[field]) for c in cities], index)

    return Addresses(
        line1=by_country(us_line1, gb_line1, de_line1, fr_line1),
        line2=by_country(_line2(rng, US_LINE2, n, 0.25), _line2(rng, GB_LINE2, n, 0.2),
                         _line2(rng, DE_LINE2, n, 0.12), _line2(rng, FR_LINE2, n, 0.15)),
        city=by_country(*(city_field(c, i, 0) for c, i in
                          ((US_CITIES, us), (GB_CITIES, gb), (DE_CITIES, de), (FR_CITIES, fr)))),
        region=by_country(*(city_field(c, i, 1) for c, i in
                            ((US_CITIES, us), (GB_CITIES, gb), (DE_CITIES, de), (FR_CITIES, fr)))),
        postcode=by_country(
            us_zip, gb_postcode,
            _postcode_in_range(DE_CITIES, de, rng),
            _postcode_in_range(FR_CITIES, fr, rng),
        ),
        area_code=by_country(us_area, city_field(GB_CITIES, gb, 3), city_field(DE_CITIES, de, 4),
                             city_field(FR_CITIES, fr, 4)),
    )
