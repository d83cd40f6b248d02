"""Workflow commands: promote, demote, blockers, init."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from maturity.blockers import Blocker, apply_sync, blockers_of, plan_sync
from maturity.cli.app import ByOpt, DbOpt, PathArg, actor, app, measure, store_for
from maturity.errors import UsageError
from maturity.facts import IssuesFacts
from maturity.github import client_for
from maturity.model import BlockerCategory, RunReport, Stage
from maturity.project import load_project
from maturity.report.markdown import promotion_issue
from maturity.runner import gather
from maturity.stages import StageChange, demote, promote

ToOpt = Annotated[Stage, typer.Option("--to", help="The stage to move to.")]
ComponentArg = Annotated[str, typer.Argument(help="Component name.")]


def _said(change: StageChange, console: Console) -> None:
    forced = " (forced past failing criteria)" if change.forced else ""
    console.print(
        Text(
            f"{change.kind} of {change.component}: {change.from_stage} → {change.to_stage}{forced};"
            f" recorded as event #{change.event_id}; {change.config_file.name} updated —"
            " commit it for review"
        )
    )


@app.command("promote")
def promote_cmd(
    component: ComponentArg,
    to: ToOpt,
    path: PathArg = Path("."),
    force: Annotated[bool, typer.Option(help="Promote even though criteria fail.")] = False,
    reason: Annotated[str | None, typer.Option(help="Why (required with --force).")] = None,
    by: ByOpt = None,
    db: DbOpt = None,
    create_issue: Annotated[
        bool, typer.Option("--create-issue", help="Open the promotion issue on GitHub.")
    ] = False,
) -> None:
    """Promote a component when the exit criteria of its stage all pass."""
    from maturity.store import load_run

    project = load_project(path)
    if component not in {c.name for c in project.components}:
        raise UsageError(f"unknown component {component!r}")
    store = store_for(path, db)
    current = project.component(component).stage

    def measured() -> RunReport:
        return measure(project, current, None, True)

    change = promote(project, store, component, to, actor(path, by), measured, force, reason)
    console = Console()
    _said(change, console)
    if create_issue:
        report = load_run(store, change.run_id) if change.run_id is not None else None
        if report is None:  # pragma: no cover - promote always leaves a run
            raise UsageError("no run to describe")
        issue = promotion_issue(report, component)
        with client_for(project) as gh:
            created = gh.create_issue(issue.title, issue.body, issue.labels)
        console.print(f"opened #{created['number']}: {issue.title} {created.get('html_url', '')}")


@app.command("demote")
def demote_cmd(
    component: ComponentArg,
    to: ToOpt,
    reason: Annotated[str, typer.Option(help="Why it moves back.")],
    path: PathArg = Path("."),
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Move a component back to an earlier stage."""
    project = load_project(path)
    if component not in {c.name for c in project.components}:
        raise UsageError(f"unknown component {component!r}")
    change = demote(project, store_for(path, db), component, to, actor(path, by), reason)
    _said(change, Console())


def _latest_or_run(path: Path, db: str | None) -> RunReport:
    from maturity.store import latest_run, save_run

    store = store_for(path, db)
    found = latest_run(store)
    if found is not None:
        return found[1]
    report = measure(load_project(path), None, None, True)
    save_run(store, report)
    return report


class BlockersAction(StrEnum):
    """What ``maturity blockers`` does."""

    LIST = "list"
    SYNC = "sync"


@app.command("blockers")
def blockers_cmd(
    action: Annotated[
        BlockersAction, typer.Argument(help="list: show them; sync: make GitHub match.")
    ] = BlockersAction.LIST,
    path: PathArg = Path("."),
    db: DbOpt = None,
    dry_run: Annotated[bool, typer.Option(help="sync: print the plan, change nothing.")] = False,
) -> None:
    """Failing criteria of the latest run by blocker category, and their GitHub issues."""
    report = _latest_or_run(path, db)
    project = load_project(path)
    if action is BlockersAction.SYNC:
        with client_for(project) as gh:
            plan = plan_sync(report, gh)
            for line in plan.describe():
                typer.echo(("would " if dry_run else "") + line)
            if not dry_run:
                apply_sync(plan, report, gh)
        return
    issues = gather(project, ["issues"]).issues or IssuesFacts()
    console = Console()
    console.print(Text(f"from the run of {report.timestamp} at {report.git.commit or 'no commit'}"))
    by_component: dict[str, list[Blocker]] = {}
    for blocker in blockers_of(report):
        by_component.setdefault(blocker.component.name, []).append(blocker)
    for comp in report.components:
        mine = by_component.get(comp.name, [])
        open_issues = [
            i for i in issues.issues
            if comp.label in i.labels and any(lbl.startswith("blocker:") for lbl in i.labels)
        ]  # fmt: skip
        if not mine and not open_issues:
            console.print(Text(f"{comp.name}: no blockers"))
            continue
        console.print(Text(f"{comp.name}:", style="bold"))
        for blocker in mine:
            for crit in blocker.criteria:
                console.print(Text(f"  blocker:{blocker.category}  {crit.title}: {crit.summary}"))
        for issue in open_issues:
            labels = ", ".join(issue.labels)
            console.print(Text(f"  issue #{issue.number} {issue.title} [{labels}]"))
    setup = {
        crit.summary
        for comp in report.components
        for crit in comp.criteria
        if crit.blocker_category is BlockerCategory.CONFIGURATION and not crit.met
    }
    for problem in sorted(setup):
        console.print(Text(f"configuration (not a blocker): {problem}", style="yellow"))
    if issues.error and not issues.misconfigured:
        console.print(Text(f"open blocker issues not read: {issues.error}", style="yellow"))


@app.command("init")
def init_cmd(
    path: PathArg = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite existing config and workflows.")] = False,
    install: Annotated[
        str | None,
        typer.Option(
            help="pip requirement the workflows install maturity from (required), e.g."
            " 'maturity @ git+https://github.com/<org>/maturity@<tag>'."
        ),
    ] = None,
    shards: Annotated[
        int | None,
        typer.Option(
            help="Measure the default branch on a matrix of N shard jobs and a merge job."
        ),
    ] = None,
) -> None:
    """Write a starter [tool.maturity] config, the issue source and the GitHub workflows."""
    from maturity.init import init as init_repo

    result = init_repo(path, force, install, shards)
    for written in result.written:
        typer.echo(f"wrote {written.relative_to(path.resolve())}")
