"""Concurrency and kills against one store: runs measured and stored at the same time, one
of them killed with SIGKILL part way; the store stays intact and every stored run whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import write_tree

pytestmark = pytest.mark.slow


def start(repo: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "maturity", "run", str(repo), "--db", f"sqlite:///{db}",
         "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


@pytest.mark.parametrize("kill_after", [1.0, 4.0])
def test_concurrent_runs_and_a_killed_one_leave_the_store_whole(
    tmp_path: Path, kill_after: float
) -> None:
    repo = write_tree(tmp_path / "repo", GOOD)
    db = tmp_path / "history.db"
    runs = [start(repo, db) for _ in range(3)]
    victim = start(repo, db)
    time.sleep(kill_after)
    os.killpg(victim.pid, signal.SIGKILL)  # no chance to clean up, its tools included
    victim.wait(timeout=60)
    for proc in runs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in out + err
        assert "stored as run #" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = conn.execute("SELECT id FROM runs").fetchall()
        assert len(stored) in (3, 4)  # the killed run is stored whole or not at all
        for (run_id,) in stored:  # every stored run has its component and its criteria
            comps = conn.execute(
                "SELECT id FROM component_results WHERE run_id = ?", (run_id,)
            ).fetchall()
            assert len(comps) == 1
            criteria = conn.execute(
                "SELECT count(*) FROM criterion_results WHERE component_result_id = ?", comps[0]
            ).fetchone()
            assert criteria == (8,)
