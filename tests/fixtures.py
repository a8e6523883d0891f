"""Shared fixtures (the stand-in Pagure server fixture lives in tests/fakepagure.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_NOTES = ROOT / "sample-notes"


@pytest.fixture
def sample_notes() -> Path:
    return SAMPLE_NOTES
