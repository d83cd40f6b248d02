"""Opening the store: engine, SQLite pragmas, migrations applied under a lock."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

from maturity.errors import UsageError
from maturity.store.head import at_shipped_head
from maturity.store.location import DEFAULT_FILE, ENV_URL, default_url, resolve_url
from maturity.store.probe import StoreError, check_sqlite_file, unusable

if TYPE_CHECKING:  # Alembic is imported when a migration runs or a revision is asked,
    # the ORM when a session is (saving a run needs neither)
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DEFAULT_FILE",
    "ENV_URL",
    "Store",
    "StoreError",
    "check_url",
    "close_all",
    "default_url",
    "open_store",
    "resolve_url",
]

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x6D61747572  # an arbitrary constant: "matur"


BUSY_SECONDS = 30  # how long a SQLite statement waits for another writer's lock
_OPENED: weakref.WeakSet[Engine] = weakref.WeakSet()  # every engine open_store made


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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


class Store:
    """A handle on the history database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions: sessionmaker[Session] | None = None

    @property
    def sessions(self) -> sessionmaker[Session]:
        """ORM sessions on the engine (the ORM is imported on first use)."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

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
        except DatabaseError as exc:
            raise StoreError(unusable(self.engine.url, exc)) from None

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection whose work is committed whole or not at all."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except DatabaseError as exc:
            raise StoreError(unusable(self.engine.url, exc)) from None

    def head(self) -> str:
        """The newest migration revision shipped with this version."""
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        if head is None:  # pragma: no cover - the package always ships migrations
            raise StoreError(f"no migrations found in {MIGRATIONS}")
        return head

    def current(self) -> str | None:
        """The revision the database is at (None when empty)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to ``revision``; concurrent callers wait for each other."""
        from alembic import command

        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        """Revert migrations down to ``revision``."""
        from alembic import command

        self._migrate(command.downgrade, revision)

    def _migrate(self, action: Callable[[Config, str], None], revision: str) -> None:
        cfg = _alembic_config()
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            action(cfg, revision)


def close_all() -> None:
    """Close every connection of every store opened (SQLite folds its write-ahead log
    into the database file when its last connection closes): what the interpreter's
    teardown does, for a process that exits without it."""
    for engine in list(_OPENED):
        engine.dispose()


def check_url(url: str) -> None:
    """A usage error unless ``url`` parses as a database URL of an installed driver
    (nothing is connected to)."""
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError, ImportError) as exc:
        raise UsageError(f"invalid database URL {url!r} (--db / ${ENV_URL}): {exc}") from exc


def open_store(url: str, migrate: bool = True) -> Store:
    """Connect, and bring the schema to the current version unless told not to.

    Every way the database can be unusable is a one-line ``StoreError`` (exit 4) naming
    it: a driver not installed, a directory that cannot be made, a file that is not a
    SQLite database or has corrupt pages (left untouched: it is checked read-only before
    anything is written). An in-memory database is refused (``UsageError``): it cannot
    keep history."""
    try:
        parsed = make_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"invalid database URL {url!r} (--db / ${ENV_URL}): {exc}") from exc
    shown = parsed.render_as_string(hide_password=True)
    if sqlite:
        _prepare_sqlite_file(parsed.database, parsed.query, shown)
    try:
        # SQLite: wait up to 30 s for a lock from the very first statement of a connection
        # (the journal_mode pragma), e.g. while another process applies the migrations
        engine = create_engine(
            parsed, pool_pre_ping=True, connect_args={"timeout": BUSY_SECONDS} if sqlite else {}
        )
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UsageError(f"invalid database URL {shown!r} (--db / ${ENV_URL}): {exc}") from exc
    except ImportError as exc:
        raise StoreError(
            f"cannot use database {shown}: its driver ({exc.name or exc}) is not installed;"
            " install it in maturity's environment, or use another --db"
        ) from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    _OPENED.add(engine)
    store = Store(engine)
    try:
        if migrate and not at_shipped_head(engine) and store.current() != store.head():
            store.upgrade()
    except DatabaseError as exc:
        raise StoreError(unusable(engine.url, exc)) from None
    return store


def _prepare_sqlite_file(database: str | None, query: Any, shown: str) -> None:
    """Refuse an in-memory database, make the file's directory, and check an existing
    file read-only: garbage or corrupt pages are reported before anything writes to it."""
    if not database or database == ":memory:" or query.get("mode") == "memory":
        raise UsageError(
            f"--db {shown}: an in-memory database cannot keep history;"
            " give a file (sqlite:///path/history.db) or a server URL"
        )
    if database.startswith("file:"):  # a URI filename: sqlite3 resolves it itself
        return
    path = Path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot use database {shown}: cannot create directory {path.parent}: {exc.strerror}"
        ) from None
    check_sqlite_file(path)
