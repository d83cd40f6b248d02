"""Development exit criteria from static analysis: ruff, pyright, bandit."""

from __future__ import annotations

from datetime import datetime

from maturity.config import MaturityConfig
from maturity.criteria.base import (
    Criterion,
    Verdict,
    files_not_measured,
    plural,
    register,
    require,
)
from maturity.criteria.measures import owned_sources
from maturity.facts import Facts, Finding
from maturity.model import BlockerCategory, Evidence, Figure, Stage, Status
from maturity.project import Component


def _findings_verdict(
    findings: list[Finding], command: str, noun: str = "finding"
) -> tuple[Status, list[Evidence]]:
    evidence = [
        Evidence(message=f"{f.code} {f.message}", file=f.file, line=f.line, code=f.code)
        for f in findings
    ]
    return (Status.FAIL if findings else Status.PASS), evidence


def by_hand(comp: Component, command: str, tail: str = "") -> str:
    """``<tool> <component path>`` as run by hand: from the component's project directory
    when it has its own (a workspace member), with the path relative to it."""
    if comp.project == ".":
        return f"{command} {comp.path}{tail}"
    return f"cd {comp.project} && {command} {comp.path.removeprefix(comp.project + '/')}{tail}"


def ruff(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """No ruff finding in the component's files."""
    ruff = require(facts.ruff, "ruff")
    owned_sources(facts, comp)
    mine = [f for f in ruff.findings if comp.owns(f.file)]
    command = by_hand(comp, "ruff check")
    status, evidence = _findings_verdict(mine, command)
    codes = sorted({f.code for f in mine})
    summary = (
        "All checks passed" if not mine else f"{plural(len(mine), 'finding')}: {', '.join(codes)}"
    )
    return Verdict(status, plural(len(mine), "finding"), summary, len(mine), evidence, [command])


def pyright(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """No pyright error or warning in the component's files."""
    pyright = require(facts.pyright, "pyright")
    owned_sources(facts, comp)
    mine = [f for f in pyright.findings if comp.owns(f.file)]
    errors = sum(1 for f in mine if f.severity == "error")
    warnings = len(mine) - errors
    command = by_hand(comp, "pyright")
    status, evidence = _findings_verdict(mine, command)
    display = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return Verdict(
        status,
        display,
        display,
        len(mine),
        evidence,
        [command],
        details={"errors": errors, "warnings": warnings},
    )


def bandit(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """No high or medium bandit finding; every low one documented as accepted."""
    bandit = require(facts.bandit, "bandit")
    owned_sources(facts, comp)
    command = by_hand(comp, "bandit -r", " -f json")
    unscanned = {f: r for f, r in bandit.failed_files.items() if comp.owns(f)}
    if unscanned:
        said = f"bandit could not scan {plural(len(unscanned), 'file')}: "
        return files_not_measured(unscanned, said, [command])
    risks = facts.accepted_risks
    if risks is not None and risks.error:
        return Verdict(Status.ERROR, "not measured", f"accepted risks: {risks.error}")
    entries = risks.entries if risks is not None else []
    mine = [f for f in bandit.findings if comp.owns(f.file)]
    high = [f for f in mine if f.severity == "high"]
    medium = [f for f in mine if f.severity == "medium"]
    low = [f for f in mine if f.severity not in ("high", "medium")]

    def accepted(f: Finding) -> bool:
        return any(
            e.test_id == f.code and e.file == f.file and e.line in (None, f.line) for e in entries
        )

    accepted_low = [f for f in low if accepted(f)]
    unaccepted = [f for f in low if not accepted(f)]
    evidence = [
        Evidence(
            message=f"{f.severity.upper()} {f.code} {f.message}",
            file=f.file,
            line=f.line,
            code=f.code,
        )
        for f in (*high, *medium)
    ] + [
        Evidence(
            message=f"LOW {f.code} {f.message} — needs documented acceptance in"
            " SECURITY_FINDINGS_ACCEPTED_RISKS.md",
            file=f.file,
            line=f.line,
            code=f.code,
        )
        for f in unaccepted
    ]
    display = f"{len(high)} high, {len(medium)} medium, {len(low)} low"
    if low:
        display += f" ({len(accepted_low)} accepted)"
    problems = []
    if high or medium:
        problems.append(f"{len(high)} high / {len(medium)} medium")
    if unaccepted:
        problems.append(f"{plural(len(unaccepted), 'low finding')} without documented acceptance")
    return Verdict(
        Status.FAIL if problems else Status.PASS,
        display,
        "; ".join(problems) if problems else "no high or medium findings; lows accepted",
        value=len(high) + len(medium) + len(unaccepted),
        evidence=evidence,
        commands=[command],
        details={
            "high": len(high),
            "medium": len(medium),
            "low": len(low),
            "low_accepted": len(accepted_low),
        },
    )


register(
    Criterion(
        id="dev.ruff",
        figure=Figure.FINDINGS,
        gate=Stage.DEVELOPMENT,
        number=3,
        title="Linting clean (ruff)",
        checklist="Linting clean (ruff)",
        category=BlockerCategory.TESTS,
        bar=lambda c: 0,
        shown=lambda c: "0 findings",
        remediation="Fix the ruff findings listed (`ruff check --fix` fixes many), or change"
        " the repository's ruff configuration if a rule does not fit it.",
        needs=("ruff", "sources"),
        rule=ruff,
    )
)
register(
    Criterion(
        id="dev.pyright",
        figure=Figure.FINDINGS,
        gate=Stage.DEVELOPMENT,
        number=4,
        title="Type checking clean (pyright)",
        checklist="Type checking clean (pyright)",
        category=BlockerCategory.TESTS,
        bar=lambda c: 0,
        shown=lambda c: "0 errors, 0 warnings",
        remediation="Fix the pyright errors and warnings listed; annotate what pyright cannot"
        " infer.",
        needs=("pyright", "sources"),
        rule=pyright,
    )
)
register(
    Criterion(
        id="dev.security_scan",
        figure=Figure.FINDINGS,
        gate=Stage.DEVELOPMENT,
        number=5,
        title="Security scan passed (bandit)",
        checklist="Security scan passed",
        category=BlockerCategory.SECURITY,
        bar=lambda c: 0,
        shown=lambda c: "0 high, 0 medium, lows accepted",
        remediation="Fix the high and medium bandit findings; accept each remaining low one"
        " with its test id and file:line in SECURITY_FINDINGS_ACCEPTED_RISKS.md.",
        needs=("bandit", "accepted_risks", "sources"),
        rule=bandit,
    )
)
