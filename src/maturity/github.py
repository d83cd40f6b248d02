"""A small GitHub REST client: issues and comments, with retries and one-line errors."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maturity.config_gates import github_repo
from maturity.errors import EXIT_GITHUB, MaturityError
from maturity.git import origin_url
from maturity.project import Project
from maturity.retry import retry

if TYPE_CHECKING:  # httpx is imported when a request is made (it is slow to import)
    import httpx

RETRY_DELAYS = (0.2, 0.5)  # waits between the tries of a request (3 tries)
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_REMOTE = re.compile(r"github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")


class GitHubError(MaturityError):
    """GitHub could not be reached or refused the request; the message says why."""

    exit_code = EXIT_GITHUB


class RepositoryNameError(GitHubError):
    """The repository to call GitHub about is not an ``owner/name``: a configuration error,
    refused before it could become part of an API URL."""

    exit_code = 2


class GitHub:
    """Issues of one repository through GitHub's REST API."""

    def __init__(self, api_url: str, repo: str, token: str | None, timeout: float = 10.0) -> None:
        import httpx

        self.base = f"{api_url.rstrip('/')}/repos/{repo}"
        self.repo = repo
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(headers=headers, timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        """Release the connection pool."""
        self.client.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, tried again after a transport error or a 5xx answer."""
        import httpx

        try:
            response = retry(
                lambda: self.client.request(method, url, **kwargs),
                delays=RETRY_DELAYS,
                on=(httpx.TransportError,),
                again=lambda answer: answer.status_code >= 500,
            )
        except httpx.TransportError as exc:
            raise GitHubError(f"GitHub API unreachable at {url}: {exc!s}") from exc
        return self._check(response)

    @staticmethod
    def _check(response: httpx.Response) -> httpx.Response:
        url = str(response.request.url)
        status = response.status_code
        if status in (403, 429) and response.headers.get("x-ratelimit-remaining") == "0":
            reset = response.headers.get("x-ratelimit-reset", "?")
            raise GitHubError(
                f"GitHub API rate limit exhausted (HTTP {status}, resets at {reset}) for {url}"
            )
        if status == 401:
            raise GitHubError(f"GitHub API refused the token (HTTP 401) for {url}")
        if status >= 300:
            raise GitHubError(f"GitHub API answered HTTP {status} for {url}")
        return response

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise GitHubError(f"GitHub API returned non-JSON for {response.request.url}") from exc

    def list_issues(self, labels: list[str], state: str = "open") -> list[dict[str, Any]]:
        """Issues (not pull requests) carrying every label, following pagination."""
        url: str | None = f"{self.base}/issues"
        params: dict[str, Any] | None = {
            "state": state,
            "labels": ",".join(labels),
            "per_page": 100,
        }
        items: list[dict[str, Any]] = []
        while url:
            response = self._request("GET", url, params=params)
            page = self._json(response)
            if not isinstance(page, list):
                raise GitHubError(
                    f"GitHub API returned {type(page).__name__}, not a list, for {url}"
                )
            items += [i for i in page if "pull_request" not in i]
            match = _NEXT.search(response.headers.get("link", ""))
            url, params = (match.group(1), None) if match else (None, None)
        return items

    def create_issue(self, title: str, body: str, labels: list[str]) -> dict[str, Any]:
        """Open an issue."""
        payload = {"title": title, "body": body, "labels": labels}
        return self._json(self._request("POST", f"{self.base}/issues", json=payload))

    def update_issue(self, number: int, **fields: Any) -> dict[str, Any]:
        """Change title, body, state or labels of an issue."""
        return self._json(self._request("PATCH", f"{self.base}/issues/{number}", json=fields))

    def comment(self, number: int, body: str) -> dict[str, Any]:
        """Comment on an issue."""
        url = f"{self.base}/issues/{number}/comments"
        return self._json(self._request("POST", url, json={"body": body}))


def repo_of(project: Project) -> str | None:
    """owner/name: config, else $GITHUB_REPOSITORY, else a github.com origin remote."""
    configured = project.config.issues.github_repo or os.environ.get("GITHUB_REPOSITORY")
    return configured or remote_repo(project.root)


def remote_repo(root: Path) -> str | None:
    """owner/name of a github.com ``origin`` remote, if the repository has one."""
    remote = origin_url(root)
    match = _REMOTE.search(remote) if remote else None
    return f"{match.group(1)}/{match.group(2)}" if match else None


def issues_page(project: Project) -> str | None:
    """The web page of the project's GitHub issues (``https://github.com/o/r/issues``, or
    on GitHub Enterprise the host of ``github_api_url``), or None when no repository is
    known."""
    import httpx

    repo = repo_of(project)
    if not repo:
        return None
    api = httpx.URL(project.config.issues.github_api_url)
    host = "github.com" if api.host == "api.github.com" else api.host
    return f"{api.scheme}://{host}/{repo}/issues"


def labelled(issues: str, labels: list[str]) -> str:
    """The search of ``issues`` (see :func:`issues_page`) for the open issues carrying
    every label: where a component's blocker issues of one category are."""
    import httpx

    query = " ".join(["is:issue", "is:open", *(f'label:"{lbl}"' for lbl in labels)])
    return str(httpx.URL(issues, params={"q": query}))


def client_for(project: Project, repo: str | None = None) -> GitHub:
    """A GitHub client for the project's repository (config, env, or origin remote)."""
    cfg = project.config.issues
    repo = repo or repo_of(project)
    if not repo:
        raise GitHubError(
            "no GitHub repository: set [tool.maturity.issues] github_repo or $GITHUB_REPOSITORY"
        )
    try:
        github_repo(repo)
    except ValueError as exc:
        raise RepositoryNameError(
            f"GitHub repository ([tool.maturity.issues] github_repo, $GITHUB_REPOSITORY"
            f" or the origin remote): {exc}"
        ) from None
    return GitHub(cfg.github_api_url, repo, os.environ.get(cfg.token_env), cfg.timeout)
