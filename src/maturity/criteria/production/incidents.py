"""Production maintenance criterion: incident response within each severity's SLA."""

from __future__ import annotations

from datetime import datetime, timedelta

from maturity.config import MaturityConfig
from maturity.criteria.base import Criterion, Verdict, plural, register, require
from maturity.criteria.measures import duration, production_time, window_hours
from maturity.facts import INCIDENT_SEVERITIES, Facts
from maturity.model import BlockerCategory, Evidence, Stage, Status
from maturity.project import Component


def incident_bars(config: MaturityConfig) -> str:
    """The incident response threshold as shown in reports."""
    slas = config.production.incident_sla_minutes
    shown = ", ".join(f"{s} {duration(timedelta(minutes=m))}" for s, m in sorted(slas.items()))
    return f"acknowledged within {shown} ({config.production.window})"


def incident_response(
    facts: Facts, comp: Component, config: MaturityConfig, now: datetime
) -> Verdict:
    """Every incident of the window answered (acknowledged) within its severity's SLA."""
    found = require(facts.history, "incidents")
    settings = config.production
    now = production_time(config, now)
    since = now - timedelta(hours=window_hours(settings.window))
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
                f" {duration(took)} (SLA {duration(sla)})"
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


register(
    Criterion(
        id="prd.incident_response",
        gate=Stage.PRODUCTION,
        number=5,
        title="Incident response",
        checklist="Incident response within SLA",
        category=BlockerCategory.PERFORMANCE,
        shown=incident_bars,
        remediation="Acknowledge incidents within their severity's SLA (`maturity incident ack`);"
        " look at why the late ones were late.",
        needs=("history",),
        rule=incident_response,
    )
)
