"""Blocker issues from the local YAML file, and source auto-detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity.collectors.issues import IssuesCollector
from tests.helpers import context, write_tree


def repo_with(tmp_path: Path, issues_yaml: str | None, source: str = "auto") -> Path:
    files = {
        "pyproject.toml": f'[tool.maturity.issues]\nsource = "{source}"\n',
        "src/game/__init__.py": "",
    }
    if issues_yaml is not None:
        files[".maturity/issues.yaml"] = issues_yaml
    return write_tree(tmp_path, files)


def test_open_component_issues_are_read(tmp_path: Path) -> None:
    root = repo_with(
        tmp_path,
        """
        issues:
          - number: 1
            title: Crash on save
            labels: [component:game, blocker:tests]
            created_at: 2026-11-01T10:00:00Z
          - {number: 2, title: Done, state: closed, labels: [component:game, blocker:tests]}
          - {number: 3, title: No component label, labels: [blocker:tests]}
          - {number: 4, title: No labels}
        """,
    )
    facts = IssuesCollector().collect(context(root))
    assert facts.error is None
    assert facts.source == "file:.maturity/issues.yaml"
    assert [(i.number, i.labels) for i in facts.issues] == [
        (1, ("component:game", "blocker:tests"))
    ]
    assert facts.issues[0].created_at is not None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("issues: [\n", ".maturity/issues.yaml: not valid YAML (line 2)"),
        ("issues: 5\n", ".maturity/issues.yaml: issues: must be a list"),
        ("issues:\n  - 7\n", ".maturity/issues.yaml: issues[0]: must be a mapping"),
        ("- {title: x}\n", ".maturity/issues.yaml: issues[0].number: missing"),
        (
            "- {number: x, title: y}\n",
            ".maturity/issues.yaml: issues[0].number: must be an integer",
        ),
        ("- {number: 1, title: 2}\n", ".maturity/issues.yaml: issues[0].title: must be a string"),
        (
            "- {number: 1, title: y, state: shut}\n",
            ".maturity/issues.yaml: issues[0].state: must be 'open' or 'closed'",
        ),
        (
            "- {number: 1, title: y, labels: a}\n",
            ".maturity/issues.yaml: issues[0].labels: must be a list of strings",
        ),
        (
            "- {number: 1, title: y}\n- {number: true, title: z}\n",
            ".maturity/issues.yaml: issues[1].number: must be an integer",
        ),
    ],
)
def test_malformed_file_is_an_error_naming_file_and_key(
    tmp_path: Path, text: str, error: str
) -> None:
    facts = IssuesCollector().collect(context(repo_with(tmp_path, text)))
    assert facts.error == error
    assert facts.issues == []


def test_empty_file_has_no_issues(tmp_path: Path) -> None:
    facts = IssuesCollector().collect(context(repo_with(tmp_path, "")))
    assert (facts.error, facts.issues) == (None, [])


def test_explicit_file_source_without_file_is_an_error(tmp_path: Path) -> None:
    facts = IssuesCollector().collect(context(repo_with(tmp_path, None, source="file")))
    assert facts.error == ".maturity/issues.yaml: file not found"


def test_github_source_without_repo_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    facts = IssuesCollector().collect(context(repo_with(tmp_path, None, source="github")))
    assert facts.error is not None
    assert facts.error.startswith("issues source is github but no repository is known")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- {number: '1', title: y}\n", "issues[0].number: must be an integer"),
        ("- {number: 1.0, title: y}\n", "issues[0].number: must be an integer"),
        (
            "- {number: 1, title: y, labels: [a, 2]}\n",
            "issues[0].labels: must be a list of strings",
        ),
        ("- {number: 1, title: y, url: 5}\n", "issues[0].url: must be a string"),
        ("issues: !!set {a}\n", "issues: must be a list"),
        ("issues:\n  - {number: 1}\n", "issues[0].title: missing"),
        ("- {number: null, title: y}\n", "issues[0].number: missing"),
        ("- {number: 1, title: ~, labels: [a, null]}\n", "issues[0].title: missing"),
        (
            "- {number: 1, title: y, labels: [a, null]}\n",
            "issues[0].labels: must be a list of strings",
        ),
    ],
)
def test_values_are_never_coerced(tmp_path: Path, text: str, error: str) -> None:
    facts = IssuesCollector().collect(context(repo_with(tmp_path, text)))
    assert facts.error == f".maturity/issues.yaml: {error}"


def test_no_state_means_open_and_other_keys_are_ignored(tmp_path: Path) -> None:
    root = repo_with(
        tmp_path,
        """
        issues:
          - number: 5
            title: Slow turn loop
            state: null
            labels: [component:game, blocker:performance]
            url: https://example.org/issues/5
            assignee: dana
        """,
    )
    facts = IssuesCollector().collect(context(root))
    assert facts.error is None
    assert [(i.number, i.title, i.url, i.created_at) for i in facts.issues] == [
        (5, "Slow turn loop", "https://example.org/issues/5", None)
    ]
