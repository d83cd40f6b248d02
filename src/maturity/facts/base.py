"""Facts every collector shares: the tool that measured, and findings of static tools."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ToolFacts:
    """Fields every collector's facts share."""

    error: str | None = None
    command: str | None = None
    tool: str | None = None
    version: str | None = None
    path: str | None = None
    cached_from: str | None = None  # the run that measured these facts, when reused
    carried: str | None = None  # --changed-since: what was carried from REF's run, and how


@dataclass(frozen=True)
class Finding:
    """One finding of a static analysis tool (ruff, pyright, bandit)."""

    file: str
    line: int | None  # None: the tool gave no location inside the file
    code: str
    message: str
    severity: str  # tool's own severity word, lower-case: error/warning/low/medium/high


@dataclass
class FindingsFacts(ToolFacts):
    """Findings of one tool, plus files it could not analyse."""

    findings: list[Finding] = field(default_factory=list)
    failed_files: dict[str, str] = field(default_factory=dict)  # file -> reason
    general: list[str] = field(default_factory=list)  # diagnostics of no file: the run's
