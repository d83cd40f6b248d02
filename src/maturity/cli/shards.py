"""Sharded runs: ``maturity run --shard K/N`` (via :func:`run_shard_cmd`) and ``maturity merge``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from maturity.cli.app import DbOpt, Saving, StoreOpt, app, report_options, write_outputs
from maturity.errors import UsageError
from maturity.merge import merge
from maturity.model import Stage
from maturity.project import load_project
from maturity.report.formats import Format
from maturity.report.terminal import render_terminal
from maturity.shard import parse_shard, previous_durations, run_shard

if TYPE_CHECKING:  # the store's libraries load when a run is stored
    from maturity.store import Store


def run_shard_cmd(
    path: Path,
    shard: str,
    bundle: Path | None,
    stage: Stage | None,
    history: Store | None,
    db: str | None,
    jobs: int | None = None,
) -> None:
    """Measure one shard into its bundle and say what it ran."""
    index, count = parse_shard(shard)
    project = load_project(path)
    out = bundle or project.root / ".maturity" / "shards" / f"{index}-of-{count}"
    durations = previous_durations(history)
    manifest = run_shard(project, index, count, out, stage, durations, db_url=db, jobs=jobs)
    balance = manifest.durations_from or "test count (no stored durations)"
    typer.echo(
        f"shard {index}/{count}: {manifest.tests} tests, {', '.join(manifest.collectors)}"
        f" over {len(manifest.roots)} component directories, balanced by {balance};"
        f" bundle written to {out}"
    )


@app.command("merge")
@report_options("run")
def merge_cmd(
    outputs: dict[Format, Path],
    bundles: Annotated[list[Path], typer.Argument(help="The bundles of every shard.")],
    path: Annotated[
        Path, typer.Option("--path", help="The repository (the checkout the shards measured).")
    ] = Path("."),
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="All evidence.")] = False,
    db: DbOpt = None,
    store: StoreOpt = True,
) -> None:
    """Combine the bundles of `run --shard K/N` (all N) into one run: evaluated and
    stored as if measured unsharded."""
    if not bundles:
        raise UsageError("merge: give the bundle of every shard")
    project = load_project(path)  # before the store is opened: the path may not exist
    with Saving(path, db, store) as saving:
        report = merge(project, bundles, db_url=db)
        if store:
            saving.send(report)
        render_terminal(report, Console(), verbose=verbose)
        write_outputs(report, outputs)
        if store:
            run_id, url = saving.saved()
            typer.echo(f"stored as run #{run_id} in {url}")
