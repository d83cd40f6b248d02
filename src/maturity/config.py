"""Configuration: ``[tool.maturity]`` in ``pyproject.toml`` or a ``maturity.toml``.

One schema, one loader, one source of truth for components and their declared stages.
With no configuration at all, components are the packages under ``src/``.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from maturity.config_gates import (
    DEFAULT_QUERIES,
    IssuesConfig,
    PerformanceConfig,
    ProductionConfig,
    SecurityConfig,
    StagingConfig,
    Strict,
)
from maturity.errors import ConfigError
from maturity.model import Stage
from maturity.paths import repo_relative, under
from maturity.workspace import Member, discover

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


class Component(BaseModel):
    """A resolved component: name, directory, declared stage, test selectors."""

    name: str
    path: str  # the source directory: posix, relative to the repo root
    project: str = Field(
        default=".",
        description="The project directory (pyproject.toml, README, tests, tool"
        " configuration), repo-relative; '.' for the repository root.",
    )
    stage: Stage
    marker: str
    tests: list[str]
    nested: list[str] = Field(
        default_factory=list,
        description="Paths of the components inside this one: their files are not this one's.",
    )
    nested_tests: list[str] = Field(
        default_factory=list,
        description="Other components' tests paths inside this one's: their tests are theirs.",
    )
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

    def owns_test(self, relpath: str) -> bool:
        """True when a test file lies under this component's tests paths and not under a
        more specific tests path of another component."""
        return any(under(relpath, p) for p in self.tests) and not any(
            under(relpath, n) for n in self.nested_tests
        )

    def owns(self, relpath: str) -> bool:
        """True when this component owns a repo-relative posix path: the path lies inside
        it and not inside a component nested in it (the most specific component owns it)."""
        if not under(relpath, self.path):  # most paths asked about: checked first, cheaply
            return False
        return not any(under(relpath, n) for n in self.nested)


class Project(BaseModel):
    """A repository with its configuration and resolved components."""

    root: Path
    config_file: Path | None
    config: MaturityConfig
    components: list[Component]
    undeclared: list[str] = Field(
        default_factory=list, description="Packages under src/ that config does not declare."
    )

    @property
    def roots(self) -> list[str]:
        """The component directories no other component contains: what the tools are run
        on, so a nested component's files are analysed once (and owned by it)."""
        nested = {p for c in self.components for p in c.nested}
        return [c.path for c in self.components if c.path not in nested]

    def owner(self, relpath: str) -> Component | None:
        """The component owning a repo-relative path (the most specific), else None."""
        return next((c for c in self.components if c.owns(relpath)), None)

    def component(self, name: str) -> Component:
        """One component by name; KeyError when unknown."""
        for comp in self.components:
            if comp.name == name:
                return comp
        raise KeyError(name)


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
    if not config.components and (config.workspace.members is not None or not discovered):
        members = discover(root, config.workspace.names, config.workspace.members)
        declared |= _member_configs(members, declared, shown)
    components = _resolve(root, config, declared, shown, prefix)
    if not components:
        raise ConfigError(
            shown,
            None,
            "no components: declare [tool.maturity.components], put packages under"
            f" {config.src}/, or declare workspace members (libs/*/pyproject.toml …)",
        )
    undeclared = [n for n in discovered if n not in declared]
    return Project(
        root=root,
        config_file=config_file,
        config=config,
        components=components,
        undeclared=undeclared,
    )


def _member_configs(
    members: list[Member], declared: dict[str, ComponentConfig], shown: str
) -> dict[str, ComponentConfig]:
    """One component per workspace member: its source directory, project and tests."""
    out: dict[str, ComponentConfig] = {}
    for member in members:
        if member.name in declared:
            raise ConfigError(
                shown,
                "tool.maturity.workspace.names",
                f"workspace member {member.project!r} is named {member.name!r}, like the"
                f" package {member.name!r}: name it in [tool.maturity.workspace.names]",
            )
        out[member.name] = ComponentConfig(
            path=member.source, project=member.project, tests=member.tests
        )
    return out


def project_directory(root: Path, path: str) -> str:
    """The nearest directory at or above ``path`` (repo-relative) holding a
    ``pyproject.toml``, inside the repository; ``'.'`` (the root) when none does."""
    here = root / path
    while True:
        if (here / "pyproject.toml").is_file():
            return here.relative_to(root).as_posix()
        if here == root:
            return "."
        here = here.parent


def _resolve(
    root: Path,
    config: MaturityConfig,
    declared: dict[str, ComponentConfig],
    shown: str,
    prefix: str,
) -> list[Component]:
    """Components with normalised paths inside the repository, one directory each, and
    what each owns when components nest (the most specific owns a file)."""

    def comp_key(name: str, field: str) -> str:
        return f"{prefix}.components.{name}.{field}" if prefix else f"components.{name}.{field}"

    def normalised(raw: str, name: str, field: str) -> str:
        try:
            return repo_relative(root, raw)
        except ValueError as exc:
            raise ConfigError(shown, comp_key(name, field), str(exc)) from None

    if config.unit_tests is not None:
        try:
            config.unit_tests = [repo_relative(root, p) for p in config.unit_tests]
        except ValueError as exc:
            key = f"{prefix}.unit_tests" if prefix else "unit_tests"
            raise ConfigError(shown, key, str(exc)) from None
    components: list[Component] = []
    by_path: dict[str, str] = {}
    for name, cc in declared.items():
        path = normalised(cc.path or f"{config.src}/{name}", name, "path")
        if not (root / path).is_dir():
            raise ConfigError(shown, comp_key(name, "path"), f"directory {path!r} does not exist")
        if path in by_path:
            raise ConfigError(
                shown,
                comp_key(name, "path"),
                f"{path!r} is also the path of component {by_path[path]!r}:"
                " each directory belongs to one component",
            )
        by_path[path] = name
        project = (
            normalised(cc.project, name, "project") if cc.project else project_directory(root, path)
        )
        if not (root / project).is_dir():
            raise ConfigError(
                shown, comp_key(name, "project"), f"directory {project!r} does not exist"
            )
        components.append(
            Component(
                name=name,
                path=path,
                project=project,
                stage=cc.stage,
                marker=cc.marker or name,
                tests=[normalised(t, name, "tests") for t in cc.tests],
                architecture_diagram=cc.architecture_diagram,
                health_url=cc.health_url,
                performance=cc.performance,
                queries=cc.queries,
                waivers=cc.waivers,
            )
        )
    test_paths = {p: c.name for c in components for p in c.tests}
    for comp in components:
        comp.nested = sorted(p for p in by_path if p != comp.path and under(p, comp.path))
        comp.nested_tests = sorted(
            p
            for p, owner in test_paths.items()
            if owner != comp.name
            and p not in comp.tests
            and any(under(p, mine) for mine in comp.tests)
        )
    return components
