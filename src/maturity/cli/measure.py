"""Measuring commands: run, check, promote-issue, schema, components."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from maturity.baseline import compare, load_baseline
from maturity.cli.app import (
    CacheOpt,
    ChangedSinceOpt,
    ComponentOpt,
    DbOpt,
    JobsOpt,
    PathArg,
    Saving,
    StoreOpt,
    app,
    error_line,
    measure,
    report_options,
    store_for,
    write_outputs,
)
from maturity.cli.shards import run_shard_cmd
from maturity.errors import (
    EXIT_CRITERIA_FAILED,
    EXIT_NOT_MEASURED,
    EXIT_OK,
    MaturityError,
    UsageError,
)
from maturity.evaluate import gate_failures
from maturity.model import RunReport, Stage, Status
from maturity.project import load_project
from maturity.report.formats import Format
from maturity.report.json_report import json_schema, read_report
from maturity.report.markdown import (
    promotion_issue,
    render_issue_markdown,
)
from maturity.report.terminal import render_terminal
from maturity.store.location import DEFAULT_FILE, default_url, resolve_url
from maturity.workdir import DIRECTORY

if TYPE_CHECKING:  # the store's libraries are imported when a command uses it
    from maturity.store import Store

RENDERED = "terminal.json"  # the terminal report's text, kept (maturity.report.rendered)


def kept_text(report: RunReport, cache: bool) -> Path | None:
    """Where the terminal report's text is kept beside the fact cache (``--cache``)."""
    return Path(report.repo) / DIRECTORY / "cache" / RENDERED if cache else None


@app.command("run")
@report_options("run")
def run_cmd(
    outputs: dict[Format, Path],
    path: PathArg = Path("."),
    component: ComponentOpt = None,
    stage: Annotated[
        Stage | None,
        typer.Option(help="Judge readiness on this stage's exit criteria (default: declared)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="All evidence.")] = False,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
    db: DbOpt = None,
    store: StoreOpt = True,
    cache: CacheOpt = True,
    changed_since: ChangedSinceOpt = None,
    jobs: JobsOpt = None,
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="K/N",
            help="Measure only shard K of N (a CI matrix) into a bundle; `maturity merge`"
            " combines the N bundles into one run (docs/ci.md).",
        ),
    ] = None,
    bundle: Annotated[
        Path | None,
        typer.Option(help="Where --shard writes its bundle (default .maturity/shards/K-of-N)."),
    ] = None,
) -> None:
    """Measure every component and print each criterion with its figure and bar."""
    if shard is not None:
        if component or outputs or changed_since:
            raise UsageError(
                "--shard measures a part of a run: --component, --changed-since and report"
                " files belong to a whole run or `maturity merge`"
            )
        return run_shard_cmd(path, shard, bundle, stage, _history_if_any(path, db), db, jobs)
    project = load_project(path)  # before the store is opened: the path may not exist
    with Saving(path, db, store) as saving:
        report = measure(project, stage, component, progress, db, cache, changed_since, jobs)
        if store:
            saving.send(report)
        console = Console()
        render_terminal(report, console, verbose=verbose, kept=kept_text(report, cache))
        write_outputs(report, outputs)
        if store:
            run_id, url = saving.saved()
            typer.echo(f"stored as run #{run_id} in {url}")


