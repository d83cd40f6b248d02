"""Promotion, demotion, history, deployments, blocker sync and init, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from maturity import github as github_module
from maturity.store import open_store, run_count, stage_events
from tests.e2e.test_cli_fixture import GOOD
from tests.fakes.github_api import fake_github
from tests.helpers import cli, write_tree

pytestmark = pytest.mark.slow

BAD_OPS = (
    GOOD["src/calc/ops.py"]
    + """

        def sub(a: int, b: int) -> int:
            result = a
            result -= b
            doubled = result * 2
            return doubled // 2
        """
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def git_repo(root: Path, files: dict[str, str]) -> Path:
    write_tree(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dana@example.com")
    git(root, "config", "user.name", "Dana Reyes")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def stage_in_config(repo: Path) -> str:
    text = (repo / "pyproject.toml").read_text()
    return text.split("[tool.maturity.components.calc]")[1].split('"')[1]


def test_promotion_refused_then_allowed_and_recorded(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "r", {**GOOD, "src/calc/ops.py": BAD_OPS})
    code, _, err = cli("promote", "calc", "--to", "staging", str(repo))
    assert code == 1
    assert err.startswith("maturity: error: calc cannot be promoted to staging: 2 development exit")
    assert "Test coverage: total" in err and "Documentation complete" in err
    assert stage_in_config(repo) == "development"

    # fix the code, commit, run once: promotion uses that run for HEAD instead of re-running
    (repo / "src/calc/ops.py").write_text(
        (tmp_path / "r/src/calc/ops.py").read_text().split("\n\ndef sub")[0] + "\n"
    )
    git(repo, "commit", "-qam", "drop untested code")
    assert cli("run", str(repo))[0] == 0
    store = open_store(f"sqlite:///{repo}/.maturity/history.db")
    before = run_count(store)
    code, out, err = cli("promote", "calc", "--to", "staging", str(repo))
    assert code == 0, err
    assert "promotion of calc: development → staging" in out
    assert run_count(store) == before
    assert stage_in_config(repo) == "staging"
    events = stage_events(store, "calc")
    assert [(e.kind, e.from_stage, e.to_stage, e.actor, e.forced) for e in events] == [
        ("promotion", "development", "staging", "Dana Reyes", False)
    ]
    assert events[0].run_id is not None

    code, out, _ = cli("history", "calc", str(repo), "--json")
    data = json.loads(out)
    assert data["stage_changes"][0]["to"] == "staging"
    assert data["stage_changes"][0]["at"].endswith("+00:00")
    assert data["trend"][-1]["values"]["dev.coverage"] == 100.0


def test_forced_promotion_needs_a_reason_and_is_flagged(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "r", {**GOOD, "src/calc/ops.py": BAD_OPS})
    code, _, err = cli("promote", "calc", "--to", "staging", str(repo), "--force")
    assert code == 2 and "--force needs --reason" in err
    code, _, err = cli("promote", "calc", "--to", "production", str(repo))
    assert code == 2 and "promote one stage at a time" in err
    code, out, err = cli(
        "promote",
        "calc",
        "--to",
        "staging",
        str(repo),
        "--force",
        "--reason",
        "demo day",
        "--by",
        "Ana",
    )
    assert code == 0, err
    assert "(forced past failing criteria)" in out
    store = open_store(f"sqlite:///{repo}/.maturity/history.db")
    event = stage_events(store, "calc")[-1]
    assert (event.forced, event.reason, event.actor) == (True, "demo day", "Ana")

    # now at staging while failing development criteria: regressed, and check fails
    code, out, err = cli("check", str(repo))
    assert code == 1
    assert "calc: development dev.coverage" in err
    code, out, _ = cli("run", str(repo))
    assert "REGRESSED" in out

    code, out, err = cli(
        "demote", "calc", "--to", "development", "--reason", "coverage fell", str(repo)
    )
    assert code == 0, err
    assert stage_in_config(repo) == "development"
    assert [e.kind for e in stage_events(store, "calc")] == ["promotion", "demotion"]
    code, _, err = cli("demote", "calc", "--to", "staging", "--reason", "x", str(repo))
    assert code == 2 and "demotion must go to an earlier stage" in err


def test_promotion_of_a_zero_config_repo_keeps_every_component(tmp_path: Path) -> None:
    files = {k: v for k, v in GOOD.items() if k != "pyproject.toml"}
    files["pyproject.toml"] = (
        '# our project\n[tool.pytest.ini_options]\npythonpath = ["src"]\nmarkers = ["calc: x"]\n'
    )
    files["src/other/__init__.py"] = ""
    repo = git_repo(tmp_path / "z", files)
    code, _, err = cli(
        "promote", "calc", "--to", "staging", str(repo), "--force", "--reason", "try"
    )
    assert code == 0, err
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith("# our project\n[tool.pytest.ini_options]")
    assert '[tool.maturity.components.calc]\nstage = "staging"' in text
    assert '[tool.maturity.components.other]\nstage = "development"' in text


def test_deploy_and_history_table(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "r", GOOD)
    code, out, err = cli(
        "deploy", "calc", "--env", "staging", "--version", "1.4.2", str(repo), "--by", "Bo"
    )
    assert code == 0, err
    assert out.strip() == "recorded deployment #1: calc 1.4.2 to staging (success) by Bo"
    cli(
        "deploy",
        "calc",
        "--env",
        "production",
        "--version",
        "1.4.2",
        "--status",
        "rolled-back",
        str(repo),
    )
    code, out, _ = cli("history", "calc", str(repo), "--json")
    deployments = json.loads(out)["deployments"]
    assert [(d["environment"], d["status"]) for d in deployments] == [
        ("staging", "success"),
        ("production", "rolled-back"),
    ]
    cli("run", str(repo))
    code, out, _ = cli("history", "calc", str(repo))
    assert "1.4.2" in out and "rolled-back" in out and "100" in out
    assert cli("deploy", "nope", "--env", "staging", "--version", "1", str(repo))[0] == 2
    code, out, _ = cli("db", "current", str(repo))
    assert out.strip().endswith("is at revision 0008 (head 0008)")


def test_blockers_sync_is_idempotent_updates_and_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(github_module, "RETRY_DELAYS", (0.01, 0.01))
    with fake_github(repo="example/calc") as gh:
        files = {**GOOD, "src/calc/ops.py": BAD_OPS}
        files["pyproject.toml"] = files["pyproject.toml"].replace(
            'source = "file"',
            f'source = "file"\ngithub_repo = "example/calc"\ngithub_api_url = "{gh.url}"',
        )
        repo = git_repo(tmp_path / "r", files)
        assert cli("run", str(repo))[0] == 0
        code, out, _ = cli("blockers", "list", str(repo))
        assert "blocker:tests  Test coverage: total" in out
        assert "blocker:documentation  Documentation complete" in out

        code, out, _ = cli("blockers", "sync", str(repo), "--dry-run")
        assert code == 0
        assert out.splitlines() == [
            "would create: calc: documentation blockers [component:calc, blocker:documentation]",
            "would create: calc: tests blockers [component:calc, blocker:tests]",
        ]
        assert gh.writes == []
        assert cli("blockers", "sync", str(repo))[0] == 0
        assert len(gh.writes) == 2
        assert "`src/calc/ops.py:10`" in next(i["body"] for i in gh.issues if "tests" in i["title"])
        tests_issue = next(i for i in gh.issues if i["title"] == "calc: tests blockers")
        assert "**Test coverage** fails: total" in tests_issue["body"]
        assert {lbl["name"] for lbl in tests_issue["labels"]} == {"component:calc", "blocker:tests"}

        code, out, _ = cli("blockers", "sync", str(repo))  # twice: nothing changes
        assert len(gh.writes) == 2
        assert out.splitlines() == [f"unchanged #{i['number']}" for i in gh.issues]

        # docs fixed: the documentation issue closes with a comment; tests evidence changes
        ops = (
            (repo / "src/calc/ops.py")
            .read_text()
            .replace(
                "def sub(a: int, b: int) -> int:\n",
                'def sub(a: int, b: int) -> int:\n    """Subtract."""\n',
            )
        )
        (repo / "src/calc/ops.py").write_text(ops)
        assert cli("run", str(repo))[0] == 0
        code, out, _ = cli("blockers", "sync", str(repo))
        docs_issue = next(i for i in gh.issues if i["title"] == "calc: documentation blockers")
        assert docs_issue["state"] == "closed"
        assert gh.comments[docs_issue["number"]][0].startswith("Resolved: every criterion")
        assert tests_issue["state"] == "open"
        # the docstring moved the uncovered lines: same verdict, new evidence, so updated
        assert f"update #{tests_issue['number']}: calc: tests blockers" in out
        assert "`src/calc/ops.py:11`" in tests_issue["body"]

        gh.rate_limited = True
        code, _, err = cli("blockers", "sync", str(repo))
        assert code == 5
        assert err.startswith("maturity: error: GitHub API rate limit exhausted (HTTP 403")


def test_promote_can_open_the_promotion_issue(tmp_path: Path) -> None:
    with fake_github(repo="example/calc") as gh:
        files = dict(GOOD)
        files["pyproject.toml"] = files["pyproject.toml"].replace(
            'source = "file"',
            f'source = "file"\ngithub_repo = "example/calc"\ngithub_api_url = "{gh.url}"',
        )
        repo = git_repo(tmp_path / "r", files)
        code, out, err = cli("promote", "calc", "--to", "staging", str(repo), "--create-issue")
        assert code == 0, err
    issue = gh.issues[0]
    assert issue["title"] == "Promote calc to staging"
    assert {lbl["name"] for lbl in issue["labels"]} == {"component:calc", "target:staging"}
    assert "- [x] Test coverage ≥70% (currently 100.0%)" in issue["body"]
    assert "opened #1: Promote calc to staging" in out


def test_init_writes_config_and_valid_workflows(tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "i",
        {
            "src/alpha/__init__.py": "",
            "src/beta/__init__.py": "",
            "pyproject.toml": "[project]\nname = 'x'\n",
        },
    )
    code, out, err = cli(
        "init", str(repo), "--install", "maturity @ git+https://git.example/maturity"
    )
    assert code == 0, err
    assert out.splitlines() == [
        "wrote pyproject.toml",
        "wrote .maturity/issues.yaml",
        "wrote .github/workflows/component-quality-check.yml",
        "wrote .github/workflows/staging-validation.yml",
    ]
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith("[project]\nname = 'x'\n")
    assert '[tool.maturity.components.alpha]\nstage = "development"' in text
    quality = yaml.safe_load((repo / ".github/workflows/component-quality-check.yml").read_text())
    assert quality["name"] == "Component Quality Check"
    assert set(quality[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    steps = quality["jobs"]["check"]["steps"]  # the rest: tests/integration/test_init_workflows
    assert any(
        "maturity check" in s.get("run", "") and "GITHUB_STEP_SUMMARY" in s["run"] for s in steps
    )
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
    assert any("'maturity @ git+https://git.example/maturity'" in s.get("run", "") for s in steps)
    staging = yaml.safe_load((repo / ".github/workflows/staging-validation.yml").read_text())
    assert staging[True]["workflow_dispatch"]["inputs"]["component"]["required"] is True
    assert "--require staging" in staging["jobs"]["validate"]["steps"][-2]["run"]

    install = ("--install", "maturity @ git+https://git.example/maturity")
    code, _, err = cli("init", str(repo), *install)
    assert code == 2
    assert (
        "already present (use --force to overwrite): .github/workflows/component-quality-check.yml"
        in err
    )
    assert cli("init", str(repo), *install, "--force")[0] == 0


def test_database_url_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_tree(tmp_path / "r", GOOD)
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    monkeypatch.setenv("MATURITY_DATABASE_URL", url)
    code, out, err = cli("run", str(repo))
    assert code == 0, err
    assert f"stored as run #1 in {url}" in out
    assert not (repo / ".maturity" / "history.db").exists()
    assert run_count(open_store(url)) == 1


def test_sync_closes_a_duplicate_it_manages(tmp_path: Path) -> None:
    from maturity.blockers import MARKER, apply_sync, plan_sync
    from maturity.github import GitHub
    from maturity.model import Status
    from tests.unit.test_reports import make_report

    report = make_report()
    report.components[1].criteria[1].status = Status.PASS  # only ai_components' tests blocker
    with fake_github(repo="o/r") as gh:
        marker = MARKER.format(component="ai_components", category="tests")
        for n in (1, 2):
            gh.add(n, "ai-components: tests blockers", ["component:ai-components", "blocker:tests"])
            gh.issue(n)["body"] = marker + "\nold text"
        gh.add(3, "hand-written", ["component:ai-components", "blocker:tests"])
        with GitHub(gh.url, "o/r", None) as client:
            plan = plan_sync(report, client)
            assert plan.describe() == [
                "update #1: ai-components: tests blockers",
                "close #2: ai-components: tests blockers (resolved)",
            ]
            apply_sync(plan, report, client)
            assert plan_sync(report, client).describe() == ["unchanged #1"]
    assert [i["state"] for i in gh.issues] == ["open", "closed", "open"]  # #3 untouched


def test_serve_runs_the_dashboard_in_its_own_process(tmp_path: Path) -> None:
    import time

    import httpx

    from tests.servers import free_port

    repo = git_repo(tmp_path / "r", GOOD)
    assert cli("run", str(repo))[0] == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "maturity", "serve", str(repo), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        health: httpx.Response | None = None
        for _ in range(100):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert health is not None, "maturity serve did not answer"
        assert health.json() == {"status": "ok", "database": "ok", "latest_run": 1}
        page = httpx.get(f"http://127.0.0.1:{port}/dashboard/maturity")
        assert "calc" in page.text and "READY for staging" in page.text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    request_logs = [json.loads(line) for line in err.splitlines() if '"request"' in line]
    assert {(r["path"], r["status"]) for r in request_logs} >= {
        ("/health", 200),
        ("/dashboard/maturity", 200),
    }
