"""Between the result model and the table rows, and the helpers every query module shares."""

from __future__ import annotations

from datetime import UTC, datetime

from maturity.model import (
    COVERAGE,
    BlockerCategory,
    ComponentReport,
    CriterionResult,
    Evidence,
    GateStatus,
    GitInfo,
    Notice,
    RunReport,
    Stage,
    Status,
    TestAccount,
    ToolInfo,
    VulnerabilitySighting,
    Waiver,
)
from maturity.store.database import Store
from maturity.store.tables import (
    ComponentRow,
    CriterionRow,
    DeploymentRow,
    IncidentRow,
    RunRow,
    StageEventRow,
)


def utc_now() -> datetime:
    """Now, aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives back naive datetimes)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def insert(store: Store, row: RunRow | StageEventRow | DeploymentRow | IncidentRow) -> int:
    """Add one row (with its children) in its own transaction; returns its id."""
    with store.transaction() as session:
        session.add(row)
        session.flush()
        return row.id


def _criterion_row(c: CriterionResult) -> CriterionRow:
    numeric = isinstance(c.value, int | float) and not isinstance(c.value, bool)
    return CriterionRow(
        criterion_id=c.id,
        title=c.title,
        gate=c.gate.value,
        blocker_category=c.blocker_category.value,
        status=c.status.value,
        value=float(c.value) if numeric and c.value is not None else None,
        value_text=None if numeric or c.value is None else str(c.value),
        display=c.display,
        threshold=c.threshold,
        bar=c.bar,
        summary=c.summary,
        remediation=c.remediation,
        evidence=[e.model_dump() for e in c.evidence],
        commands=list(c.commands),
        details=dict(c.details),
        waiver=c.waiver.model_dump() if c.waiver else None,
    )


def _coverage(comp: ComponentReport) -> float | None:
    """The component's coverage figure (the value of its coverage criterion), if numeric."""
    crit = next((c for c in comp.criteria if c.id == COVERAGE), None)
    if crit is None or isinstance(crit.value, bool) or not isinstance(crit.value, int | float):
        return None
    return float(crit.value)


def run_row(report: RunReport) -> RunRow:
    """A whole report as a run row with its component and criterion rows."""
    return RunRow(
        started_at=datetime.fromisoformat(report.timestamp),
        repo=report.repo,
        commit=report.git.commit,
        branch=report.git.branch,
        dirty=report.git.dirty,
        tool_version=report.tool_version,
        schema_version=report.schema_version,
        interpreter=report.interpreter,
        interpreter_version=report.interpreter_version,
        tools=[t.model_dump() for t in report.tools],
        stages=[s.value for s in report.stages],
        tests=report.tests.model_dump() if report.tests is not None else None,
        notices=[n.model_dump() for n in report.notices],
        sightings=[v.model_dump(mode="json") for v in report.sightings],
        components=[
            ComponentRow(
                name=comp.name,
                label=comp.label,
                path=comp.path,
                stage=comp.stage.value,
                target=comp.target.value if comp.target else None,
                ready=comp.ready,
                regressed=comp.regressed,
                gates=[g.model_dump(mode="json") for g in comp.gates],
                next_step=comp.next_step,
                blocking=list(comp.blocking),
                coverage=_coverage(comp),
                unmet=len(comp.open_blockers()),
                criteria=[_criterion_row(c) for c in comp.criteria],
            )
            for comp in report.components
        ],
    )


def _criterion(c: CriterionRow) -> CriterionResult:
    return CriterionResult(
        id=c.criterion_id,
        title=c.title,
        gate=Stage(c.gate),
        blocker_category=BlockerCategory(c.blocker_category),
        status=Status(c.status),
        value=c.value if c.value is not None else c.value_text,
        display=c.display,
        threshold=c.threshold,
        bar=c.bar,
        summary=c.summary,
        remediation=c.remediation or "",
        evidence=[Evidence.model_validate(e) for e in c.evidence],
        commands=list(c.commands),
        details=dict(c.details),
        waiver=Waiver.model_validate(c.waiver) if c.waiver else None,
    )


def report_of(row: RunRow) -> RunReport:
    """A stored run (components and criteria loaded) as the report it was saved from."""
    return RunReport(
        schema_version=row.schema_version,
        tool_version=row.tool_version,
        timestamp=as_utc(row.started_at).isoformat(),
        repo=row.repo,
        git=GitInfo(commit=row.commit, branch=row.branch, dirty=row.dirty),
        interpreter=row.interpreter,
        interpreter_version=row.interpreter_version,
        tools=[ToolInfo.model_validate(t) for t in row.tools],
        stages=[Stage(s) for s in row.stages],
        tests=TestAccount.model_validate(row.tests) if row.tests else None,
        notices=[Notice.model_validate(n) for n in row.notices or []],
        sightings=[VulnerabilitySighting.model_validate(v) for v in row.sightings or []],
        components=[
            ComponentReport(
                name=comp.name,
                label=comp.label,
                path=comp.path,
                stage=Stage(comp.stage),
                target=Stage(comp.target) if comp.target else None,
                ready=comp.ready,
                regressed=comp.regressed,
                gates=[GateStatus.model_validate(g) for g in comp.gates or []],
                next_step=comp.next_step or "",
                blocking=list(comp.blocking or []),
                criteria=[_criterion(c) for c in comp.criteria],
            )
            for comp in row.components
        ],
    )