@app.command()
@report_options("check")
def check(
    outputs: dict[Format, Path],
    path: PathArg = Path("."),
    require: Annotated[
        Stage | None,
        typer.Option(help="Also require this stage's exit criteria (and earlier ones)."),
    ] = None,
    component: ComponentOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the failures.")] = False,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
    db: DbOpt = None,
    store: StoreOpt = True,
    cache: CacheOpt = True,
    changed_since: ChangedSinceOpt = None,
    jobs: JobsOpt = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            metavar="REF|FILE",
            help="Also fail on regressions against a baseline: a JSON report file, or the run"
            " stored for the merge-base of HEAD and this git ref. Tolerances:"
            " [tool.maturity.baseline].",
        ),
    ] = None,
) -> None:
    """CI gate: every component meets the criteria of the stage it holds (and, with
    --baseline, nothing that was met in the baseline got worse).

    When a report file (--json, --summary, ...) or the store cannot be written, the
    verdict is still printed; the exit code is the gate's when it failed (1 or 3), else
    that error's (2 for a report file, 4 for the store). A --db that is not a database URL,
    or a .maturity that is not a directory, is refused before anything is measured."""
    project = load_project(path)  # before the store is opened: the path may not exist
    with Saving(path, db, store) as saving:
        report = measure(project, require, component, progress, db, cache, changed_since, jobs)
        if baseline is not None:
            history = _history_if_any(path, db)
            before, comparison = load_baseline(baseline, path, history)
            tolerance = project.config.baseline
            report.baseline = (
                compare(before, report, comparison, tolerance) if before else comparison
            )
        if store:
            saving.send(report)
        if not quiet:
            render_terminal(report, Console(), kept=kept_text(report, cache))
        try:  # a report or the store failing must not hide the verdict: it is printed first
            write_outputs(report, outputs)
            if store:
                saving.saved()
        except MaturityError as exc:
            unsaved: MaturityError | None = exc
        else:
            unsaved = None
    failed = errored = 0
    on_breach = project.config.production.on_breach
    for failure in gate_failures(report, require, on_breach):
        comp, crit = failure.component, failure.criterion
        word = "fail" if crit.status is Status.FAIL else "could not measure"
        line = f"{comp.name}: {crit.gate} {crit.id} ({crit.title}): {word}: {crit.summary}"
        if failure.warn_only:
            print(f"warning: {line} (production.on_breach = warn)", file=sys.stderr)
            continue
        failed += crit.status is Status.FAIL
        errored += crit.status is Status.ERROR
        print(line, file=sys.stderr)
    regressions = report.baseline.regressions if report.baseline else []
    for r in regressions:
        print(f"regression: {r.line()} [{r.criterion}]", file=sys.stderr)
    if report.baseline and report.baseline.source is None:
        print(
            f"no baseline: {report.baseline.note}; gating on the held stage only", file=sys.stderr
        )
    verdict = EXIT_CRITERIA_FAILED if failed or regressions else EXIT_NOT_MEASURED * bool(errored)
    if unsaved is not None and verdict == EXIT_OK:
        raise unsaved
    if unsaved is not None:  # the gate's own failure is the exit code; the error is said too
        print(error_line(unsaved), file=sys.stderr)
    raise typer.Exit(verdict)


def _history_if_any(path: Path, db: str | None) -> Store | None:
    """The store to look a baseline run up in: the one named, or the repo's own if it
    exists (a lookup never creates one)."""
    url = resolve_url(path.resolve(), db)
    if url == default_url(path.resolve()) and not (path / DEFAULT_FILE).exists():
        return None
    return store_for(path, db)


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
        typer.Option(
            help="Judge this stage's exit criteria: the issue for promotion to the stage"
            " after it (default: the stage the component holds)."
        ),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress on a TTY.")] = True,
) -> None:
    """Print the promotion issue (spec's Example Issue) with the real figures."""
    if stage is Stage.PRODUCTION:
        raise UsageError("--stage production: there is no stage after production")
    if from_json is not None:
        report = read_report(from_json)
    else:
        report = measure(load_project(path), stage, [component], progress)  # a preview
    try:
        report.component(component)
    except KeyError:
        raise UsageError(f"unknown component {component!r} in the report") from None
    try:
        issue = promotion_issue(report, component, stage.next if stage else None)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    typer.echo(render_issue_markdown(issue))


@app.command()
def schema() -> None:
    """Print the JSON Schema of ``maturity run --json`` reports."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def components(path: PathArg = Path(".")) -> None:
    """List the components: name, source directory, project directory, test paths,
    declared stage, label, and the component a nested one lies in (its files are its own,
    not the outer one's)."""
    project = load_project(path)
    rows = [("COMPONENT", "PATH", "PROJECT", "TESTS", "STAGE", "LABEL", "INSIDE")]
    for comp in project.components:
        outer = [c for c in project.components if comp.path in c.nested]
        inside = max(outer, key=lambda c: len(c.path)).name if outer else "-"
        tests = ",".join(comp.tests) or "-"
        rows.append(
            (comp.name, comp.path, comp.project, tests, comp.stage.value, comp.label, inside)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*cells, row[-1]]))
    for name in project.undeclared:
        typer.echo(f"warning: {project.config.src}/{name} is not declared in config", err=True)
