"""The terminal report (rich): one table per component, evidence under failures."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from maturity.model import ComponentReport, RunReport, Status

STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "yellow"}
EVIDENCE_SHOWN = 3


def _header(report: RunReport, console: Console) -> None:
    git = report.git
    where = f"{git.branch}@{git.commit[:12]}" if git.commit else "not a git repository"
    if git.dirty:
        where += " (uncommitted changes)"
    console.print(Text.assemble(("maturity ", "bold"), report.tool_version, " · ", report.repo))
    console.print(Text(f"git: {where}"))
    version = f" (Python {report.interpreter_version})" if report.interpreter_version else ""
    console.print(Text(f"interpreter: {report.interpreter}{version}"))
    tools = ", ".join(f"{t.name} {t.version or '?'}" for t in report.tools)
    console.print(Text(f"tools: {tools}"))


def _component(comp: ComponentReport, console: Console, verbose: bool) -> None:
    table = Table(
        title=Text(f"{comp.name} ({comp.path}) — {comp.stage}", style="bold"), title_justify="left"
    )
    for column in ("criterion", "status", "measured", "threshold", "summary"):
        table.add_column(column, overflow="fold")
    for crit in comp.criteria:
        table.add_row(
            Text(f"{crit.title}" + (f" [{crit.gate}]" if crit.gate is not comp.stage else "")),
            Text(crit.status.value.upper(), style=STYLE[crit.status]),
            Text(crit.display),
            Text(crit.threshold),
            Text(crit.summary),
        )
        if crit.status is Status.PASS:
            continue
        shown = crit.evidence if verbose else crit.evidence[:EVIDENCE_SHOWN]
        for ev in shown:
            where = f"{ev.location()} " if ev.location() else ""
            table.add_row(
                "", "", Text(f"  {where}{ev.message}", style="dim"), "", "", end_section=False
            )
        if len(crit.evidence) > len(shown):
            table.add_row(
                "",
                "",
                Text(f"  … {len(crit.evidence) - len(shown)} more (--verbose)", style="dim"),
                "",
                "",
            )
    console.print(table)
    console.print(_verdict(comp))


def _verdict(comp: ComponentReport) -> Text:
    if comp.target is None:
        text = Text(f"{comp.name}: {comp.stage}")
    elif comp.ready:
        text = Text.assemble(
            f"{comp.name}: {comp.stage} — ", (f"READY for {comp.target}", "bold green")
        )
    else:
        gate = comp.for_gate(comp.target.previous[-1])
        failing = sum(c.status is Status.FAIL for c in gate)
        errors = sum(c.status is Status.ERROR for c in gate)
        why = f"{failing} failing"
        if errors:
            why += f", {errors} could not be measured"
        text = Text.assemble(
            f"{comp.name}: {comp.stage} — ",
            (f"NOT READY for {comp.target}", "bold red"),
            f" ({why})",
        )
    if comp.regressed:
        text.append(" — REGRESSED: criteria of a stage it holds fail", style="bold red")
    return text


def render_terminal(report: RunReport, console: Console, verbose: bool = False) -> None:
    """Print the whole report."""
    _header(report, console)
    for comp in report.components:
        console.print()
        _component(comp, console, verbose)
    ready = sum(c.ready for c in report.components)
    regressed = sum(c.regressed for c in report.components)
    console.print()
    summary = f"{len(report.components)} components: {ready} ready for their next stage"
    if regressed:
        summary += f", {regressed} regressed"
    console.print(Text(summary, style="bold"))
