"""The typer application, shared options and helpers of every command."""

from __future__ import annotations

import functools
import gc
import getpass
import inspect
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from typer._click import exceptions as click  # typer's own click: what it raises

from maturity import __version__
from maturity.errors import EXIT_USAGE, MaturityError, UsageError
from maturity.facts import ToolFacts
from maturity.git import user_name
from maturity.model import RunReport, Stage
from maturity.process import Interrupted, interrupt_on_signals, watched
from maturity.project import Project
from maturity.report.formats import Format, formats_for
from maturity.runner import Progress, run
from maturity.store.location import check_form, default_url, resolve_url
from maturity.workdir import ignore_generated

if TYPE_CHECKING:  # the store's libraries are imported when a command uses it
    from maturity.store import Store

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


def measure(
    project: Project,
    stage: Stage | None,
    components: list[str] | None,
    show_progress: bool,
    db: str | None = None,
    cache: bool = True,
    changed_since: str | None = None,
    jobs: int | None = None,
) -> RunReport:
    """Run the collectors on ``project``, with progress on a TTY."""
    err = Console(stderr=True)
    go = functools.partial(
        run, project, stage, components, db_url=db, use_cache=cache,
        changed_since=changed_since, jobs=jobs,
    )  # fmt: skip
    if not (show_progress and err.is_terminal):
        report = go()
    else:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with RichProgress(*columns, console=err, transient=True) as bar:
            report = go(TerminalProgress(bar))
    if report.changed_since is not None and report.changed_since.note:
        print(f"maturity: warning: {report.changed_since.note}", file=sys.stderr)
    return report


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $MATURITY_DATABASE_URL, else .maturity/history.db)."
    ),
]
StoreOpt = Annotated[bool, typer.Option("--store/--no-store", help="Record the run in history.")]
CacheOpt = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Reuse facts whose inputs (files, config, tools, packages) did not change"
        " since a run that measured them (.maturity/cache); --no-cache measures everything.",
    ),
]
ChangedSinceOpt = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        metavar="REF",
        help="Measure again only what the changes since REF (a git ref) can affect and carry"
        " the other facts from REF's run, kept in .maturity/cache/commits; with none kept for"
        " REF, everything is measured (a warning says so).",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="CPUs the tools may use at once (default: [tool.maturity] jobs, else all):"
        " the tools wait for a free CPU, pytest-xdist workers (tests.workers) hold one each.",
    ),
]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who does this (default: git user.name).")]


