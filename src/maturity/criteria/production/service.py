"""Production maintenance criteria from Prometheus: uptime, error rate, latency SLAs, with
the spec's alert states on the same data."""

from __future__ import annotations

from datetime import datetime

from maturity.config import MaturityConfig
from maturity.criteria.base import Criterion, Verdict, register, require
from maturity.criteria.measures import window_hours
from maturity.facts import ALERT_BARS, Facts, Figure, ProductionFacts
from maturity.model import BlockerCategory, Evidence, Stage, Status
from maturity.project import Component

# The spec's alerting bars (ALERT_BARS) as figures show them, over the alert window.
ALERTS = {
    "alert_error_rate": (*(100 * bar for bar in ALERT_BARS["error_rate"]), "%"),
    "alert_api_p95": (*(1000 * bar for bar in ALERT_BARS["latency_p95"]), " ms"),
}


def _figures(facts: Facts, comp: Component) -> tuple[ProductionFacts, dict[str, Figure]]:
    found = require(facts.production, "Prometheus")
    return found, found.figures.get(comp.name, {})


def alert_states(figures: dict[str, Figure]) -> dict[str, str]:
    """warning / critical / ok per alert figure (``not measured`` when it has no value)."""
    states: dict[str, str] = {}
    for name, (warning, critical, _unit) in ALERTS.items():
        figure = figures.get(name)
        if figure is None or not figure.query:
            continue
        if figure.value is None:
            states[name] = "not measured"
        else:
            states[name] = (
                "critical" if figure.value > critical
                else "warning" if figure.value > warning
                else "ok"
            )  # fmt: skip
    return states


def _alert_note(figures: dict[str, Figure], name: str) -> str:
    state = alert_states(figures).get(name)
    if state in (None, "ok"):
        return ""
    figure = figures[name]
    warning, critical, unit = ALERTS[name]
    if figure.value is None:
        return f"; alert state not measured ({figure.error})"
    bar = critical if state == "critical" else warning
    return f"; alert {state}: {figure.value:.2f}{unit} over 5m > {bar:g}{unit}"


def _single(
    facts: Facts,
    comp: Component,
    name: str,
    label: str,
    bar: float,
    higher_is_better: bool,
    config: MaturityConfig,
) -> Verdict:
    found, figures = _figures(facts, comp)
    figure = figures.get(name)
    if figure is None or not figure.query:
        return Verdict(Status.ERROR, "not measured", f"no {label} query for {comp.name}")
    commands = [found.reproduce(figure.query)]
    if figure.value is None:
        return Verdict(
            Status.ERROR, "not measured", f"{label}: {figure.error} (query: {figure.query})",
            commands=commands,
        )  # fmt: skip
    value = figure.value
    ok = value >= bar if higher_is_better else value < bar
    details = {"query": figure.query, "at": found.at, "window": found.window,
               "alerts": alert_states(figures)}  # fmt: skip
    display = f"{value:.3f}%"
    summary = f"{label} {value:.3f}% over {found.window}"
    if name == "uptime":
        down = (100 - value) / 100 * window_hours(found.window)
        summary += f" ({down:.2f} h down)"
        details["downtime_hours"] = round(down, 3)
    if name == "error_rate":
        summary += _alert_note(figures, "alert_error_rate")
    evidence = [Evidence(message=f"{figure.query} = {value:g} at {found.at:.0f}")]
    op = "≥" if higher_is_better else "<"
    if not ok:
        summary = f"{summary}: needs {op} {bar:g}%"
    return Verdict(
        Status.PASS if ok else Status.FAIL, display, summary, round(value, 4), evidence,
        commands, details,
    )  # fmt: skip


