"""The TTY progress display names what is running and what could not measure."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, TextColumn

from maturity.cli import TerminalProgress
from maturity.facts import FindingsFacts


def test_progress_shows_each_collector_and_its_outcome() -> None:
    console = Console(record=True, force_terminal=True, width=100)
    with Progress(TextColumn("{task.description}"), console=console) as bar:
        progress = TerminalProgress(bar)
        progress.started("ruff", "ruff")
        progress.started("pyright", "pyright")
        assert [t.description for t in bar.tasks] == ["running ruff", "running pyright"]
        progress.finished("ruff", FindingsFacts(), 0.1)
        progress.finished("pyright", FindingsFacts(error="pyright not found"), 0.1)
        assert [t.description for t in bar.tasks] == [
            "ruff: [green]done[/]",
            "pyright: [yellow]could not measure[/]",
        ]
        assert all(t.finished for t in bar.tasks)
