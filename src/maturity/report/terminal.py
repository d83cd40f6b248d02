"""The terminal report (rich): a table per component, then the evidence of what failed."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from maturity.model import SHORT_TITLES, ComponentReport, RunReport, Status

STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "yellow", Status.WAIVED: "cyan"}
EVIDENCE_SHOWN = 3
MATRIX_AFTER = 12  # more components than this: one matrix instead of a table each


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
    for notice in report.notices:
        console.print(Text(f"{notice.tool} (not about one file): {notice.message}", style="yellow"))


def _table(comp: ComponentReport) -> Table:
    title = Text(f"{comp.name} ({comp.path}) — declared {comp.stage}", style="bold")
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("criterion", overflow="fold")
    table.add_column("status")
    table.add_column("measured", overflow="fold")
    table.add_column("bar", overflow="fold")
    for crit in comp.criteria:
        gate = (
            f" [{crit.gate}]"
            if comp.target is None or crit.gate is not comp.target.previous[-1]
            else ""
        )
        table.add_row(
            Text(crit.title + gate),
            Text(crit.status.value.upper(), style=STYLE[crit.status]),
            Text(crit.display),
            Text(crit.threshold),
        )
    return table


def _matrix(report: RunReport) -> Table:
    """One row per component, one column per criterion: the status word of each."""
    columns: dict[str, str] = {}
    for comp in report.components:
        for crit in comp.criteria:
            columns.setdefault(crit.id, SHORT_TITLES.get(crit.id, crit.title))
    table = Table(title=Text("criteria by component", style="bold"), title_justify="left")
    table.add_column("component", overflow="fold")
    table.add_column("stage")
    for title in columns.values():
        table.add_column(title, overflow="fold")
    for comp in report.components:
        found = {c.id: c for c in comp.criteria}
        cells = [
            Text(found[cid].status.value.upper(), style=STYLE[found[cid].status])
            if cid in found
            else Text("—")
            for cid in columns
        ]
        table.add_row(Text(comp.name), Text(comp.stage.value), *cells)
    return table


def _problems(comp: ComponentReport, console: Console, verbose: bool) -> None:
    for crit in comp.criteria:
        if crit.status is Status.PASS and not (crit.waiver and crit.waiver.expired):
            continue
        word = crit.status.value.upper()
        console.print(
            Text.assemble("  ", (word, STYLE[crit.status]), f" {crit.title}: ", crit.summary)
        )
        shown = crit.evidence if verbose else crit.evidence[:EVIDENCE_SHOWN]
        for ev in shown:
            where = f"{ev.location()}  " if ev.location() else ""
            url = f" {ev.url}" if ev.url else ""
            console.print(Text(f"      {where}{ev.message}{url}", style="dim"))
        if len(crit.evidence) > len(shown):
            more = len(crit.evidence) - len(shown)
            console.print(Text(f"      … {more} more (--verbose shows all)", style="dim"))
        if verbose and crit.commands:
            console.print(Text(f"      check: {'; '.join(crit.commands)}", style="dim"))


def _verdict(comp: ComponentReport) -> Text:
    if comp.target is None:
        text = Text(f"{comp.name}: {comp.stage}")
        if comp.at_risk:
            unmet = [c.title for c in comp.for_gate(comp.stage) if not c.met]
            text.append(f" — AT RISK: {', '.join(unmet)}", style="bold red")
        elif comp.for_gate(comp.stage):
            text.append(" — maintenance criteria hold", style="bold green")
    elif comp.ready and comp.stage.next not in (None, comp.target):
        # judged ahead of its declared stage (run --stage): say both steps
        text = Text.assemble(
            f"{comp.name}: {comp.stage} — ",
            (f"READY for {comp.stage.next}", "bold green"),
            f"; it already meets the {comp.target.previous[-1]} exit criteria for {comp.target}",
        )
    elif comp.ready:
        text = Text.assemble(
            f"{comp.name}: {comp.stage} — ", (f"READY for {comp.target}", "bold green")
        )
    elif not comp.for_gate(comp.target.previous[-1]):
        text = Text(
            f"{comp.name}: {comp.stage} — {comp.target.previous[-1]} exit criteria are not"
            " measured by this version"
        )
    else:
        gate = comp.for_gate(comp.target.previous[-1])
        failing = sum(c.status is Status.FAIL for c in gate)
        errors = sum(c.status is Status.ERROR for c in gate)
        parts = [f"{failing} failing"] if failing else []
        if errors:
            parts.append(f"{errors} could not be measured")
        text = Text(f"{comp.name}: {comp.stage} — ")
        held = [comp.stage, *comp.stage.previous]
        if comp.stage.next not in (None, comp.target) and all(
            c.met for c in comp.criteria if c.gate in held
        ):
            text.append(f"READY for {comp.stage.next}", style="bold green")
            text.append("; ")
        text.append(f"NOT READY for {comp.target}", style="bold red")
        text.append(f" ({', '.join(parts) or 'earlier criteria unmet'})")
    if comp.regressed:
        text.append(" — REGRESSED: criteria of a stage it holds fail", style="bold red")
    return text


def render_terminal(report: RunReport, console: Console, verbose: bool = False) -> None:
    """Print the whole report."""
    _header(report, console)
    matrix = len(report.components) > MATRIX_AFTER
    if matrix:
        console.print()
        console.print(_matrix(report))
    for comp in report.components:
        if not matrix:
            console.print()
            console.print(_table(comp))
        _problems(comp, console, verbose)
        console.print(_verdict(comp))
    ready = sum(c.ready for c in report.components)
    regressed = sum(c.regressed for c in report.components)
    console.print()
    summary = f"{len(report.components)} components: {ready} ready for their next stage"
    if regressed:
        summary += f", {regressed} regressed"
    at_risk = sum(c.at_risk for c in report.components)
    if at_risk:
        summary += f", {at_risk} at risk in production"
    console.print(Text(summary, style="bold"))
    if report.tests is not None:
        console.print(Text(f"tests: {report.tests.summary()}"))
        shown = report.tests.unattributed if verbose else []
        for nodeid in shown:
            console.print(Text(f"      attributed to no component: {nodeid}", style="dim"))
        if report.tests.unattributed and not verbose:
            console.print(
                Text("      (--verbose lists the tests attributed to no component)", style="dim")
            )