def uptime(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """Uptime over the window ≥ the bar (spec: 99.5% over a month)."""
    return _single(facts, comp, "uptime", "uptime", config.production.uptime, True, config)


def error_rate(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """Error requests / total requests over the window < the bar (spec: 0.5%)."""
    return _single(
        facts, comp, "error_rate", "error rate", config.production.error_rate, False, config
    )


def performance_sla(
    facts: Facts, comp: Component, config: MaturityConfig, now: datetime
) -> Verdict:
    """API, page-load and database p95 under their SLAs, from Prometheus histograms."""
    found, figures = _figures(facts, comp)
    bars = {
        "api_p95": ("API p95", config.production.api_p95_ms),
        "page_p95": ("page load p95", config.production.page_p95_ms),
        "db_p95": ("DB query p95", config.production.db_p95_ms),
    }
    shown: list[str] = []
    failing: list[str] = []
    unmeasured: list[str] = []
    commands: list[str] = []
    evidence: list[Evidence] = []
    values: dict[str, float | None] = {}
    for name, (label, bar) in bars.items():
        figure = figures.get(name)
        if figure is None or not figure.query:
            shown.append(f"{label}: not applicable")
            continue
        commands.append(found.reproduce(figure.query))
        values[name] = figure.value
        if figure.value is None:
            unmeasured.append(f"{label}: {figure.error} (query: {figure.query})")
            continue
        text = f"{label} {figure.value:.0f} ms"
        evidence.append(Evidence(message=f"{figure.query} = {figure.value:g}"))
        if figure.value < bar:
            shown.append(f"{text} < {bar:g}")
        else:
            failing.append(f"{text} (needs < {bar:g})")
            shown.append(failing[-1])
    details = {"values": values, "at": found.at, "window": found.window,
               "alerts": alert_states(figures)}  # fmt: skip
    note = _alert_note(figures, "alert_api_p95")
    measured = len(values) - len(unmeasured)
    if failing:
        return Verdict(
            Status.FAIL, f"{len(failing)} SLA missed", "; ".join(failing) + note,
            len(failing), evidence, commands, details,
        )  # fmt: skip
    if unmeasured or not values:
        reason = "; ".join(unmeasured) or f"no latency query applies to {comp.name}"
        return Verdict(Status.ERROR, "not measured", reason, None, evidence, commands, details)
    return Verdict(
        Status.PASS, f"{measured}/{measured} SLAs met", "; ".join(shown) + note, 0,
        evidence, commands, details,
    )  # fmt: skip


register(
    Criterion(
        id="prd.uptime",
        gate=Stage.PRODUCTION,
        number=1,
        title="Uptime",
        checklist="Uptime ≥{threshold}",
        category=BlockerCategory.PERFORMANCE,
        bar=lambda c: c.production.uptime,
        shown=lambda c: f"{c.production.uptime:g}% over {c.production.window}",
        remediation="Find what took the service down in the window (the query is given) and"
        " remove its cause; keep the rollback plan at hand.",
        needs=("production",),
        rule=uptime,
    )
)
register(
    Criterion(
        id="prd.error_rate",
        gate=Stage.PRODUCTION,
        number=2,
        title="Error rate",
        checklist="Error rate <{threshold}",
        category=BlockerCategory.PERFORMANCE,
        bar=lambda c: c.production.error_rate,
        shown=lambda c: f"{c.production.error_rate:g}% over {c.production.window}",
        remediation="Fix the errors behind the failing requests (the query is given).",
        needs=("production",),
        rule=error_rate,
    )
)
register(
    Criterion(
        id="prd.performance_sla",
        gate=Stage.PRODUCTION,
        number=3,
        title="Performance SLAs",
        checklist="Performance SLAs ({threshold})",
        category=BlockerCategory.PERFORMANCE,
        shown=lambda c: (
            f"p95 API<{c.production.api_p95_ms:g}ms page<{c.production.page_p95_ms:g}ms"
            f" DB<{c.production.db_p95_ms:g}ms"
        ),
        remediation="Bring the p95 latencies listed under their SLA: optimise, cache, scale.",
        needs=("production",),
        rule=performance_sla,
    )
)
