"""The dashboard on the wall: tiles, board, matrix, repository trends, blockers,
deployments and the comparison of two runs, each checked against the store itself and
against the JSON API that serves the same objects (a real SQLite store, the real app)."""

from __future__ import annotations

import re
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maturity.blockers import blockers_of
from maturity.dashboard.app import create_app
from maturity.evaluate import gate_status
from maturity.model import COVERAGE, BlockerCategory, GateRole, RunReport, Stage, Status
from maturity.store import latest_run, load_run, open_store, save_run
from tests.dashboard_data import seed_wall, wall_report
from tests.unit.test_reports import crit as criterion
from tests.unit.test_reports import decided

P = "/dashboard/maturity"


@pytest.fixture(scope="module")
def wall(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('wall') / 'h.db'}"
    seed_wall(url)
    return TestClient(create_app(url, token="t")), url


def newest(url: str) -> tuple[int, RunReport]:
    found = latest_run(open_store(url))
    assert found is not None
    return found


def coverage_median(report: RunReport) -> float:
    figures = [c.value for comp in report.components for c in comp.criteria if c.id == COVERAGE]
    return round(statistics.median(float(v) for v in figures if isinstance(v, float)), 1)


def tile(html: str, name: str) -> str:
    found = re.search(rf'<li class="tile[^"]*" data-tile="{name}">(.*?)</li>', html, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_tiles_match_the_store_and_the_api(wall: tuple[TestClient, str]) -> None:
    client, url = wall
    run_id, report = newest(url)
    comps = report.components
    unmet: dict[str, int] = {}
    for comp in comps:
        for crit in comp.criteria:
            if not crit.met:
                unmet[crit.blocker_category.value] = unmet.get(crit.blocker_category.value, 0) + 1
    week_ago = load_run(open_store(url), run_id - 7)  # daily runs: the run of 7 days before
    assert week_ago is not None
    tiles = client.get("/api/summary").json()["tiles"]
    assert tiles["run_id"] == run_id and tiles["components"] == len(comps) == 12
    assert tiles["stages"] == {s.value: sum(c.stage is s for c in comps) for s in Stage}
    assert tiles["ready"] == sum(c.ready for c in comps)
    assert tiles["regressed"] == sum(c.regressed for c in comps)
    assert tiles["at_risk"] == sum(c.at_risk for c in comps)
    assert tiles["blockers"] == unmet and tiles["blockers_total"] == sum(unmet.values())
    coverage = tiles["coverage"]
    assert coverage["median"] == coverage_median(report)
    assert coverage["week_ago"]["run_id"] == run_id - 7
    assert coverage["week_ago"]["median"] == coverage_median(week_ago)
    assert coverage["change"] == round(coverage_median(report) - coverage_median(week_ago), 1)
    html = client.get(P).text
    assert tile(html, "components").startswith(f"{len(comps)} components")
    assert f"{tiles['stages']['staging']} staging" in tile(html, "components")
    assert tile(html, "ready").startswith(f"{tiles['ready']} ")
    assert tile(html, "regressed").startswith(f"{tiles['regressed']} ")
    assert tile(html, "at-risk").startswith(f"{tiles['at_risk']} ")
    for category, count in unmet.items():
        assert f"{count} {category}" in tile(html, "blockers")
    assert tile(html, "coverage").startswith(f"{coverage['median']:.1f}%")
    assert f"{coverage['change']:+.1f} pts since" in tile(html, "coverage")


def test_the_board_shows_each_component_under_its_stage(wall: tuple[TestClient, str]) -> None:
    client, url = wall
    _, report = newest(url)
    board = client.get("/api/summary").json()["board"]
    html = client.get(P).text
    for stage in Stage:
        cards = board[stage.value]["cards"]
        mine = [c for c in report.components if c.stage is stage]
        assert {k["name"] for k in cards} == {c.name for c in mine}
        lane = html[html.index(f'data-stage="{stage.value}"') :]
        lane = lane[: lane.index("</section>")]
        assert re.findall(r'data-component="([^"]+)"', lane) == [k["name"] for k in cards]
        for card in cards:
            comp = report.component(card["name"])
            gate = next(g for g in comp.gates if g.role.value in ("exit", "maintenance"))
            crits = comp.for_gate(gate.gate)
            assert (card["met"], card["total"]) == (sum(c.met for c in crits), len(crits))
            assert card["failing"] == [c.id for c in crits if not c.met]
            assert f"{card['met']}/{card['total']} criteria" in lane
            assert [p["value"] for p in card["coverage"]][-1] == next(
                c.value for c in comp.criteria if c.id == COVERAGE
            )
    # regressed or at risk first, then ready
    flags = [k["regressed"] or k["at_risk"] for k in board["production"]["cards"]]
    assert flags == sorted(flags, reverse=True)


def test_the_matrix_searches_filters_sorts_and_pages(wall: tuple[TestClient, str]) -> None:
    client, url = wall
    _, report = newest(url)

    def rows(**params: str) -> list[str]:
        html = client.get(P, params=params).text
        body = html[html.index('id="h-matrix"') :]
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)

    assert rows() == sorted(c.name for c in report.components)
    assert rows(q="SVC_1") == ["svc_10", "svc_11"]
    assert rows(q="team_2/") == [c.name for c in report.components if "team_2/" in c.path]
    ready = [c.name for c in report.components if c.ready]
    assert ready and rows(status="ready") == sorted(ready)
    by_coverage = sorted(
        report.components,
        key=lambda c: next(float(k.value or 0) for k in c.criteria if k.id == COVERAGE),
        reverse=True,
    )
    assert rows(sort=COVERAGE, order="desc") == [c.name for c in by_coverage]
    assert rows(sort="stage")[0].startswith("svc_") and rows(sort="nope") == rows()
    html = client.get(P, params={"sort": COVERAGE, "order": "desc"}).text
    assert 'aria-sort="descending"' in html
    # every criterion of the rulebook is a column; a cell names its criterion and figure
    assert html.count('class="crit-col"') == 21
    comp = report.component("svc_02")
    crit = next(c for c in comp.criteria if c.id == COVERAGE)
    assert f'href="{P}/components/svc_02#{crit.id}"><span aria-hidden="true">' in html
    assert f"<span>Coverage: {crit.status.value}, </span><span>{crit.display}</span>" in html


