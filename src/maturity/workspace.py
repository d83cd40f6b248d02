"""Workspace monorepos: members with a ``pyproject.toml`` of their own.

The members are what the root declares: ``[tool.uv.workspace] members`` (with its
``exclude``), ``[tool.pdm.workspace] members``, ``[tool.hatch.envs.<env>.workspace]
members``, or Poetry path dependencies inside the repository; when the root declares
nothing, every ``libs/*/pyproject.toml`` and ``packages/*/pyproject.toml``. Each member
becomes one component: its name from ``[project].name`` (normalised), its project
directory (the member), its source directory (the package inside it) and its unit tests
(``tests/``, or its ``unit/`` / ``unit_tests/`` subdirectory when it keeps them apart).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maturity.errors import WorkspaceError
from maturity.paths import repo_relative

FALLBACK_GLOBS = ("libs/*", "packages/*")
NOT_SOURCES = frozenset(
    {"tests", "test", "docs", "doc", "examples", "example", "scripts", "benchmarks", "bench"}
)
TEST_DIRS = ("tests", "test")
# a member's unit tests, when its test directory keeps them apart from tests that need
# services (as the root's tests/unit/ is preferred to tests/): tests/unit_tests/ is
# LangChain's convention, whose integration_tests/ beside it reuse the same file names
UNIT_DIRS = ("unit", "unit_tests")


@dataclass
class Member:
    """One workspace member, resolved to a component."""

    name: str  # the component name
    distribution: str  # [project].name as written
    project: str  # repo-relative project directory (holds its pyproject.toml)
    source: str  # repo-relative source directory
    tests: list[str] = field(default_factory=list)


def read_pyproject(path: Path, shown: str) -> dict[str, Any]:
    """A pyproject.toml parsed, or a one-line error naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(shown, None, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(shown, None, f"not valid TOML: {exc}") from None


def declared_globs(data: dict[str, Any]) -> tuple[str, list[str], list[str]] | None:
    """The key declaring the workspace, its member globs and its excluded globs; None when
    the root declares no workspace."""
    tool = data.get("tool") or {}
    uv = (tool.get("uv") or {}).get("workspace")
    if isinstance(uv, dict) and "members" in uv:
        return "tool.uv.workspace.members", _strings(uv["members"]), _strings(uv.get("exclude"))
    pdm = (tool.get("pdm") or {}).get("workspace")
    if isinstance(pdm, dict) and "members" in pdm:
        return "tool.pdm.workspace.members", _strings(pdm["members"]), []
    for env_name, env in ((tool.get("hatch") or {}).get("envs") or {}).items():
        workspace = env.get("workspace") if isinstance(env, dict) else None
        if isinstance(workspace, dict) and "members" in workspace:
            key = f"tool.hatch.envs.{env_name}.workspace.members"
            return key, _strings(workspace["members"]), _strings(workspace.get("exclude"))
    poetry = tool.get("poetry") or {}
    tables = [poetry.get("dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    paths = [
        spec["path"]
        for table in tables
        for spec in table.values()
        if isinstance(spec, dict) and isinstance(spec.get("path"), str)
    ]
    if paths:
        return "tool.poetry.dependencies (path dependencies)", paths, []
    return None


def _strings(value: object) -> list[str]:
    """Globs as strings: hatch also allows ``{path = "..."}`` tables."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError("must be a list")
    out: list[str] = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            out.append(item["path"])
        elif isinstance(item, str):
            out.append(item)
        else:
            raise TypeError(f"{item!r} is not a path")
    return out


def component_names(distributions: list[str]) -> list[str]:
    """Component names from distribution names: lower-cased, ``-``/``.`` as ``_``, and the
    first word dropped when every member shares it (``acme-checkpoint-sqlite`` →
    ``checkpoint_sqlite``; a member named just ``acme`` keeps its name)."""
    words = [re.split(r"[-_.]+", d.lower()) for d in distributions]
    firsts = {w[0] for w in words}
    drop = len(distributions) > 1 and len(firsts) == 1
    return ["_".join(w[1:] if drop and len(w) > 1 else w) for w in words]


def _is_package_dir(path: Path) -> bool:
    """A directory of Python code: an identifier name holding ``.py`` files somewhere."""
    if not path.name.isidentifier() or path.name in NOT_SOURCES:
        return False
    return next(path.rglob("*.py"), None) is not None


def source_directory(root: Path, project: Path, shown: str) -> str:
    """The member's source directory: its one package (under ``src/`` if it has one),
    descending through namespace directories that only hold one directory."""
    base = project / "src" if (project / "src").is_dir() else project
    packages = sorted(
        p for p in base.iterdir() if p.is_dir() and p.name[:1] != "." and _is_package_dir(p)
    )
    if not packages:
        raise WorkspaceError(shown, None, f"no Python package in {base.relative_to(root)}/")
    if len(packages) > 1:
        if base.name == "src":
            return base.relative_to(root).as_posix()
        names = ", ".join(p.name for p in packages)
        raise WorkspaceError(
            shown,
            None,
            f"several packages ({names}): declare the component's path in"
            " [tool.maturity.components]",
        )
    package = packages[0]
    while not (package / "__init__.py").exists() and not any(package.glob("*.py")):
        inner = [p for p in package.iterdir() if p.is_dir() and _is_package_dir(p)]
        if len(inner) != 1:
            break
        package = inner[0]
    return package.relative_to(root).as_posix()


def discover(
    root: Path, names: dict[str, str] | None = None, globs: list[str] | None = None
) -> list[Member]:
    """The workspace members of the repository at ``root`` (empty when it has none).

    ``globs`` overrides what the root declares; ``names`` maps a member's project
    directory (or distribution name) to the component name to use instead of the
    derived one."""
    names = names or {}
    root_pyproject = root / "pyproject.toml"
    data = read_pyproject(root_pyproject, "pyproject.toml") if root_pyproject.is_file() else {}
    shown, key = "pyproject.toml", "tool.maturity.workspace.members"
    excludes: list[str] = []
    if globs is None:
        try:
            declared = declared_globs(data)
        except TypeError as exc:
            raise WorkspaceError(shown, "tool.*.workspace.members", str(exc)) from None
        if declared is None:  # the conventional places, when the root declares nothing
            found = [p.parent for g in FALLBACK_GLOBS for p in root.glob(f"{g}/pyproject.toml")]
            return _members(root, sorted(found), names)
        key, globs, excludes = declared
    excluded = {p.resolve() for pattern in excludes for p in root.glob(pattern)}
    projects: list[Path] = []
    for pattern in globs:
        try:
            repo_relative(root, pattern.replace("*", "x"))
            matched = sorted(p for p in root.glob(pattern) if p.is_dir())
        except ValueError as exc:
            raise WorkspaceError(shown, key, f"member {pattern!r}: {exc}") from None
        if not matched:
            raise WorkspaceError(shown, key, f"member {pattern!r} matches no directory")
        for path in matched:
            if path.resolve() in excluded or path.resolve() == root.resolve():
                continue
            if not (path / "pyproject.toml").is_file():
                rel = path.relative_to(root).as_posix()
                raise WorkspaceError(shown, key, f"member {rel!r} has no pyproject.toml")
            if path not in projects:
                projects.append(path)
    return _members(root, projects, names)


def _members(root: Path, projects: list[Path], names: dict[str, str]) -> list[Member]:
    distributions: list[str] = []
    for project in projects:
        rel = project.relative_to(root).as_posix()
        shown = f"{rel}/pyproject.toml"
        data = read_pyproject(project / "pyproject.toml", shown)
        name = (data.get("project") or {}).get("name")
        if not isinstance(name, str) or not name.strip():
            name = ((data.get("tool") or {}).get("poetry") or {}).get("name")
        if not isinstance(name, str) or not name.strip():
            raise WorkspaceError(shown, "project.name", "missing: every member needs its name")
        distributions.append(name)
    derived = component_names(distributions)
    members: list[Member] = []
    seen: dict[str, str] = {}
    for project, dist, default in zip(projects, distributions, derived, strict=True):
        rel = project.relative_to(root).as_posix()
        shown = f"{rel}/pyproject.toml"
        name = names.get(rel, names.get(dist, default))
        if not name.isidentifier():
            raise WorkspaceError(
                shown,
                "project.name",
                f"{dist!r} gives the component name {name!r}, not a Python identifier:"
                f' name it in [tool.maturity.workspace.names] ("{rel}" = "...")',
            )
        if name in seen:
            raise WorkspaceError(
                shown,
                "project.name",
                f"component name {name!r} is also {seen[name]}'s: name one in"
                f' [tool.maturity.workspace.names] ("{rel}" = "...")',
            )
        seen[name] = rel
        source = source_directory(root, project, shown)
        members.append(Member(name, dist, rel, source, member_tests(project, rel)))
    return members


def member_tests(project: Path, rel: str) -> list[str]:
    """The member's unit tests: ``tests/`` (or ``test/``), its ``unit/`` or
    ``unit_tests/`` subdirectory when it has one; nothing when it has neither."""
    for name in TEST_DIRS:
        if (project / name).is_dir():
            unit = next((u for u in UNIT_DIRS if (project / name / u).is_dir()), None)
            return [f"{rel}/{name}/{unit}" if unit else f"{rel}/{name}"]
    return []
