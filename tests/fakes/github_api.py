"""A local HTTP server that speaks the documented shape of GitHub's issues REST API.

Only the endpoints maturity uses: ``GET /repos/{owner}/{repo}/issues`` with ``state``,
``labels`` (comma-separated, all must match), ``per_page`` and ``page``, answering
with a ``Link`` header (``rel="next"``/``rel="last"``, absolute URLs) like GitHub;
``POST …/issues`` (201), ``PATCH …/issues/{number}`` (title, body, state, labels) and
``POST …/issues/{number}/comments`` (201). It can be told to fail: N times 5xx, a
rate limit, or a required token.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlparse


@dataclass
class FakeGitHub:
    """In-memory issues plus failure switches; ``url`` is the API base URL."""

    repo: str = "example/tta"
    issues: list[dict[str, Any]] = field(default_factory=list)
    token: str | None = None
    fail_times: int = 0
    fail_status: int = 502
    rate_limited: bool = False
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    comments: dict[int, list[str]] = field(default_factory=dict)
    writes: list[str] = field(default_factory=list)  # "POST /path" of every write
    url: str = ""

    def add(
        self, number: int, title: str, labels: list[str], state: str = "open", pr: bool = False
    ) -> None:
        """Add an issue (or a pull request, which the issues endpoint also lists)."""
        item: dict[str, Any] = {
            "number": number,
            "title": title,
            "state": state,
            "html_url": f"https://github.com/{self.repo}/issues/{number}",
            "created_at": "2026-11-01T10:00:00Z",
            "labels": [{"name": name, "color": "ededed"} for name in labels],
        }
        if pr:
            item["pull_request"] = {
                "url": f"https://api.github.com/repos/{self.repo}/pulls/{number}"
            }
        self.issues.append(item)

    def issue(self, number: int) -> dict[str, Any]:
        """One issue by number (KeyError when absent)."""
        return next(i for i in self.issues if i["number"] == number)

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        number = max((i["number"] for i in self.issues), default=0) + 1
        self.add(number, body["title"], list(body.get("labels", [])))
        item = self.issue(number)
        item["body"] = body.get("body", "")
        return item

    def _update(self, number: int, body: dict[str, Any]) -> dict[str, Any]:
        item = self.issue(number)
        for key in ("title", "body", "state"):
            if key in body:
                item[key] = body[key]
        if "labels" in body:
            item["labels"] = [{"name": n, "color": "ededed"} for n in body["labels"]]
        return item

    def _list(self, query: dict[str, list[str]]) -> tuple[int, list[dict[str, Any]], str]:
        state = query.get("state", ["open"])[0]
        wanted = [w for w in query.get("labels", [""])[0].split(",") if w]
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        selected = [
            i
            for i in self.issues
            if (state == "all" or i["state"] == state)
            and all(w in {lbl["name"] for lbl in i["labels"]} for w in wanted)
        ]
        last = max(1, -(-len(selected) // per_page))
        chunk = selected[(page - 1) * per_page : page * per_page]
        links = []
        base = {k: v[0] for k, v in query.items()}
        if page < last:
            links.append(f'<{self._page_url(base, page + 1)}>; rel="next"')
            links.append(f'<{self._page_url(base, last)}>; rel="last"')
        return 200, chunk, ", ".join(links)

    def _page_url(self, query: dict[str, str], page: int) -> str:
        return f"{self.url}/repos/{self.repo}/issues?{urlencode({**query, 'page': str(page)})}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr logging."""

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _guard(self) -> FakeGitHub | None:
        """Failure switches shared by every endpoint; None when it already answered."""
        fake = cast(_Server, self.server).fake
        fake.requests.append((self.path, dict(self.headers.items())))
        if fake.fail_times > 0:
            fake.fail_times -= 1
            self._send(fake.fail_status, {"message": "Server Error"})
            return None
        if fake.rate_limited:
            self._send(
                403,
                {"message": "API rate limit exceeded"},
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795500000"},
            )
            return None
        if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
            self._send(401, {"message": "Bad credentials"})
            return None
        return fake

    def do_GET(self) -> None:
        """Serve the issues list."""
        fake = self._guard()
        if fake is None:
            return
        parsed = urlparse(self.path)
        if parsed.path != f"/repos/{fake.repo}/issues":
            self._send(404, {"message": "Not Found"})
            return
        status, body, link = fake._list(parse_qs(parsed.query))
        self._send(status, body, {"Link": link} if link else None)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(length) or b"{}")

    def do_POST(self) -> None:
        """Create an issue, or comment on one."""
        fake = self._guard()
        if fake is None:
            return
        body = self._body()
        fake.writes.append(f"POST {self.path}")
        base = f"/repos/{fake.repo}/issues"
        if self.path == base:
            self._send(201, fake._create(body))
            return
        match = re.fullmatch(rf"{re.escape(base)}/(\d+)/comments", self.path)
        if match:
            number = int(match.group(1))
            fake.comments.setdefault(number, []).append(body["body"])
            self._send(201, {"id": len(fake.comments[number]), "body": body["body"]})
            return
        self._send(404, {"message": "Not Found"})

    def do_PATCH(self) -> None:
        """Update an issue."""
        fake = self._guard()
        if fake is None:
            return
        fake.writes.append(f"PATCH {self.path}")
        match = re.fullmatch(rf"/repos/{re.escape(fake.repo)}/issues/(\d+)", self.path)
        try:
            item = fake._update(int(match.group(1)), self._body()) if match else None
        except StopIteration:
            item = None
        self._send(200, item) if item else self._send(404, {"message": "Not Found"})


class _Server(ThreadingHTTPServer):
    fake: FakeGitHub


@contextmanager
def fake_github(**kwargs: Any) -> Iterator[FakeGitHub]:
    """Serve a FakeGitHub on 127.0.0.1 (a free port) for the duration of the block."""
    fake = FakeGitHub(**kwargs)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
