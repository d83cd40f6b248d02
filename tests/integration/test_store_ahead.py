"""The store opened ahead in a forked process (``maturity.store.ahead``), on a real
SQLite file and a real PostgreSQL server.

The fork happens only in a process nothing traces (coverage would lose the child's
data), so each case runs in a fresh interpreter without coverage, as ``maturity`` runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from maturity.store import load_run, open_store, run_count
from maturity.store.ahead import StoreAhead
from tests.unit.test_reports import make_report

SRC = Path(__file__).resolve().parents[2] / "src"
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}

# In a fresh interpreter: open ahead, then (unless told to fail) save the report; print
# what came back (the run's id, or the error and its exit code) and the child's fate.
SCRIPT = """
import json, sys
from pathlib import Path
from maturity.errors import MaturityError
from maturity.model import RunReport
from maturity.store.ahead import StoreAhead

url, report_file, action = sys.argv[1:4]
ahead = StoreAhead.open(url)
if ahead is None:
    print(json.dumps({"forked": False}))
    sys.exit()
out = {"forked": True}
try:
    if action == "save":
        report = RunReport.model_validate_json(Path(report_file).read_text())
        ahead.send(report)
        out["id"], out["url"] = ahead.saved()
except MaturityError as exc:
    out["error"], out["exit"] = str(exc), exc.exit_code
finally:
    ahead.close()
print(json.dumps(out))
"""


def ahead(url: str, tmp_path: Path, action: str = "save") -> dict:
    """Run SCRIPT in a fresh interpreter (no coverage, one thread): what it printed."""
    report = tmp_path / "report.json"
    report.write_text(make_report().model_dump_json(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, str(report), action],
        capture_output=True, text=True, timeout=120, check=False,
        env={**CLEAN_ENV, "PYTHONPATH": str(SRC)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the child never writes to the parent's output
    return json.loads(done.stdout)


def test_a_run_saved_ahead_reads_back_whole(db_url: str, tmp_path: Path) -> None:
    out = ahead(db_url, tmp_path)
    assert out["forked"] is True
    store = open_store(db_url)
    assert out["url"] == store.url
    assert load_run(store, out["id"]) == make_report()
    assert run_count(store) == 1


def test_a_run_that_ends_without_a_report_stores_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    assert ahead(url, tmp_path, action="close") == {"forked": True}
    assert run_count(open_store(url)) == 0  # the child opened (migrated) it, saved nothing


def test_a_store_the_child_cannot_open_is_the_same_one_line_error(tmp_path: Path) -> None:
    garbage = tmp_path / "history.db"
    garbage.write_bytes(b"not a database" * 100)
    url = f"sqlite:///{garbage}"
    out = ahead(url, tmp_path)
    with pytest.raises(Exception) as in_process:
        open_store(url)
    assert (out["error"], out["exit"]) == (str(in_process.value), 4)
    assert garbage.read_bytes() == b"not a database" * 100  # left untouched


def test_an_unreachable_server_is_the_same_one_line_error(tmp_path: Path) -> None:
    from tests.servers import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x"
    out = ahead(url, tmp_path)
    assert out["exit"] == 4
    assert out["error"].startswith("cannot use database postgresql+psycopg://nobody@127.0.0.1:")


def test_no_fork_while_another_thread_runs(tmp_path: Path) -> None:
    """A fork copies only the calling thread: with another one running (whatever lock
    it holds stays held in the child), the caller saves in-process instead."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert StoreAhead.open(f"sqlite:///{tmp_path / 'history.db'}") is None
    finally:
        stop.set()
        other.join()
    assert not (tmp_path / "history.db").exists()
