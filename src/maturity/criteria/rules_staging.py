"""Staging exit rules (promotion to Production) measured from committed records and probes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from maturity import attestations
from maturity.config import Component, MaturityConfig
from maturity.criteria.base import Verdict, not_measured, plural
from maturity.facts import Facts
from maturity.model import Evidence, Status


def not_yet(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """A Staging criterion this version cannot measure: never a pass."""
    return Verdict(Status.ERROR, "not measured", "not measured by this version of maturity yet")


def _today() -> Any:
    return datetime.now(UTC).date()


def _attestation(
    facts: Facts, comp: Component, kind: str
) -> tuple[dict[str, Any] | None, Verdict | None]:
    found = facts.attestations
    problem = not_measured(found, "attestations")
    if problem or found is None:
        return None, problem or Verdict(Status.ERROR, "not measured", "not collected")
    if comp.name in found.errors:
        return None, Verdict(Status.ERROR, "not measured", found.errors[comp.name])
    return found.records.get(comp.name, {}).get(kind), None


def qa_approval(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """The spec's eight-item QA checklist, all checked, with approver and date."""
    record, error = _attestation(facts, comp, "qa")
    if error:
        return error
    file = (attestations.DIRECTORY / f"{comp.name}.yaml").as_posix()
    issues = attestations.problems(record, "qa", _today())
    checked = len(set((record or {}).get("checked") or []) & set(attestations.QA_CHECKLIST))
    display = f"{checked}/{len(attestations.QA_CHECKLIST)} checked"
    if issues:
        hint = f"maturity attest qa {comp.name} --by NAME --all"
        return Verdict(
            Status.FAIL, display, "; ".join(issues[:3]) + (" …" if len(issues) > 3 else ""),
            checked, [Evidence(message=i, file=file) for i in issues], [hint],
        )  # fmt: skip
    if record is None:  # pragma: no cover - problems() reports a missing record
        return Verdict(Status.FAIL, display, "no qa attestation", checked)
    return Verdict(
        Status.PASS, display, f"approved by {record['by']} on {record['date']}", checked,
        commands=[f"cat {file}"],
    )  # fmt: skip


def staging_validation(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """The staging health URL answers 200, and multi-user testing is attested."""
    problems: list[str] = []
    health = facts.health
    if not comp.health_url:
        problems.append("no health_url configured for the component")
    elif health is None or comp.name not in health.checks:
        return Verdict(Status.ERROR, "not measured", "the health URL was not probed")
    else:
        status, message = health.checks[comp.name]
        if status != 200:
            problems.append(message)
    record, error = _attestation(facts, comp, "multi_user")
    if error:
        return error
    if record is None:
        problems.append("no multi_user attestation")
    else:
        if int(record.get("users", 0)) < 3:
            problems.append(f"{record.get('users', 0)} concurrent users (need ≥ 3)")
        if float(record.get("session_hours", 0)) < 1:
            problems.append(f"{record.get('session_hours', 0)} h session (need ≥ 1 h)")
        if int(record.get("critical_bugs", 1)) != 0:
            problems.append(f"{record.get('critical_bugs')} critical bugs (need 0)")
        if record.get("feedback_addressed") is not True:
            problems.append("user feedback not addressed")
        problems += [p for p in attestations.problems(record, "multi_user", _today())]
    commands = [f"curl -fsS {comp.health_url}"] if comp.health_url else []
    if problems:
        return Verdict(
            Status.FAIL,
            plural(len(problems), "problem"),
            "; ".join(problems),
            len(problems),
            commands=commands,
        )
    return Verdict(
        Status.PASS, "healthy, attested",
        f"{comp.health_url} answered 200; {record['users']} users for {record['session_hours']} h"  # type: ignore[index]
        " with no critical bugs", 0, commands=commands,
    )  # fmt: skip


def rollback_plan(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """``docs/rollback/<component>.md`` with every required section."""
    found = facts.rollback
    problem = not_measured(found, "rollback plans")
    if problem or found is None:
        return problem or Verdict(Status.ERROR, "not measured", "not collected")
    plan = found.plans.get(comp.name)
    if plan is None:
        rel = f"docs/rollback/{comp.name}.md"
        return Verdict(
            Status.FAIL, "no plan", f"no {rel} (maturity rollback-template {comp.name} writes one)",
            0, [Evidence(message="missing", file=rel)],
        )  # fmt: skip
    missing = found.missing.get(comp.name, [])
    if missing:
        evidence = [Evidence(message=f"missing section: {m}", file=plan) for m in missing]
        shown = f"{5 - len(missing)}/5 sections"
        return Verdict(
            Status.FAIL, shown, "missing: " + ", ".join(missing), 5 - len(missing), evidence
        )
    return Verdict(Status.PASS, "5/5 sections", plan, 5, commands=[f"cat {plan}"])


def monitoring(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """prometheus_client Counter and Histogram, structlog, and the four alerts."""
    found = facts.monitoring
    problem = not_measured(found, "monitoring")
    if problem or found is None:
        return problem or Verdict(Status.ERROR, "not measured", "not collected")
    mon = found.components.get(comp.name)
    if mon is None:
        return Verdict(Status.ERROR, "not measured", f"{comp.path} was not scanned")
    problems: list[str] = []
    if not mon.counters:
        problems.append("no prometheus_client Counter")
    if not mon.histograms:
        problems.append("no prometheus_client Histogram")
    if not mon.loggers:
        problems.append("no structlog.get_logger()")
    if mon.rules_file is None:
        rules = f"monitoring/alerts/{comp.name}.rules.yml"
        problems.append(f"no {rules} (maturity alerts {comp.name} writes it)")
    problems += mon.rules_problems
    if mon.promtool not in (None, "ok"):
        problems.append(str(mon.promtool))
    display = (
        f"{len(mon.counters)} counters, {len(mon.histograms)} histograms, "
        f"{len(mon.loggers)} loggers"
    )
    evidence = [
        Evidence(message=f"metric or logger at {w}")
        for w in (*mon.counters, *mon.histograms, *mon.loggers)
    ]
    commands = [f"promtool check rules {mon.rules_file}"] if mon.rules_file else []
    if problems:
        return Verdict(
            Status.FAIL,
            display,
            "; ".join(problems),
            len(problems),
            [Evidence(message=p) for p in problems] + evidence,
            commands,
        )
    note = "" if mon.promtool == "ok" else " (rules not validated: promtool is not installed)"
    return Verdict(
        Status.PASS,
        display,
        f"metrics, structured logs and the four alerts{note}",
        0,
        evidence,
        commands,
    )
