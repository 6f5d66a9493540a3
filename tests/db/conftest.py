"""Each backend's engine with the scratch table of `scratch.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from kuajing.db.engine import open_engine
from tests.db.scratch import rows


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = open_engine(db_url)
    rows.create(engine)
    yield engine
    engine.dispose()
