"""Two `maturity run` processes writing to one database at the same time both land."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from maturity.store import open_store, run_count, trend
from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import write_tree

pytestmark = pytest.mark.slow


def test_two_concurrent_runs_both_land(tmp_path: Path, db_url: str) -> None:
    # two checkouts of the same project (two CI jobs), one shared, still empty database:
    # both processes also race to create the schema
    repos = [write_tree(tmp_path / f"job{i}", GOOD) for i in (1, 2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "maturity", "run", str(repo), "--db", db_url, "--no-progress"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for repo in repos
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "stored as run #" in out
    store = open_store(db_url)
    assert run_count(store) == 2
    assert [p.values["dev.coverage"] for p in trend(store, "calc")] == [100.0, 100.0]
