"""``maturity history``: the trend table's columns are headed by the model's short titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.cli.history import TREND_COLUMNS
from maturity.model import SHORT_TITLES
from maturity.store import default_url, open_store, save_run
from tests.helpers import cli, write_tree
from tests.unit.test_reports import make_report


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "r", {
        "pyproject.toml": '[tool.maturity.components.player_experience]\nstage = "development"\n',
        "src/player_experience/__init__.py": "",
    })  # fmt: skip
    report = make_report()
    report.components[0].criteria[0].value = 72.5
    save_run(open_store(default_url(root)), report)
    return root


def runs_header(out: str) -> str:
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if " run " in line and " commit " in line)
    top = next(i for i in range(first, -1, -1) if lines[i].startswith("┏"))
    return "\n".join(lines[top:first + 1])  # fmt: skip


def test_trend_columns_are_headed_by_the_short_titles(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = cli("history", "player_experience", str(repo))
    assert code == 0, err
    header = runs_header(out)
    assert [SHORT_TITLES[c] in header for c in TREND_COLUMNS] == [True] * len(TREND_COLUMNS)
    assert "72.5" in out


def test_narrow_terminals_wrap_the_headings_never_the_run_when_and_commit(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = cli("history", "player_experience", str(repo))
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("│ 1 "))
    assert "2026-11-24T05:00" in row and "01234567" in row and "72.5" in row
    assert max(len(line) for line in out.splitlines()) <= 80
