"""Configuration: ``[tool.maturity]`` in ``pyproject.toml`` or a ``maturity.toml``.

One schema, one loader, one source of truth for components and their declared stages.
With no configuration at all, components are the packages under ``src/``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from maturity.errors import ConfigError
from maturity.model import Stage

DEFAULT_CATEGORIES: dict[str, tuple[float, list[str]]] = {
    # name: (threshold %, path globs relative to the component directory)
    "critical_paths": (
        90.0,
        [
            "**/auth/**",
            "**/auth.py",
            "**/auth_*.py",
            "**/security/**",
            "**/persistence/**",
            "**/persistence.py",
            "**/storage/**",
            "**/storage.py",
            "**/db/**",
            "**/database.py",
            "**/repository.py",
            "**/repositories/**",
        ],
    ),
    "business_logic": (
        80.0,
        [
            "**/services/**",
            "**/service.py",
            "**/domain/**",
            "**/logic/**",
            "**/engine.py",
            "**/engine/**",
            "**/rules.py",
            "**/models.py",
        ],
    ),
    "utilities": (
        70.0,
        ["**/utils/**", "**/utils.py", "**/util.py", "**/helpers.py", "**/helpers/**"],
    ),
    "ui": (
        60.0,
        ["**/ui/**", "**/web/**", "**/views/**", "**/views.py", "**/templates/**", "**/cli.py"],
    ),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CoverageCategory(_Strict):
    """A coverage category: files matching ``paths`` must reach ``threshold``."""

    threshold: float = Field(ge=0, le=100)
    paths: list[str]


class Thresholds(_Strict):
    """Numeric bars of the Development exit criteria."""

    coverage: float = Field(default=70.0, ge=0, le=100)
    docstring_coverage: float = Field(default=100.0, ge=0, le=100)
    complex_modules: int = Field(
        default=8, ge=1, description="A component with this many modules needs a diagram."
    )
    complex_lines: int = Field(
        default=1000, ge=1, description="...or with this many non-blank lines of code."
    )


class IssuesConfig(_Strict):
    """Where open blocker issues are read from."""

    source: Literal["auto", "file", "github"] = "auto"
    file: str = ".maturity/issues.yaml"
    github_repo: str | None = None
    github_api_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"  # noqa: S105 - the name of an env var
    timeout: float = Field(default=10.0, gt=0)


class WaiverConfig(_Strict):
    """A waiver: every field is required; an expired one no longer applies."""

    criterion: str = Field(min_length=1)
    justification: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date


class PerformanceBars(_Strict):
    """The spec's performance bars (Staging exit), overridable."""

    api_p95_ms: float = Field(default=500.0, gt=0)
    db_p95_ms: float = Field(default=100.0, gt=0)
    page_p95_ms: float = Field(default=3000.0, gt=0)
    users: int = Field(default=100, ge=1, description="Concurrent users the test must reach.")
    rps: float = Field(default=50.0, gt=0, description="Requests per second sustained.")
    memory_mb: float = Field(default=512.0, gt=0, description="Peak RSS of the process.")
    cpu_percent: float = Field(default=50.0, gt=0, description="Average CPU of one core.")


class PerformanceConfig(_Strict):
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


class StagingConfig(_Strict):
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


class SecurityConfig(_Strict):
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


class ProductionConfig(_Strict):
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
    incident_sla_minutes: dict[Literal["P0", "P1", "P2", "P3"], float] = Field(
        default_factory=lambda: {"P0": 15.0, "P1": 60.0, "P2": 240.0, "P3": 1440.0},
        description="Time to acknowledge per severity (P0 'immediate' = 15 minutes).",
    )

    @field_validator("incident_sla_minutes")
    @classmethod
    def _every_severity(cls, value: dict[str, float]) -> dict[str, float]:
        missing = [s for s in ("P0", "P1", "P2", "P3") if s not in value]
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


class ComponentConfig(_Strict):
    """One component as declared in config."""

    path: str | None = None
    stage: Stage = Stage.DEVELOPMENT
    marker: str | None = None
    tests: list[str] = Field(
        default_factory=list, description="Test paths that belong to this component."
    )
    architecture_diagram: str | None = None
    health_url: str | None = None
    performance: PerformanceConfig | None = None
    queries: dict[str, str] = Field(
        default_factory=dict,
        description="PromQL overrides for this component; an empty string = not applicable.",
    )
    waivers: list[WaiverConfig] = Field(default_factory=list)

    @field_validator("queries")
    @classmethod
    def _known_queries(cls, value: dict[str, str]) -> dict[str, str]:
        return ProductionConfig._known_queries(value)