def test_the_matrix_pages_a_big_monorepo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'big.db'}"
    save_run(open_store(url), wall_report(0, components=120))
    client = TestClient(create_app(url))
    first = client.get(P).text
    assert "120 of 120 components shown (page 1 of 3)" in first
    assert first.count('<th scope="row">') == 50 and 'rel="next"' in first
    last = client.get(P, params={"page": 9}).text  # past the end: the last page
    assert "(page 3 of 3)" in last and last.count('<th scope="row">') == 20
    board = client.get("/api/summary").json()["board"]
    assert board["development"]["count"] == 40 and len(board["development"]["cards"]) == 24
    assert "All 40 in development" in first


def test_repository_trends_match_every_stored_run(wall: tuple[TestClient, str]) -> None:
    client, url = wall
    store = open_store(url)
    trend = client.get("/api/trends").json()
    assert [p["run_id"] for p in trend] == list(range(1, 11))
    for point in trend:
        report = load_run(store, point["run_id"])
        assert report is not None
        assert point["coverage"] == coverage_median(report)
        assert point["unmet"] == sum(not c.met for k in report.components for c in k.criteria)
    html = client.get(P).text
    assert "Median coverage % of all components: 10 runs from 2026-11-01 to 2026-11-10" in html
    last = trend[-1]
    assert f'aria-label="2026-11-10 09:00: {last["unmet"]}"' in html


def test_component_charts_mark_promotions_and_deployments(
    wall: tuple[TestClient, str],
) -> None:
    client, _ = wall
    html = client.get(f"{P}/components/svc_01").text
    trend = client.get("/api/components/svc_01/trend").json()
    assert [e["kind"] for e in trend["events"]] == ["deployment", "promotion"]
    assert html.count('class="mark mark-promotion"') == 0  # recorded today: after the runs
    assert "The last 10 runs" in html
    for point in trend["coverage"]:
        at = datetime.fromisoformat(point["at"])
        assert f'aria-label="{at:%Y-%m-%d %H:%M}: {point["value"]:g}"' in html
    assert 'class="tick bar-label" text-anchor="end">bar 70</text>' in html
    assert "Nov 01" in html and "Nov 10" in html  # the time axis is dated


