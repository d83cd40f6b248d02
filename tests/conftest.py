"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write_tree

PYPROJECT = """
[tool.pytest.ini_options]
pythonpath = ["src"]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository directory with a pytest config putting src/ on the path."""
    return write_tree(tmp_path / "repo", {"pyproject.toml": PYPROJECT})
