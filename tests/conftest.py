"""Shared fixtures."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.helpers import write_tree
from tests.servers import postgres_server

PYPROJECT = """
[tool.pytest.ini_options]
pythonpath = ["src"]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository directory with a pytest config putting src/ on the path."""
    return write_tree(tmp_path / "repo", {"pyproject.toml": PYPROJECT})


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A real PostgreSQL server on loopback for this test session (worker)."""
    with postgres_server() as url:
        yield url


_db_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    admin = request.getfixturevalue("postgres_admin_url")
    name = f"t{os.getpid()}_{next(_db_counter)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return admin.rsplit("/", 1)[0] + f"/{name}"
