"""A scratch table for the group-commit tests (the `engine` fixture in conftest.py creates it)."""

from __future__ import annotations

import sqlalchemy as sa

from kuajing.db.engine import reading

rows = sa.Table(
    "group_commit_test",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(20), nullable=False),
)


def stored(engine: sa.Engine) -> dict[int, str]:
    with reading(engine) as conn:
        return {r.id: r.note for r in conn.execute(sa.select(rows))}
