"""Facts of Production maintenance: Prometheus figures, incidents, first sightings; and the
spec's incident severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from maturity.facts.base import ToolFacts

# The spec's incident severities, most urgent first (P0 critical … P3 low).
Severity = Literal["P0", "P1", "P2", "P3"]
INCIDENT_SEVERITIES: tuple[Severity, ...] = get_args(Severity)


@dataclass
class Figure:
    """One query and what it gave: a value, or why not; ``query == ""`` = not applicable."""

    query: str
    value: float | None = None
    error: str | None = None


@dataclass
class ProductionFacts(ToolFacts):
    """Per component name: figure name -> Figure (plus ``alert_error_rate``/``alert_api_p95``)."""

    url: str | None = None
    at: float = 0.0
    window: str = ""
    figures: dict[str, dict[str, Figure]] = field(default_factory=dict)

    def reproduce(self, promql: str) -> str:
        """The curl command that asks Prometheus the same question."""
        return (
            f"curl -G {self.url}/api/v1/query --data-urlencode 'query={promql}'"
            f" --data-urlencode time={self.at:.3f}"
        )


@dataclass(frozen=True)
class Incident:
    """One incident, times in UTC."""

    id: int
    component: str
    severity: str
    title: str
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None


@dataclass
class HistoryFacts(ToolFacts):
    """Every recorded incident and first sighting (an absent store holds none)."""

    store: str = ""
    exists: bool = True  # False: no store was ever created here, so nothing was recorded
    incidents: list[Incident] = field(default_factory=list)
    first_seen: dict[tuple[str, str], datetime] = field(default_factory=dict)
