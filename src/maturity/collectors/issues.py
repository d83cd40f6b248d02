"""Open issues with component labels: GitHub's REST API or a local YAML file.

An unreachable API, a refused token, a rate limit or a malformed file is an error
with its reason, never an empty (passing) list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Strict, StrictInt, StrictStr, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from maturity.collectors.base import Collector, RunContext
from maturity.facts import Issue, IssuesFacts
from maturity.github import GitHubError, client_for, repo_of


class SourceError(Exception):
    """The issue source could not be read; the message is the one-line reason."""


class IssueEntry(BaseModel):
    """One entry of the issues file; other keys are ignored."""

    number: StrictInt
    title: StrictStr
    state: Literal["open", "closed"] | None = None  # none: open
    labels: list[StrictStr] | None = None
    url: StrictStr | None = None
    created_at: Any = None  # a YAML timestamp or a string, kept as text


_ENTRIES = TypeAdapter(Annotated[list[IssueEntry], Strict()])
_CAUSES = {
    "number": "must be an integer",
    "title": "must be a string",
    "state": "must be 'open' or 'closed'",
    "labels": "must be a list of strings",
    "url": "must be a string",
}


def _reason(error: ErrorDetails) -> str:
    """``issues[<index>].<key>: <cause>`` for the first validation error."""
    loc = error["loc"]
    where = "issues" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[:2])
    if error["type"] == "missing" or (len(loc) == 2 and error["input"] is None):
        cause = "missing"
    elif len(loc) == 0:
        cause = "must be a list"
    elif len(loc) == 1:
        cause = "must be a mapping"
    else:
        cause = _CAUSES.get(str(loc[1]), error["msg"])
    return f"{where}: {cause}"


def read_issue_file(path: Path, shown: str) -> list[Issue]:
    """Open issues from a YAML file (``issues:`` list, or a bare list)."""
    import yaml

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
    if items is None:
        return []
    try:
        entries = _ENTRIES.validate_python(items)
    except ValidationError as exc:
        raise SourceError(f"{shown}: {_reason(exc.errors()[0])}") from None
    return [
        Issue(
            number=entry.number,
            title=entry.title,
            labels=tuple(entry.labels or ()),
            url=entry.url,
            created_at=str(entry.created_at) if entry.created_at else None,
        )
        for entry in entries
        if entry.state != "closed"
    ]


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
