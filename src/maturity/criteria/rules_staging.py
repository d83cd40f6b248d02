"""Staging exit rules (promotion to Production) measured from committed records and probes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from maturity import attestations
from maturity.config import Component, MaturityConfig
from maturity.criteria.base import Verdict, not_measured, plural, require
from maturity.facts import ROLLBACK_SECTIONS, Facts
from maturity.model import Evidence, Status


def today() -> date:
    """Today's date in UTC: attestations and waivers expire by it."""
    return datetime.now(UTC).date()


def attested(
    facts: Facts, comp: Component, kind: str
) -> tuple[dict[str, Any] | None, Verdict | None]:
    """The component's attestation record of ``kind`` (None when absent), or an error verdict."""
    found = facts.attestations
    problem = not_measured(found, "attestations")
    if problem or found is None:
        return None, problem or Verdict(Status.ERROR, "not measured", "not collected")
    if comp.name in found.errors:
        return None, Verdict(Status.ERROR, "not measured", found.errors[comp.name])
    return found.records.get(comp.name, {}).get(kind), None


def qa_approval(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """The spec's eight-item QA checklist, all checked, with approver and date."""
    record, error = attested(facts, comp, "qa")
    if error:
        return error
    file = (attestations.DIRECTORY / f"{comp.name}.yaml").as_posix()
    issues = attestations.problems(record, "qa", today())
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
    record, error = attested(facts, comp, "multi_user")
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
        problems += [p for p in attestations.problems(record, "multi_user", today())]
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


def monitoring(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
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


def performance_bars(config: MaturityConfig) -> str:
    """The performance threshold as shown in reports."""
    b = config.staging.performance
    return (
        f"p95 API<{b.api_p95_ms:g}ms DB<{b.db_p95_ms:g}ms page<{b.page_p95_ms:g}ms;"
        f" ≥{b.users} users, ≥{b.rps:g} rps, <{b.memory_mb:g} MB, CPU<{b.cpu_percent:g}%"
    )


def performance(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """The spec's performance bars, each figure shown with its bar."""
    found = require(facts.performance, "the load test")
    result = found.results.get(comp.name)
    if result is None:
        return Verdict(
            Status.FAIL, "no load test",
            f"no [tool.maturity.components.{comp.name}.performance] load test configured",
        )  # fmt: skip
    commands = [result.command] if result.command else []
    if result.error:
        return Verdict(Status.ERROR, "not measured", result.error, commands=commands)
    bars = config.staging.performance
    checks: list[tuple[str, float | None, float, bool]] = []  # label, figure, bar, lower is better
    for group, bar in (
        ("api", bars.api_p95_ms),
        ("db", bars.db_p95_ms),
        ("page", bars.page_p95_ms),
    ):
        figures = result.groups.get(group)
        checks.append((f"{group} p95 ms", figures.p95_ms if figures else None, bar, True))
    checks += [
        ("users", result.peak_users, bars.users, False),
        ("requests/s", result.rps, bars.rps, False),
        ("memory MB", result.memory_mb, bars.memory_mb, True),
        ("CPU %", result.cpu_percent, bars.cpu_percent, True),
    ]
    shown: list[str] = []
    failing: list[str] = []
    unmeasured: list[str] = []
    figures_out: dict[str, Any] = {}
    for label, figure, bar, lower in checks:
        op = "<" if lower else "≥"
        figures_out[label] = {"value": figure, "bar": bar, "lower_is_better": lower}
        if figure is None:
            unmeasured.append(label)
            shown.append(f"{label}: not measured ({op} {bar:g})")
            continue
        ok = figure < bar if lower else figure >= bar
        value = f"{figure:.0f}" if label == "users" else f"{figure:.1f}"
        text = f"{label} {value} {op} {bar:g}" if ok else f"{label} {value} (need {op} {bar:g})"
        shown.append(text)
        if not ok:
            failing.append(text)
    if result.failures:
        failing.append(f"{result.failures} of {result.http_requests} requests failed")
    details = {"figures": figures_out, "mode": result.mode, "source": result.source,
               "unmatched": result.unmatched}  # fmt: skip
    sampled = ("memory MB", "CPU %")  # psutil's figures, not locust's
    evidence = [
        Evidence(message=text, file=None if text.startswith(sampled) else result.source)
        for text in shown
    ]
    evidence += [Evidence(message=f"request name in no group: {n}") for n in result.unmatched]
    if failing:
        return Verdict(
            Status.FAIL, f"{len(failing)} of {len(checks)} bars missed", "; ".join(failing),
            len(failing), evidence, commands, details,
        )  # fmt: skip
    if unmeasured:
        return Verdict(
            Status.ERROR, "not measured", "not measured: " + ", ".join(unmeasured)
            + (" (ingest mode samples no process)" if result.mode == "ingest" else ""),
            None, evidence, commands, details,
        )  # fmt: skip
    return Verdict(
        Status.PASS, f"{len(checks)}/{len(checks)} bars met", "; ".join(shown), 0,
        evidence, commands, details,
    )  # fmt: skip
