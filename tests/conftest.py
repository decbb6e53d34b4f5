"""Shared fixtures. R-dependent tests are marked ``r`` and skip with a reason when R is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_china() -> Path:
    """The real Chinese provincial panel beside the repo (never copied into it)."""
    path = SHARED / "data" / "china" / "china_provinces.csv"
    if not path.exists():
        pytest.skip("../shared/data/china is absent (it lives beside the repository, not in it)")
    return path
