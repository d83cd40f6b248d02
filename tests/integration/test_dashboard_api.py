"""The dashboard over a real store: pages, API, security, health, metrics, live events."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from maturity.dashboard.app import create_app
from maturity.model import Status
from maturity.store import latest_run, open_store, run_count, save_run
from tests.dashboard_data import seed
from tests.servers import free_port, live_server, postgres_server
from tests.unit.test_reports import crit, make_report

P = "/dashboard/maturity"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    seed(url)
    return url


@pytest.fixture
def client(db: str) -> TestClient:
    return TestClient(create_app(db, token="s3cret"))


def test_overview_shows_every_component_with_its_figures(client: TestClient) -> None:
    html = client.get(P).text
    assert "player_experience" in html and "ai_components" in html
    assert "READY for staging" in html and "NOT READY for staging" in html
    assert "72.0%" in html  # the latest of the seeded daily runs
    assert 'data-run-id="3"' in html
    assert (
        "Tests: 12 tests collected, 10 ran (1 failed, 9 passed, 2 skipped); attributed by marker 3,"
        " tests path 0, coverage contexts 6, imports 2; 1 attributed to no component"
    ) in html
    only = client.get(P, params={"category": "security"}).text
    matrix = only[only.index('id="h-matrix"') :]
    assert "ai_components" in matrix and "/components/player_experience" not in matrix
    assert "1 of 2 components shown" in matrix
    none = client.get(P, params={"stage": "production"}).text
    assert "0 of 2 components shown" in none


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    for path in (P, f"{P}/components/ai_components", f"{P}/blockers", f"{P}/deployments",
                 f"{P}/components/player_experience"):  # fmt: skip
        html = client.get(path).text
        assert "<script>window.__pwned__=2</script>" not in html, path
        assert 'onerror="window.__pwned__=1"' not in html, path
    assert (
        "&lt;script&gt;window.__pwned__=2&lt;/script&gt;"
        in client.get(f"{P}/components/ai_components").text
    )
    assert "&lt;img" in client.get(f"{P}/deployments").text


def test_issue_evidence_links_only_to_web_addresses(client: TestClient) -> None:
    html = client.get(f"{P}/components/ai_components").text
    assert (
        '<a href="https://github.com/example/tta/issues/7" rel="noopener noreferrer">'
        "#7 a linked issue</a>"
    ) in html
    assert "javascript:" not in html
    assert "#8 a hostile link" in html  # shown as text, not as a link


def test_component_page_has_evidence_commands_charts_blockers_timeline(client: TestClient) -> None:
    html = client.get(f"{P}/components/ai_components").text
    assert "<code>src/x/a.py:0</code> F401" in html
    drawn, empty = html.count('<svg class="chart"'), html.count('<p class="empty"><strong>')
    assert (drawn, empty) == (0, 7)  # the seed stores no figure of ai_components
    assert "Ruff findings</strong>: not measured in any stored run" in html
    assert "failing for 3 runs since 2026-11-01" in html  # lint failed in all 3 runs
    assert "failing for 2 runs since 2026-11-02" in html  # security passed on day 0
    player = client.get(f"{P}/components/player_experience").text
    assert "promotion" in player and "development → staging" in player
    assert 'aria-label="Coverage %: 3 runs from 2026-11-01 to 2026-11-03, latest 72"' in player


def test_unknown_component_is_a_404_page_and_api_error(client: TestClient) -> None:
    page = client.get(f"{P}/components/nope")
    assert page.status_code == 404 and "Component &#39;nope&#39; does not exist." in page.text
    api = client.get("/api/components/nope")
    assert api.status_code == 404 and api.json() == {"detail": "Component 'nope' not found"}


def test_blockers_and_deployments_pages(client: TestClient) -> None:
    html = client.get(f"{P}/blockers").text
    assert "blocker:security" in html and "blocker:tests" in html
    assert re.search(r'<td class="age">\d+ (weeks|months?) <span class="summary">\(3 runs\)', html)
    assert "<td>2026-11-01 00:00</td>" in html and "Age (days)" not in html
    deploys = client.get(f"{P}/deployments").text
    assert "deployment" in deploys and "to staging" in deploys and "Record a deployment" in deploys


def test_api_matches_the_store(client: TestClient, db: str) -> None:
    from maturity.store import open_store

    store = open_store(db)
    found = latest_run(store)
    assert found is not None
    assert client.get("/api/runs/latest").json() == json.loads(found[1].model_dump_json())
    comps = client.get("/api/components").json()
    assert [(c["name"], c["ready"], c["run_id"]) for c in comps] == [
        ("player_experience", True, 3),
        ("ai_components", False, 3),
    ]
    assert comps[1]["failing"] == ["dev.ruff", "dev.security_scan"]
    trend = client.get("/api/components/player_experience/trend").json()
    assert [p["value"] for p in trend["coverage"]] == [70.0, 71.0, 72.0]
    assert trend["tests_failed"] == []  # the seed stores no unit-test criterion
    blockers = client.get("/api/blockers").json()
    assert {(b["criterion"], b["runs"]) for b in blockers} == {
        ("dev.ruff", 3),
        ("dev.security_scan", 2),
    }
    schema = client.get("/openapi.json").json()
    assert {"/api/components", "/api/runs/latest", "/api/deployments", "/health"} <= set(
        schema["paths"]
    )


def test_the_tests_chart_counts_failed_and_errored_tests(db: str) -> None:
    store = open_store(db)
    for day, counts in enumerate(
        ({"passed": 9, "failed": 1}, {"passed": 8, "error": 2, "failed": 1})
    ):
        report = make_report()
        report.timestamp = f"2026-11-1{day + 5}T10:00:00+00:00"
        report.components[0].criteria.append(
            crit("dev.unit_tests", "All unit tests passing", Status.FAIL, "9 passed, 1 failed",
                 value=counts["passed"], details={"counts": counts})
        )  # fmt: skip
        save_run(store, report)
    trend = TestClient(create_app(db)).get("/api/components/player_experience/trend").json()
    assert [p["value"] for p in trend["tests_failed"]] == [1.0, 3.0]
    assert [p["value"] for p in trend["tests"]] == [9.0, 8.0]
    page = TestClient(create_app(db)).get(f"{P}/components/player_experience").text
    assert "Tests failed or errored: 2 runs" in page


def test_writes_need_the_token(client: TestClient, db: str) -> None:
    body = {"component": "player_experience", "environment": "production", "version": "2.0"}
    assert client.post("/api/deployments", json=body).status_code == 401
    bad = client.post("/api/deployments", json=body, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    ok = client.post("/api/deployments", json=body, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 201
    assert any(d["what"] == "2.0 to production" for d in client.get("/api/deployments").json())
    readonly = TestClient(create_app(db))
    assert (
        readonly.post(
            "/api/deployments", json=body, headers={"Authorization": "Bearer "}
        ).status_code
        == 401
    )
    assert "Record a deployment" not in readonly.get(f"{P}/deployments").text


def test_form_is_csrf_protected(client: TestClient) -> None:
    page = client.get(f"{P}/deployments")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf
    form = {
        "component": "player_experience",
        "environment": "staging",
        "version": "3.1",
        "status": "success",
    }
    assert client.post(f"{P}/deployments", data={**form, "token": "s3cret"}).status_code == 403
    forged = {**form, "token": "s3cret", "csrf": "0" * 64}
    assert client.post(f"{P}/deployments", data=forged).status_code == 403
    wrong = {**form, "token": "nope", "csrf": csrf.group(1)}
    assert client.post(f"{P}/deployments", data=wrong).status_code == 401
    good = client.post(
        f"{P}/deployments",
        data={**form, "token": "s3cret", "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert "3.1 to staging" in client.get(f"{P}/deployments").text
    unknown = {**form, "component": "api", "token": "s3cret", "csrf": csrf.group(1)}
    refused = client.post(f"{P}/deployments", data=unknown)
    assert refused.status_code == 422 and "Unknown component &#39;api&#39;" in refused.text


def test_health_metrics_badges(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "database": "ok", "latest_run": 3}
    client.get(P)
    metrics = client.get("/metrics").text
    assert 'maturity_component_coverage_percent{component="player_experience"} 72.0' in metrics
    assert 'maturity_component_failing_criteria{component="ai_components"} 2.0' in metrics
    assert (
        'maturity_component_stage{component="player_experience",stage="development"} 1.0' in metrics
    )
    assert "maturity_last_run_age_seconds" in metrics
    assert (
        'maturity_dashboard_requests_total{method="GET",route="/dashboard/maturity",status="200"}'
        in metrics
    )
    svg = client.get("/badge/player_experience.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and "development" in svg.text
    assert "72.0%" in client.get("/badge/player_experience.svg", params={"kind": "coverage"}).text
    assert client.get("/badge/nope.svg").status_code == 404


def test_empty_store_says_so(tmp_path: Path) -> None:
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert "No run stored yet" in client.get(P).text
    assert client.get("/api/components").json() == []
    assert client.get("/api/runs/latest").status_code == 404


def test_database_down_is_503_and_recovers() -> None:
    port = free_port()
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    client = TestClient(create_app(url))
    page = client.get(P)
    assert page.status_code == 503 and "The history database is unavailable" in page.text
    assert client.get("/health").status_code == 503
    assert client.get("/api/components").json()["status"] == "unavailable"
    with postgres_server(port) as admin:
        seed(admin, runs=1)
        assert client.get(P).status_code == 200
        assert client.get("/health").json()["latest_run"] == 1
    assert client.get("/health").status_code == 503  # down again: said, not hidden


def test_live_events_announce_a_new_run(db: str) -> None:
    app = create_app(db, poll_seconds=0.1)
    with live_server(app) as base, httpx.Client(timeout=10) as http:
        events: list[dict[str, int]] = []
        done = threading.Event()

        def listen() -> None:
            with http.stream("GET", f"{base}{P}/events") as stream:
                for line in stream.iter_lines():
                    if line.startswith("data:"):
                        events.append(json.loads(line[5:]))
                        if len(events) == 2:
                            done.set()
                            return

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        from maturity.store import open_store

        store = open_store(db)
        deadline = 50
        while not events and deadline:
            threading.Event().wait(0.1)
            deadline -= 1
        save_run(store, make_report())
        assert done.wait(10), events
    assert [e["run_id"] for e in events] == [3, 4]
    assert run_count(store) == 4
