"""One generated data set per test session."""

from __future__ import annotations

import pytest

from cdp.generate import generate_sources
from tests.generate.raw_files import PERSONS, SEED, Generated


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Generated:
    raw_dir = tmp_path_factory.mktemp("generated")
    manifest = generate_sources(raw_dir, PERSONS, seed=SEED, show_progress=False)
    return Generated(raw_dir, manifest)
