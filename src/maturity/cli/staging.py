"""Staging commands: attest, alerts, rollback-template."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from maturity import alerts as alert_rules
from maturity import attestations
from maturity.cli.app import ByOpt, PathArg, actor, app
from maturity.errors import UsageError
from maturity.facts import ALERT_RULES
from maturity.project import load_project

ComponentArg = Annotated[str, typer.Argument(help="Component name.")]

ROLLBACK_TEMPLATE = """\
# Rollback Plan: {component}

## Trigger Conditions
- Error rate > 10%
- Critical functionality broken
- Data corruption detected

## Rollback Steps
1. Redeploy the previous version: `…`
2. Verify health: `curl http://…/health`
3. Monitor error rate and latency for 15 minutes

## Database Rollback
- Run migration: `alembic downgrade -1` (or "Not applicable: {component} has no database")

## Estimated Time: 10 minutes

## Rollback Testing Verification
- Last rehearsed on YYYY-MM-DD in staging by NAME: result
"""


class Kind(StrEnum):
    """What is attested."""

    QA = "qa"
    MULTI_USER = "multi-user"
    SECURITY_REVIEW = "security-review"


def _component(path: Path, name: str) -> Path:
    project = load_project(path)
    if name not in {c.name for c in project.components}:
        raise UsageError(f"unknown component {name!r}")
    return project.root


@app.command()
def attest(
    kind: Annotated[Kind, typer.Argument(help="qa, multi-user or security-review.")],
    component: ComponentArg,
    path: PathArg = Path("."),
    by: ByOpt = None,
    all_items: Annotated[
        bool, typer.Option("--all", help="Every checklist item was checked.")
    ] = False,
    item: Annotated[
        list[str] | None, typer.Option("--item", help="A checklist item checked.")
    ] = None,
    expires: Annotated[str | None, typer.Option(help="ISO date the attestation lapses.")] = None,
    users: Annotated[int, typer.Option(min=0, help="multi-user: concurrent users (> 0).")] = 0,
    hours: Annotated[
        float, typer.Option(min=0, help="multi-user: session length in hours (> 0).")
    ] = 0.0,
    critical_bugs: Annotated[int, typer.Option(min=0, help="multi-user: critical bugs found.")] = 0,
    feedback_addressed: Annotated[
        bool, typer.Option(help="multi-user: user feedback collected and addressed.")
    ] = False,
    notes: Annotated[str | None, typer.Option(help="Free text kept with the record.")] = None,
) -> None:
    """Record a QA sign-off, a multi-user test or a security review in a committed file."""
    root = _component(path, component)
    key = kind.value.replace("-", "_")
    record: dict[str, Any] = {
        "by": actor(root, by),
        "date": datetime.now(UTC).date(),
    }
    if expires:
        try:
            record["expires"] = date.fromisoformat(expires)
        except ValueError:
            raise UsageError(f"--expires {expires!r} is not an ISO date (YYYY-MM-DD)") from None
    checklist = attestations.KINDS[key]
    if checklist:
        chosen = list(checklist) if all_items else list(item or [])
        unknown = [i for i in chosen if i not in checklist]
        if unknown or not chosen:
            listed = "; ".join(checklist)
            raise UsageError(f"name checked items with --item (or --all); known: {listed}")
        record["checked"] = chosen
    else:
        if users < 1 or not 0 < hours < float("inf"):
            raise UsageError(
                f"attest multi-user: --users ({users}) and --hours ({hours}) must be above 0:"
                " how many people used it together, for how long"
            )
        record.update(
            users=users, session_hours=hours, critical_bugs=critical_bugs,
            feedback_addressed=feedback_addressed,
        )  # fmt: skip
    if notes:
        record["notes"] = notes
    written = attestations.write(root, component, key, record)
    typer.echo(f"recorded {kind} of {component} by {record['by']} in {written.relative_to(root)}")


@app.command()
def alerts(
    component: ComponentArg,
    path: PathArg = Path("."),
    write: Annotated[
        bool, typer.Option(help="Write the rules file instead of printing it.")
    ] = False,
) -> None:
    """The spec's four alert rules for a component (Prometheus rules YAML)."""
    root = _component(path, component)
    text = alert_rules.render(component)
    if not write:
        typer.echo(text, nl=False)
        return
    target = root / ALERT_RULES.format(component=component)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {target.relative_to(root)}")


@app.command("rollback-template")
def rollback_template(component: ComponentArg, path: PathArg = Path(".")) -> None:
    """Write a rollback plan skeleton with every required section."""
    root = _component(path, component)
    target = root / "docs" / "rollback" / f"{component}.md"
    if target.exists():
        raise UsageError(f"{target.relative_to(root)} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ROLLBACK_TEMPLATE.format(component=component), encoding="utf-8")
    typer.echo(f"wrote {target.relative_to(root)}")
