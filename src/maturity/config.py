"""Configuration: ``[tool.maturity]`` in ``pyproject.toml`` or a ``maturity.toml``.

One schema and its reading: the file found, parsed and validated. The components it
declares are resolved into a :class:`maturity.project.Project` by ``load_project``.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from maturity.config_gates import (
    IssuesConfig,
    PerformanceConfig,
    ProductionConfig,
    SecurityConfig,
    StagingConfig,
    Strict,
)
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


class CoverageCategory(Strict):
    """A coverage category: files matching ``paths`` must reach ``threshold``."""

    threshold: float = Field(ge=0, le=100)
    paths: list[str]


class Thresholds(Strict):
    """Numeric bars of the Development exit criteria."""

    coverage: float = Field(default=70.0, ge=0, le=100)
    docstring_coverage: float = Field(default=100.0, ge=0, le=100)
    complex_modules: int = Field(
        default=8, ge=1, description="A component with this many modules needs a diagram."
    )
    complex_lines: int = Field(
        default=1000, ge=1, description="...or with this many non-blank lines of code."
    )


class BaselineConfig(Strict):
    """How much a figure may worsen against the baseline before ``check --baseline`` fails
    (the ratchet): coverage points, failing tests, findings, vulnerabilities."""

    coverage: float = Field(default=0.1, ge=0, le=100)
    tests: int = Field(default=0, ge=0)
    findings: int = Field(default=0, ge=0)
    vulnerabilities: int = Field(default=0, ge=0)


class WaiverConfig(Strict):
    """A waiver of a measured shortfall (every field but ``unmeasurable`` required); an
    expired one no longer applies, and an ``error`` stays one unless ``unmeasurable``."""

    criterion: str = Field(min_length=1)
    justification: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date
    unmeasurable: bool = False  # also waive it when it cannot be measured (status error)


class ComponentConfig(Strict):
    """One component as declared in config."""

    path: str | None = None
    project: str | None = Field(
        default=None,
        description="The component's project directory (its pyproject.toml, README, tests,"
        " tool configuration); default: the nearest directory at or above path holding a"
        " pyproject.toml.",
    )
    stage: Stage = Field(default=Stage.DEVELOPMENT, strict=False)
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


class TestsConfig(Strict):
    """``[tool.maturity.tests]``: how the unit test run is run."""

    __test__ = False  # not a pytest test class

    workers: int | Literal["auto"] | None = Field(
        default=None,
        description="pytest-xdist workers for the unit run (when the target has"
        " pytest-xdist): a number, or 'auto' for the whole CPU budget (--jobs);"
        " at most the budget. Unset: one pytest process.",
    )

    @field_validator("workers")
    @classmethod
    def _positive(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 1:
            raise ValueError("must be at least 1, or 'auto'")
        return value


class WorkspaceConfig(Strict):
    """Workspace members, when the root's own declaration (uv, pdm, hatch, Poetry path
    dependencies; else ``libs/*``, ``packages/*``) is not what to measure."""

    members: list[str] | None = Field(
        default=None, description="Member directory globs, instead of the root's declaration."
    )
    names: dict[str, str] = Field(
        default_factory=dict,
        description="Component name per member project directory (or distribution name).",
    )


class MaturityConfig(Strict):
    """The whole ``[tool.maturity]`` table."""

    src: str = "src"
    python: str | None = None
    unit_tests: list[str] | None = None
    integration_tests: str = "tests/integration/test_{component}_*.py"
    timeout: float = Field(default=900.0, gt=0, description="Seconds each tool may run.")
    jobs: int | None = Field(
        default=None, ge=1, description="CPUs the tools may use at once (default: all)."
    )
    tests: TestsConfig = Field(default_factory=TestsConfig)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    coverage_categories: dict[str, CoverageCategory] = Field(
        default_factory=lambda: {
            name: CoverageCategory(threshold=t, paths=list(p))
            for name, (t, p) in DEFAULT_CATEGORIES.items()
        }
    )
    issues: IssuesConfig = Field(default_factory=IssuesConfig)
    baseline: BaselineConfig = Field(default_factory=BaselineConfig)
    staging: StagingConfig = Field(default_factory=StagingConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    production: ProductionConfig = Field(default_factory=ProductionConfig)
    workspace: WorkspaceConfig = Field(default_factory=WorkspaceConfig)
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


def _format_loc(loc: tuple[int | str, ...], prefix: str) -> str:
    return ".".join([prefix, *[str(p) for p in loc]])


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file (UTF-8; a leading byte-order mark is tolerated)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
        raise ConfigError(path.name, None, f"not UTF-8 text ({where}): save it as UTF-8") from None
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


def validate_config(table: object, shown: str, prefix: str) -> MaturityConfig:
    """The raw table validated; a ConfigError names the file (``shown``) and the first
    key at fault (under ``prefix``, the table's own key in that file)."""
    if not isinstance(table, dict):
        raise ConfigError(shown, prefix or None, "must be a table")
    try:
        return MaturityConfig.model_validate(table)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _format_loc(err["loc"], prefix) if prefix else ".".join(map(str, err["loc"]))
        raise ConfigError(shown, key, err["msg"]) from None
