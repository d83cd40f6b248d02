"""Benchmark: the store's queries over a big monorepo's history, with their plans.

Builds (or reuses) a store of N components x D daily runs (benchmarks/monorepo_store.py)
in a real PostgreSQL server started on loopback (or the SQLite file or server URL given
with --url), then times each query that `maturity history`, `maturity blockers list` and
the dashboard send, the median and the worst of --repeat calls, and prints the plan the
database chose for each (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
Not a test: the figures depend on the machine.

    .venv/bin/python benchmarks/store_scale.py [--components 300] [--days 365] [--url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from monorepo_store import build

from maturity.store import (
    Store,
    component_history,
    deployments,
    latest_run,
    open_store,
    open_streaks,
    recent_runs,
    run_at_or_before,
    run_count,
    stage_events,
    store_version,
    trend,
)


@contextmanager
def statements(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs sent meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_c: object, _cur: object, statement: str, params: Any, *_a: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def explain(store: Store, statement: str, params: Any) -> list[str]:
    """The plan of one statement, as the database prints it."""
    postgres = store.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
    with store.engine.connect() as conn:
        cursor = conn.connection.cursor()
        cursor.execute(prefix + statement, params)
        rows = cursor.fetchall()
    return [str(r[0]) if postgres else f"{'  ' * int(r[1] > 0)}{r[-1]}" for r in rows]


@contextmanager
def database_time(store: Store) -> Iterator[list[float]]:
    """Seconds spent in the database (statement sent to rows fetched) meanwhile."""
    spent = [0.0]
    started: list[float] = []

    def before(*_a: object) -> None:
        started.append(time.perf_counter())

    def after(*_a: object) -> None:
        spent[0] += time.perf_counter() - started.pop()

    event.listen(store.engine, "before_cursor_execute", before)
    event.listen(store.engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(store.engine, "before_cursor_execute", before)
        event.remove(store.engine, "after_cursor_execute", after)


def measure(store: Store, name: str, call: Callable[[], object], repeat: int) -> None:
    """Time ``call`` (in all, and its statements in the database), then print their plans."""
    call()  # warm the connection pool and the page cache
    times, in_db = [], []
    for _ in range(repeat):
        with database_time(store) as spent:
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        in_db.append(spent[0] * 1000)
    with statements(store) as sent:
        call()
    print(
        f"\n{name}: median {statistics.median(times):.1f} ms in all,"
        f" {statistics.median(in_db):.1f} ms of it in the database (worst {max(times):.1f} ms)"
        f" over {repeat} calls; {len(sent)} statement(s)"
    )
    for statement, params in sent:
        for line in explain(store, statement, params):
            print(f"    {line}")


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """The given URL, else a throw-away PostgreSQL server's database."""
    if url:
        yield url
        return
    from tests.servers import postgres_server

    with postgres_server() as admin:
        yield admin


def main() -> None:
    """Build or reuse, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--url", help="a store to use (built first when it is empty)")
    parser.add_argument("--report", type=Path, help="a report JSON to generate from")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from maturity.model import RunReport

    with server(args.url) as url:
        store = open_store(url)
        if run_count(store) == 0:
            t0 = time.perf_counter()
            real = RunReport.model_validate_json(args.report.read_text()) if args.report else None
            build(url, args.components, args.days, real)
            print(f"built {args.components} x {args.days} in {time.perf_counter() - t0:.0f}s")
        if store.engine.dialect.name == "postgresql":
            with store.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
        with store.engine.connect() as conn:
            sizes = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608  # nosec B608 - fixed names
                for t in ("runs", "component_results", "criterion_results")
            }
        print(f"store: {store.url} ({store.engine.dialect.name}), rows: {sizes}")
        newest = recent_runs(store, 1)[0]
        found = latest_run(store)
        if found is None:
            raise SystemExit(f"{store.url}: no run stored")
        name = found[1].components[len(found[1].components) // 2].name
        measure(
            store,
            "dashboard: store version (polled every 0.5 s)",
            lambda: store_version(store),
            args.repeat,
        )
        measure(
            store,
            f"history: trend of {name} (20 runs)",
            lambda: trend(store, name, 20),
            args.repeat,
        )
        measure(
            store,
            f"history: stage changes of {name}",
            lambda: stage_events(store, name),
            args.repeat,
        )
        measure(
            store, f"history: deployments of {name}", lambda: deployments(store, name), args.repeat
        )
        measure(
            store,
            "blockers list / dashboard: the newest run, whole",
            lambda: latest_run(store),
            max(3, args.repeat // 4),
        )
        measure(
            store,
            "dashboard: open blockers' streaks",
            lambda: open_streaks(store, newest.id),
            args.repeat,
        )
        measure(
            store,
            f"dashboard: open blockers' streaks of {name}",
            lambda: open_streaks(store, newest.id, name),
            args.repeat,
        )
        measure(
            store,
            f"dashboard: trend chart of {name} (90 runs)",
            lambda: trend(store, name, 90),
            args.repeat,
        )
        measure(
            store,
            "dashboard: every component over 90 runs",
            lambda: component_history(store, 90),
            args.repeat,
        )
        measure(
            store,
            "dashboard: the run a week ago",
            lambda: run_at_or_before(store, newest.at),
            args.repeat,
        )
        measure(
            store, "dashboard: recent runs (compare)", lambda: recent_runs(store, 90), args.repeat
        )
        measure(store, "dashboard: all deployments", lambda: deployments(store), args.repeat)


if __name__ == "__main__":
    main()
