"""Each open blocker on the dashboard links to where its issues are: GitHub's search for
the component's label and the category's (what ``blockers sync`` files them under)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from maturity.blockers import blockers_of
from maturity.cli.serve import issues_of
from maturity.dashboard.app import create_app
from maturity.store import open_store, save_run
from tests.dashboard_data import wall_report

ISSUES = "https://github.com/acme/game/issues"
EXAMPLE = Path(__file__).parents[2] / "examples" / "tta"


def test_every_blocker_links_to_its_labelled_issues(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    report = wall_report(0)
    save_run(open_store(url), report)
    api = TestClient(create_app(url, issues=ISSUES)).get("/api/blockers").json()
    labels = {c.name: c.label for c in report.components}
    assert len(api) == sum(len(b.criteria) for b in blockers_of(report)) > 0
    for blocker in api:
        link = urlsplit(blocker["issues"])
        assert f"{link.scheme}://{link.netloc}{link.path}" == ISSUES
        query = parse_qs(link.query)["q"][0]
        assert query == (
            f'is:issue is:open label:"{labels[blocker["component"]]}"'
            f' label:"blocker:{blocker["category"]}"'
        )
    html = TestClient(create_app(url, issues=ISSUES)).get("/dashboard/maturity/blockers").text
    assert html.count(">blocker issues</a>") == html.count('<td class="age">') > 0
    assert "https://github.com/acme/game/issues?q=is%3Aissue" in html


def test_without_a_known_repository_there_is_no_link(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    save_run(open_store(url), wall_report(0))
    client = TestClient(create_app(url))
    assert {b["issues"] for b in client.get("/api/blockers").json()} == {None}
    assert ">blocker issues</a>" not in client.get("/dashboard/maturity/blockers").text


def test_serve_finds_the_repository_as_sync_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "tta"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".maturity"))
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    assert issues_of(repo) is None  # no config, no variable, no origin remote
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/tta")
    assert issues_of(repo) == "https://github.com/acme/tta/issues"
    text = (repo / "pyproject.toml").read_text()
    enterprise = text.replace(
        'source = "file"', 'source = "file"\ngithub_api_url = "https://ghe.acme.test/api/v3"'
    )
    (repo / "pyproject.toml").write_text(enterprise)
    assert issues_of(repo) == "https://ghe.acme.test/acme/tta/issues"
    (repo / "pyproject.toml").write_text("[tool.maturity\nbroken")
    assert issues_of(repo) is None  # the dashboard serves the store anyway
