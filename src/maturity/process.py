"""Running a command: captured, bounded in time, never raising for the tool's failures."""

from __future__ import annotations

import os
import shlex
import subprocess  # nosec B404 - running the measured tools is this package's job
from dataclasses import dataclass
from pathlib import Path


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
