"""Production commands: incident open / ack / resolve / list."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from maturity.cli.app import ByOpt, DbOpt, actor, app, store_for
from maturity.errors import UsageError
from maturity.facts import Severity
from maturity.project import load_project

incident_app = typer.Typer(help="Record incidents of production components (P0-P3).")
app.add_typer(incident_app, name="incident")

RepoOpt = Annotated[Path, typer.Option("--repo", help="The repository.", file_okay=False)]
IncidentArg = Annotated[
    int, typer.Argument(min=1, max=2**63 - 1, help="Incident number.")
]  # a database integer: larger would overflow it
AtOpt = Annotated[
    str | None, typer.Option("--at", help="When (ISO 8601, default now; UTC if no offset).")
]


def _when(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise UsageError(f"--at {at!r} is not an ISO 8601 time (e.g. 2026-11-24T09:30)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@incident_app.command("open")
def open_cmd(
    component: Annotated[str, typer.Argument(help="Component name.")],
    severity: Annotated[Severity, typer.Option("--severity", "-s", help="P0, P1, P2 or P3.")],
    title: Annotated[str, typer.Option("--title", "-t", help="What happened.")],
    repo: RepoOpt = Path("."),
    at: AtOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Open an incident; its response clock starts now (or --at)."""
    from maturity.store import open_incident

    project = load_project(repo)
    if component not in {c.name for c in project.components}:
        raise UsageError(f"unknown component {component!r}")
    number = open_incident(
        store_for(repo, db), component, severity, title, _when(at), actor(project.root, by)
    )
    typer.echo(f"opened incident #{number} ({severity}) on {component}")


def _step(
    step: str, incident: int, repo: Path, at: str | None, by: str | None, db: str | None
) -> None:
    from maturity.store import as_utc, update_incident

    row = update_incident(store_for(repo, db), incident, step, _when(at), actor(repo.resolve(), by))
    opened = as_utc(row.opened_at)
    answered = as_utc(row.acknowledged_at) if row.acknowledged_at else opened
    minutes = (answered - opened).total_seconds() / 60
    word = "acknowledged" if step == "ack" else "resolved"
    what = f"incident #{incident} ({row.severity}, {row.component})"
    typer.echo(f"{word} {what}; answered after {minutes:.0f} min")


@incident_app.command("ack")
def ack_cmd(
    incident: IncidentArg,
    repo: RepoOpt = Path("."),
    at: AtOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Acknowledge an incident: the response time the SLA measures ends here."""
    _step("ack", incident, repo, at, by, db)


@incident_app.command("resolve")
def resolve_cmd(
    incident: IncidentArg,
    repo: RepoOpt = Path("."),
    at: AtOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Resolve an incident (acknowledging it too when nobody had)."""
    _step("resolve", incident, repo, at, by, db)


@incident_app.command("list")
def list_cmd(
    repo: RepoOpt = Path("."),
    component: Annotated[str | None, typer.Option("--component", "-c")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    db: DbOpt = None,
) -> None:
    """Every recorded incident, oldest first."""
    from maturity.store import as_utc, incidents

    rows = incidents(store_for(repo, db), component)

    def stamp(moment: datetime | None) -> str | None:
        return as_utc(moment).isoformat() if moment else None

    if as_json:
        for r in rows:
            typer.echo(json.dumps({
                "id": r.id, "component": r.component, "severity": r.severity, "title": r.title,
                "opened_at": stamp(r.opened_at), "acknowledged_at": stamp(r.acknowledged_at),
                "resolved_at": stamp(r.resolved_at),
            }))  # fmt: skip
        return
    table = Table("#", "component", "sev", "title", "opened (UTC)", "acknowledged", "resolved")
    for r in rows:

        def fmt(moment: datetime | None) -> str:
            return as_utc(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"

        table.add_row(str(r.id), r.component, r.severity, r.title, fmt(r.opened_at),
                      fmt(r.acknowledged_at), fmt(r.resolved_at))  # fmt: skip
    Console().print(table)
