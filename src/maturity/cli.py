"""The ``maturity`` command line: thin commands over the library.

Exit codes: 0 ok, 1 criteria failed, 2 usage or configuration error, 3 a criterion
could not be measured (and none failed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from maturity import __version__
from maturity.config import load_project
from maturity.errors import (
    EXIT_CRITERIA_FAILED,
    EXIT_NOT_MEASURED,
    EXIT_OK,
    MaturityError,
    UsageError,
)
from maturity.facts import ToolFacts
from maturity.model import RunReport, Stage, Status
from maturity.report.json_report import json_schema, write_json
from maturity.report.markdown import promotion_issue, render_issue_markdown, render_markdown
from maturity.report.terminal import render_terminal
from maturity.runner import Progress, run

app = typer.Typer(
    name="maturity",
    help="Measure how mature each component of a Python monorepo is, with real tools.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PathArg = Annotated[
    Path, typer.Argument(help="Repository to measure.", file_okay=False, show_default=True)
]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the JSON report here.")]
ComponentOpt = Annotated[
    list[str] | None,
    typer.Option("--component", "-c", help="Only these components (repeatable)."),
]


class TerminalProgress(Progress):
    """A live line per collector, shown only on a TTY."""

    def __init__(self, progress: RichProgress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def started(self, name: str, title: str) -> None:
        """Show a spinner for the collector."""
        self.tasks[name] = self.progress.add_task(f"running {title}", total=1)

    def finished(self, name: str, facts: ToolFacts, seconds: float) -> None:
        """Mark the collector done, or could-not-measure."""
        word = "[yellow]could not measure[/]" if facts.error else "[green]done[/]"
        task = self.tasks[name]
        desc = self.progress.tasks[task].description.removeprefix("running ")
        self.progress.update(task, completed=1, description=f"{desc}: {word}")


def _measure(
    path: Path, stage: Stage | None, components: list[str] | None, show_progress: bool
) -> RunReport:
    project = load_project(path)
    err = Console(stderr=True)
    if not (show_progress and err.is_terminal):
        return run(project, stage, components)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with RichProgress(*columns, console=err, transient=True) as bar:
        return run(project, stage, components, TerminalProgress(bar))


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
) -> None:
    """Measure every component and print each criterion with its figure and bar."""
    report = _measure(path, stage, component, progress)
    render_terminal(report, Console(), verbose=verbose)
    if json_out:
        write_json(report, json_out)
    if markdown:
        markdown.write_text(render_markdown(report), encoding="utf-8")


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
) -> None:
    """CI gate: every component meets the criteria of the stage it holds."""
    report = _measure(path, require, component, progress)
    if not quiet:
        render_terminal(report, Console())
    if json_out:
        write_json(report, json_out)
    order = list(Stage)
    failed = errored = 0
    for comp in report.components:
        required = set(comp.stage.previous)
        if require is not None:
            required |= set(order[: order.index(require) + 1])
        for crit in comp.criteria:
            if crit.gate not in required or crit.met:
                continue
            word = "fail" if crit.status is Status.FAIL else "could not measure"
            failed += crit.status is Status.FAIL
            errored += crit.status is Status.ERROR
            print(
                f"{comp.name}: {crit.gate} {crit.id} ({crit.title}): {word}: {crit.summary}",
                file=sys.stderr,
            )
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
        report = _measure(path, None, [component], progress)
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
    """List the components, their paths and declared stages."""
    project = load_project(path)
    for comp in project.components:
        typer.echo(f"{comp.name}\t{comp.path}\t{comp.stage}\t{comp.label}")
    for name in project.undeclared:
        typer.echo(f"warning: {project.config.src}/{name} is not declared in config", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"maturity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """Measure how mature each component of a Python monorepo is, with real tools."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors are one line on stderr with their exit code."""
    try:
        app(args=argv, prog_name="maturity")
    except MaturityError as exc:
        print(f"maturity: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
