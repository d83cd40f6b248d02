"""Facts + config + the evaluation time → the per-component results. Pure: no I/O, no
clock (the time is passed in).

This module alone decides which gates apply to a component: which stages' criteria are
evaluated for it, which it must meet (its held stage's, and those ``check --require``
adds), whether it is ready for its next stage, regressed, or at risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from maturity.attribution import account
from maturity.config import MaturityConfig
from maturity.criteria import Criterion, criteria_for
from maturity.criteria.base import NotMeasured
from maturity.criteria.measures import production_time
from maturity.criteria.production.patching import component_vulnerabilities
from maturity.facts import Facts, FindingsFacts
from maturity.model import (
    ComponentReport,
    CriterionResult,
    GateRole,
    GateStatus,
    Notice,
    RunReport,
    Stage,
    Status,
    TestAccount,
    VulnerabilitySighting,
    Waiver,
)
from maturity.project import Component

PATCHING = "prd.security_patching"


def gates_for(component: Component, stage: Stage | None) -> tuple[Stage, list[Stage]]:
    """The gate that decides readiness, and every gate to evaluate.

    Readiness is judged on the exit criteria of ``stage`` when given, else of the
    declared stage. The exit criteria of every stage before the declared one are its
    entry criteria (failing them means the component has regressed), and the exit
    criteria of every stage before the judged gate are evaluated too: a gate is only
    reached through the ones before it.
    """
    gate = stage or component.stage
    order = list(Stage)
    last = max(order.index(gate), order.index(component.stage))
    return gate, order[: last + 1]


def apply_waiver(result: CriterionResult, component: Component, today: date) -> CriterionResult:
    """A valid waiver turns a measured shortfall (``fail``) into ``waived``; an expired one
    is only flagged. A criterion that could not be measured (``error``) stays ``error``,
    the waiver attached, unless the waiver says ``unmeasurable = true``."""
    waiver = next((w for w in component.waivers if w.criterion == result.id), None)
    if waiver is None:
        return result
    expired = waiver.expires < today
    applied = Waiver(
        criterion=waiver.criterion,
        justification=waiver.justification,
        approver=waiver.approver,
        expires=waiver.expires.isoformat(),
        expired=expired,
        unmeasurable=waiver.unmeasurable,
    )
    update: dict[str, object] = {"waiver": applied}
    if expired:
        update["summary"] = f"waiver expired {applied.expires}; {result.summary}"
    elif result.status is Status.ERROR and not waiver.unmeasurable:
        update["summary"] = (
            "waiver does not apply: could not measure (a waiver covers a measured shortfall;"
            f" unmeasurable = true waives this too); {result.summary}"
        )
    elif result.status is not Status.PASS:
        update["status"] = Status.WAIVED
        update["summary"] = (
            f"waived until {applied.expires} by {waiver.approver}: {waiver.justification}"
            f" ({'measured' if result.status is Status.FAIL else 'could not measure'}:"
            f" {result.summary})"
        )
    return result.model_copy(update=update)


def criteria_needed(components: list[Component], stage: Stage | None) -> list[Criterion]:
    """Every criterion some component needs evaluated, in rulebook order, no repeats."""
    seen: dict[str, Criterion] = {}
    for comp in components:
        _, gates = gates_for(comp, stage)
        for g in gates:
            for crit in criteria_for(g):
                seen.setdefault(crit.id, crit)
    return list(seen.values())


def evaluate_component(
    facts: Facts,
    component: Component,
    config: MaturityConfig,
    stage: Stage | None = None,
    *,
    now: datetime,
) -> ComponentReport:
    """Apply the rulebook to one component at time ``now``, and decide its status."""
    _, gates = gates_for(component, stage)
    results: list[CriterionResult] = []
    for g in gates:
        results += [
            apply_waiver(c.evaluate(facts, component, config, now), component, now.date())
            for c in criteria_for(g)
        ]
    statuses = [gate_status(g, component.stage, results) for g in gates]
    entry = [s for s in statuses if s.role is GateRole.ENTRY]
    exit_ = next((s for s in statuses if s.role is GateRole.EXIT), None)
    regressed = any(not s.met for s in entry)
    ready = exit_ is not None and exit_.met and not regressed
    step, blocking = next_step(component, statuses, results, ready)
    return ComponentReport(
        name=component.name,
        label=component.label,
        path=component.path,
        project=component.project,
        stage=component.stage,
        target=component.stage.next,
        criteria=results,
        ready=ready,
        regressed=regressed,
        gates=statuses,
        next_step=step,
        blocking=blocking,
    )


def gate_status(gate: Stage, held: Stage, results: list[CriterionResult]) -> GateStatus:
    """One stage's criteria for a component holding ``held``: their role, and which fail."""
    order = list(Stage)
    if gate is held:
        role = GateRole.MAINTENANCE if held is Stage.PRODUCTION else GateRole.EXIT
    else:
        role = GateRole.ENTRY if order.index(gate) < order.index(held) else GateRole.AHEAD
    mine = [r for r in results if r.gate is gate]
    return GateStatus(
        gate=gate,
        role=role,
        met=bool(mine) and all(r.met for r in mine),
        failing=[r.id for r in mine if r.status is Status.FAIL],
        unmeasured=[r.id for r in mine if r.status is Status.ERROR],
    )


