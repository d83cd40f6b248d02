"""Production maintenance criterion: security patching within each severity's window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from maturity.config import MaturityConfig
from maturity.criteria.base import Criterion, NotMeasured, Verdict, plural, register, require
from maturity.criteria.measures import duration, production_time
from maturity.facts import PATCH_WINDOWS, Facts, SecurityFacts, Vulnerability
from maturity.model import BlockerCategory, Evidence, Figure, Stage, Status
from maturity.project import Component


def component_vulnerabilities(sec: SecurityFacts, comp: Component) -> list[Vulnerability]:
    """The known vulnerabilities of the component's dependencies; raises
    :class:`NotMeasured` when the audit failed or skipped one of its dependencies."""
    if sec.audit_error:
        raise NotMeasured(
            Verdict(Status.ERROR, "not measured", f"dependencies not audited: {sec.audit_error}")
        )
    deps = sec.dependencies.get(comp.name, {})
    skipped = sorted(n for n in sec.skipped if n in deps)
    if skipped:
        raise NotMeasured(Verdict(
            Status.ERROR, "not measured",
            f"{plural(len(skipped), 'dependency', 'dependencies')} not audited by {sec.audit}"
            f" ({skipped[0]}: {sec.skipped[skipped[0]]})",
        ))  # fmt: skip
    return [v for v in sec.vulnerabilities if v.package in deps]


def security_patching(
    facts: Facts, comp: Component, config: MaturityConfig, now: datetime
) -> Verdict:
    """Each known vulnerability patched within its severity's window since first seen."""
    sec = require(facts.security, "the vulnerability audit")
    history = require(facts.history, "history")
    vulnerabilities = component_vulnerabilities(sec, comp)
    now = production_time(config, now)
    known: list[dict[str, Any]] = []
    overdue: list[Evidence] = []
    for v in vulnerabilities:
        first = history.first_seen.get((comp.name, v.id), now)
        severity = v.severity or "critical"  # unknown severity: held to the tightest window
        age = now - first
        window = PATCH_WINDOWS.get(severity)
        late = window is not None and age > window
        known.append({
            "id": v.id, "package": v.package, "version": v.version, "severity": v.severity,
            "first_seen": first.isoformat(), "age_hours": round(age.total_seconds() / 3600, 2),
            "overdue": late,
        })  # fmt: skip
        if late:
            assumed = "" if v.severity else " (severity unknown: held to the critical window)"
            overdue.append(Evidence(
                message=f"{v.id} {severity}{assumed}: {v.package} {v.version} unpatched for"
                f" {duration(age)} (window {duration(window)})",  # type: ignore[arg-type]
                file=v.source or None,
            ))  # fmt: skip
    details = {"vulnerabilities": known, "audit": sec.audit}
    commands = [c for c in (sec.audit_command,) if c]
    if overdue:
        return Verdict(
            Status.FAIL, f"{len(overdue)} overdue",
            "; ".join(e.message for e in overdue[:3]) + (" …" if len(overdue) > 3 else ""),
            len(overdue), overdue, commands, details,
        )  # fmt: skip
    if known:
        ids = ", ".join(f"{k['id']} ({k['severity'] or 'unknown'})" for k in known)
        count = plural(len(known), "known vulnerability", "known vulnerabilities")
        summary = f"{count} within the patch window: {ids}"
    else:
        deps = sec.dependencies.get(comp.name, {})
        count = plural(len(deps), "dependency", "dependencies")
        summary = f"no known vulnerability in {count} ({sec.audit})"
    return Verdict(Status.PASS, f"{len(known)} open, 0 overdue", summary, 0, [], commands, details)


register(
    Criterion(
        id="prd.security_patching",
        figure=Figure.VULNERABILITIES,
        gate=Stage.PRODUCTION,
        number=4,
        title="Security patching",
        checklist="Security patching within windows",
        category=BlockerCategory.SECURITY,
        shown=lambda c: "critical ≤24 h, high ≤7 d, medium ≤30 d",
        remediation="Upgrade each overdue dependency to a fixed version (listed), critical"
        " ones first.",
        needs=("security", "history"),
        rule=security_patching,
    )
)
