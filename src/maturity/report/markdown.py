"""Markdown: the spec's promotion issue, the run document, the PR summary."""

from __future__ import annotations

from dataclasses import dataclass

from maturity.model import ComponentReport, CriterionResult, RunReport, Stage, Status

NEXT_STEPS = {
    Stage.STAGING: [
        "Deploy to staging environment",
        "Run integration test suite",
        "Run E2E test suite",
        "Monitor for 24 hours",
        "If stable, create production promotion issue",
    ],
    Stage.PRODUCTION: [
        "Deploy to production with the rollback plan at hand",
        "Monitor error rate, latency and uptime against the SLAs",
        "Keep the rollback plan ready for the first 48 hours",
        "Close this issue once the production maintenance criteria hold for 7 days",
    ],
}
EVIDENCE_SHOWN = 5
ICON = {Status.PASS: "✅", Status.FAIL: "❌", Status.ERROR: "⚠️", Status.WAIVED: "🟦"}


@dataclass
class PromotionIssue:
    """A GitHub issue ready to be created."""

    title: str
    labels: list[str]
    body: str


def _slug(component: ComponentReport) -> str:
    return component.label.removeprefix("component:")


def _checklist_line(crit: CriterionResult) -> list[str]:
    text = str(crit.details.get("checklist") or crit.title)
    if crit.status is Status.ERROR:
        return [f"- [ ] {text} (could not measure: {crit.summary})"]
    box = "x" if crit.met else " "
    lines = [f"- [{box}] {text} (currently {crit.display})"]
    if crit.status is Status.WAIVED and crit.waiver:
        lines[0] += f" — waived until {crit.waiver.expires} by {crit.waiver.approver}"
    if crit.status is Status.FAIL:
        for ev in crit.evidence[:EVIDENCE_SHOWN]:
            where = f"`{ev.location()}` " if ev.location() else ""
            label = ev.message.replace("[", "\\[").replace("]", "\\]")
            text = f"[{label}]({ev.link})" if ev.link else ev.message
            lines.append(f"  - {where}{text}")
        if len(crit.evidence) > EVIDENCE_SHOWN:
            lines.append(f"  - … and {len(crit.evidence) - EVIDENCE_SHOWN} more")
    return lines


def promotion_issue(report: RunReport, component: str) -> PromotionIssue:
    """The spec's promotion issue for one component, with the measured figures."""
    comp = report.component(component)
    target = comp.target
    if target is None:
        raise ValueError(f"{comp.name} is at production: there is no stage to promote it to")
    gate = target.previous[-1]
    exit_criteria = comp.for_gate(gate)
    if not exit_criteria:
        raise ValueError(f"the {gate} exit criteria of {comp.name} were not measured")
    lines = ["## Checklist", ""]
    for crit in exit_criteria:
        lines += _checklist_line(crit)
    unmet = [c for c in exit_criteria if not c.met]
    if unmet:
        lines += ["", "## Blocking", ""]
        by_category: dict[str, list[CriterionResult]] = {}
        for crit in unmet:
            by_category.setdefault(crit.blocker_category.value, []).append(crit)
        for category, crits in by_category.items():
            names = "; ".join(f"{c.title}: {c.summary}" for c in crits)
            lines.append(f"- `blocker:{category}`: {names}")
    lines += ["", "## Next Steps", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(NEXT_STEPS[target], start=1)]
    commit = (report.git.commit or "an uncommitted tree")[:12]
    lines += [
        "",
        f"_Measured by maturity {report.tool_version} at {commit} on {report.timestamp}._",
    ]
    return PromotionIssue(
        title=f"Promote {_slug(comp)} to {target}",
        labels=[comp.label, f"target:{target}"],
        body="\n".join(lines) + "\n",
    )


def render_issue_markdown(issue: PromotionIssue) -> str:
    """The issue in the spec's shape: Title, Labels, body."""
    return f"Title: {issue.title}\n\nLabels: {', '.join(issue.labels)}\n\n{issue.body}"


def _summary_row(comp: ComponentReport) -> str:
    gate_results = [
        c for c in comp.criteria if c.gate is (comp.target or Stage.PRODUCTION).previous[-1]
    ]
    met = sum(c.met for c in gate_results)
    failing = sum(c.status is Status.FAIL for c in gate_results)
    errors = sum(c.status is Status.ERROR for c in gate_results)
    ready = (
        f"{comp.target} ✅"
        if comp.ready and comp.target
        else ("—" if comp.target is None else "no")
    )
    flag = " (regressed)" if comp.regressed else ""
    flag += " (at risk)" if comp.at_risk else ""
    cells = [comp.name, f"{comp.stage}{flag}", ready, f"{met}/{len(gate_results)}", failing, errors]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _tests_line(report: RunReport) -> list[str]:
    return ["", f"_Tests: {report.tests.summary()}._"] if report.tests is not None else []


def render_markdown(report: RunReport) -> str:
    """The document for ``maturity run --markdown``: summary, then each promotion issue."""
    parts = [
        "# Component maturity",
        "",
        "| component | stage | ready for | met | failing | errors |",
        "|---|---|---|---|---|---|",
        *[_summary_row(c) for c in report.components],
        *_tests_line(report),
    ]
    for comp in report.components:
        if comp.target is None or not comp.for_gate(comp.target.previous[-1]):
            continue
        parts += ["", "---", "", render_issue_markdown(promotion_issue(report, comp.name)).rstrip()]
    return "\n".join(parts) + "\n"


def pr_summary(report: RunReport) -> str:
    """A compact table for a CI step summary: component by criterion."""
    ids: list[str] = []
    titles: dict[str, str] = {}
    for comp in report.components:
        for crit in comp.criteria:
            if crit.id not in titles:
                ids.append(crit.id)
                titles[crit.id] = crit.title
    head = "| component | " + " | ".join(titles[i] for i in ids) + " |"
    rows = [head, "|---" * (len(ids) + 1) + "|"]
    for comp in report.components:
        cells = {c.id: f"{ICON[c.status]} {c.display}" for c in comp.criteria}
        rows.append(f"| {comp.name} | " + " | ".join(cells.get(i, "") for i in ids) + " |")
    rows += _tests_line(report)
    return "## Component maturity\n\n" + "\n".join(rows) + "\n"