def next_step(
    component: Component,
    gates: list[GateStatus],
    results: list[CriterionResult],
    ready: bool,
) -> tuple[str, list[str]]:
    """The single next step for a component, and the criteria it is about."""
    title = {r.id: r.title for r in results}

    def named(ids: list[str]) -> str:
        return ", ".join(title[i] for i in ids)

    held, nxt = component.stage, component.stage.next
    # in production, what users feel comes first: the maintenance criteria; then what the
    # component must keep of the stages it holds; then the way to the next stage
    maintenance = next((g for g in gates if g.role is GateRole.MAINTENANCE), None)
    if maintenance is not None and (unmet := maintenance.failing + maintenance.unmeasured):
        return f"bring it back within the production criteria: {named(unmet)}", unmet
    for status in gates:
        unmet = status.failing + status.unmeasured
        if status.role is GateRole.ENTRY and unmet:
            return f"restore the {status.gate} exit criteria it holds: {named(unmet)}", unmet
    if held is Stage.PRODUCTION:
        return "keep the production maintenance criteria", []
    if ready:
        return f"promote it: maturity promote {component.name} --to {nxt}", []
    exit_ = next((g for g in gates if g.role is GateRole.EXIT), None)
    if exit_ is None:  # its own criteria were not evaluated
        return f"measure the {held} exit criteria", []
    step = f"meet the {held} exit criteria for {nxt}"
    if exit_.failing:
        step += f": fix {named(exit_.failing)}"
    if exit_.unmeasured:
        step += f"{';' if exit_.failing else ':'} measure {named(exit_.unmeasured)}"
    return step, exit_.failing + exit_.unmeasured


def evaluate(
    facts: Facts,
    components: list[Component],
    config: MaturityConfig,
    stage: Stage | None = None,
    *,
    now: datetime,
) -> list[ComponentReport]:
    """Apply the rulebook to every component at time ``now``."""
    return [evaluate_component(facts, c, config, stage, now=now) for c in components]


@dataclass(frozen=True)
class GateFailure:
    """A criterion a component must meet and does not (``warn_only``: it only warns)."""

    component: ComponentReport
    criterion: CriterionResult
    warn_only: bool


def required(status: GateStatus, require: Stage | None) -> bool:
    """Whether ``maturity check`` requires a gate: the stages a component holds (entry),
    production's criteria while in production, and every stage up to ``--require``."""
    if status.role in (GateRole.ENTRY, GateRole.MAINTENANCE):
        return True
    order = list(Stage)
    return require is not None and order.index(status.gate) <= order.index(require)


def gate_failures(
    report: RunReport, require: Stage | None, on_breach: str = "fail"
) -> list[GateFailure]:
    """What ``maturity check`` fails for: every unmet criterion of a required gate. A
    production maintenance breach only warns when ``production.on_breach = "warn"``
    (unless production itself was required)."""
    warn = on_breach == "warn" and require is not Stage.PRODUCTION
    failures: list[GateFailure] = []
    for comp in report.components:
        for status in comp.gates:
            if not required(status, require):
                continue
            unmet = set(status.failing + status.unmeasured)
            failures += [
                GateFailure(comp, crit, warn and status.role is GateRole.MAINTENANCE)
                for crit in comp.criteria
                if crit.gate is status.gate and crit.id in unmet
            ]
    return failures


def account_tests(facts: Facts, components: list[Component]) -> TestAccount | None:
    """The run-level account of the unit tests over every component of the project."""
    return account(components, facts.tests, facts.coverage)


def notices(facts: Facts) -> list[Notice]:
    """Diagnostics the static tools gave without a file: the run's, shown once."""
    out: list[Notice] = []
    for name in ("ruff", "pyright", "bandit"):
        found = getattr(facts, name)
        if isinstance(found, FindingsFacts):
            out += [Notice(tool=name, message=m) for m in found.general]
    return out


def sightings(
    facts: Facts,
    components: list[Component],
    config: MaturityConfig,
    stage: Stage | None = None,
    *,
    now: datetime,
) -> list[VulnerabilitySighting]:
    """The known vulnerabilities of each component whose ``prd.security_patching`` this run
    measures (evaluated, its dependencies audited), with when a stored run first saw each
    (the evaluation time when none had): the ones that criterion judges, and what the
    history store keeps sightings of."""
    sec, history = facts.security, facts.history
    if sec is None or history is None or sec.error or history.error:
        return []
    at = production_time(config, now)
    found: list[VulnerabilitySighting] = []
    for comp in components:
        _, gates = gates_for(comp, stage)
        if not any(c.id == PATCHING for g in gates for c in criteria_for(g)):
            continue
        try:
            vulnerabilities = component_vulnerabilities(sec, comp)
        except NotMeasured:
            continue  # the criterion could not be measured: nothing was seen
        found += [
            VulnerabilitySighting(
                component=comp.name,
                vulnerability=v.id,
                package=v.package,
                version=v.version,
                severity=v.severity,
                first_seen=history.first_seen.get((comp.name, v.id), at),
            )
            for v in vulnerabilities
        ]
    return found
