"""Fixtures for the container tests; the helpers live in support.py."""

from pathlib import Path

import pytest
from support import generate_floorplans


@pytest.fixture(scope="session")
def floorplans(tmp_path_factory) -> Path:
    return generate_floorplans(tmp_path_factory.mktemp("floorplans"))
