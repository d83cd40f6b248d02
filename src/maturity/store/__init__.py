"""The history store: every run, stage change and deployment (SQLAlchemy 2 + Alembic)."""

from maturity.store.database import Store, default_url, open_store

__all__ = ["Store", "default_url", "open_store"]
