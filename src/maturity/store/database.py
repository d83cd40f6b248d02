"""Opening the store: engine, SQLite pragmas, migrations applied under a lock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from maturity.errors import EXIT_DATABASE, MaturityError, UsageError

ENV_URL = "MATURITY_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x6D61747572  # an arbitrary constant: "matur"


class StoreError(MaturityError):
    """The database cannot be reached or used."""

    exit_code = EXIT_DATABASE


BUSY_SECONDS = 30  # how long a SQLite statement waits for another writer's lock


DEFAULT_FILE = Path(".maturity") / "history.db"  # relative to the repository root


def default_url(root: Path) -> str:
    """The default store: ``<repo>/.maturity/history.db`` (SQLite)."""
    return f"sqlite:///{root / DEFAULT_FILE}"


def resolve_url(root: Path, db: str | None) -> str:
    """``--db``, else ``$MATURITY_DATABASE_URL``, else the repo's SQLite file."""
    return db or os.environ.get(ENV_URL) or default_url(root)


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and write transactions that lock up front."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


class Store:
    """A handle on the history database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed whole or not at all."""
        try:
            with self.sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise StoreError(f"database error on {self.url}: {exc.orig}") from exc

    def head(self) -> str:
        """The newest migration revision shipped with this version."""
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        if head is None:  # pragma: no cover - the package always ships migrations
            raise StoreError(f"no migrations found in {MIGRATIONS}")
        return head

    def current(self) -> str | None:
        """The revision the database is at (None when empty)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to ``revision``; concurrent callers wait for each other."""
        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        """Revert migrations down to ``revision``."""
        self._migrate(command.downgrade, revision)

    def _migrate(self, action: Callable[[Config, str], None], revision: str) -> None:
        cfg = _alembic_config()
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            action(cfg, revision)


def check_url(url: str) -> None:
    """A usage error unless ``url`` parses as a database URL of an installed driver
    (nothing is connected to)."""
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError, ImportError) as exc:
        raise UsageError(f"invalid database URL {url!r} (--db / ${ENV_URL}): {exc}") from exc


def open_store(url: str, migrate: bool = True) -> Store:
    """Connect, and bring the schema to the current version unless told not to."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLite: wait up to 30 s for a lock from the very first statement of a connection
        # (the journal_mode pragma), e.g. while another process applies the migrations
        sqlite = {"timeout": BUSY_SECONDS} if parsed.get_backend_name() == "sqlite" else {}
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=sqlite)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UsageError(f"invalid database URL {url!r} (--db / ${ENV_URL}): {exc}") from exc
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    store = Store(engine)
    try:
        if migrate and store.current() != store.head():
            store.upgrade()
    except OperationalError as exc:
        raise StoreError(f"cannot use database {store.url}: {exc.orig}".strip()) from exc
    return store
