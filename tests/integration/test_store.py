"""The history store on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from maturity.model import Stage
from maturity.store import (
    StoreError,
    deployments,
    latest_run,
    load_run,
    open_store,
    record_deployment,
    record_stage_event,
    run_count,
    save_run,
    stage_events,
    trend,
)
from tests.unit.test_reports import make_report


def test_a_run_round_trips_exactly(db_url: str) -> None:
    store = open_store(db_url)
    report = make_report()
    run_id = save_run(store, report)
    assert load_run(store, run_id) == report
    latest = latest_run(store)
    assert latest is not None and latest == (run_id, report)
    assert latest_run(store, commit="0123456789abcdef") == (run_id, report)
    assert latest_run(store, commit="other") is None


def test_a_run_is_stored_whole_or_not_at_all(db_url: str) -> None:
    store = open_store(db_url)
    save_run(store, make_report())
    broken = make_report()
    broken.components[1].criteria[1].details["unserialisable"] = object()
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
        save_run(store, broken)
    assert run_count(store) == 1
    with store.transaction() as session:
        from sqlalchemy import func, select

        from maturity.store.tables import ComponentRow, CriterionRow

        assert session.scalar(select(func.count()).select_from(ComponentRow)) == 2
        assert session.scalar(select(func.count()).select_from(CriterionRow)) == 4


def test_migrations_from_empty_and_from_the_previous_revision(db_url: str) -> None:
    store = open_store(db_url, migrate=False)
    assert store.current() is None
    store.upgrade("0001")
    assert store.current() == "0001"
    # rows written as revision 0001 knew them (no stage tables, no waiver column)
    with store.engine.begin() as conn:
        old_id = conn.execute(text(
            "INSERT INTO runs (started_at, repo, \"commit\", branch, dirty, tool_version,"
            " schema_version, interpreter, interpreter_version, tools, stages) VALUES ("
            " '2026-11-01 10:00:00', '/r', 'abc', 'main', false, '0.1.0', '1.0', 'py', '3.11',"
            " '[]', '[\"development\"]') RETURNING id"
        )).scalar_one()  # fmt: skip
        comp_id = conn.execute(text(
            "INSERT INTO component_results (run_id, name, label, path, stage, target, ready,"
            " regressed) VALUES (:run, 'calc', 'component:calc', 'src/calc', 'development',"
            " 'staging', true, false) RETURNING id"
        ), {"run": old_id}).scalar_one()  # fmt: skip
        conn.execute(text(
            "INSERT INTO criterion_results (component_result_id, criterion_id, title, gate,"
            " blocker_category, status, value, value_text, display, threshold, summary, evidence,"
            " commands, details) VALUES (:comp, 'dev.coverage', 'Test coverage', 'development',"
            " 'tests', 'pass', 72.0, NULL, '72.0%', '>=70%', 'ok', '[]', '[]', '{}')"
        ), {"comp": comp_id})  # fmt: skip
    assert "deployments" not in inspect(store.engine).get_table_names()
    reopened = open_store(db_url)  # applies the rest automatically on first use
    assert reopened.current() == reopened.head() == "0008"
    old = load_run(reopened, old_id)
    assert old is not None
    crit = old.component("calc").criteria[0]
    assert (crit.value, crit.display, crit.waiver) == (72.0, "72.0%", None)
    assert {"stage_events", "deployments"} <= set(inspect(reopened.engine).get_table_names())
    run_id = save_run(reopened, make_report())  # the current schema takes today's runs
    assert load_run(reopened, run_id) == make_report()

    def rows() -> tuple[int, ...]:
        with reopened.engine.connect() as conn:
            return tuple(
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("runs", "component_results", "criterion_results")
            )

    stored = rows()
    reopened.downgrade("0001")  # and back: the newer migrations are reversible, data kept
    assert rows() == stored  # no table rebuild cascaded into a run's results
    assert "deployments" not in inspect(reopened.engine).get_table_names()
    columns = {c["name"] for c in inspect(reopened.engine).get_columns("criterion_results")}
    assert "waiver" not in columns
    reopened.downgrade("base")
    assert "runs" not in inspect(reopened.engine).get_table_names()


def test_history_of_stages_deployments_and_trends(db_url: str) -> None:
    store = open_store(db_url)
    for pct in (60.0, 72.5):
        report = make_report()
        report.components[0].criteria[0].value = pct
        save_run(store, report)
    points = trend(store, "player_experience")
    assert [p.values["dev.coverage"] for p in points] == [60.0, 72.5]
    assert points[0].statuses["dev.coverage"] == "pass"
    record_stage_event(
        store, "player_experience", "promotion", Stage.DEVELOPMENT, Stage.STAGING,
        "ana", None, False, "abc", None,
    )  # fmt: skip
    record_deployment(store, "player_experience", "staging", "1.2.0", "success", "ana", "abc")
    record_deployment(store, "api_gateway", "staging", "0.9.0", "failed", "bo", None)
    events = stage_events(store, "player_experience")
    assert [(e.kind, e.to_stage, e.actor) for e in events] == [("promotion", "staging", "ana")]
    assert [d.version for d in deployments(store, "player_experience")] == ["1.2.0"]
    assert len(deployments(store)) == 2


def test_unreachable_database_is_a_clear_error() -> None:
    from tests.servers import free_port

    with pytest.raises(StoreError) as info:
        open_store(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x")
    assert str(info.value).startswith("cannot use database postgresql+psycopg://nobody@127.0.0.1:")
    assert info.value.exit_code == 4


def test_invalid_url_is_a_usage_error() -> None:
    from maturity.errors import UsageError

    with pytest.raises(UsageError, match="invalid database URL 'nope://x'"):
        open_store("nope://x")


def test_a_url_that_does_not_parse_is_a_usage_error() -> None:
    from maturity.errors import UsageError

    with pytest.raises(UsageError, match=r"invalid database URL 'history\.db'"):
        open_store("history.db")


def test_a_table_gone_from_the_database_is_one_line_naming_the_store(db_url: str) -> None:
    """A shared database someone altered: saving (Core) and reading (ORM) each fail with
    the store's one-line error naming it and the database's own cause, exit code 4."""
    store = open_store(db_url)
    with store.connection() as conn:
        conn.execute(text("DROP TABLE criterion_results"))
        conn.execute(text("DROP TABLE stage_events"))
    shown = store.url
    with pytest.raises(StoreError) as saving:
        save_run(store, make_report())
    with pytest.raises(StoreError) as reading:
        stage_events(store, "player_experience")
    for error, table in ((saving.value, "criterion_results"), (reading.value, "stage_events")):
        message = str(error)
        assert message.startswith(f"cannot use database {shown}: "), message
        assert table in message and "\n" not in message
        assert error.exit_code == 4
    assert run_count(store) == 0  # the run was not half saved


def test_a_sqlite_uri_file_name_is_used_as_sqlite_resolves_it(tmp_path: Path) -> None:
    path = tmp_path / "uri" / "history.db"
    path.parent.mkdir()
    store = open_store(f"sqlite:///file:{path}?mode=rwc&uri=true")
    run_id = save_run(store, make_report())
    assert path.is_file()
    assert load_run(open_store(f"sqlite:///{path}"), run_id) == make_report()


def test_closing_every_store_folds_the_write_ahead_log_into_the_file(tmp_path: Path) -> None:
    """What a command that ends without the interpreter's teardown calls (``leave``)."""
    from maturity.store.database import close_all

    path = tmp_path / "history.db"
    save_run(open_store(f"sqlite:///{path}"), make_report())
    wal = path.with_name("history.db-wal")
    assert wal.is_file() and wal.stat().st_size > 0
    close_all()
    assert not wal.exists()


def test_saving_a_run_imports_neither_the_orm_nor_alembic(tmp_path: Path) -> None:
    """A stored ``maturity run`` saves with Core inserts: the ORM's import and its unit of
    work cost more than a warm run's measuring; the run reads back whole through the ORM."""
    url = f"sqlite:///{tmp_path / 'history.db'}"
    open_store(url)  # at head: the child process has nothing to migrate
    report = make_report()
    (tmp_path / "report.json").write_text(report.model_dump_json(), encoding="utf-8")
    code = (
        "import json, sys; from pathlib import Path; from maturity.model import RunReport; "
        "from maturity.store import open_store, save_run; "
        f"report = RunReport.model_validate_json(Path({str(tmp_path / 'report.json')!r})"
        ".read_text()); "
        f"run_id = save_run(open_store({url!r}), report); "
        "print(json.dumps([run_id, sorted(m for m in ('sqlalchemy.orm', 'alembic') "
        "if m in sys.modules)]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    run_id, imported = json.loads(out)
    assert imported == []
    assert load_run(open_store(url), run_id) == report
