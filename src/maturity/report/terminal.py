"""The terminal report (rich): a table per component, then the evidence of what failed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from maturity.model import SHORT_TITLES, ComponentReport, GateRole, GateStatus, RunReport, Status
from maturity.report.rendered import print_items

STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "yellow", Status.WAIVED: "cyan"}
EVIDENCE_SHOWN = 3
MATRIX_AFTER = 12  # more components than this: one matrix instead of a table each


class _Lines:
    """The report's renderables, gathered to be printed at once: one ``print`` of a
    group costs a fraction of hundreds of prints (rich sets up each print anew)."""

    def __init__(self) -> None:
        self.items: list[RenderableType] = []

    def print(self, item: RenderableType | None = None) -> None:
        """Add a renderable, or an empty line."""
        self.items.append(Text() if item is None else item)


def _header(report: RunReport, console: _Lines) -> None:
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
    cached = report.cache_line()
    if cached:
        console.print(Text(cached, style="cyan"))
    if report.changed_since is not None:
        console.print(Text(report.changed_since.line(), style="cyan"))


def _table(comp: ComponentReport) -> Table:
    where = comp.path if comp.project == "." else f"{comp.path} in project {comp.project}"
    title = Text(f"{comp.name} ({where}) — declared {comp.stage}", style="bold")
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


def _problems(comp: ComponentReport, console: _Lines, verbose: bool) -> None:
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


def _unmet(status: GateStatus) -> str:
    parts = [f"{len(status.failing)} failing"] if status.failing else []
    if status.unmeasured:
        parts.append(f"{len(status.unmeasured)} could not be measured")
    return ", ".join(parts)


def _verdict(comp: ComponentReport) -> Text:
    """The component's status as the evaluation decided it, in one line, then its next step."""
    good = comp.ready or (comp.target is None and not comp.at_risk)
    text = Text(f"{comp.name}: {comp.stage} — ")
    text.append(comp.verdict, style="bold green" if good else "bold red")
    why = [
        w
        for w, on in (
            ("criteria of a stage it holds are not met", comp.regressed),
            ("production maintenance criteria are not met", comp.at_risk),
        )
        if on
    ]
    if why:
        text.append(": " + "; ".join(why))
    elif not comp.ready and (exit_ := comp.gate(GateRole.EXIT)) is not None:
        text.append(f" ({_unmet(exit_)})")
    for ahead in (g for g in comp.gates if g.role is GateRole.AHEAD):
        then = ahead.gate.next
        shown = "met" if ahead.met else _unmet(ahead)
        text.append(f"; the {ahead.gate} exit criteria (for {then}, judged ahead): {shown}")
    text.append(f"\n  next: {comp.next_step}", style="dim")
    return text


def _baseline(report: RunReport, console: _Lines) -> None:
    base = report.baseline
    if base is None:
        return
    if base.source is None:
        console.print(Text(f"no baseline: {base.note}; gating on the held stage only", "yellow"))
        return
    at = f" at {base.commit[:12]}" if base.commit and base.commit[:12] not in base.source else ""
    line = f"against the baseline ({base.source}{at}): "
    if not base.regressions:
        console.print(Text(line + "no regressions", style="green"))
        return
    console.print(Text(line + f"{len(base.regressions)} regressions", style="bold red"))
    for r in base.regressions:
        console.print(Text(f"  {r.line()}"))


def render_terminal(
    report: RunReport, console: Console, verbose: bool = False, kept: Path | None = None
) -> None:
    """Print the whole report; with ``kept`` (a file), the text printed for the same
    renderables on the same kind of console is printed again from there, not laid out
    anew (``maturity.report.rendered``)."""
    lines = _Lines()
    _gather(report, lines, verbose)
    print_items(lines.items, console, kept)


def _gather(report: RunReport, console: _Lines, verbose: bool) -> None:
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
    console.print()
    summary = report.status_line()
    console.print(Text(summary, style="bold"))
    _baseline(report, console)
    if report.tests is not None:
        console.print(Text(f"tests: {report.tests.summary()}"))
        sessions = report.tests.sessions
        if len(sessions) > 1 or any(s.project != "." for s in sessions):
            for session in sessions:
                style = "red" if session.error else "dim"
                console.print(Text(f"      session {session.line()}", style=style))
                console.print(Text(f"        check by hand: {session.command}", style="dim"))
        shown = report.tests.unattributed if verbose else []
        for nodeid in shown:
            console.print(Text(f"      attributed to no component: {nodeid}", style="dim"))
        if report.tests.unattributed and not verbose:
            console.print(
                Text("      (--verbose lists the tests attributed to no component)", style="dim")
            )
