"""The dashboard refuses bad input cleanly: bounded parameters, strict write tokens, known
components only, HEAD on every GET route, security headers everywhere, a corrupt store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from maturity.dashboard.app import create_app
from maturity.dashboard.hardening import CSP
from tests.dashboard_data import seed
from tests.servers import live_server

P = "/dashboard/maturity"
SECURITY = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
BODY = {"component": "player_experience", "environment": "production", "version": "2.0"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    seed(url)
    return url


@pytest.fixture
def client(db: str) -> TestClient:
    return TestClient(create_app(db, token="s3cret"))


def assert_secure(response: httpx.Response) -> None:
    """Every security header, with the strict policy."""
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert "frame-ancestors 'none'" in CSP


@pytest.mark.parametrize(
    "path",
    [
        "/api/components/player_experience/trend?limit=99999999999999999999999",
        "/api/components/player_experience/trend?limit=-1",
        "/api/components/player_experience/trend?limit=0",
        "/api/components/player_experience/trend?limit=1001",
        "/api/components/player_experience/trend?limit=ten",
        f"{P}?stage=nonsense",
        f"{P}?category=%3Cscript%3E",
        "/badge/player_experience.svg?kind=other",
        "/api/components/" + "x" * 256,
    ],
)
def test_out_of_bounds_parameters_are_a_422_json_error(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422, path
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert detail and all({"loc", "msg", "type"} == set(e) for e in detail)
    assert "9999999999" not in response.text and "<script>" not in response.text
    assert_secure(response)


def test_a_bad_limit_keeps_the_connection_alive(db: str) -> None:
    with live_server(create_app(db)) as base, httpx.Client(base_url=base, timeout=10) as http:
        trend = "/api/components/player_experience/trend"
        assert http.get(trend, params={"limit": "9" * 23}).status_code == 422
        assert http.get(trend, params={"limit": 2}).status_code == 200
        assert len(http.get(trend, params={"limit": 2}).json()["coverage"]) == 2


def test_every_get_route_has_bounds_on_its_parameters(client: TestClient) -> None:
    """An audit: each query or path parameter of a GET route is a bounded number, a bounded
    or enumerated string, or the app's own dependency."""
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute):
            continue
        for param in route.dependant.query_params + route.dependant.path_params:
            info = param.field_info
            bounded = any(
                getattr(m, attr, None) is not None
                for m in info.metadata
                for attr in ("le", "max_length", "pattern")
            )
            enumerated = "Literal" in str(param.field_info.annotation)
            assert bounded or enumerated, (route.path, param.name)


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (None, 401),
        ("s3cret", 401),  # no scheme
        ("Bearer", 401),
        ("Bearer ", 401),
        ("Bearer  s3cret", 401),  # two spaces
        ("Bearer s3cret extra", 401),
        ("Bearer s3cret ", 401),
        ("Basic s3cret", 401),
        ("Bearers3cret", 401),
        ("Bearer s3cre", 401),
        ("Bearer s3cret", 201),
        ("bearer s3cret", 201),  # the scheme is case-insensitive (RFC 7235)
        ("BEARER s3cret", 201),
    ],
)
def test_write_token_parsing_is_strict(client: TestClient, header: str | None, status: int) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.post("/api/deployments", json=BODY, headers=headers)
    assert response.status_code == status, header
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {"detail": "a valid write token is required"}
    assert_secure(response)


def test_two_authorization_headers_are_refused(client: TestClient) -> None:
    headers = [("Authorization", "Bearer s3cret"), ("Authorization", "Bearer s3cret")]
    response = client.post("/api/deployments", json=BODY, headers=httpx.Headers(headers))
    assert response.status_code == 401


def test_a_deployment_of_an_unknown_component_is_refused(client: TestClient, db: str) -> None:
    auth = {"Authorization": "Bearer s3cret"}
    body = {**BODY, "component": "no_such_thing"}
    response = client.post("/api/deployments", json=body, headers=auth)
    assert response.status_code == 422
    assert "unknown component 'no_such_thing'" in response.json()["detail"]
    assert "player_experience" in response.json()["detail"]  # the known ones are named
    assert not any(d["component"] == "no_such_thing" for d in client.get("/api/deployments").json())


