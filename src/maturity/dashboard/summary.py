"""The overview at a glance, computed from the store: summary tiles, the stage board and
the repo-wide trends. The JSON API (``/api/summary``, ``/api/trends``) serves the very
objects the page renders, so the two cannot disagree.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from maturity.model import (
    SHORT_TITLES,
    ComponentReport,
    CriterionResult,
    GateRole,
    RunReport,
    Stage,
)
from maturity.store import ComponentPoint, RunInfo, Store, component_history, run_at_or_before

WEEK = timedelta(days=7)
SPARK_RUNS = 30  # runs in each card's coverage sparkline
TREND_RUNS = 90  # runs in the repo-wide trends
BOARD_LIMIT = 24  # cards shown per stage column; the rest are one link away


def short(crit: CriterionResult) -> str:
    """The criterion's column heading."""
    return SHORT_TITLES.get(crit.id, crit.title)


def median(values: list[float]) -> float | None:
    """The median, rounded to 0.1; None without values."""
    return round(statistics.median(values), 1) if values else None


@dataclass
class Tiles:
    """The counts at the top of the overview."""

    run_id: int
    at: str
    components: int
    stages: dict[str, int]
    ready: int
    regressed: int
    at_risk: int
    blockers: dict[str, int]  # category -> unmet criteria, most first, only those with any
    blockers_total: int
    coverage_median: float | None
    coverage_measured: int  # components with a coverage figure
    week_ago: RunInfo | None  # the newest run at least a week older than this one
    week_ago_median: float | None

    @property
    def coverage_change(self) -> float | None:
        """Median coverage now minus a week ago, in points."""
        if self.coverage_median is None or self.week_ago_median is None:
            return None
        return round(self.coverage_median - self.week_ago_median, 1)

    def as_json(self) -> dict[str, Any]:
        """The tiles as ``/api/summary`` gives them."""
        return {
            "run_id": self.run_id, "at": self.at, "components": self.components,
            "stages": self.stages, "ready": self.ready, "regressed": self.regressed,
            "at_risk": self.at_risk, "blockers": self.blockers,
            "blockers_total": self.blockers_total,
            "coverage": {
                "median": self.coverage_median, "measured": self.coverage_measured,
                "week_ago": None if self.week_ago is None else {
                    "run_id": self.week_ago.id, "at": self.week_ago.at.isoformat(),
                    "median": self.week_ago_median,
                },
                "change": self.coverage_change,
            },
        }  # fmt: skip


def coverage_of(comp: ComponentReport) -> float | None:
    """The component's coverage figure in this run, when it was measured."""
    crit = next((c for c in comp.criteria if c.id == "dev.coverage"), None)
    if crit is None or isinstance(crit.value, bool) or not isinstance(crit.value, int | float):
        return None
    return float(crit.value)


def tiles(store: Store, run_id: int, report: RunReport) -> Tiles:
    """The tiles of a run, and its median coverage against the run a week before it."""
    comps = report.components
    blockers: dict[str, int] = {}
    for comp in comps:
        for crit in comp.open_blockers():
            cat = crit.blocker_category.value
            blockers[cat] = blockers.get(cat, 0) + 1
    figures = [v for c in comps if (v := coverage_of(c)) is not None]
    before = run_at_or_before(store, datetime.fromisoformat(report.timestamp) - WEEK)
    then = None
    if before is not None:
        points = component_history(store, run_ids=[before.id])
        then = median([p.coverage for p in points if p.coverage is not None])
    return Tiles(
        run_id=run_id,
        at=report.timestamp,
        components=len(comps),
        stages={s.value: sum(c.stage is s for c in comps) for s in Stage},
        ready=sum(c.ready for c in comps),
        regressed=sum(c.regressed for c in comps),
        at_risk=sum(c.at_risk for c in comps),
        blockers=dict(sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))),
        blockers_total=sum(blockers.values()),
        coverage_median=median(figures),
        coverage_measured=len(figures),
        week_ago=before,
        week_ago_median=then,
    )


