"""Read models of the dashboard, computed from the store (no tools are ever run here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from maturity.github import labelled
from maturity.model import COVERAGE, SHORT_TITLES, ComponentReport, CriterionResult, RunReport
from maturity.store import (
    Store,
    TrendPoint,
    as_utc,
    deployments,
    open_streaks,
    stage_events,
    trend,
)


@dataclass
class Overview:
    """The latest run, the criteria columns, and the rows after filtering."""

    run_id: int | None
    report: RunReport | None
    columns: list[tuple[str, str]]  # criterion id, title
    rows: list[ComponentReport]


def overview(
    found: tuple[int, RunReport] | None, stage: str | None = None, category: str | None = None
) -> Overview:
    """Every component of the latest run, optionally filtered by stage or blocker category."""
    if found is None:
        return Overview(None, None, [], [])
    run_id, report = found
    columns: dict[str, str] = {}
    for comp in report.components:
        for crit in comp.criteria:
            columns.setdefault(crit.id, SHORT_TITLES.get(crit.id, crit.title))
    rows = [
        c
        for c in report.components
        if (not stage or c.stage.value == stage)
        and (
            not category
            or any(not k.met and k.blocker_category.value == category for k in c.criteria)
        )
    ]
    return Overview(run_id, report, list(columns.items()), rows)


def now() -> datetime:
    """The time ages are measured to."""
    return datetime.now(UTC)


@dataclass
class OpenBlocker:
    """A criterion failing in the latest run, and since when it has been failing."""

    component: str
    criterion: CriterionResult
    since: datetime
    runs: int  # consecutive runs it has been failing in
    label: str = ""  # the component's GitHub label

    def issues(self, page: str | None) -> str | None:
        """Where its blocker issues are (``blockers sync`` files one per component and
        category, labelled so): the search of the issues ``page`` for both labels."""
        if not page or not self.label:
            return None
        return labelled(page, [self.label, f"blocker:{self.criterion.blocker_category.value}"])

    @property
    def age(self) -> timedelta:
        """How long it has been failing."""
        return now() - self.since


def open_blockers(
    store: Store, found: tuple[int, RunReport] | None, component: str | None = None
) -> list[OpenBlocker]:
    """The open blockers of the run ``found`` (the newest; what ``maturity blockers``
    lists: :meth:`ComponentReport.open_blockers`) with the start of their current failing
    streak, oldest first."""
    if found is None:
        return []
    _, report = found
    labels = {comp.name: comp.label for comp in report.components}
    failing = [
        (comp.name, crit)
        for comp in report.components
        if not component or comp.name == component
        for crit in comp.open_blockers()
    ]
    streaks = open_streaks(store, found[0], component)
    result = [
        OpenBlocker(name, crit, streak.since, streak.runs, labels[name])
        for name, crit in failing
        if (streak := streaks.get((name, crit.id))) is not None
    ]
    result.sort(key=lambda b: (b.since, b.component, b.criterion.id))  # oldest first
    return result


@dataclass
class TimelineEntry:
    """A stage change or a deployment, for the timelines."""

    at: datetime
    component: str
    kind: str  # promotion / demotion / deployment
    text: str
    status: str
    actor: str
    lane: str = ""  # the environment it belongs to: deployed to, promoted to, demoted from


def timeline(store: Store, component: str | None = None) -> list[TimelineEntry]:
    """Stage changes and deployments, newest first."""
    entries = [
        TimelineEntry(
            as_utc(e.at),
            e.component,
            e.kind,
            f"{e.from_stage} → {e.to_stage}" + (f" — {e.reason}" if e.reason else ""),
            "forced" if e.forced else "ok",
            e.actor,
            e.to_stage if e.kind == "promotion" else e.from_stage,
        )
        for e in stage_events(store, component)
    ] + [
        TimelineEntry(
            as_utc(d.at),
            d.component,
            "deployment",
            f"{d.version} to {d.environment}",
            d.status,
            d.actor,
            d.environment,
        )
        for d in deployments(store, component)
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _value(criterion: str) -> Callable[[TrendPoint], float | None]:
    return lambda point: point.values.get(criterion)


def _tests_not_passing(point: TrendPoint) -> float | None:
    counts = (point.details.get("dev.unit_tests") or {}).get("counts")
    if not isinstance(counts, dict):
        return None
    return float(sum(counts.get(o, 0) for o in ("failed", "error")))


# chart key -> (title, the figure of one stored run)
SERIES: dict[str, tuple[str, Callable[[TrendPoint], float | None]]] = {
    "coverage": ("Coverage %", _value(COVERAGE)),
    "tests": ("Tests passed", _value("dev.unit_tests")),
    "tests_failed": ("Tests failed or errored", _tests_not_passing),
    "lint": ("Ruff findings", _value("dev.ruff")),
    "types": ("Pyright errors + warnings", _value("dev.pyright")),
    "security": ("Unaccepted bandit findings", _value("dev.security_scan")),
    "docs": ("Docstring coverage %", _value("dev.documentation")),
}


def series(
    store: Store, component: str, limit: int = 90
) -> dict[str, list[tuple[datetime, float]]]:
    """Each numeric criterion's values over the component's recent runs."""
    points = trend(store, component, limit)
    out: dict[str, list[tuple[datetime, float]]] = {}
    for key, (_, figure) in SERIES.items():
        out[key] = [(p.at, v) for p in points if (v := figure(p)) is not None]
    return out
