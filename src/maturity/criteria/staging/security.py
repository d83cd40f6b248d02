"""The Staging security audit: vulnerabilities, secrets, bandit, acceptances, review."""

from __future__ import annotations

from datetime import datetime

from maturity import attestations
from maturity.config import MaturityConfig
from maturity.criteria.base import (
    Criterion,
    NotMeasured,
    Verdict,
    plural,
    register,
    require,
)
from maturity.criteria.measures import attested
from maturity.facts import Facts
from maturity.model import BlockerCategory, Evidence, Figure, Stage, Status
from maturity.project import Component


def _bandit_and_acceptances(
    facts: Facts, comp: Component, failing: list[Evidence], unmeasured: list[str]
) -> None:
    """Bandit has no medium/high finding; every accepted risk still matches a finding."""
    bandit = facts.bandit
    if bandit is None or bandit.error:
        unmeasured.append(f"bandit: {bandit.error if bandit else 'not collected'}")
    else:
        failing += [
            Evidence(message=f"bandit {f.severity.upper()} {f.code} {f.message}", file=f.file,
                     line=f.line, code=f.code)
            for f in bandit.findings
            if comp.owns(f.file) and f.severity in ("high", "medium")
        ]  # fmt: skip
        risks = facts.accepted_risks
        if risks is None or risks.error:
            unmeasured.append(f"accepted risks: {risks.error if risks else 'not collected'}")
        elif risks.document is None:
            failing.append(Evidence(message="no SECURITY_FINDINGS_ACCEPTED_RISKS.md"))
        else:
            for e in risks.entries:
                if not comp.owns(e.file):
                    continue
                if not any(
                    f.code == e.test_id and f.file == e.file and e.line in (None, f.line)
                    for f in bandit.findings
                ):
                    where = f"{e.file}:{e.line}" if e.line else e.file
                    failing.append(Evidence(
                        message=f"stale acceptance: {e.test_id} at {where} matches no finding",
                        file=risks.document, line=e.source_line,
                    ))  # fmt: skip


def security_audit(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """Known vulnerabilities, new secrets, bandit, accepted risks, manual review."""
    sec = require(facts.security, "the security audit")
    failing: list[Evidence] = []
    unmeasured: list[str] = []
    deps = sec.dependencies.get(comp.name, {})
    commands = [c for c in (sec.audit_command, sec.secrets_command) if c]
    # 1. dependency vulnerabilities
    if sec.audit_error:
        unmeasured.append(f"dependencies not audited: {sec.audit_error}")
    else:
        skipped = {n: r for n, r in sec.skipped.items() if n in deps}
        if skipped:
            name, reason = next(iter(sorted(skipped.items())))
            unmeasured.append(
                f"{plural(len(skipped), 'dependency', 'dependencies')} not audited by {sec.audit}"
                f" ({name}: {reason})"
            )
        for v in sec.vulnerabilities:
            if v.package in deps:
                fix = f"; fixed in {', '.join(v.fixed)}" if v.fixed else ""
                sev = f" [{v.severity}]" if v.severity else ""
                failing.append(
                    Evidence(
                        message=f"{v.id}{sev}: {v.package} {v.version}{fix}",
                        file=v.source,
                        code=v.id,
                    )
                )
    # 2. secrets that are not in the baseline
    if sec.secrets_error:
        unmeasured.append(f"secrets not scanned: {sec.secrets_error}")
    else:
        mine = [s for s in sec.secrets if comp.owns(s.file)]
        if sec.baseline is None:
            hint = "detect-secrets scan --no-verify > .secrets.baseline"
            failing.append(Evidence(message=f"no {config.security.secrets_baseline} ({hint})"))
        new = [s for s in mine if (s.file, s.hashed) not in sec.baseline_entries]
        failing += [
            Evidence(
                message=f"new secret ({s.type}) not in the baseline",
                file=s.file,
                line=s.line,
                code=s.type,
            )
            for s in new
        ]
    _bandit_and_acceptances(facts, comp, failing, unmeasured)
    # 5. the manual review, attested
    try:
        record = attested(facts, comp, "security_review")
    except NotMeasured as exc:
        record = None
        unmeasured.append(exc.verdict.summary)
    else:
        file = (attestations.DIRECTORY / f"{comp.name}.yaml").as_posix()
        failing += [
            Evidence(message=p, file=file)
            for p in attestations.problems(record, "security_review", now.date())
        ]
    details = {"dependencies": deps, "audit": sec.audit, "unmeasured": unmeasured}
    display = f"{len(deps)} deps audited" if not sec.audit_error else "deps not audited"
    if failing:
        summary = "; ".join(e.message for e in failing[:3]) + (" …" if len(failing) > 3 else "")
        if unmeasured:
            summary += "; also " + "; ".join(unmeasured)
        return Verdict(
            Status.FAIL, plural(len(failing), "problem"), summary, len(failing),
            failing, commands, details,
        )  # fmt: skip
    if unmeasured:
        return Verdict(
            Status.ERROR, "not measured", "; ".join(unmeasured), None, [], commands, details
        )
    by = record["by"] if record else "?"
    return Verdict(
        Status.PASS, display,
        f"no known vulnerabilities in {len(deps)} dependencies ({sec.audit}); no new secrets;"
        f" bandit clean; acceptances current; reviewed by {by}",
        0, [], commands, details,
    )  # fmt: skip


register(
    Criterion(
        id="stg.security_audit",
        figure=Figure.VULNERABILITIES,
        gate=Stage.STAGING,
        number=4,
        title="Security audit completed",
        checklist="Security audit completed",
        category=BlockerCategory.SECURITY,
        shown=lambda c: "no known vulns, no new secrets, review attested",
        remediation="Upgrade the dependencies with known vulnerabilities, remove or baseline"
        " the secrets found, fix bandit's findings, and attest the manual review"
        " (`maturity attest security-review`).",
        needs=("security", "bandit", "accepted_risks", "attestations"),
        rule=security_audit,
    )
)