@dataclass
class Card:
    """A component on the stage board: its progress toward the next stage."""

    comp: ComponentReport
    toward: str  # "staging", "production", or "maintenance" (production holds)
    met: int
    total: int
    failing: list[CriterionResult]  # the progress gate's unmet criteria
    regressed_on: list[CriterionResult]  # unmet criteria of the stages it already holds
    spark: list[tuple[datetime, float]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """Regressed or at risk: it needs attention first."""
        return self.comp.regressed or self.comp.at_risk

    def as_json(self) -> dict[str, Any]:
        """The card as ``/api/summary`` gives it."""
        return {
            "name": self.comp.name, "stage": self.comp.stage.value,
            "verdict": self.comp.verdict, "ready": self.comp.ready,
            "regressed": self.comp.regressed, "at_risk": self.comp.at_risk,
            "toward": self.toward, "met": self.met, "total": self.total,
            "failing": [c.id for c in self.failing],
            "regressed_on": [c.id for c in self.regressed_on],
            "coverage": [{"at": at.isoformat(), "value": v} for at, v in self.spark],
        }  # fmt: skip


def card(comp: ComponentReport, spark: list[tuple[datetime, float]]) -> Card:
    """The component's card: the held stage's exit criteria (production: maintenance)."""
    role = GateRole.EXIT if comp.target is not None else GateRole.MAINTENANCE
    gate = comp.gate(role)
    crits = comp.for_gate(gate.gate) if gate else []
    entry = {g.gate for g in comp.gates if g.role is GateRole.ENTRY}
    return Card(
        comp=comp,
        toward=comp.target.value if comp.target else "maintenance",
        met=sum(c.met for c in crits),
        total=len(crits),
        failing=[c for c in crits if not c.met],
        regressed_on=[c for c in comp.criteria if c.gate in entry and not c.met],
        spark=spark,
    )


@dataclass
class Column:
    """One stage of the board: its cards (the first BOARD_LIMIT) and how many in all."""

    stage: str
    cards: list[Card]
    count: int


def board(report: RunReport, history: list[ComponentPoint]) -> list[Column]:
    """Development | Staging | Production, each component's card under its held stage:
    regressed or at risk first, then ready, then by progress, then by name."""
    sparks: dict[str, list[tuple[datetime, float]]] = {}
    recent = sorted({p.run_id for p in history})[-SPARK_RUNS:]
    for p in history:
        if p.run_id in recent and p.coverage is not None:
            sparks.setdefault(p.name, []).append((p.at, p.coverage))
    cards = [card(c, sparks.get(c.name, [])) for c in report.components]
    cards.sort(
        key=lambda k: (not k.flagged, not k.comp.ready, -k.met / (k.total or 1), k.comp.name)
    )
    columns = []
    for stage in Stage:
        mine = [k for k in cards if k.comp.stage is stage]
        columns.append(Column(stage.value, mine[:BOARD_LIMIT], len(mine)))
    return columns


@dataclass
class RepoPoint:
    """The repository in one run: median coverage and criteria not met in all."""

    run_id: int
    at: datetime
    coverage: float | None
    unmet: int | None  # None for runs stored before schema 0008 kept the count


def repo_trend(history: list[ComponentPoint]) -> list[RepoPoint]:
    """Per run, oldest first: the median of the components' coverage, and the sum of
    their unmet criteria (the open blockers of that run)."""
    runs: dict[int, list[ComponentPoint]] = {}
    for p in history:
        runs.setdefault(p.run_id, []).append(p)
    out = []
    for run_id, points in runs.items():
        counts = [p.unmet for p in points]
        out.append(
            RepoPoint(
                run_id,
                points[0].at,
                median([p.coverage for p in points if p.coverage is not None]),
                None if any(n is None for n in counts) else sum(n or 0 for n in counts),
            )
        )
    return out
