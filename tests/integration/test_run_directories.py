"""Each run measures in a directory of its own; concurrent runs never share one; what
maturity generates in ``.maturity/`` never shows in ``git status``."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.rundirs import LOCK, RUNS_DIR, prune, run_directory
from maturity.workdir import ignore_generated
from tests.helpers import cli, write_tree

pytestmark = pytest.mark.slow

SHOP = {
    "src/shop/__init__.py": '"""Shop."""\n\n\ndef total(p: list[int]) -> int:\n    """Sum."""\n    return sum(p)\n',
    "tests/unit/test_shop.py": (
        "import time\n\nfrom shop import total\n\n\ndef test_total():\n"
        "    time.sleep(1)  # the two runs overlap\n    assert total([1, 2]) == 3\n"
    ),
}


def test_concurrent_runs_on_one_repository_each_keep_their_measurement(repo: Path) -> None:
    write_tree(repo, SHOP)
    argv = [sys.executable, "-m", "maturity", "run", str(repo), "--no-store", "--json"]
    procs = [
        subprocess.Popen([*argv, str(repo.parent / f"r{i}.json")], stdout=subprocess.DEVNULL)
        for i in range(2)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    data_files = set()
    for i in range(2):
        report = json.loads((repo.parent / f"r{i}.json").read_text())
        crit = {c["id"]: c for c in report["components"][0]["criteria"]}
        assert crit["dev.coverage"]["display"] == "100.0%"
        assert crit["dev.unit_tests"]["display"] == "1 passed"
        data_files.add(crit["dev.coverage"]["details"]["data_file"])
    assert len(data_files) == 2
    assert all((repo / f).is_file() for f in data_files)


def test_old_run_directories_are_pruned_unless_a_run_holds_them(tmp_path: Path) -> None:
    base = tmp_path / RUNS_DIR
    made = []
    for _ in range(4):
        with run_directory(tmp_path, keep=10) as path:
            made.append(path)
    assert sorted(p.name for p in base.iterdir() if p.is_dir()) == sorted(p.name for p in made)
    with (made[0] / LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a run still measuring in the oldest directory
        removed = prune(base, keep=1)
    assert removed == made[1:3]
    assert sorted(p for p in base.iterdir() if p.is_dir()) == [made[0], made[3]]
    assert (base / ".gitignore").read_text() == "*\n"


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return out.stdout.decode()


def test_the_first_run_leaves_git_status_clean(tmp_path: Path) -> None:
    # the repository ignores bytecode, as every one does: its tests write it, not maturity
    repo = write_tree(tmp_path / "r", {**SHOP, ".gitignore": "__pycache__/\n"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "start")
    code, _, err = cli("run", str(repo), "--no-progress")
    assert code == 0, err
    assert (repo / ".maturity/history.db").is_file()
    assert list((repo / ".maturity/runs").iterdir())
    assert git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == ""
    ignored = git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored")
    assert "!! .maturity/.gitignore" in ignored.splitlines()
    assert "!! .maturity/history.db" in ignored.splitlines()


def test_an_older_ignore_file_gets_the_missing_lines(tmp_path: Path) -> None:
    old = tmp_path / ".maturity/.gitignore"
    old.parent.mkdir()
    old.write_text("history.db*\nrun/\nmy-notes.txt\n")  # the team's, maybe committed
    ignore_generated(tmp_path)
    assert old.read_text() == "history.db*\nrun/\nmy-notes.txt\n/runs/\n/cache/\n"
    ignore_generated(tmp_path)  # nothing missing: unchanged
    assert old.read_text().count("/runs/") == 1
    old.write_text("history.db*\nrun/\n")  # what maturity itself wrote before
    ignore_generated(tmp_path)
    assert old.read_text() == "history.db*\nrun/\n/.gitignore\n/runs/\n/cache/\n"
