"""File formats of a run report, behind one interface, in one registry.

A format renders a ``RunReport`` to text and writes it to a file: atomically (readers
never see half a file), or appended (a CI step summary). ``maturity run`` and
``maturity check`` offer ``--<name> FILE`` for every format registered for them in
``FORMATS``: adding a format is one class (here or in its own module) and one entry.
The terminal view is not a file format; it is ``report.terminal``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from maturity.errors import UsageError
from maturity.model import RunReport
from maturity.report.files import atomic_write
from maturity.report.json_report import to_json
from maturity.report.junit import render_junit
from maturity.report.markdown import pr_summary, render_markdown
from maturity.report.sarif import render_sarif


class Format(ABC):
    """One file format of the run report."""

    name: ClassVar[str]  # the option: --<name> FILE
    help: ClassVar[str]
    commands: ClassVar[tuple[str, ...]] = ("run", "check")  # the commands that offer it
    append: ClassVar[bool] = False  # add to the file (a CI step summary) instead of replacing

    @abstractmethod
    def render(self, report: RunReport) -> str:
        """The report as this format's text."""

    def write(self, report: RunReport, path: Path) -> None:
        """Write (or append) the rendered report; a path that cannot be written is a
        usage error naming it, never a traceback, and never half a file. A missing
        directory is created, as ``mkdir -p`` would."""
        text = self.render(report)
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:  # e.g. --json /etc/hostname/r.json
            raise UsageError(f"--{self.name} {path}: cannot write: {blocker} is not a directory")
        try:
            if self.append:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                atomic_write(path, text)
        except OSError as exc:
            cause = exc.strerror or str(exc)
            raise UsageError(f"--{self.name} {path}: cannot write: {cause}") from None


class Json(Format):
    """The versioned JSON report (docs/json-report.md)."""

    name = "json"
    help = "Write the JSON report here."

    def render(self, report: RunReport) -> str:
        """Indented JSON of the schema ``maturity schema`` prints."""
        return to_json(report)


class Markdown(Format):
    """The run as Markdown: the summary table, then each promotion issue."""

    name = "markdown"
    help = "Write promotion issues (Markdown) here."
    commands = ("run",)

    def render(self, report: RunReport) -> str:
        """The summary and the spec's promotion issue of each component."""
        return render_markdown(report)


class Summary(Format):
    """A compact Markdown table for a CI step summary (e.g. $GITHUB_STEP_SUMMARY)."""

    name = "summary"
    help = "Append a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)."
    commands = ("check",)
    append = True

    def render(self, report: RunReport) -> str:
        """Component by criterion, the status icon and figure in each cell."""
        return pr_summary(report)


class Junit(Format):
    """JUnit XML for CI test reporters: a suite per component, a case per criterion."""

    name = "junit"
    help = "Write a JUnit XML report here (CI test reporters)."

    def render(self, report: RunReport) -> str:
        """Failures, errors (not measured) and skipped (waived) criteria (docs/junit.md)."""
        return render_junit(report)


class Sarif(Format):
    """SARIF 2.1.0: one result per finding at a file, for code scanning (docs/sarif.md)."""

    name = "sarif"
    help = "Write the findings as SARIF 2.1.0 here (e.g. for GitHub code scanning)."

    def render(self, report: RunReport) -> str:
        """Rules from the criteria, a result per located finding, notifications for the rest."""
        return render_sarif(report)


FORMATS: tuple[Format, ...] = (Json(), Markdown(), Summary(), Junit(), Sarif())


def formats_for(command: str) -> list[Format]:
    """The formats a command offers, in registry order."""
    return [f for f in FORMATS if command in f.commands]
