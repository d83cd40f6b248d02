"""Facts of the security audit: dependencies, known vulnerabilities, secrets; and the
spec's patch windows per severity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from maturity.facts.base import ToolFacts

# The spec's security patching windows (Production maintenance), by severity.
PATCH_WINDOWS = {
    "critical": timedelta(hours=24),
    "high": timedelta(days=7),
    "medium": timedelta(days=30),
}


@dataclass(frozen=True)
class Vulnerability:
    """A known vulnerability of one installed distribution."""

    id: str
    package: str
    version: str
    aliases: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    severity: str | None = None
    summary: str = ""
    source: str = ""  # advisory file or service


@dataclass(frozen=True)
class Secret:
    """A potential secret detect-secrets found."""

    file: str
    line: int
    type: str
    hashed: str


@dataclass
class SecurityFacts(ToolFacts):
    """Dependencies per component, vulnerabilities per distribution, secrets."""

    dependencies: dict[str, dict[str, str]] = field(default_factory=dict)
    audit: str = ""  # how vulnerabilities were looked up
    audit_command: str = ""
    audit_error: str | None = None
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # distribution -> reason
    secrets: list[Secret] = field(default_factory=list)
    secrets_command: str = ""
    secrets_error: str | None = None
    baseline: str | None = None  # the baseline file when it exists
    baseline_entries: set[tuple[str, str]] = field(default_factory=set)  # (file, hash)