def report_options(command: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command one ``--<name> FILE`` option per report format registered for it
    (``maturity.report.formats.FORMATS``); the command receives the ones given as
    ``outputs: dict[Format, Path]``. A new format needs no change here."""

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        formats = formats_for(command)
        signature = inspect.signature(func, eval_str=True)
        params = [p for p in signature.parameters.values() if p.name != "outputs"]
        params += [
            inspect.Parameter(
                f"{fmt.name}_out",
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[Path | None, typer.Option(f"--{fmt.name}", help=fmt.help)],
            )
            for fmt in formats
        ]

        @functools.wraps(func)
        def command_with_outputs(*args: Any, **kwargs: Any) -> None:
            given = {fmt: kwargs.pop(f"{fmt.name}_out", None) for fmt in formats}
            func(*args, outputs={f: p for f, p in given.items() if p is not None}, **kwargs)

        command_with_outputs.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        command_with_outputs.__annotations__ = {p.name: p.annotation for p in params}
        return command_with_outputs

    return decorate


def write_outputs(report: RunReport, outputs: dict[Format, Path]) -> None:
    """Write the report in every format asked for; the same file twice is a usage error
    (two formats would overwrite each other), found before anything is written."""
    seen: dict[Path, Format] = {}
    for fmt, path in outputs.items():
        other = seen.setdefault(path.resolve(), fmt)
        if other is not fmt:
            raise UsageError(f"--{other.name} and --{fmt.name} both write {path}: give two files")
    for fmt, path in outputs.items():
        fmt.write(report, path)


def store_for(root: Path, db: str | None) -> Store:
    """Open (and migrate) the store of a repository."""
    from maturity.store import open_store

    return open_store(store_url(root, db))


class Saving:
    """Where a command that stores its run will save it: a store opened ahead in a forked
    process while the run measures (``maturity.store.ahead``), else in-process at the end.
    The URL is checked first, so a malformed one fails before anything is measured."""

    def __init__(self, root: Path, db: str | None, store: bool) -> None:
        self.url, self.ahead = store_url(root, db) if store else "", None
        self.report: RunReport | None = None
        if store:
            from maturity.store.ahead import StoreAhead

            self.ahead = StoreAhead.open(self.url)

    def __enter__(self) -> Saving:
        return self

    def __exit__(self, *_: object) -> None:
        if self.ahead is not None:
            self.ahead.close()

    def send(self, report: RunReport) -> None:
        """The run to store, as soon as it is evaluated: the store opened ahead saves it
        while the command prints it (in-process, ``saved`` does)."""
        self.report = report
        if self.ahead is not None:
            self.ahead.send(report)

    def saved(self) -> tuple[int, str]:
        """Wait until the run is stored: its id and the store's URL as shown."""
        if self.ahead is not None:
            return self.ahead.saved()
        if self.report is None:
            raise RuntimeError("Saving.saved() before Saving.send()")
        from maturity.store import open_store, save_run

        history = open_store(self.url)
        return save_run(history, self.report), history.url


def store_url(root: Path, db: str | None) -> str:
    """``--db``, else ``$MATURITY_DATABASE_URL``, else ``.maturity/history.db`` (made
    git-ignored before it is created)."""
    url = resolve_url(root.resolve(), db)
    check_form(url)
    if url == default_url(root.resolve()):
        try:
            ignore_generated(root.resolve())
        except OSError as exc:
            from maturity.store import StoreError

            where = root.resolve() / ".maturity"
            cause = "not a directory" if where.exists() and not where.is_dir() else exc.strerror
            raise StoreError(f"cannot use database {url}: {where}: {cause}") from None
    return url


def actor(root: Path, given: str | None) -> str:
    """Who is acting: --by, else git's user.name, else the login name."""
    if given:
        return given
    return user_name(root) or getpass.getuser()


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


def error_line(exc: Exception) -> str:
    """How a user error is shown: one line on stderr, never a traceback."""
    return f"maturity: error: {exc}"


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors, and command lines click refuses (an unknown
    option, a value out of range), are one line on stderr with their exit code.

    SIGINT (Ctrl-C) and SIGTERM stop every tool maturity started (their whole process
    groups), then maturity exits with one line and 128 + the signal number: 130, 143.

    Called without ``argv`` (the ``maturity`` command itself), the process ends without
    the interpreter's teardown (see ``leave``).
    """
    if argv is None:  # the process is ours: collect its garbage less often (see ``leave``)
        gc.set_threshold(GC_THRESHOLD)
    code = _run(argv)
    if argv is None:
        leave(code)
    sys.exit(code)


GC_THRESHOLD = 50_000  # allocations between two collections of the youngest objects (700)


def _run(argv: list[str] | None) -> int:
    """Run the command; its exit code."""
    try:
        with interrupt_on_signals():
            code = app(args=argv, prog_name="maturity", standalone_mode=False)
    except MaturityError as exc:
        print(error_line(exc), file=sys.stderr)
        return exc.exit_code
    except Interrupted as exc:
        print(f"maturity: interrupted by {exc}: the tools it ran were stopped", file=sys.stderr)
        return exc.exit_code
    except click.NoArgsIsHelpError as exc:  # bare `maturity`: the help, as before
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx else ""
        message = " ".join(exc.format_message().split())
        print(f"maturity: error: {where}{message}", file=sys.stderr)
        return EXIT_USAGE
    except click.ClickException as exc:
        print(f"maturity: error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("maturity: aborted", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once its output is written and its databases are
    closed, without the interpreter's teardown: freeing every object and module one by
    one takes a tenth of a second after a warm run, for nothing. The ordinary exit is
    kept whenever something may still need it: another thread still running, coverage,
    a profiler or a debugger watching this process (they write their data at exit), or
    output that cannot be flushed (a closed pipe: the interpreter reports it as before)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # closed, or no stream at all (None)
        sys.exit(code)
    if watched() or threading.active_count() > 1:
        sys.exit(code)
    if "maturity.store.database" in sys.modules:
        from maturity.store.database import close_all

        close_all()
    os._exit(code)
