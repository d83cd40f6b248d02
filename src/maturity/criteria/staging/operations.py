"""Staging exit criteria measured from committed records and probes: monitoring, staging
validation, rollback plan, QA approval."""

from __future__ import annotations

from datetime import datetime

from maturity import attestations
from maturity.config import MaturityConfig
from maturity.criteria.base import Criterion, Verdict, plural, register, require
from maturity.criteria.measures import attested
from maturity.facts import ROLLBACK_SECTIONS, Facts
from maturity.model import BlockerCategory, Evidence, Stage, Status
from maturity.project import Component


def qa_approval(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """The spec's eight-item QA checklist, all checked, with approver and date."""
    record = attested(facts, comp, "qa")
    file = (attestations.DIRECTORY / f"{comp.name}.yaml").as_posix()
    issues = attestations.problems(record, "qa", now.date())
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


def staging_validation(
    facts: Facts, comp: Component, config: MaturityConfig, now: datetime
) -> Verdict:
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
    record = attested(facts, comp, "multi_user")
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
        problems += [p for p in attestations.problems(record, "multi_user", now.date())]
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


def rollback_plan(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """``docs/rollback/<component>.md`` with every required section."""
    found = require(facts.rollback, "rollback plans")
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
        shown = f"{len(ROLLBACK_SECTIONS) - len(missing)}/{len(ROLLBACK_SECTIONS)} sections"
        return Verdict(
            Status.FAIL,
            shown,
            "missing: " + ", ".join(missing),
            len(ROLLBACK_SECTIONS) - len(missing),
            evidence,
        )
    whole = len(ROLLBACK_SECTIONS)
    return Verdict(Status.PASS, f"{whole}/{whole} sections", plan, whole, commands=[f"cat {plan}"])


def monitoring(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """prometheus_client Counter and Histogram, structlog, and the four alerts."""
    found = require(facts.monitoring, "monitoring")
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


register(
    Criterion(
        id="stg.monitoring",
        gate=Stage.STAGING,
        number=5,
        title="Monitoring integrated",
        checklist="Monitoring integrated",
        category=BlockerCategory.PERFORMANCE,
        shown=lambda c: "Counter+Histogram, structlog, 4 alerts",
        remediation="Add a prometheus_client Counter and Histogram and structlog logging to"
        " the component, and its four alerts (`maturity alerts COMPONENT --write`).",
        needs=("monitoring",),
        rule=monitoring,
    )
)
register(
    Criterion(
        id="stg.staging_validation",
        gate=Stage.STAGING,
        number=6,
        title="Staging validation passed",
        checklist="Staging validation passed",
        category=BlockerCategory.TESTS,
        shown=lambda c: "health 200; ≥3 users ≥1 h, 0 critical bugs",
        remediation="Deploy to staging and set health_url; run a multi-user session (≥3 users,"
        " ≥1 h) and attest it with `maturity attest multi-user`.",
        needs=("health", "attestations"),
        rule=staging_validation,
    )
)
register(
    Criterion(
        id="stg.rollback_plan",
        gate=Stage.STAGING,
        number=7,
        title="Rollback plan documented",
        checklist="Rollback plan documented",
        category=BlockerCategory.DOCUMENTATION,
        bar=lambda c: len(ROLLBACK_SECTIONS),
        shown=lambda c: f"{len(ROLLBACK_SECTIONS)} sections",
        remediation="Write docs/rollback/<component>.md with every section"
        " (`maturity rollback-template COMPONENT` writes a skeleton).",
        needs=("rollback",),
        rule=rollback_plan,
    )
)
register(
    Criterion(
        id="stg.qa_approval",
        gate=Stage.STAGING,
        number=8,
        title="Manual QA approval",
        checklist="Manual QA approval",
        category=BlockerCategory.TESTS,
        shown=lambda c: "8/8 checked, approver, date",
        remediation="Have the QA lead check every item and sign off with `maturity attest qa`.",
        needs=("attestations",),
        rule=qa_approval,
    )
)
