"""A store seeded with believable history, including hostile text, for dashboard tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from maturity.criteria import REGISTRY
from maturity.model import COVERAGE, ComponentReport, Evidence, RunReport, Stage, Status
from maturity.store import Store, open_store, record_deployment, record_stage_event, save_run
from tests.unit.test_reports import crit, decided, make_report

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


WALL_START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def wall_report(day: int, components: int = 12, moved: tuple[str, ...] = ()) -> RunReport:
    """A run of a monorepo judged on every criterion of the rulebook: ``components``
    services holding development, staging and production in turn (those in ``moved`` one
    stage further), with coverage rising by the day and a few criteria failing or not
    measurable; gates, readiness and regressions as the evaluation decides them."""
    report = make_report()
    report.timestamp = (WALL_START + timedelta(days=day)).isoformat()
    report.git.commit = f"{day:02d}c0ffee{day:02d}".ljust(40, "0")
    order = list(Stage)
    report.components = []
    for i in range(components):
        name = f"svc_{i:02d}"
        stage = order[min(i % 3 + (name in moved), 2)]
        crits = []
        for n, record in enumerate(REGISTRY):
            if order.index(record.gate) > order.index(stage):
                continue
            status = Status.FAIL if (i + n + day) % 11 == 0 else Status.PASS
            value: float | None = None
            display = "ok" if status is Status.PASS else "1 problem"
            if record.id == COVERAGE:
                value = min(100.0, 64.0 + 3 * i + day)
                status, display = (Status.PASS if value >= 70 else Status.FAIL), f"{value:.1f}%"
            elif record.id == "prd.uptime" and i % 4 == 2:
                status, display = Status.ERROR, "not measured"
            crits.append(
                crit(record.id, record.title, status, display, value=value, gate=record.gate,
                     blocker_category=record.category, bar=70.0 if value is not None else None)
            )  # fmt: skip
        comp = ComponentReport(
            name=name, label=f"component:{name.replace('_', '-')}",
            path=f"services/team_{i % 3}/{name}", stage=stage, target=stage.next,
            criteria=crits, ready=False, regressed=False,
        )  # fmt: skip
        report.components.append(decided(comp))
    return report


def seed_wall(url: str, runs: int = 10, components: int = 12) -> Store:
    """``runs`` daily runs of :func:`wall_report`, a promotion and two deployments."""
    store = open_store(url)
    for day in range(runs):
        save_run(store, wall_report(day, components))
    record_stage_event(
        store, "svc_01", "promotion", Stage.DEVELOPMENT, Stage.STAGING, "Dana", "exit met",
        False, None, None,
    )  # fmt: skip
    record_deployment(store, "svc_01", "staging", "1.4.0", "success", "ci", None)
    record_deployment(store, "svc_02", "production", "2.0.1", "failed", "Lee", None)
    return store
