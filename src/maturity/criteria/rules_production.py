"""Production maintenance rules: uptime, error rate and latency SLAs from Prometheus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from maturity.config import Component, MaturityConfig
from maturity.criteria.base import Verdict, not_measured, plural, require
from maturity.facts import (
    ALERT_BARS,
    INCIDENT_SEVERITIES,
    PATCH_WINDOWS,
    Facts,
    Figure,
    ProductionFacts,
)
from maturity.model import Evidence, Status

# The spec's alerting bars (ALERT_BARS) as figures show them, over the alert window.
ALERTS = {
    "alert_error_rate": (*(100 * bar for bar in ALERT_BARS["error_rate"]), "%"),
    "alert_api_p95": (*(1000 * bar for bar in ALERT_BARS["latency_p95"]), " ms"),
}


def _window_hours(window: str) -> float:
    number, unit = int(window[:-1]), window[-1]
    return number * {"s": 1 / 3600, "m": 1 / 60, "h": 1, "d": 24, "w": 168, "y": 8760}[unit]


def _figures(
    facts: Facts, comp: Component
) -> tuple[ProductionFacts | None, dict[str, Figure], Verdict | None]:
    found = facts.production
    problem = not_measured(found, "Prometheus")
    if problem or found is None:
        return None, {}, problem or Verdict(Status.ERROR, "not measured", "not collected")
    return found, found.figures.get(comp.name, {}), None


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
    found, figures, problem = _figures(facts, comp)
    if problem or found is None:
        return problem or Verdict(Status.ERROR, "not measured", "not collected")
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
        down = (100 - value) / 100 * _window_hours(found.window)
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


def uptime(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """Uptime over the window ≥ the bar (spec: 99.5% over a month)."""
    return _single(facts, comp, "uptime", "uptime", config.production.uptime, True, config)


def error_rate(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """Error requests / total requests over the window < the bar (spec: 0.5%)."""
    return _single(
        facts, comp, "error_rate", "error rate", config.production.error_rate, False, config
    )


def performance_sla(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """API, page-load and database p95 under their SLAs, from Prometheus histograms."""
    found, figures, problem = _figures(facts, comp)
    if problem or found is None:
        return problem or Verdict(Status.ERROR, "not measured", "not collected")
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


def incident_bars(config: MaturityConfig) -> str:
    """The incident response threshold as shown in reports."""
    slas = config.production.incident_sla_minutes
    shown = ", ".join(f"{s} {_minutes(timedelta(minutes=m))}" for s, m in sorted(slas.items()))
    return f"acknowledged within {shown} ({config.production.window})"


def _now(config: MaturityConfig) -> datetime:
    at = config.production.at
    return datetime.fromtimestamp(at, UTC) if at is not None else datetime.now(UTC)


def _window(window: str) -> timedelta:
    return timedelta(hours=_window_hours(window))


def incident_response(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """Every incident of the window answered (acknowledged) within its severity's SLA."""
    found = require(facts.history, "incidents")
    settings = config.production
    now = _now(config)
    since = now - _window(settings.window)
    mine = [i for i in found.incidents if i.component == comp.name and since < i.opened_at <= now]
    breaches: list[Evidence] = []
    pending = 0
    for incident in mine:
        sla = timedelta(minutes=settings.incident_sla_minutes[incident.severity])  # type: ignore[index]
        answered = incident.acknowledged_at
        took = (answered or now) - incident.opened_at
        if took > sla:
            state = "acknowledged after" if answered else "unanswered for"
            breaches.append(Evidence(message=(
                f"#{incident.id} {incident.severity} {incident.title!r}: {state}"
                f" {_minutes(took)} (SLA {_minutes(sla)})"
            )))  # fmt: skip
        elif answered is None:
            pending += 1
    counts = {s: sum(i.severity == s for i in mine) for s in INCIDENT_SEVERITIES}
    details = {"incidents": len(mine), "by_severity": counts, "breaches": len(breaches),
               "store": found.store, "window": settings.window}  # fmt: skip
    commands = [f"maturity incident list --component {comp.name}"]
    if breaches:
        return Verdict(
            Status.FAIL, f"{len(breaches)} of {len(mine)} late",
            "; ".join(e.message for e in breaches[:3]) + (" …" if len(breaches) > 3 else ""),
            len(breaches), breaches, commands, details,
        )  # fmt: skip
    note = f" ({pending} not yet acknowledged, within SLA)" if pending else ""
    if not found.exists:
        note += f"; no history store yet at {found.store}: none recorded"
    return Verdict(
        Status.PASS, f"{len(mine)} in {settings.window}",
        f"{plural(len(mine), 'incident')} in {settings.window}, all answered within SLA{note}",
        0, [], commands, details,
    )  # fmt: skip


def _minutes(delta: timedelta) -> str:
    """A duration as people read it: ``15min``, ``1h 15min``, ``1d``, ``1d 1s``."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")) if n
    ]
    return " ".join(parts) or "0s"


def security_patching(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    """Each known vulnerability patched within its severity's window since first seen."""
    sec, history = facts.security, facts.history
    problem = not_measured(sec, "the vulnerability audit") or not_measured(history, "history")
    if problem or sec is None or history is None:
        return problem or Verdict(Status.ERROR, "not measured", "not collected")
    if sec.audit_error:
        return Verdict(Status.ERROR, "not measured", f"dependencies not audited: {sec.audit_error}")
    deps = sec.dependencies.get(comp.name, {})
    skipped = sorted(n for n in sec.skipped if n in deps)
    if skipped:
        return Verdict(
            Status.ERROR, "not measured",
            f"{plural(len(skipped), 'dependency', 'dependencies')} not audited by {sec.audit}"
            f" ({skipped[0]}: {sec.skipped[skipped[0]]})",
        )  # fmt: skip
    now = _now(config)
    known: list[dict[str, Any]] = []
    overdue: list[Evidence] = []
    for v in sec.vulnerabilities:
        if v.package not in deps:
            continue
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
                f" {_minutes(age)} (window {_minutes(window)})",  # type: ignore[arg-type]
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
        count = plural(len(deps), "dependency", "dependencies")
        summary = f"no known vulnerability in {count} ({sec.audit})"
    return Verdict(Status.PASS, f"{len(known)} open, 0 overdue", summary, 0, [], commands, details)
