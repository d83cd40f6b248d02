"""The numeric bar of each criterion result: stored (migration 0006), read back, charted."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import inspect

from maturity.dashboard.app import create_app
from maturity.store import load_run, open_store, save_run
from tests.unit.test_reports import make_report, stored_before_0007


def test_bars_round_trip_and_runs_stored_before_read_back_none(db_url: str) -> None:
    store = open_store(db_url)
    report = make_report()
    report.components[0].criteria[0].bar = 70.0
    old_id = save_run(store, report)
    store.downgrade("0005")  # as if stored before 0006: the column goes, the run stays
    columns = {c["name"] for c in inspect(store.engine).get_columns("criterion_results")}
    assert "bar" not in columns
    store.upgrade()
    # every bar None, and the status of migration 0007 empty; everything else kept
    assert load_run(store, old_id) == stored_before_0007(make_report())
    new_id = save_run(store, report)
    loaded = load_run(store, new_id)
    assert loaded is not None and loaded.components[0].criteria[0].bar == 70.0
    assert loaded == report


def test_the_coverage_chart_draws_the_stored_bar_not_a_number_in_the_text(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = open_store(url)
    client = TestClient(create_app(url, poll_seconds=0))
    page = "/dashboard/maturity/components/player_experience"
    for day, (threshold, bar) in enumerate((("≥70%", None), ("at least most", 75.0))):
        report = make_report()
        report.timestamp = f"2026-11-0{day + 1}T10:00:00+00:00"
        coverage = report.components[0].criteria[0]
        coverage.value, coverage.threshold, coverage.bar = 70.0 + day, threshold, bar
        save_run(store, report)
        html = client.get(page).text
        if bar is None:  # a bar written only in the threshold's text is not charted
            assert 'class="bar"' not in html
        else:
            assert html.count('class="bar"') == 1
            assert ", bar 75" in html  # the chart's label names the stored bar
            assert (
                'text-anchor="end">bar 75</text>' in html
            )  # the dashed line, labelled with its value
