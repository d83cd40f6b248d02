"""The resolved project: a repository's components with their normalised paths (source
and project directories), what each owns when they nest, and their declared stages.

One source of truth for components: those ``[tool.maturity]`` declares, else the packages
under ``src/``, else the workspace members.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from maturity.config import (
    ComponentConfig,
    MaturityConfig,
    WaiverConfig,
    find_config,
    validate_config,
)
from maturity.config_gates import DEFAULT_QUERIES, PerformanceConfig
from maturity.errors import ConfigError
from maturity.model import Stage
from maturity.paths import repo_relative, under
from maturity.workspace import Member, discover


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
    config = validate_config(table, shown, prefix)

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
