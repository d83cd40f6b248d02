"""The fact cache: a second run reuses the facts whose inputs did not change, and a
changed file invalidates exactly the facts of the collectors that read it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.collectors.cache import CACHE_DIR
from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import cli, write_tree
from tests.workspace_repos import WORKSPACE

pytestmark = pytest.mark.slow

CACHEABLE = ["bandit", "docs", "pyright", "ruff", "sources", "tests"]


def run(repo: Path, *extra: str) -> dict:
    out = repo.parent / "report.json"
    code, _, err = cli("run", str(repo), "--no-store", "--no-progress", "--json", str(out), *extra)
    assert code == 0, err
    return json.loads(out.read_text())


def verdicts(report: dict) -> dict:
    """Every figure and verdict of the report (not where or when it was measured)."""
    return {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"])
        for c in report["components"]
        for r in c["criteria"]
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "repo", GOOD)


def test_nothing_changed_nothing_measured_again_and_the_figures_are_the_same(repo: Path) -> None:
    cold = run(repo)
    assert cold["cached"] == []
    warm = run(repo)
    assert sorted(c["collector"] for c in warm["cached"]) == CACHEABLE
    assert {c["run"] for c in warm["cached"]} == {Path(cold_run(cold)).name}
    assert verdicts(warm) == verdicts(cold)
    # the same account of the tests; its sessions' data files are this run's own copies
    same = json.dumps(cold["tests"]).replace(cold_run(cold), cold_run(warm))
    assert warm["tests"] == json.loads(same)
    # the check-by-hand command of the reused coverage works on this run's own data file
    coverage = next(
        r for c in warm["components"] for r in c["criteria"] if r["id"] == "dev.coverage"
    )
    [command] = coverage["commands"]
    assert cold_run(warm) in command
    argv = shlex.split(command)
    out = subprocess.run(
        [sys.executable, "-m", "coverage", *argv[1:]],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert coverage["display"] in out.stdout


def cold_run(report: dict) -> str:
    """The run directory of a report (from its coverage data file)."""
    coverage = next(
        r for c in report["components"] for r in c["criteria"] if r["id"] == "dev.coverage"
    )
    return str(Path(coverage["details"]["data_file"]).parent)


@pytest.mark.parametrize(
    ("change", "measured_again"),
    [
        # a README: the documentation scan, and the test run (a test may read any file)
        ("src/calc/README.md", ["docs", "tests"]),
        # a test file: the test run and pyright (it reads every Python file)
        ("tests/unit/test_ops.py", ["pyright", "tests"]),
        # a component's source: everything that reads it
        ("src/calc/ops.py", CACHEABLE),
        # the configuration file: every tool reads it; the list of component files
        # depends only on the parsed configuration, which a comment does not change
        ("pyproject.toml", [c for c in CACHEABLE if c != "sources"]),
    ],
)
def test_a_changed_file_invalidates_exactly_the_facts_that_read_it(
    repo: Path, change: str, measured_again: list[str]
) -> None:
    run(repo)
    path = repo / change
    path.write_text(path.read_text() + "\n# changed\n" if change.endswith((".py", ".toml"))
                    else path.read_text() + "\nOne more line.\n")  # fmt: skip
    warm = run(repo)
    reused = sorted(c["collector"] for c in warm["cached"])
    assert reused == sorted(set(CACHEABLE) - set(measured_again))


def test_no_cache_measures_everything_and_a_broken_entry_is_measured_again(repo: Path) -> None:
    cold = run(repo)
    assert run(repo, "--no-cache")["cached"] == []
    for facts in (repo / CACHE_DIR / "ruff").glob("*/facts.json"):
        facts.write_text("{not json")
    warm = run(repo)
    assert "ruff" not in [c["collector"] for c in warm["cached"]]
    assert verdicts(warm) == verdicts(cold)
    assert "ruff" in [c["collector"] for c in run(repo)["cached"]]  # stored again


def test_facts_that_could_not_be_measured_are_never_reused(repo: Path) -> None:
    """A tool that timed out may not time out next time: its error is not kept."""
    (repo / "pyproject.toml").write_text(
        (repo / "pyproject.toml")
        .read_text()
        .replace(
            "[tool.maturity.components.calc]",
            "[tool.maturity]\ntimeout = 0.01\n\n[tool.maturity.components.calc]",
        )
    )
    run(repo)
    second = run(repo)
    statuses = {k: v[0] for k, v in verdicts(second).items()}
    # an interpreter (pytest, bandit) or node (pyright) cannot start in 10 ms; ruff, a
    # native binary, sometimes finishes in time, and then what it measured is kept
    for criterion in ("dev.unit_tests", "dev.coverage", "dev.pyright", "dev.security_scan"):
        assert statuses[("calc", criterion)] == "error", criterion
    reused = {c["collector"] for c in second["cached"]}
    assert not reused & {"tests", "pyright", "bandit"}
    if statuses[("calc", "dev.ruff")] == "error":  # ruff timed out this time
        assert "ruff" not in reused


def test_a_reused_workspace_run_brings_every_sessions_data_file(tmp_path: Path) -> None:
    """Each session's coverage data file is in the new run's directory, where the report
    says it is, and the combined one still reads with the raw tool."""
    repo = write_tree(tmp_path / "repo", WORKSPACE)
    cold = run(repo)
    warm = run(repo)
    assert "tests" in [c["collector"] for c in warm["cached"]]
    assert verdicts(warm) == verdicts(cold)
    sessions = warm["tests"]["sessions"]
    assert len(sessions) >= 2
    new_run = cold_run(warm)
    assert new_run != cold_run(cold)
    for session in sessions:
        if session["data_file"]:
            assert session["data_file"].startswith(new_run)
            assert (repo / session["data_file"]).is_file()
    out = subprocess.run(
        [sys.executable, "-m", "coverage", "report", f"--data-file={new_run}/.coverage"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr


def test_bytecode_a_run_writes_is_not_an_input(repo: Path) -> None:
    """A repository whose ignore rules do not cover ``__pycache__``: the ``.pyc`` files
    imports write (the test run's own) change no fact's inputs and are no change for
    ``--changed-since``."""
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    cold = run(repo)
    assert cold["cached"] == []
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(repo)], capture_output=True, check=True
    )
    assert compiled.returncode == 0
    assert list(repo.rglob("__pycache__/*.pyc"))  # real bytecode, untracked, not ignored
    warm = run(repo)
    assert sorted(c["collector"] for c in warm["cached"]) == CACHEABLE
    changed = run(repo, "--no-cache", "--changed-since", "HEAD")
    assert changed["changed_since"]["files"] == []
