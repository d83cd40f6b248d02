"""Configuration of the Staging and Production gates: load tests, suites, security audit,
Prometheus queries and incident SLAs (the ``staging``, ``security`` and ``production``
tables of ``[tool.maturity]``, and a component's ``performance`` table)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from maturity.facts.production import INCIDENT_SEVERITIES, Severity


class Strict(BaseModel):
    """A config table: unknown keys are errors (a typo must not be silently ignored), and
    values are taken as TOML typed them: ``coverage = "70"`` is an error naming the key,
    not 70 (a quoted number is a mistake we must not guess the meaning of). Enum fields
    (a stage, a severity) are written as strings, so they opt out with ``strict=False``."""

    model_config = ConfigDict(extra="forbid", strict=True)


# GitHub's rules: an owner is 1-39 letters, digits or inner hyphens; a repository name is
# letters, digits, '.', '-' and '_' (not '.' or '..'). Nothing else may reach an API URL.
GITHUB_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")
GITHUB_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def github_repo(value: str) -> str:
    """``value`` when it is a GitHub ``owner/name``; ValueError saying what is wrong."""
    owner, slash, name = value.partition("/")
    if (
        not slash
        or not GITHUB_OWNER.fullmatch(owner)
        or not GITHUB_NAME.fullmatch(name)
        or name in {".", ".."}
    ):
        raise ValueError(
            f"{value!r} is not a GitHub repository 'owner/name' (owner: letters, digits and"
            " hyphens; name: letters, digits, '.', '-' and '_')"
        )
    return value


class IssuesConfig(Strict):
    """Where open blocker issues are read from."""

    source: Literal["auto", "file", "github"] = "auto"
    file: str = ".maturity/issues.yaml"
    github_repo: str | None = None
    github_api_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"  # noqa: S105 - the name of an env var
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("github_repo")
    @classmethod
    def _owner_name(cls, value: str | None) -> str | None:
        return None if value is None else github_repo(value)


class PerformanceBars(Strict):
    """The spec's performance bars (Staging exit), overridable."""

    api_p95_ms: float = Field(default=500.0, gt=0)
    db_p95_ms: float = Field(default=100.0, gt=0)
    page_p95_ms: float = Field(default=3000.0, gt=0)
    users: int = Field(default=100, ge=1, description="Concurrent users the test must reach.")
    rps: float = Field(default=50.0, gt=0, description="Requests per second sustained.")
    memory_mb: float = Field(default=512.0, gt=0, description="Peak RSS of the process.")
    cpu_percent: float = Field(default=50.0, gt=0, description="Average CPU of one core.")


class PerformanceConfig(Strict):
    """How a component's load test runs (or where its results are read from)."""

    locustfile: str | None = Field(default=None, description="Run locust headless with it.")
    command: str | None = Field(
        default=None,
        description="Start the process under test ({port} is replaced); sampled with psutil.",
    )
    host: str | None = Field(default=None, description="Target when no command is given.")
    ready_path: str = "/health"
    users: int = Field(default=100, ge=1)
    spawn_rate: float = Field(default=50.0, gt=0)
    run_time: int = Field(default=30, ge=1, description="Seconds of load.")
    results: str | None = Field(
        default=None, description="Ingest locust's --json-file output instead of running."
    )
    api: str = r"^/api/"
    db: str = r"^(db|sql)[:.]"
    page: str = r"^/(?!api/)"

    @field_validator("api", "db", "page")
    @classmethod
    def _is_regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value


class StagingConfig(Strict):
    """Where the Staging gate finds its test suites, and its performance bars."""

    integration_tests: list[str] = Field(default_factory=lambda: ["tests/integration"])
    e2e_tests: list[str] = Field(default_factory=lambda: ["tests/e2e"])
    e2e_files: str = "tests/e2e/test_{component}_*.py"
    e2e_junit: str | None = Field(
        default=None,
        description="Read E2E results from this JUnit XML report (e.g. Playwright's junit"
        " reporter) instead of running pytest; a test belongs to a component whose name"
        " (or hyphenated name) its title contains, as `--grep <component>` selects.",
    )
    performance: PerformanceBars = Field(default_factory=PerformanceBars)


class SecurityConfig(Strict):
    """Where the security audit looks for advisories and the secrets baseline."""

    advisories: str | None = Field(
        default=None,
        description="A local OSV advisory directory (PyPA advisory-database layout):"
        " audit offline instead of asking pip-audit's online service.",
    )
    osv_url: str | None = Field(default=None, description="pip-audit --osv-url (OSV service).")
    secrets_baseline: str = ".secrets.baseline"


DEFAULT_QUERIES = {
    # {component} and {window} are replaced as plain text (PromQL's braces stay);
    # the figures are percent (uptime, error rate) or milliseconds (p95s).
    "uptime": 'avg_over_time(up{job="{component}"}[{window}]) * 100',
    "error_rate": (
        'sum(increase({component}_requests_total{status=~"5.."}[{window}]))'
        " / sum(increase({component}_requests_total[{window}])) * 100"
    ),
    "api_p95": (
        "histogram_quantile(0.95, sum by (le) "
        "(increase({component}_request_duration_seconds_bucket[{window}]))) * 1000"
    ),
    "page_p95": (
        "histogram_quantile(0.95, sum by (le) "
        "(increase({component}_page_load_seconds_bucket[{window}]))) * 1000"
    ),
    "db_p95": (
        "histogram_quantile(0.95, sum by (le) "
        "(increase({component}_db_query_duration_seconds_bucket[{window}]))) * 1000"
    ),
}


class ProductionConfig(Strict):
    """Where production figures come from, and what a breach does to ``maturity check``."""

    prometheus_url: str | None = Field(
        default=None, description="Prometheus base URL; $MATURITY_PROMETHEUS_URL overrides."
    )
    token_env: str = "PROMETHEUS_TOKEN"  # noqa: S105 - the name of an env var
    window: str = Field(default="30d", pattern=r"^[0-9]+[smhdwy]$")
    at: float | None = Field(
        default=None, description="Evaluate at this Unix time instead of now (audits, tests)."
    )
    timeout: float = Field(default=10.0, gt=0)
    on_breach: Literal["fail", "warn"] = "fail"
    uptime: float = Field(default=99.5, ge=0, le=100)
    error_rate: float = Field(default=0.5, ge=0, le=100)
    api_p95_ms: float = Field(default=500.0, gt=0)
    page_p95_ms: float = Field(default=3000.0, gt=0)
    db_p95_ms: float = Field(default=100.0, gt=0)
    queries: dict[str, str] = Field(default_factory=dict)
    incident_sla_minutes: dict[Severity, float] = Field(
        default_factory=lambda: {"P0": 15.0, "P1": 60.0, "P2": 240.0, "P3": 1440.0},
        description="Time to acknowledge per severity (P0 'immediate' = 15 minutes).",
    )

    @field_validator("incident_sla_minutes")
    @classmethod
    def _every_severity(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [s for s in INCIDENT_SEVERITIES if s not in value]
        if missing:
            raise ValueError(f"no SLA for {', '.join(missing)}")
        if any(minutes <= 0 for minutes in value.values()):
            raise ValueError("SLAs must be positive minutes")
        return value

    @field_validator("queries")
    @classmethod
    def _known_queries(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_QUERIES))
        if unknown:
            raise ValueError(f"unknown query {unknown[0]!r} (known: {', '.join(DEFAULT_QUERIES)})")
        return value