def test_one_run_says_when_trends_appear(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    save_run(open_store(url), wall_report(0))
    client = TestClient(create_app(url))
    page = client.get(f"{P}/components/svc_05").text
    assert "one run so far (" in page and "the trend appears after the next run" in page
    assert "<code>maturity run</code>" in page
    assert "no run a week before this one yet" in client.get(P).text
    compared = client.get(f"{P}/compare").text
    assert "Only one run stored so far" in compared
    assert client.get("/api/compare").status_code == 404


def test_blockers_are_grouped_oldest_first_with_ages_in_words(
    wall: tuple[TestClient, str],
) -> None:
    client, url = wall
    _, report = newest(url)
    api = client.get("/api/blockers").json()
    assert len(api) == sum(not c.met for comp in report.components for c in comp.criteria)
    since = [b["since"] for b in api]
    assert since == sorted(since)  # oldest first
    assert all(b["age_seconds"] >= 0 for b in api)
    html = client.get(f"{P}/blockers").text
    counts: dict[str, int] = {}
    for b in api:
        counts[b["category"]] = counts.get(b["category"], 0) + 1
    for category, n in counts.items():
        assert f'blocker:{category} <span class="count">({n})</span>' in html
        assert f"{category} {n}" in html  # the chart says each count in words
    assert re.search(r'<td class="age">\d+ (days?|weeks?)', html)
    only = client.get(f"{P}/blockers", params={"category": "performance"}).text
    assert "blocker:tests" not in only and "All categories" in only


def test_deployments_are_a_timeline_per_environment(wall: tuple[TestClient, str]) -> None:
    client, _ = wall
    html = client.get(f"{P}/deployments").text
    staging = html[html.index('id="lane-staging"') : html.index('id="lane-production"')]
    production = html[html.index('id="lane-production"') :]
    assert "1.4.0 to staging</strong> — success, by ci" in staging
    assert "promotion: " in staging and "development → staging" in staging
    assert "2.0.1 to production</strong> — failed, by Lee" in production
    assert "ev-failed" in production


def test_empty_deployments_say_how_to_record_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    save_run(open_store(url), wall_report(0))
    html = TestClient(create_app(url)).get(f"{P}/deployments").text
    assert "No deployment or stage change recorded yet" in html
    assert "maturity deploy &lt;component&gt; --env staging --version 1.0.0" in html


def test_compare_puts_regressions_first_and_matches_the_store(
    wall: tuple[TestClient, str],
) -> None:
    client, url = wall
    store = open_store(url)
    body = client.get("/api/compare").json()
    assert (body["base"]["run_id"], body["head"]["run_id"]) == (3, 10)  # a week before
    before, after = load_run(store, 3), load_run(store, 10)
    assert before is not None and after is not None
    for comp in body["components"]:
        old, new = before.component(comp["component"]), after.component(comp["component"])
        was = {c.id: c for c in old.criteria}
        worse = [c.id for c in new.criteria if was[c.id].met and not c.met]
        better = [c.id for c in new.criteria if not was[c.id].met and c.met]
        kinds = [c["kind"] for c in comp["changes"]]
        assert [c["criterion"] for c in comp["changes"] if c["kind"] == "regressed"] == worse
        assert [c["criterion"] for c in comp["changes"] if c["kind"] == "improved"] == better
        assert kinds == sorted(kinds, key=["regressed", "improved", "changed"].index)
    regressions = [c["regressed"] for c in body["components"]]
    assert regressions == sorted(regressions, reverse=True) and regressions[0] > 0
    by_commit = client.get("/api/compare", params={"base": "02c0ffee", "head": "#9"}).json()
    assert (by_commit["base"]["run_id"], by_commit["head"]["run_id"]) == (3, 9)
    page = client.get(f"{P}/compare", params={"base": "2", "head": "10"}).text
    assert "<strong>Before</strong>: run #2 of 2026-11-02 09:00 UTC" in page
    first = body["components"][0]
    assert page.index(first["component"]) < page.index(body["components"][-1]["component"])
    coverage = next(c for c in first["changes"] if c["criterion"] == COVERAGE)
    assert coverage["delta"] == 7.0  # a point a day over the week
    assert client.get("/api/compare", params={"base": "ffff"}).status_code == 404
    assert "No stored run is &#39;ffff&#39;." in client.get(f"{P}/compare?base=ffff").text


def test_pages_follow_the_store_version(wall: tuple[TestClient, str]) -> None:
    """A deployment recorded through the API shows on the cached pages at once."""
    client, _ = wall
    ok = client.post(
        "/api/deployments",
        json={"component": "svc_04", "environment": "staging", "version": "9.9.9"},
        headers={"Authorization": "Bearer t"},
    )
    assert ok.status_code == 201
    assert "9.9.9 to staging" in client.get(f"{P}/deployments").text


def test_favicon_print_and_dark_mode_are_served(wall: tuple[TestClient, str]) -> None:
    client, _ = wall
    html = client.get(P).text
    assert f'<link rel="icon" href="{P}/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get(f"{P}/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    css = client.get(f"{P}/static/style.css").text
    assert "@media (prefers-color-scheme: dark)" in css and "@media print" in css


def test_pages_are_sent_gzipped_to_clients_that_accept_it(wall: tuple[TestClient, str]) -> None:
    client, _ = wall
    for path in (P, f"{P}/components/svc_01", f"{P}/blockers", f"{P}/compare"):
        packed = client.get(path, headers={"Accept-Encoding": "gzip"})
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert packed.headers["content-encoding"] == "gzip"
        assert "content-encoding" not in plain.headers
        assert packed.text == plain.text  # httpx decodes: the same page


def test_a_week_ago_uses_the_newest_run_at_least_seven_days_older(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = open_store(url)
    for day in (0, 2, 8):
        save_run(store, wall_report(day))
    tiles = TestClient(create_app(url)).get("/api/summary").json()["tiles"]
    assert tiles["coverage"]["week_ago"]["run_id"] == 1  # day 0: the only one <= day 1
    at = datetime.fromisoformat(tiles["coverage"]["week_ago"]["at"])
    assert datetime.fromisoformat(tiles["at"]) - at >= timedelta(days=7)


def test_promotions_and_deployments_are_marked_within_the_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    seed_wall(url, runs=2)  # the promotion and deployments are recorded now
    store = open_store(url)
    later = wall_report(0)
    later.timestamp = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    save_run(store, later)  # a run after them: they fall within the charts' time range
    html = TestClient(create_app(url)).get(f"{P}/components/svc_01").text
    coverage = html[html.index('aria-label="Coverage %') :]
    coverage = coverage[: coverage.index("</svg>")]
    assert coverage.count('class="mark mark-promotion"') == 1
    assert coverage.count('class="mark mark-deployment"') == 1
    assert "promotion: development → staging — exit met" in coverage
    assert "deployment: 1.4.0 to staging" in coverage


def test_blockers_are_one_count_on_every_surface(tmp_path: Path) -> None:
    """A configuration problem and a stage judged ahead (run --stage) fail too, but are no
    blockers: the tiles, the blockers page and API, the stored trend and ``maturity
    blockers`` (blockers_of, what sync files as issues) all leave them out."""
    report = wall_report(0)
    comp = report.components[0]  # svc_00, development
    assert comp.stage is Stage.DEVELOPMENT
    setup = criterion("dev.setup", "Tool configured", Status.FAIL, "bad key", gate=Stage.DEVELOPMENT,
                 blocker_category=BlockerCategory.CONFIGURATION)  # fmt: skip
    ahead = criterion("prd.uptime", "Uptime SLA", Status.FAIL, "99.0%", gate=Stage.PRODUCTION,
                 blocker_category=BlockerCategory.PERFORMANCE)  # fmt: skip
    comp = decided(comp.model_copy(update={"criteria": [*comp.criteria, setup]}))
    comp.criteria.append(ahead)
    comp.gates.append(gate_status(Stage.PRODUCTION, Stage.DEVELOPMENT, comp.criteria))
    assert comp.gates[-1].role is GateRole.AHEAD
    report.components[0] = comp
    expected = [(b.component.name, c.id) for b in blockers_of(report) for c in b.criteria]
    assert ("svc_00", "dev.setup") not in expected and ("svc_00", "prd.uptime") not in expected
    assert any(not c.met for c in comp.criteria if c.id == "dev.setup")

    url = f"sqlite:///{tmp_path / 'h.db'}"
    save_run(open_store(url), report)
    client = TestClient(create_app(url))
    api = client.get("/api/blockers").json()
    assert sorted((b["component"], b["criterion"]) for b in api) == sorted(expected)
    tiles = client.get("/api/summary").json()["tiles"]
    assert tiles["blockers_total"] == len(expected)
    assert client.get("/api/trends").json()[-1]["unmet"] == len(expected)
    html = client.get(f"{P}/blockers").text
    assert "Tool configured" not in html and "Uptime SLA" not in html
