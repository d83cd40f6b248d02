"""A corpus of hostile HTTP requests to the dashboard over a seeded store.

Each is refused (or answered) with the status it deserves, never a 500; the answer is a
JSON or HTML error (an SVG for a badge) without a traceback, escapes what it echoes, and
carries the security headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from maturity.dashboard.app import create_app
from maturity.dashboard.hardening import CSP, MAX_BODY
from tests.dashboard_data import seed

P = "/dashboard/maturity"
TOKEN = "s3cret"
XSS = "<script>alert(1)</script>"
XSS_URL = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"  # its "/" makes it two path segments
IMG = "<img src=x onerror=alert(2)>"
IMG_URL = "%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E"  # one segment: reaches the handlers
TREND = "/api/components/player_experience/trend"
GOOD = {"component": "player_experience", "environment": "staging", "version": "1"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass(frozen=True)
class Hostile:
    """One request and the status it must get."""

    name: str
    method: str
    path: str
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    content: bytes | None = None


CORPUS = [
    # numbers out of range, or not numbers at all
    Hostile("huge limit", "GET", f"{TREND}?limit=99999999999999999999999", 422),
    Hostile("negative limit", "GET", f"{TREND}?limit=-5", 422),
    Hostile("zero limit", "GET", f"{TREND}?limit=0", 422),
    Hostile("float limit", "GET", f"{TREND}?limit=1e3", 422),
    Hostile("NaN limit", "GET", f"{TREND}?limit=NaN", 422),
    Hostile("empty limit", "GET", f"{TREND}?limit=", 422),
    Hostile("limit twice, the last huge", "GET", f"{TREND}?limit=5&limit=9999999999999", 422),
    Hostile("unknown stage filter", "GET", f"{P}?stage=development%00", 422),
    Hostile("XSS as category filter", "GET", f"{P}?category={XSS_URL}", 422),
    Hostile("unknown badge kind", "GET", "/badge/player_experience.svg?kind=%00", 422),
    Hostile("a name of 10k characters", "GET", "/api/components/" + "a" * 10_000, 422),
    Hostile("a search of 10k characters", "GET", f"{P}?q=" + "a" * 10_000, 422),
    Hostile("XSS as sort key", "GET", f"{P}?sort={XSS_URL}", 422),
    Hostile("unknown sort order", "GET", f"{P}?order=sideways", 422),
    Hostile("zero page", "GET", f"{P}?page=0", 422),
    Hostile("huge blockers page", "GET", f"{P}/blockers?page=99999999999999999999", 422),
    Hostile("unknown status filter", "GET", f"{P}?status=ok%00", 422),
    Hostile("XSS as compare base", "GET", f"{P}/compare?base={IMG_URL}", 422),
    Hostile("XSS as API compare head", "GET", f"/api/compare?head={XSS_URL}", 422),
    Hostile("a compare ref of 10k characters", "GET", "/api/compare?base=" + "f" * 10_000, 422),
    # hostile text that is searched for: echoed escaped, never run
    Hostile("XSS as search", "GET", f"{P}?q={IMG_URL}", 200),
    # path traversal, NUL, unicode
    Hostile("traversal in API name", "GET", "/api/components/..%2f..%2fetc%2fpasswd", 404),
    Hostile("traversal in page name", "GET", f"{P}/components/..%2f..%2fetc%2fpasswd", 404),
    Hostile("traversal in badge", "GET", "/badge/..%2f..%2fetc%2fpasswd.svg", 404),
    Hostile("traversal in static", "GET", f"{P}/static/..%2f..%2fapp.py", 404),
    Hostile("encoded dots in static", "GET", f"{P}/static/%2e%2e/state.py", 404),
    Hostile("NUL in API name", "GET", "/api/components/a%00b", 404),
    Hostile("NUL in page name", "GET", f"{P}/components/%00", 404),
    Hostile("NUL in trend name", "GET", "/api/components/%00/trend", 200),
    Hostile("RTL override in name", "GET", "/api/components/caf%C3%A9%E2%80%AE", 404),
    Hostile("invalid UTF-8 in name", "GET", f"{P}/components/%FF%FE", 404),
    # hostile text that is echoed back
    Hostile("XSS in page name", "GET", f"{P}/components/{XSS_URL}", 404),
    Hostile("XSS in API name", "GET", f"/api/components/{XSS_URL}", 404),
    Hostile("XSS in badge name", "GET", f"/badge/{XSS_URL}.svg", 404),
    Hostile("img XSS in page name", "GET", f"{P}/components/{IMG_URL}", 404),
    Hostile("img XSS in badge name", "GET", f"/badge/{IMG_URL}.svg", 404),
    Hostile("img XSS in API name", "GET", f"/api/components/{IMG_URL}", 404),
    # bodies: oversized, wrong type, malformed
    Hostile("oversized body", "POST", "/api/deployments", 413,
            [("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "application/json")],
            b'{"component": "' + b"x" * (MAX_BODY + 1) + b'"}'),
    Hostile("lying Content-Length", "POST", "/api/deployments", 413,
            [("Content-Length", "99999999999999999999")], b"{}"),
    Hostile("text/plain body", "POST", "/api/deployments", 422,
            [("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "text/plain")],
            b"component=player_experience"),
    Hostile("malformed JSON", "POST", "/api/deployments", 422,
            [("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "application/json")],
            b'{"component": '),
    Hostile("JSON array", "POST", "/api/deployments", 422,
            [("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "application/json")],
            b"[1, 2, 3]"),
    Hostile("XSS as component of a deployment", "POST", "/api/deployments", 422,
            [("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "application/json")],
            b'{"component": "<script>alert(1)</script>", "environment": "staging",'
            b' "version": "1"}'),
    Hostile("JSON to the form", "POST", f"{P}/deployments", 422,
            [("Content-Type", "application/json")], b'{"component": "x"}'),
    Hostile("form without CSRF token", "POST", f"{P}/deployments", 403,
            [("Content-Type", "application/x-www-form-urlencoded")],
            b"component=player_experience&environment=staging&version=1&token=s3cret"),
    # authorization: missing, garbled, duplicated
    Hostile("no Authorization", "POST", "/api/deployments", 401,
            [("Content-Type", "application/json")], b'{"component": "player_experience",'
            b' "environment": "staging", "version": "1"}'),
    Hostile("token without scheme", "POST", "/api/deployments", 401,
            [("Authorization", TOKEN), ("Content-Type", "application/json")], b"{}"),
    Hostile("Basic scheme", "POST", "/api/deployments", 401,
            [("Authorization", "Basic czNjcmV0Og=="), ("Content-Type", "application/json")],
            b"{}"),
    Hostile("token with a tab", "POST", "/api/deployments", 401,
            [("Authorization", f"Bearer\t{TOKEN}"), ("Content-Type", "application/json")],
            b"{}"),
    Hostile("huge token", "POST", "/api/deployments", 401,
            [("Authorization", "Bearer " + "A" * 20_000), ("Content-Type", "application/json")],
            b"{}"),
    Hostile("two Authorization headers", "POST", "/api/deployments", 401,
            [("Authorization", f"Bearer {TOKEN}"), ("Authorization", f"Bearer {TOKEN}"),
             ("Content-Type", "application/json")], b"{}"),
    # methods the routes do not take
    Hostile("DELETE deployments", "DELETE", "/api/deployments", 405),
    Hostile("PUT overview", "PUT", P, 405),
    Hostile("PATCH health", "PATCH", "/health", 405),
    Hostile("OPTIONS components", "OPTIONS", "/api/components", 405),
    Hostile("TRACE root", "TRACE", "/", 405),
    Hostile("POST to the event stream", "POST", f"{P}/events", 405),
]  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('hostile')) / 'h.db'}"
    seed(url)
    return TestClient(create_app(url, token=TOKEN), raise_server_exceptions=False)


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 20
    assert len({case.name for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_hostile_request(client: TestClient, case: Hostile) -> None:
    response = client.request(
        case.method, case.path, headers=httpx.Headers(case.headers), content=case.content
    )
    assert response.status_code == case.status, response.text[:300]
    kind = response.headers.get("content-type", "")
    assert kind.startswith(("application/json", "text/html", "image/svg+xml")), kind
    if kind.startswith("application/json"):
        response.json()  # well-formed
    text = response.text
    assert "Traceback" not in text and 'File "' not in text
    if not kind.startswith("application/json"):  # markup: what is echoed is escaped
        assert XSS not in text and IMG not in text
        if "alert(2)" in text:
            assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    if case.status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    if case.status == 405:
        assert "allow" in response.headers


def test_nothing_hostile_was_recorded(client: TestClient) -> None:
    for case in CORPUS:
        client.request(case.method, case.path, headers=httpx.Headers(case.headers),
                       content=case.content)  # fmt: skip
    recorded = client.get("/api/deployments").json()
    assert [d["component"] for d in recorded if d["kind"] == "deployment"] == ["player_experience"]
    assert client.get("/health").json()["status"] == "ok"
