"""Saving a run: one bulk insert per table with SQLAlchemy Core.

A ``maturity run`` that stores its result imports this module and ``schema``, never the
ORM: building and flushing an ORM object per criterion result cost more than measuring
a run whose facts all come from the fact cache. The rows are those the ORM classes of
``tables`` read back (``runs.load_run``): the same columns, values and ids, in the order
of the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from maturity.model import COVERAGE, ComponentReport, CriterionResult, RunReport
from maturity.store.database import Store
from maturity.store.moments import as_utc
from maturity.store.schema import COMPONENT_RESULTS, CRITERION_RESULTS, RUNS, SIGHTINGS
from maturity.store.streaks import keep_streaks, restreak_later


def save_run(store: Store, report: RunReport) -> int:
    """Store a whole run in one transaction; returns its id."""
    run = run_values(report)
    started = as_utc(run["started_at"])
    components = [component_values(comp) for comp in report.components]
    criteria = [[criterion_values(c) for c in comp.criteria] for comp in report.components]
    results = [
        (comp.name, crit["criterion_id"], crit["status"])
        for comp, rows in zip(report.components, criteria, strict=True)
        for crit in rows
    ]
    streaks = iter(keep_streaks(store, started, results))
    for rows in criteria:
        for crit in rows:
            crit["failing_since"], crit["failing_runs"] = next(streaks)
    with store.connection() as conn:
        run_id = conn.execute(insert(RUNS).returning(RUNS.c.id), run).scalar_one()
        for comp in components:
            comp["run_id"] = run_id
        ids = conn.execute(
            insert(COMPONENT_RESULTS).returning(
                COMPONENT_RESULTS.c.id, sort_by_parameter_order=True
            ),
            components,
        ).scalars().all() if components else []  # fmt: skip
        flat = []
        for comp_id, rows in zip(ids, criteria, strict=True):
            for crit in rows:
                crit["component_result_id"] = comp_id
                flat.append(crit)
        if flat:
            conn.execute(insert(CRITERION_RESULTS), flat)
        record_sightings(conn, report)
    restreak_later(store, started, [c.name for c in report.components])
    return int(run_id)


def record_sightings(conn: Connection, report: RunReport) -> None:
    """Keep when each vulnerability of the run was first seen (and last seen) per component."""
    if not report.sightings:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as new
    else:
        from sqlalchemy.dialects.sqlite import insert as new
    seen_at = datetime.fromisoformat(report.timestamp)
    for seen in report.sightings:
        conn.execute(
            new(SIGHTINGS)
            .values(
                component=seen.component, vulnerability=seen.vulnerability,
                package=seen.package, version=seen.version, severity=seen.severity,
                first_seen=min(seen.first_seen, seen_at), last_seen=seen_at,
            )
            .on_conflict_do_nothing(index_elements=["component", "vulnerability"])
        )  # fmt: skip
        conn.execute(
            update(SIGHTINGS)
            .where(SIGHTINGS.c.component == seen.component)
            .where(SIGHTINGS.c.vulnerability == seen.vulnerability)
            .values(last_seen=seen_at)
        )


def run_values(report: RunReport) -> dict[str, Any]:
    """The ``runs`` row of a report."""
    return {
        "started_at": datetime.fromisoformat(report.timestamp),
        "repo": report.repo,
        "commit": report.git.commit,
        "branch": report.git.branch,
        "dirty": report.git.dirty,
        "tool_version": report.tool_version,
        "schema_version": report.schema_version,
        "interpreter": report.interpreter,
        "interpreter_version": report.interpreter_version,
        "tools": [t.model_dump() for t in report.tools],
        "stages": [s.value for s in report.stages],
        "tests": report.tests.model_dump() if report.tests is not None else None,
        "notices": [n.model_dump() for n in report.notices],
        "sightings": [v.model_dump(mode="json") for v in report.sightings],
    }


def component_values(comp: ComponentReport) -> dict[str, Any]:
    """The ``component_results`` row of a component's verdict (without its run's id)."""
    return {
        "name": comp.name,
        "label": comp.label,
        "path": comp.path,
        "stage": comp.stage.value,
        "target": comp.target.value if comp.target else None,
        "ready": comp.ready,
        "regressed": comp.regressed,
        "gates": [g.model_dump(mode="json") for g in comp.gates],
        "next_step": comp.next_step,
        "blocking": list(comp.blocking),
        "coverage": _coverage(comp),
        "unmet": len(comp.open_blockers()),
    }


def criterion_values(c: CriterionResult) -> dict[str, Any]:
    """The ``criterion_results`` row of a result (without its component's id or streak)."""
    numeric = isinstance(c.value, int | float) and not isinstance(c.value, bool)
    return {
        "criterion_id": c.id,
        "title": c.title,
        "gate": c.gate.value,
        "blocker_category": c.blocker_category.value,
        "status": c.status.value,
        "value": float(c.value) if numeric and c.value is not None else None,
        "value_text": None if numeric or c.value is None else str(c.value),
        "display": c.display,
        "threshold": c.threshold,
        "bar": c.bar,
        "summary": c.summary,
        "remediation": c.remediation,
        "evidence": [e.model_dump() for e in c.evidence],
        "commands": list(c.commands),
        "details": dict(c.details),
        "waiver": c.waiver.model_dump() if c.waiver else None,
    }


def _coverage(comp: ComponentReport) -> float | None:
    """The component's coverage figure (the value of its coverage criterion), if numeric."""
    crit = next((c for c in comp.criteria if c.id == COVERAGE), None)
    if crit is None or isinstance(crit.value, bool) or not isinstance(crit.value, int | float):
        return None
    return float(crit.value)
