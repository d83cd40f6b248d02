"""A tool's version: read from the installed metadata when it is a Python tool beside
maturity, else asked with ``--version``; both say the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from maturity.collectors.base import own_version, tool_version

HERE = Path(sys.executable).parent


def test_a_python_tool_beside_maturity_is_read_from_its_metadata_as_it_prints_it() -> None:
    bandit = str(HERE / "bandit")
    printed = subprocess.run([bandit, "--version"], capture_output=True, text=True, check=True)
    assert own_version(bandit) is not None
    assert own_version(bandit) == printed.stdout.split()[1]


def test_a_tool_elsewhere_or_not_a_python_script_is_asked(tmp_path: Path) -> None:
    script = tmp_path / "bandit"
    script.write_text("#!/bin/sh\necho 'bandit 0.0.7'\n", encoding="utf-8")
    script.chmod(0o755)
    assert own_version(str(script)) is None  # not beside our interpreter
    assert tool_version(str(script), tmp_path) == "0.0.7"
    assert own_version(str(HERE / "ruff")) is None  # a binary: no console-script entry point
    assert tool_version(str(HERE / "ruff"), tmp_path) is not None