def test_head_answers_every_get_route_like_get_without_a_body(client: TestClient) -> None:
    for path in (P, f"{P}/components/ai_components", f"{P}/blockers", f"{P}/deployments",
                 "/api/components", "/api/runs/latest", "/health", "/metrics",
                 "/badge/player_experience.svg", f"{P}/static/style.css", "/openapi.json",
                 f"{P}/components/nope"):  # fmt: skip
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code, path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.content == b"", path
        assert_secure(head)
    assert client.head("/", follow_redirects=False).status_code == 307


def test_head_on_the_event_stream_does_not_hang(db: str) -> None:
    app = create_app(db, poll_seconds=0.1)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=5) as http:
        head = http.head(f"{P}/events")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"].startswith("text/event-stream")
        assert http.get("/health").status_code == 200  # the connection is free again


def test_security_headers_on_every_kind_of_response(db: str, tmp_path: Path) -> None:
    app = create_app(db, token="s3cret")

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    client = TestClient(app, raise_server_exceptions=False)
    paths = [route.path for route in app.routes if isinstance(route, APIRoute)]
    concrete = [
        p.replace("{name}", "player_experience") for p in paths if p not in ("/boom", f"{P}/events")
    ]
    for path in [*concrete, f"{P}/static/live.js", "/nope", f"{P}/components/nope", "/boom",
                 "/api/components/x/trend?limit=0"]:  # fmt: skip
        response = client.get(path, follow_redirects=False)
        assert_secure(response)
    assert client.get("/boom").status_code == 500
    assert client.post("/api/deployments", json=BODY).status_code == 401
    down = TestClient(create_app(f"sqlite:///{tmp_path}/"))  # a directory: cannot be opened
    assert down.get("/health").status_code == 503
    assert_secure(down.get("/health"))
    docs = client.get("/docs")
    assert (
        docs.status_code == 200
        and "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    )


def _corrupt_routes() -> list[str]:
    return [P, f"{P}/blockers", f"{P}/deployments", f"{P}/components/player_experience",
            "/api/components", "/api/blockers", "/api/deployments", "/health",
            "/api/components/player_experience/trend"]  # fmt: skip


def test_a_garbage_store_is_a_503_naming_the_file(tmp_path: Path) -> None:
    store = tmp_path / ".maturity" / "history.db"
    store.parent.mkdir()
    store.write_bytes(b"this is not a database\n" * 400)
    before = store.read_bytes()
    client = TestClient(create_app(f"sqlite:///{store}"))
    for path in _corrupt_routes():
        response = client.get(path)
        assert response.status_code == 503, path
        assert str(store) in response.text, path
        assert "Traceback" not in response.text
    assert store.read_bytes() == before


def test_a_store_with_corrupt_pages_is_a_503_never_a_500(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    seed(f"sqlite:///{path}").engine.dispose()  # the last close checkpoints the WAL
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    size = path.stat().st_size
    data = bytearray(path.read_bytes())
    data[4096 : size - 4096] = bytes(range(256)) * ((size - 8192) // 256) + bytes(
        (size - 8192) % 256
    )
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    client = TestClient(create_app(f"sqlite:///{path}"), raise_server_exceptions=False)
    statuses = {}
    for route in _corrupt_routes():
        response = client.get(route)
        statuses[route] = response.status_code
        assert response.status_code in (200, 404, 503), (route, response.text[:300])
        if response.status_code == 503:
            assert str(path) in response.text, route
    assert 503 in statuses.values(), statuses
    assert path.read_bytes() == before


def test_a_chunked_body_over_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"component": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    headers = {"Authorization": "Bearer s3cret", "Content-Type": "application/json"}
    response = client.post("/api/deployments", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is over 65536 bytes"}
    assert_secure(response)
