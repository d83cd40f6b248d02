"""From the table rows back to the result model, and the helpers every query module shares
(runs are turned into rows by ``saving``)."""

from __future__ import annotations

from maturity.model import (
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
from maturity.store.moments import as_utc
from maturity.store.tables import (
    CriterionRow,
    DeploymentRow,
    IncidentRow,
    RunRow,
    StageEventRow,
)


def insert(store: Store, row: RunRow | StageEventRow | DeploymentRow | IncidentRow) -> int:
    """Add one row (with its children) in its own transaction; returns its id."""
    with store.transaction() as session:
        session.add(row)
        session.flush()
        return row.id


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
