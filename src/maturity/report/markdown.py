"""Markdown: the spec's promotion issue, the run document, the PR summary."""

from __future__ import annotations

from dataclasses import dataclass

from maturity.model import ComponentReport, CriterionResult, GateRole, RunReport, Stage, Status

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


def promotion_issue(report: RunReport, component: str, to: Stage | None = None) -> PromotionIssue:
    """The spec's promotion issue for one component, with the measured figures: for its
    next stage by default, or for stage ``to`` further ahead when the run judged the exit
    criteria of the stage before it (``run --stage``)."""
    comp = report.component(component)
    target = to or comp.target
    if target is None:
        raise ValueError(f"{comp.name} is at production: there is no stage to promote it to")
    order = list(Stage)
    if order.index(target) <= order.index(comp.stage):
        raise ValueError(f"{comp.name} already holds {comp.stage}: promote it to a later stage")
    gate = target.previous[-1]
    exit_criteria = comp.for_gate(gate)
    if not exit_criteria:
        raise ValueError(f"the {gate} exit criteria of {comp.name} were not measured")
    if target is comp.target:  # the model's status, verbatim
        ready, blocking = comp.ready, comp.blocking
    else:  # every gate up to the one judged ahead, as the evaluation left them
        before = [g for g in comp.gates if order.index(g.gate) < order.index(target)]
        ready = all(g.met for g in before)
        blocking = [i for g in before for i in g.failing + g.unmeasured]
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
    steps = NEXT_STEPS[target] if ready else _fix_first(comp, blocking, target)
    lines += [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
    lines += ["", f"_Measured by maturity {report.tool_version} {_where(report)}._"]
    return PromotionIssue(
        title=f"Promote {_slug(comp)} to {target}",
        labels=[comp.label, f"target:{target}"],
        body="\n".join(lines) + "\n",
    )


def _fix_first(comp: ComponentReport, blocking: list[str], target: Stage) -> list[str]:
    """Next steps of a component that is not ready: the criteria to fix, each with its
    remediation, then measuring again."""
    results = {c.id: c for c in comp.criteria}
    steps = [
        f"{'Measure' if results[i].status is Status.ERROR else 'Fix'} {results[i].title}:"
        f" {results[i].remediation or results[i].summary}"
        for i in blocking
    ]
    return [*steps, f"Run `maturity run` again; when it is ready, promote it to {target}"]


def _where(report: RunReport) -> str:
    """When and on what the run measured: the commit, and whether the tree was dirty."""
    commit = report.git.commit
    if commit is None:
        where = "outside a git repository"
    elif report.git.dirty:
        where = f"on a working tree with uncommitted changes at {commit[:12]}"
    else:
        where = f"at {commit[:12]}"
    return f"{where} on {report.timestamp}"


def render_issue_markdown(issue: PromotionIssue) -> str:
    """The issue in the spec's shape: Title, Labels, body."""
    return f"Title: {issue.title}\n\nLabels: {', '.join(issue.labels)}\n\n{issue.body}"


def _summary_row(comp: ComponentReport) -> str:
    held = comp.gate(GateRole.EXIT) or comp.gate(GateRole.MAINTENANCE)
    results = comp.for_gate(held.gate) if held else []
    cells = [
        comp.name,
        comp.stage.value,
        comp.verdict + (" ✅" if comp.ready else ""),
        f"{sum(c.met for c in results)}/{len(results)}",
        len(held.failing) if held else 0,
        len(held.unmeasured) if held else 0,
        comp.next_step.replace("|", "\\|"),
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _tests_line(report: RunReport) -> list[str]:
    if report.tests is None:
        return []
    lines = ["", f"_Tests: {report.tests.summary()}._"]
    sessions = report.tests.sessions
    if len(sessions) > 1 or any(s.project != "." for s in sessions):
        lines += ["", "Test sessions (one pytest process each):", ""]
        lines += [
            f"- `{s.project}/`: {s.line().split(': ', 1)[1]} — `{s.command}`" for s in sessions
        ]
    return lines


def render_markdown(report: RunReport) -> str:
    """The document for ``maturity run --markdown``: summary, then each promotion issue."""
    parts = [
        "# Component maturity",
        "",
        "| component | stage | status | met | failing | could not measure | next step |",
        "|---|---|---|---|---|---|---|",
        *[_summary_row(c) for c in report.components],
        "",
        report.status_line(),
        *_tests_line(report),
        *([f"\n_{report.cache_line()}_"] if report.cache_line() else []),
        *([f"\n_{report.changed_since.line()}_"] if report.changed_since else []),
    ]
    for comp in report.components:
        if comp.target is None:
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
    head = "| component | status | " + " | ".join(titles[i] for i in ids) + " |"
    rows = [head, "|---" * (len(ids) + 2) + "|"]
    for comp in report.components:
        cells = {c.id: f"{ICON[c.status]} {c.display}" for c in comp.criteria}
        status = f"{comp.stage}: {comp.verdict}"
        rows.append(
            f"| {comp.name} | {status} | " + " | ".join(cells.get(i, "") for i in ids) + " |"
        )
    rows += _tests_line(report)
    rows += ["", report.status_line(), *baseline_lines(report)]
    return "## Component maturity\n\n" + "\n".join(rows) + "\n"


def baseline_lines(report: RunReport) -> list[str]:
    """The ratchet's result in Markdown: each regression with both figures, or why there
    was no baseline. Nothing when the run was not compared."""
    base = report.baseline
    if base is None:
        return []
    if base.source is None:
        return ["", f"**No baseline**: {base.note}; gated on the held stage only."]
    at = f" at `{base.commit[:12]}`" if base.commit and base.commit[:12] not in base.source else ""
    lines = ["", f"### Against the baseline ({base.source}{at})", ""]
    if not base.regressions:
        lines.append("No regressions: nothing that was met got worse.")
    else:
        lines += [
            "| component | criterion | baseline | now | why it fails |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.component} | {r.title} | {r.before} | {r.after} | {r.reason} |".replace(
                "\n", " "
            )
            for r in base.regressions
        ]
    if base.new_components:
        lines += ["", f"New components (no baseline): {', '.join(base.new_components)}."]
    return lines