class MaturityConfig(_Strict):
    """The whole ``[tool.maturity]`` table."""

    src: str = "src"
    python: str | None = None
    unit_tests: list[str] | None = None
    integration_tests: str = "tests/integration/test_{component}_*.py"
    timeout: float = Field(default=900.0, gt=0, description="Seconds each tool may run.")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    coverage_categories: dict[str, CoverageCategory] = Field(
        default_factory=lambda: {
            name: CoverageCategory(threshold=t, paths=list(p))
            for name, (t, p) in DEFAULT_CATEGORIES.items()
        }
    )
    issues: IssuesConfig = Field(default_factory=IssuesConfig)
    staging: StagingConfig = Field(default_factory=StagingConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    production: ProductionConfig = Field(default_factory=ProductionConfig)
    components: dict[str, ComponentConfig] = Field(default_factory=dict)

    @field_validator("components")
    @classmethod
    def _names_are_identifiers(
        cls, value: dict[str, ComponentConfig]
    ) -> dict[str, ComponentConfig]:
        for name in value:
            if not name.isidentifier():
                raise ValueError(f"component name {name!r} is not a Python identifier")
        return value


class Component(BaseModel):
    """A resolved component: name, directory, declared stage, test selectors."""

    name: str
    path: str  # posix, relative to the repo root
    stage: Stage
    marker: str
    tests: list[str]
    architecture_diagram: str | None = None
    health_url: str | None = None
    performance: PerformanceConfig | None = None
    queries: dict[str, str] = Field(default_factory=dict)
    waivers: list[WaiverConfig] = Field(default_factory=list)

    def query(self, name: str, config: MaturityConfig) -> str:
        """The PromQL of one production figure ('' = not applicable to this component)."""
        template = self.queries.get(name, config.production.queries.get(name))
        if template is None:
            template = DEFAULT_QUERIES[name]
        return template.replace("{component}", self.name).replace(
            "{window}", config.production.window
        )

    @property
    def label(self) -> str:
        """The spec's GitHub label: ``component:<name-with-hyphens>``."""
        return f"component:{self.slug}"

    @property
    def slug(self) -> str:
        """The hyphenated name used in labels and issue titles."""
        return self.name.replace("_", "-")

    def owns(self, relpath: str) -> bool:
        """True when a repo-relative posix path lies inside this component."""
        return relpath == self.path or relpath.startswith(self.path.rstrip("/") + "/")


class Project(BaseModel):
    """A repository with its configuration and resolved components."""

    root: Path
    config_file: Path | None
    config: MaturityConfig
    components: list[Component]
    undeclared: list[str] = Field(
        default_factory=list, description="Packages under src/ that config does not declare."
    )

    def component(self, name: str) -> Component:
        """One component by name; KeyError when unknown."""
        for comp in self.components:
            if comp.name == name:
                return comp
        raise KeyError(name)


def _format_loc(loc: tuple[int | str, ...], prefix: str) -> str:
    return ".".join([prefix, *[str(p) for p in loc]])


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path.name, None, f"not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(path.name, None, f"cannot read: {exc.strerror}") from exc


def find_config(root: Path) -> tuple[Path | None, str, dict[str, Any]]:
    """The config file, the key prefix used in messages, and the raw table."""
    standalone = root / "maturity.toml"
    if standalone.is_file():
        data = _read_toml(standalone)
        table = data.get("tool", {}).get("maturity", data)
        prefix = "tool.maturity" if "tool" in data else ""
        return standalone, prefix, table
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject)
        table = data.get("tool", {}).get("maturity")
        if table is not None:
            return pyproject, "tool.maturity", table
    return None, "", {}


def _discover(root: Path, src: str) -> list[str]:
    base = root / src
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / "__init__.py").is_file())


def load_project(root: Path) -> Project:
    """Read and validate the configuration of the repository at ``root``."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(str(root), None, "not a directory")
    config_file, prefix, table = find_config(root)
    shown = config_file.name if config_file else "pyproject.toml"
    if not isinstance(table, dict):
        raise ConfigError(shown, prefix or None, "must be a table")
    try:
        config = MaturityConfig.model_validate(table)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _format_loc(err["loc"], prefix) if prefix else ".".join(map(str, err["loc"]))
        raise ConfigError(shown, key, err["msg"]) from None

    discovered = _discover(root, config.src)
    declared = config.components or {name: ComponentConfig() for name in discovered}
    components: list[Component] = []
    for name, cc in declared.items():
        path = (cc.path or f"{config.src}/{name}").strip("/")
        if not (root / path).is_dir():
            key = f"{prefix}.components.{name}.path" if prefix else f"components.{name}.path"
            raise ConfigError(shown, key, f"directory {path!r} does not exist")
        components.append(
            Component(
                name=name,
                path=path,
                stage=cc.stage,
                marker=cc.marker or name,
                tests=[t.strip("/") for t in cc.tests],
                architecture_diagram=cc.architecture_diagram,
                health_url=cc.health_url,
                performance=cc.performance,
                queries=cc.queries,
                waivers=cc.waivers,
            )
        )
    if not components:
        raise ConfigError(
            shown,
            None,
            "no components: declare [tool.maturity.components]"
            f" or put packages under {config.src}/",
        )
    undeclared = [n for n in discovered if n not in declared]
    return Project(
        root=root,
        config_file=config_file,
        config=config,
        components=components,
        undeclared=undeclared,
    )
