"""A store seeded with believable history, including hostile text, for dashboard tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from maturity.model import Evidence, Stage, Status
from maturity.store import Store, open_store, record_deployment, record_stage_event, save_run
from tests.unit.test_reports import make_report

XSS = '<img src=x onerror="window.__pwned__=1"><script>window.__pwned__=2</script>'


def seed(url: str, runs: int = 3) -> Store:
    """``runs`` daily runs: player_experience passes, ai_components fails lint then more."""
    store = open_store(url)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(runs):
        report = make_report()
        report.timestamp = (start + timedelta(days=day)).isoformat()
        report.components[0].criteria[0].value = 70.0 + day
        report.components[0].criteria[0].display = f"{70.0 + day:.1f}%"
        bad = report.components[1]
        bad.criteria[0].evidence += [
            Evidence(message=f"hostile {XSS}", file="src/x/a.py", line=1),
            Evidence(message="#7 a linked issue", url="https://github.com/example/tta/issues/7"),
            Evidence(message="#8 a hostile link", url="javascript:window.__pwned__=3"),
        ]
        bad.criteria[0].summary = f"7 findings {XSS}"
        if day == 0:
            bad.criteria[1].status = Status.PASS  # security passed on day 0, then failed
        save_run(store, report)
    record_stage_event(
        store, "player_experience", "promotion", Stage.DEVELOPMENT, Stage.STAGING,
        "Dana", f"ready {XSS}", False, "abc", None,
    )  # fmt: skip
    record_deployment(store, "player_experience", "staging", f"1.0.0{XSS}", "success", "Dana", None)
    return store
