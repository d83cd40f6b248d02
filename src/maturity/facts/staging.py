"""Facts of the Staging gate: attestations, rollback plans, health, monitoring, load tests;
and what they are checked against (the rollback plan's sections, the alerts' bars)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maturity.facts.base import ToolFacts

# The sections a rollback plan needs (the spec's list), each recognised in a heading.
ROLLBACK_SECTIONS = {
    "trigger conditions": r"trigger",
    "step-by-step procedure": r"(rollback )?(steps|procedure)",
    "database rollback": r"database",
    "estimated time": r"estimated (rollback )?time",
    "rollback testing verification": r"(testing|tested|verification|verified)",
}
# Where a component's Prometheus alert rules live (``maturity alerts`` writes them).
ALERT_RULES = "monitoring/alerts/{component}.rules.yml"
# The spec's alerting bars: error rate (a fraction) and p95 latency (seconds), each
# (warning, critical). Monitoring checks the rules fire at them; production evaluates them.
ALERT_BARS = {"error_rate": (0.01, 0.05), "latency_p95": (1.0, 3.0)}
# The request groups of a load test, each with its own p95 bar.
LOAD_GROUPS = ("api", "db", "page")


@dataclass
class AttestationFacts(ToolFacts):
    """Attestation records per component name (kind -> record), or a per-component error."""

    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class RollbackFacts(ToolFacts):
    """Per component: the plan's path (None when missing) and the sections it lacks."""

    plans: dict[str, str | None] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class HealthFacts(ToolFacts):
    """Per component with a health URL: (HTTP status or None, message)."""

    checks: dict[str, tuple[int | None, str]] = field(default_factory=dict)


@dataclass
class ComponentMonitoring:
    """What one component's code and rules file show."""

    counters: list[str] = field(default_factory=list)  # file:line
    histograms: list[str] = field(default_factory=list)
    loggers: list[str] = field(default_factory=list)
    rules_file: str | None = None
    rules_problems: list[str] = field(default_factory=list)
    promtool: str | None = None  # promtool's verdict, None when it is not installed


@dataclass
class MonitoringFacts(ToolFacts):
    """Monitoring facts per component name."""

    components: dict[str, ComponentMonitoring] = field(default_factory=dict)


@dataclass
class GroupFigures:
    """One request group's figures."""

    names: list[str] = field(default_factory=list)
    requests: int = 0
    failures: int = 0
    p95_ms: float | None = None


@dataclass
class LoadResult:
    """What one component's load test measured (``error`` when it could not)."""

    mode: str  # run / ingest
    source: str  # the locust result file, repo-relative
    command: str
    groups: dict[str, GroupFigures] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # request names in no group
    http_requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    rps: float | None = None
    peak_users: int | None = None
    memory_mb: float | None = None
    cpu_percent: float | None = None
    error: str | None = None


@dataclass
class PerformanceFacts(ToolFacts):
    """Load-test results per component name (components without config are absent)."""

    results: dict[str, LoadResult] = field(default_factory=dict)
