"""Open issues with component labels: GitHub's REST API or a local YAML file.

An unreachable API, a refused token, a rate limit or a malformed file is an error
with its reason, never an empty (passing) list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from maturity.collectors.base import Collector, RunContext
from maturity.facts import Issue, IssuesFacts
from maturity.github import GitHubError, client_for, repo_of


class SourceError(Exception):
    """The issue source could not be read; the message is the one-line reason."""


def _field(item: dict[str, Any], key: str, kind: type, where: str, required: bool = False) -> Any:
    value = item.get(key)
    if value is None:
        if required:
            raise SourceError(f"{where}.{key}: missing")
        return None
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise SourceError(f"{where}.{key}: must be an integer")
    if kind is str and not isinstance(value, str):
        raise SourceError(f"{where}.{key}: must be a string")
    return value


def read_issue_file(path: Path, shown: str) -> list[Issue]:
    """Open issues from a YAML file (``issues:`` list, or a bare list)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{shown}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{shown}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise SourceError(f"{shown}: not valid YAML{where}") from exc
    items = data.get("issues") if isinstance(data, dict) else data
    if data is None or items is None:
        return []
    if not isinstance(items, list):
        raise SourceError(f"{shown}: issues: must be a list")
    issues: list[Issue] = []
    for index, item in enumerate(items):
        where = f"{shown}: issues[{index}]"
        if not isinstance(item, dict):
            raise SourceError(f"{where}: must be a mapping")
        number = _field(item, "number", int, where, required=True)
        title = _field(item, "title", str, where, required=True)
        state = _field(item, "state", str, where) or "open"
        if state not in ("open", "closed"):
            raise SourceError(f"{where}.state: must be 'open' or 'closed'")
        labels = item.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(lbl, str) for lbl in labels):
            raise SourceError(f"{where}.labels: must be a list of strings")
        if state == "open":
            issues.append(
                Issue(
                    number=number,
                    title=title,
                    labels=tuple(labels),
                    url=_field(item, "url", str, where),
                    created_at=str(item["created_at"]) if item.get("created_at") else None,
                )
            )
    return issues


def fetch_github(ctx: RunContext, repo: str) -> list[Issue]:
    """Open issues of each component label, following pagination; PRs dropped."""
    found: dict[int, Issue] = {}
    try:
        with client_for(ctx.project, repo) as gh:
            for comp in ctx.project.components:
                for item in gh.list_issues([comp.label]):
                    found[item["number"]] = Issue(
                        number=item["number"],
                        title=item["title"],
                        labels=tuple(lbl["name"] for lbl in item.get("labels", [])),
                        url=item.get("html_url"),
                        created_at=item.get("created_at"),
                    )
    except GitHubError as exc:
        raise SourceError(str(exc)) from exc
    return sorted(found.values(), key=lambda i: i.number)


class IssuesCollector(Collector):
    """Open issues carrying a ``component:`` label."""

    name = "issues"
    title = "blocker issues"
    facts = IssuesFacts

    def collect(self, ctx: RunContext) -> IssuesFacts:
        """Read the configured (or detected) issue source."""
        cfg = ctx.project.config.issues
        facts = IssuesFacts(tool="issues")
        path = ctx.root / cfg.file
        source = cfg.source
        repo = None
        if source == "auto":
            if path.is_file():
                source = "file"
            else:
                repo = repo_of(ctx.project)
                source = "github" if repo else "none"
        try:
            if source == "file":
                facts.source = f"file:{cfg.file}"
                facts.command = f"cat {cfg.file}"
                issues = read_issue_file(path, cfg.file)
            elif source == "github":
                repo = repo or repo_of(ctx.project)
                if not repo:
                    raise SourceError(
                        "issues source is github but no repository is known: set"
                        " [tool.maturity.issues] github_repo or $GITHUB_REPOSITORY"
                    )
                facts.source = f"github:{repo}"
                facts.command = f"GET {cfg.github_api_url}/repos/{repo}/issues?state=open&labels=…"
                issues = fetch_github(ctx, repo)
            else:
                raise SourceError(
                    f"no issue source: create {cfg.file} or set [tool.maturity.issues] github_repo"
                )
        except SourceError as exc:
            facts.error = str(exc)
            # the source itself is misconfigured (none set, no repository known, a file
            # missing or invalid), as opposed to GitHub failing to answer
            facts.misconfigured = source != "github" or not repo
            return facts
        facts.issues = [i for i in issues if any(lbl.startswith("component:") for lbl in i.labels)]
        return facts
