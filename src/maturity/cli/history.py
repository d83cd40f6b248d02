"""History commands: db, deploy, history."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from maturity.cli.app import ByOpt, DbOpt, PathArg, actor, app, store_for
from maturity.errors import UsageError
from maturity.git import git_info
from maturity.model import COVERAGE, SHORT_TITLES
from maturity.project import load_project

db_app = typer.Typer(help="The history database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

MAX_LIMIT = 100_000  # runs `history` shows at most: a bound the database can take

# numeric criteria whose trend is worth a column, headed by their short titles
TREND_COLUMNS = (
    COVERAGE,
    "dev.unit_tests",
    "dev.ruff",
    "dev.pyright",
    "dev.security_scan",
    "dev.documentation",
)


class Environment(StrEnum):
    """Where a component is deployed."""

    STAGING = "staging"
    PRODUCTION = "production"


class DeployStatus(StrEnum):
    """How a deployment ended."""

    SUCCESS = "success"
    FAILED = "failed"
    ROLLED_BACK = "rolled-back"


@db_app.command("upgrade")
def db_upgrade(path: PathArg = Path("."), db: DbOpt = None) -> None:
    """Apply pending migrations (also done automatically on first use)."""
    store = store_for(path, db)
    typer.echo(f"{store.url} is at revision {store.current()} (head {store.head()})")


@db_app.command("current")
def db_current(path: PathArg = Path("."), db: DbOpt = None) -> None:
    """Print the database URL and its migration revision."""
    db_upgrade(path, db)


def _known(path: Path, component: str) -> None:
    project = load_project(path)
    if component not in {c.name for c in project.components}:
        known = ", ".join(c.name for c in project.components)
        raise UsageError(f"unknown component {component!r} (known: {known})")


@app.command()
def deploy(
    component: Annotated[str, typer.Argument(help="Component name.")],
    env: Annotated[Environment, typer.Option("--env", help="Where it was deployed.")],
    version: Annotated[str, typer.Option("--version", help="The version deployed.")],
    status: Annotated[DeployStatus, typer.Option(help="How it went.")] = DeployStatus.SUCCESS,
    path: PathArg = Path("."),
    db: DbOpt = None,
    by: ByOpt = None,
) -> None:
    """Record a deployment of a component."""
    from maturity.store import record_deployment

    _known(path, component)
    store = store_for(path, db)
    who = actor(path, by)
    commit = git_info(path.resolve()).commit
    row_id = record_deployment(store, component, env.value, version, status.value, who, commit)
    typer.echo(f"recorded deployment #{row_id}: {component} {version} to {env} ({status}) by {who}")


def history_data(path: Path, component: str, db: str | None, limit: int) -> dict[str, Any]:
    """Stage changes, deployments and the numeric trend of one component."""
    from maturity.store import as_utc, deployments, stage_events, trend

    store = store_for(path, db)
    points = trend(store, component, limit)
    return {
        "component": component,
        "stage_changes": [
            {
                "at": as_utc(e.at).isoformat(),
                "kind": e.kind,
                "from": e.from_stage,
                "to": e.to_stage,
                "by": e.actor,
                "reason": e.reason,
                "forced": e.forced,
                "commit": e.commit,
            }
            for e in stage_events(store, component)
        ],
        "deployments": [
            {
                "at": as_utc(d.at).isoformat(),
                "environment": d.environment,
                "version": d.version,
                "status": d.status,
                "by": d.actor,
                "commit": d.commit,
            }
            for d in deployments(store, component)
        ],
        "trend": [
            {
                "run": p.run_id,
                "at": p.at.isoformat(),
                "commit": p.commit,
                "stage": p.stage,
                "ready": p.ready,
                "values": {k: p.values.get(k) for k in TREND_COLUMNS},
                "statuses": {k: p.statuses.get(k) for k in TREND_COLUMNS},
            }
            for p in points
        ],
    }


def _cell(value: float | None, status: str | None) -> Text:
    if value is None:
        return Text("—" if status is None else status)
    shown = f"{value:.1f}" if value % 1 else f"{value:.0f}"
    return Text(shown, style={"pass": "green", "fail": "red"}.get(status or "", "yellow"))


@app.command()
def history(
    component: Annotated[str, typer.Argument(help="Component name.")],
    path: PathArg = Path("."),
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT, help="How many recent runs.")] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """Stage changes, deployments and the trend of each numeric criterion."""
    _known(path, component)
    data = history_data(path, component, db, limit)
    if json_out:
        typer.echo(json.dumps(data, indent=2))
        return
    console = Console()
    changes = Table(title=f"{component}: stage changes", title_justify="left")
    for col in ("when", "change", "by", "reason"):
        changes.add_column(col)
    for e in data["stage_changes"]:
        forced = " (forced)" if e["forced"] else ""
        changes.add_row(
            e["at"][:19],
            f"{e['kind']} {e['from']} → {e['to']}{forced}",
            e["by"],
            Text(e["reason"] or ""),
        )
    console.print(changes)
    deploys = Table(title=f"{component}: deployments", title_justify="left")
    for col in ("when", "environment", "version", "status", "by"):
        deploys.add_column(col)
    for d in data["deployments"]:
        deploys.add_row(d["at"][:16], d["environment"], Text(d["version"]), d["status"], d["by"])
    console.print(deploys)
    runs = Table(title=f"{component}: last {len(data['trend'])} runs", title_justify="left")
    for col in ("run", "when", "commit"):  # never cut: the headings wrap first
        runs.add_column(col, no_wrap=True)
    for criterion in TREND_COLUMNS:
        runs.add_column(SHORT_TITLES[criterion], justify="right")
    for p in data["trend"]:
        cells = [_cell(p["values"][k], p["statuses"][k]) for k in TREND_COLUMNS]
        runs.add_row(str(p["run"]), p["at"][:16], (p["commit"] or "")[:8], *cells)
    console.print(runs)
