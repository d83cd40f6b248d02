"""Measuring commands: run, check, promote-issue, schema, components."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from maturity.cli.app import (
    ComponentOpt,
    DbOpt,
    JsonOpt,
    PathArg,
    StoreOpt,
    app,
    measure,
    store_for,
)
from maturity.config import load_project
from maturity.errors import EXIT_CRITERIA_FAILED, EXIT_NOT_MEASURED, EXIT_OK, UsageError
from maturity.model import RunReport, Stage, Status
from maturity.report.json_report import json_schema, write_json
from maturity.report.markdown import (
    pr_summary,
    promotion_issue,
    render_issue_markdown,
    render_markdown,
)
from maturity.report.terminal import render_terminal
from maturity.store import save_run


@app.command("run")
def run_cmd(
    path: PathArg = Path("."),
    json_out: JsonOpt = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Write promotion issues (Markdown) here.")
    ] = None,
    component: ComponentOpt = None,
    stage: Annotated[
        Stage | None,
        typer.Option(help="Judge readiness on this stage's exit criteria (default: declared)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="All evidence.")] = False,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
    db: DbOpt = None,
    store: StoreOpt = True,
) -> None:
    """Measure every component and print each criterion with its figure and bar."""
    report = measure(path, stage, component, progress, db)
    console = Console()
    render_terminal(report, console, verbose=verbose)
    if json_out:
        write_json(report, json_out)
    if markdown:
        markdown.write_text(render_markdown(report), encoding="utf-8")
    if store:
        history = store_for(path, db)
        typer.echo(f"stored as run #{save_run(history, report)} in {history.url}")


@app.command()
def check(
    path: PathArg = Path("."),
    require: Annotated[
        Stage | None,
        typer.Option(help="Also require this stage's exit criteria (and earlier ones)."),
    ] = None,
    component: ComponentOpt = None,
    json_out: JsonOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the failures.")] = False,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
    db: DbOpt = None,
    store: StoreOpt = True,
    summary: Annotated[
        Path | None,
        typer.Option(help="Append a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)."),
    ] = None,
) -> None:
    """CI gate: every component meets the criteria of the stage it holds."""
    report = measure(path, require, component, progress, db)
    if not quiet:
        render_terminal(report, Console())
    if json_out:
        write_json(report, json_out)
    if summary:
        with summary.open("a", encoding="utf-8") as fh:
            fh.write(pr_summary(report))
    if store:
        save_run(store_for(path, db), report)
    order = list(Stage)
    failed = errored = 0
    warn_only = load_project(path).config.production.on_breach == "warn"
    for comp in report.components:
        required = set(comp.stage.previous)
        if comp.stage is Stage.PRODUCTION:
            required.add(Stage.PRODUCTION)  # maintenance criteria: kept while in production
        if require is not None:
            required |= set(order[: order.index(require) + 1])
        for crit in comp.criteria:
            if crit.gate not in required or crit.met:
                continue
            word = "fail" if crit.status is Status.FAIL else "could not measure"
            line = f"{comp.name}: {crit.gate} {crit.id} ({crit.title}): {word}: {crit.summary}"
            if warn_only and crit.gate is Stage.PRODUCTION and require is not Stage.PRODUCTION:
                print(f"warning: {line} (production.on_breach = warn)", file=sys.stderr)
                continue
            failed += crit.status is Status.FAIL
            errored += crit.status is Status.ERROR
            print(line, file=sys.stderr)
    if failed:
        raise typer.Exit(EXIT_CRITERIA_FAILED)
    if errored:
        raise typer.Exit(EXIT_NOT_MEASURED)
    raise typer.Exit(EXIT_OK)


@app.command("promote-issue")
def promote_issue_cmd(
    component: Annotated[str, typer.Argument(help="Component name.")],
    path: PathArg = Path("."),
    from_json: Annotated[
        Path | None,
        typer.Option("--from-json", help="Render from a saved JSON report instead of measuring."),
    ] = None,
    stage: Annotated[
        Stage | None,
        typer.Option(help="Judge this stage's exit criteria (default: the declared stage)."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
) -> None:
    """Print the promotion issue (spec's Example Issue) with the real figures."""
    if from_json is not None:
        try:
            report = RunReport.model_validate_json(from_json.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"{from_json}: cannot read: {exc.strerror}") from exc
        except ValueError as exc:
            first = str(exc).splitlines()[0]
            raise UsageError(f"{from_json}: not a maturity JSON report: {first}") from exc
    else:
        report = measure(path, stage, [component], progress)  # not stored: a preview
    try:
        report.component(component)
    except KeyError:
        raise UsageError(f"unknown component {component!r} in the report") from None
    try:
        issue = promotion_issue(report, component)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    typer.echo(render_issue_markdown(issue))


@app.command()
def schema() -> None:
    """Print the JSON Schema of ``maturity run --json`` reports."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def components(path: PathArg = Path(".")) -> None:
    """List the components: name, directory, declared stage, label, and the component a
    nested one lies in (its files are its own, not the outer one's)."""
    project = load_project(path)
    rows = [("COMPONENT", "PATH", "STAGE", "LABEL", "INSIDE")]
    for comp in project.components:
        outer = [c for c in project.components if comp.path in c.nested]
        inside = max(outer, key=lambda c: len(c.path)).name if outer else "-"
        rows.append((comp.name, comp.path, comp.stage.value, comp.label, inside))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*cells, row[-1]]))
    for name in project.undeclared:
        typer.echo(f"warning: {project.config.src}/{name} is not declared in config", err=True)
