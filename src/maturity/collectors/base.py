"""What every collector shares: the run context, tool lookup, subprocess running."""

from __future__ import annotations

import os
import shutil
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from maturity.budget import each
from maturity.facts import ToolFacts
from maturity.paths import under, within
from maturity.process import ToolRun, run_tool, spawn, stop
from maturity.project import Project

T = TypeVar("T")

__all__ = [
    "Collector",
    "Inputs",
    "RunContext",
    "Share",
    "ToolRun",
    "find_tool",
    "locate",
    "per_project",
    "run_tool",
    "spawn",
    "stop",
    "tool_version",
]


@dataclass(frozen=True)
class Share:
    """One shard's part of a sharded run (``maturity run --shard K/N``, see
    ``maturity.shard``): its unit tests are the K-th of N parts of the collected ones
    (balanced by ``durations``), its static tools run over ``roots`` only."""

    index: int  # K, from 1
    count: int  # N
    roots: tuple[str, ...]  # the component directories its static tools run over
    durations: Path | None = None  # JSON: node id -> seconds in the previous run

    @property
    def env(self) -> dict[str, str]:
        """What tells our pytest plugin which part to run."""
        env = {"MATURITY_SHARD": f"{self.index}/{self.count}"}
        if self.durations is not None:
            env["MATURITY_SHARD_DURATIONS"] = str(self.durations)
        return env


@dataclass
class RunContext:
    """What a collector may read: the project, the interpreter, a scratch directory."""

    project: Project
    interpreter: str
    run_dir: Path  # <repo>/.maturity/run, kept after the run so figures can be checked
    db_url: str | None = None  # --db: the history store (incidents, first sightings)
    share: Share | None = None  # a sharded run's part; None: the whole run

    @property
    def root(self) -> Path:
        """The repository root."""
        return self.project.root

    @property
    def timeout(self) -> float:
        """Seconds one tool may run."""
        return self.project.config.timeout

    def projects(self) -> list[tuple[str, list[str]]]:
        """The component roots grouped by project directory: ``(project, roots relative
        to it)``, for the tools run once per project directory with its own
        configuration. The ``src/<pkg>`` layout is one group: ``(".", roots)``."""
        groups: dict[str, list[str]] = {}
        roots = self.share.roots if self.share is not None else self.project.roots
        for root in roots:
            comp = next(c for c in self.project.components if c.path == root)
            inside = root if comp.project == "." else root.removeprefix(comp.project + "/")
            groups.setdefault(comp.project, []).append(inside)
        return list(groups.items())

    def relpath(self, path: str | Path) -> str:
        """A tool's path (absolute or cwd-relative) as posix, relative to the repo root."""
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()


CONFIG_FILES = frozenset(
    {"pyproject.toml", "setup.cfg", "tox.ini", "ruff.toml", ".ruff.toml", "pyrightconfig.json",
     ".bandit", ".coveragerc", "pytest.ini", "conftest.py"}
)  # fmt: skip


@dataclass(frozen=True)
class Inputs:
    """What a collector's facts are measured from."""

    files: Callable[[str], bool]  # which repository files (posix, repo-relative) it reads
    environment: bool = False  # the target interpreter's installed distributions
    tools: tuple[str, ...] = ()  # the binaries it runs (found as the collector finds them)


def is_config(rel: str) -> bool:
    """A file that configures the tools (``pyproject.toml``, ``ruff.toml``, ``conftest.py``…)."""
    return rel.rsplit("/", 1)[-1] in CONFIG_FILES


def in_any(rel: str, roots: list[str]) -> bool:
    """``rel`` lies in one of the directories ``roots``."""
    return any(under(rel, root) for root in roots)


def source_inputs(ctx: RunContext, tool: str) -> Inputs:
    """What a static tool over the component directories reads: their Python files and
    the tools' configuration files, and the tool itself (ruff, bandit)."""
    inside = within(ctx.project.roots)

    def reads(rel: str) -> bool:
        return is_config(rel) or (rel.endswith((".py", ".pyi")) and inside(rel))

    return Inputs(files=reads, tools=(tool,))


def everything(rel: str) -> bool:
    """Every file (the test run: any file may be imported or read by a test)."""
    return True


class Collector(ABC):
    """A source of facts. ``name`` is the attribute of ``Facts`` it fills, ``facts`` the
    type it fills it with, ``title`` what progress displays show."""

    name: ClassVar[str]
    title: ClassVar[str]
    facts: ClassVar[type[ToolFacts]]

    @abstractmethod
    def collect(self, ctx: RunContext) -> ToolFacts:
        """Measure; never raise for a tool problem, report it in ``error``."""

    def inputs(self, ctx: RunContext) -> Inputs | None:
        """What the facts are measured from, for the fact cache; None: never cached
        (the facts depend on something outside the repository: a server, the time)."""
        return None


def per_project(
    ctx: RunContext, run: Callable[[str, list[str]], T]
) -> list[tuple[str, list[str], T]]:
    """``run(project, roots)`` for each project directory group, concurrently within the
    CPU budget: ``(project, roots, result)`` in order."""
    groups = ctx.projects()
    if len(groups) == 1:
        project, roots = groups[0]
        return [(project, roots, run(project, roots))]
    results = each(lambda g: run(*g), groups)
    return [(p, r, out) for (p, r), out in zip(groups, results, strict=True)]


def find_tool(name: str, ctx: RunContext | None = None) -> str | None:
    """Locate a console script: the target's venv, then beside our interpreter, then PATH."""
    candidates: list[Path] = []
    if ctx is not None:
        candidates.append(Path(ctx.interpreter).parent / name)
    candidates.append(Path(sys.executable).parent / name)
    for cand in candidates:
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return shutil.which(name)


def own_version(path: str) -> str | None:
    """The version of the Python distribution whose console script ``path`` is, when
    that script is installed beside maturity's own interpreter: read from the installed
    metadata, with no process to start (``bandit --version`` is a whole Python start-up).
    None when it is elsewhere or another distribution's script."""
    script = Path(path)
    if script.parent != Path(sys.executable).parent:
        return None
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(script.name)
    except PackageNotFoundError:
        return None
    scripts = dist.entry_points.select(group="console_scripts", name=script.name)
    return dist.version if scripts else None


def tool_version(path: str, cwd: Path) -> str | None:
    """The tool's version: its installed metadata when it is a Python tool beside
    maturity (``own_version``), else ``<tool> --version`` reduced to its version word."""
    known = own_version(path)
    if known is not None:
        return known
    run = run_tool([path, "--version"], cwd, 60)
    if run.error or run.returncode != 0:
        return None
    words = (run.stdout or run.stderr).split()
    for word in words:
        if word[:1].isdigit():
            return word.rstrip(",")
    return words[-1] if words else None


def locate(name: str, facts: ToolFacts, ctx: RunContext, version: bool = True) -> str | None:
    """Find a tool and record its name, path and version; a missing tool is an error."""
    path = find_tool(name, ctx)
    facts.tool, facts.path = name, path
    if path is None:
        facts.error = f"{name} is not installed (looked in the target venv, beside maturity, PATH)"
    elif version:
        facts.version = tool_version(path, ctx.root)
    return path
