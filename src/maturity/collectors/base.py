"""What every collector shares: the run context, tool lookup, subprocess running."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess  # nosec B404 - running the measured tools is this package's job
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from maturity.config import Project
from maturity.facts import ToolFacts


@dataclass
class RunContext:
    """What a collector may read: the project, the interpreter, a scratch directory."""

    project: Project
    interpreter: str
    run_dir: Path  # <repo>/.maturity/run, kept after the run so figures can be checked
    db_url: str | None = None  # --db: the history store (incidents, first sightings)

    @property
    def root(self) -> Path:
        """The repository root."""
        return self.project.root

    @property
    def timeout(self) -> float:
        """Seconds one tool may run."""
        return self.project.config.timeout

    def relpath(self, path: str | Path) -> str:
        """A tool's path (absolute or cwd-relative) as posix, relative to the repo root."""
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()


class Collector(Protocol):
    """A source of facts. ``name`` is the attribute of ``Facts`` it fills."""

    name: str
    title: str

    def collect(self, ctx: RunContext) -> ToolFacts:
        """Measure; never raise for a tool problem, report it in ``error``."""
        ...


@dataclass
class ToolRun:
    """The outcome of running a command."""

    command: str
    returncode: int | None
    stdout: str
    stderr: str
    error: str | None = None  # set when it could not run or timed out

    def tail(self, lines: int = 5) -> str:
        """The last lines of stderr (else stdout), on one line, for error messages."""
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return " | ".join(line.strip() for line in text[-lines:] if line.strip())


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


def run_tool(
    argv: list[str],
    cwd: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> ToolRun:
    """Run a command, capturing output; never raises for tool failures."""
    command = shlex.join(argv)
    full_env = {**os.environ, **(env or {})}
    try:
        proc = subprocess.run(  # noqa: S603  # nosec B603 - argv list, no shell
            argv,
            cwd=cwd,
            env=full_env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return ToolRun(command, None, "", "", error=f"{argv[0]} not found")
    except PermissionError:
        return ToolRun(command, None, "", "", error=f"{argv[0]} is not executable")
    except subprocess.TimeoutExpired:
        return ToolRun(command, None, "", "", error=f"timed out after {timeout:g}s")
    return ToolRun(command, proc.returncode, proc.stdout, proc.stderr)


def tool_version(path: str, cwd: Path) -> str | None:
    """``<tool> --version``, reduced to its version word."""
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
