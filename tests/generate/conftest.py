"""One generated data set per profile per test session."""

from __future__ import annotations

import pytest

from cdp.generate import generate_sources
from cdp.generate.profiles import CONTACTS_ONLY
from tests.generate.raw_files import PERSONS, SEED, Generated


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Generated:
    raw_dir = tmp_path_factory.mktemp("generated")
    manifest = generate_sources(raw_dir, PERSONS, seed=SEED, show_progress=False)
    return Generated(raw_dir, manifest)


@pytest.fixture(scope="session")
def contacts_only(tmp_path_factory) -> Generated:
    raw_dir = tmp_path_factory.mktemp("contacts_only")
    manifest = generate_sources(raw_dir, PERSONS, seed=SEED, show_progress=False,
                                profile=CONTACTS_ONLY)
    return Generated(raw_dir, manifest)
