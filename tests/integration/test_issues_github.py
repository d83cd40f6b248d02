"""Blocker issues from GitHub's REST API, against a local server of the same shape."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from maturity import github as github_module
from maturity.collectors.issues import IssuesCollector
from maturity.model import Status
from tests.fakes.github_api import fake_github
from tests.helpers import context, result, write_tree


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github_module, "RETRY_DELAYS", (0.01, 0.01))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def github_repo(root: Path, api_url: str, extra: str = "") -> Path:
    return write_tree(
        root,
        {
            "pyproject.toml": f"""
                [tool.maturity.issues]
                source = "github"
                github_repo = "example/tta"
                github_api_url = "{api_url}"
                timeout = 2
                {extra}
                [tool.maturity.components.player_experience]
                [tool.maturity.components.api_gateway]
                """,
            "src/player_experience/__init__.py": "",
            "src/api_gateway/__init__.py": "",
        },
    )


def test_pagination_label_filter_and_pull_requests(tmp_path: Path) -> None:
    with fake_github() as gh:
        for n in range(1, 251):
            gh.add(n, f"chore {n}", ["component:player-experience"])
        gh.add(300, "Tokens never expire", ["component:player-experience", "blocker:security"])
        gh.add(301, "PR fixing it", ["component:player-experience", "blocker:security"], pr=True)
        gh.add(
            302, "Closed blocker", ["component:player-experience", "blocker:tests"], state="closed"
        )
        gh.add(303, "Gateway blocker", ["component:api-gateway", "blocker:performance"])
        gh.add(304, "No component", ["blocker:tests"])
        root = github_repo(tmp_path, gh.url)
        ctx = context(root)
        facts = IssuesCollector().collect(ctx)
    assert facts.error is None
    assert facts.source == "github:example/tta"
    numbers = [i.number for i in facts.issues]
    assert len(numbers) == 252 and 301 not in numbers and 302 not in numbers and 304 not in numbers
    pages = [p for p, _ in gh.requests if "player-experience" in p]
    assert len(pages) == 3  # 251 open issues, 100 per page
    from maturity.facts import Facts

    player = result(Facts(issues=facts), ctx.project, "player_experience", "dev.blockers")
    assert (player.status, player.display) == (Status.FAIL, "1 open")
    assert player.evidence[0].message == "#300 Tokens never expire [blocker:security]"
    assert player.evidence[0].url == "https://github.com/example/tta/issues/300"
    assert player.blocker_category == "security"
    gateway = result(Facts(issues=facts), ctx.project, "api_gateway", "dev.blockers")
    assert gateway.display == "1 open"


def test_token_is_sent_and_a_wrong_one_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_github(token="s3cret") as gh:
        gh.add(1, "x", ["component:api-gateway", "blocker:tests"])
        root = github_repo(tmp_path, gh.url)
        monkeypatch.setenv("GITHUB_TOKEN", "s3cret")
        ok = IssuesCollector().collect(context(root))
        assert ok.error is None and [i.number for i in ok.issues] == [1]
        assert gh.requests[0][1]["Authorization"] == "Bearer s3cret"
        assert gh.requests[0][1]["X-GitHub-Api-Version"] == "2022-11-28"
        monkeypatch.setenv("GITHUB_TOKEN", "wrong")
        bad = IssuesCollector().collect(context(root))
    assert bad.error is not None
    assert bad.error.startswith("GitHub API refused the token (HTTP 401) for http://127.0.0.1:")


def test_server_errors_are_retried_then_succeed(tmp_path: Path) -> None:
    with fake_github(fail_times=2) as gh:
        gh.add(1, "x", ["component:api-gateway", "blocker:tests"])
        facts = IssuesCollector().collect(context(github_repo(tmp_path, gh.url)))
    assert facts.error is None
    assert [i.number for i in facts.issues] == [1]


def test_persistent_server_errors_are_an_error(tmp_path: Path) -> None:
    with fake_github(fail_times=100, fail_status=503) as gh:
        facts = IssuesCollector().collect(context(github_repo(tmp_path, gh.url)))
    assert facts.error is not None and "HTTP 503" in facts.error
    assert len(gh.requests) == 3  # first try + 2 retries


def test_rate_limit_is_an_error(tmp_path: Path) -> None:
    with fake_github(rate_limited=True) as gh:
        facts = IssuesCollector().collect(context(github_repo(tmp_path, gh.url)))
    assert facts.error is not None
    assert facts.error.startswith(
        "GitHub API rate limit exhausted (HTTP 403, resets at 1795500000)"
    )


def test_unreachable_api_is_an_error_never_a_pass(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = github_repo(tmp_path, f"http://127.0.0.1:{port}")
    ctx = context(root)
    facts = IssuesCollector().collect(ctx)
    assert facts.error is not None
    assert facts.error.startswith(
        f"GitHub API unreachable at http://127.0.0.1:{port}/repos/example/tta/issues"
    )
    from maturity.facts import Facts

    res = result(Facts(issues=facts), ctx.project, "api_gateway", "dev.blockers")
    assert res.status is Status.ERROR


def test_unknown_repo_is_an_error(tmp_path: Path) -> None:
    with fake_github() as gh:
        root = github_repo(tmp_path, gh.url)
        text = (root / "pyproject.toml").read_text().replace("example/tta", "example/other")
        (root / "pyproject.toml").write_text(text)
        facts = IssuesCollector().collect(context(root))
    assert facts.error is not None and "HTTP 404" in facts.error


def test_repo_from_environment_and_from_git_remote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_github() as gh:
        gh.add(7, "x", ["component:api-gateway", "blocker:tests"])
        root = write_tree(
            tmp_path / "r",
            {
                "pyproject.toml": f'[tool.maturity.issues]\ngithub_api_url = "{gh.url}"\n',
                "src/api_gateway/__init__.py": "",
            },
        )
        monkeypatch.setenv("GITHUB_REPOSITORY", "example/tta")
        from_env = IssuesCollector().collect(context(root))
        assert (from_env.source, [i.number for i in from_env.issues]) == ("github:example/tta", [7])

        monkeypatch.delenv("GITHUB_REPOSITORY")
        none = IssuesCollector().collect(context(root))
        assert none.error is not None and none.error.startswith("no issue source:")

        subprocess.run(["git", "init", "-q", str(root)], check=True)
        subprocess.run(
            ["git", "-C", str(root), "remote", "add", "origin", "git@github.com:example/tta.git"],
            check=True,
        )
        from_remote = IssuesCollector().collect(context(root))
    assert from_remote.source == "github:example/tta"
    assert [i.number for i in from_remote.issues] == [7]
