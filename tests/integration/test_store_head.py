"""Opening the store skips Alembic only when the database is at the shipped head."""

from __future__ import annotations

from maturity.store import open_store
from maturity.store.head import at_shipped_head, shipped_head


def test_the_head_read_from_the_files_is_alembics(db_url: str) -> None:
    store = open_store(db_url, migrate=False)
    assert shipped_head() is not None
    assert shipped_head() == store.head()


def test_only_a_database_at_the_head_is_opened_without_alembic(db_url: str) -> None:
    store = open_store(db_url, migrate=False)
    assert not at_shipped_head(store.engine)  # empty: no alembic_version table
    store.upgrade()
    assert at_shipped_head(store.engine)
    head = store.head()
    previous = f"{int(head) - 1:04d}"
    store.downgrade(previous)
    assert store.current() == previous
    assert not at_shipped_head(store.engine)
    reopened = open_store(db_url)  # not at the head: Alembic upgrades it
    assert reopened.current() == head
    assert at_shipped_head(reopened.engine)
