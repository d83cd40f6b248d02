"""``maturity check --baseline`` on a real git repository with the real tools: a change that
breaks a unit test that passed on main fails, though the component holds no stage it
breaks; the baseline comes from the run stored for the merge-base, or a JSON report file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import cli, write_tree

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture
def forked(tmp_path: Path) -> Path:
    """main measured and stored; a branch that breaks a unit test and adds a ruff finding."""
    repo = write_tree(tmp_path / "repo", GOOD)
    (repo / ".gitignore").write_text(".maturity/history.db*\n.maturity/runs/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main")
    code, _, err = cli("run", str(repo), "--json", str(tmp_path / "main.json"))
    assert code == 0, err
    git(repo, "checkout", "-qb", "change")
    test = repo / "tests" / "unit" / "test_ops.py"
    test.write_text(test.read_text() + "\n\ndef test_broken():\n    assert add(2, 2) == 5\n")
    ops = repo / "src" / "calc" / "ops.py"
    ops.write_text("import os\n" + ops.read_text())
    git(repo, "commit", "-qam", "break")
    return repo


def test_a_change_that_breaks_what_main_met_fails_the_ratchet(forked: Path) -> None:
    # without a baseline the component holds development, which requires nothing: exit 0
    code, _, err = cli("check", str(forked), "--no-store", "-q")
    assert code == 0, err
    summary = forked.parent / "summary.md"
    code, out, err = cli(
        "check", str(forked), "--no-store", "--baseline", "main", "--summary", str(summary)
    )
    assert code == 1
    main = git(forked, "rev-parse", "main")
    assert f"run #1 stored for {main[:12]}, the merge-base with main" in out
    lines = [line for line in err.splitlines() if line.startswith("regression: ")]
    raw = subprocess.run(
        [str(BIN / "ruff"), "check", "--output-format", "json", "src/calc"],
        cwd=forked, capture_output=True, text=True, check=False,
    )  # fmt: skip
    findings = len(json.loads(raw.stdout))
    assert findings >= 1
    assert lines == [
        "regression: calc: All unit tests passing: 1 passed → fail (1 passed, 1 failed) (met in"
        " the baseline, not met now) [dev.unit_tests]",
        f"regression: calc: Linting clean (ruff): 0 findings → fail ({findings} finding"
        f"{'s' if findings > 1 else ''}) (met in the baseline, not met now) [dev.ruff]",
    ]
    text = summary.read_text()
    assert "| calc | All unit tests passing | 1 passed | fail (1 passed, 1 failed) |" in text


def test_the_baseline_can_be_a_report_file(forked: Path) -> None:
    report = forked.parent / "main.json"
    out = forked.parent / "pr.json"
    code, _, err = cli(
        "check", str(forked), "--no-store", "--baseline", str(report), "--json", str(out)
    )
    assert code == 1
    document = json.loads(out.read_text())
    assert document["baseline"]["source"] == f"report file {report}"
    assert document["baseline"]["commit"] == git(forked, "rev-parse", "main")
    assert [r["criterion"] for r in document["baseline"]["regressions"]] == [
        "dev.unit_tests",
        "dev.ruff",
    ]
    assert "regression: calc: Linting clean (ruff): 0 findings → fail (" in err


def test_no_baseline_says_so_and_gates_on_the_held_stage(forked: Path) -> None:
    git(forked, "checkout", "-q", "--orphan", "lonely")
    git(forked, "commit", "-qm", "no common history")
    code, out, err = cli("check", str(forked), "--no-store", "--baseline", "main")
    assert code == 0, err
    assert "no baseline: no report file 'main', and HEAD and 'main' have no common history" in err
    assert "gating on the held stage only" in " ".join(out.split())
    code, _, err = cli("check", str(forked), "--no-store", "--baseline", "no-such-ref")
    assert code == 0
    assert "'no-such-ref' is not a commit in this repository" in err
    broken = forked.parent / "broken.json"
    broken.write_text('{"schema_version": "2.0"}')
    code, _, err = cli("check", str(forked), "--no-store", "--baseline", str(broken))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "not a maturity JSON report" in err


def test_the_generated_workflow_fails_a_pull_request_that_breaks_a_test_main_passed(
    tmp_path: Path,
) -> None:
    """The push job's and the pull request job's own scripts, as `maturity init` wrote
    them, run with bash -e and the real maturity: main's report is the artifact, the pull
    request's check compares with it, writes the step summary and SARIF, and fails."""
    from tests.integration.test_init_workflows import QUALITY_FILE, run_script, workflow

    repo = write_tree(tmp_path / "repo", GOOD)
    (repo / ".gitignore").write_text(".venv\n")
    (repo / ".venv").symlink_to(Path(sys.prefix))  # the runner's venv: the repo's deps + maturity
    git(repo, "init", "-q", "-b", "main")
    code, _, err = cli(
        "init", str(repo), "--force", "--install", "maturity @ git+https://example.org/m@v1"
    )
    assert code == 0, err
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main")
    jobs = workflow(repo, QUALITY_FILE)["jobs"]
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_STEP_SUMMARY": str(summary),
           "DEFAULT_BRANCH": "main"}  # fmt: skip
    env.pop("MATURITY_DATABASE_URL", None)

    def step(job: str, command: str) -> subprocess.CompletedProcess[str]:
        script = run_script(jobs[job]["steps"], command)["run"]
        return subprocess.run(
            ["bash", "-e", "-c", script], cwd=repo, env=env,
            capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip

    pushed = step("report", "maturity run")
    assert pushed.returncode == 0, pushed.stderr
    artifact = tmp_path / "maturity-baseline" / "maturity-report.json"
    artifact.parent.mkdir()
    (repo / "maturity-report.json").rename(artifact)  # what the download action fetches
    assert (repo / "maturity.sarif").is_file()
    (repo / "maturity.sarif").unlink()

    git(repo, "checkout", "-qb", "change")
    test = repo / "tests" / "unit" / "test_ops.py"
    test.write_text(test.read_text() + "\n\ndef test_broken():\n    assert add(2, 2) == 5\n")
    git(repo, "commit", "-qam", "break a test")
    checked = step("check", "maturity check")
    assert checked.returncode == 1, checked.stderr
    assert (
        "regression: calc: All unit tests passing: 1 passed → fail (1 passed, 1 failed) (met in"
        " the baseline, not met now) [dev.unit_tests]"
    ) in checked.stderr
    text = summary.read_text()
    assert text.startswith("## Component maturity")
    assert f"### Against the baseline (report file {artifact}" in text
    assert "| calc | All unit tests passing | 1 passed | fail (1 passed, 1 failed) |" in text
    assert (repo / "maturity-summary.md").read_text() == text  # the sticky comment's body
    sarif = json.loads((repo / "maturity.sarif").read_text())
    assert sarif["version"] == "2.1.0"
