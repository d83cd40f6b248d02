"""Prometheus metrics: the components', read from the latest stored run at scrape time,
and the dashboard's own requests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from maturity.model import COVERAGE, RunReport, Stage


class StoreMetrics(Collector):
    """Per component: stage, coverage, failing criteria, age of the last run."""

    def __init__(self, latest: Callable[[], tuple[int, RunReport] | None]) -> None:
        self.latest = latest

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Gauges from the newest run (none before the first run is stored)."""
        found = self.latest()
        if found is None:
            return
        run_id, report = found
        stage = GaugeMetricFamily(
            "maturity_component_stage",
            "Declared stage (1 for the current one)",
            labels=["component", "stage"],
        )
        coverage = GaugeMetricFamily(
            "maturity_component_coverage_percent",
            "Test coverage of the component",
            labels=["component"],
        )
        failing = GaugeMetricFamily(
            "maturity_component_failing_criteria",
            "Criteria not met in the latest run",
            labels=["component"],
        )
        ready = GaugeMetricFamily(
            "maturity_component_ready", "1 when ready for the next stage", labels=["component"]
        )
        age = GaugeMetricFamily(
            "maturity_last_run_age_seconds", "Seconds since the latest run started"
        )
        last = GaugeMetricFamily("maturity_last_run_id", "Id of the latest stored run")
        for comp in report.components:
            for s in Stage:
                stage.add_metric([comp.name, s.value], 1.0 if comp.stage is s else 0.0)
            crit = next((c for c in comp.criteria if c.id == COVERAGE), None)
            if crit is not None and isinstance(crit.value, int | float):
                coverage.add_metric([comp.name], float(crit.value))
            failing.add_metric([comp.name], float(sum(not c.met for c in comp.criteria)))
            ready.add_metric([comp.name], 1.0 if comp.ready else 0.0)
        started = datetime.fromisoformat(report.timestamp)
        age.add_metric([], (datetime.now(UTC) - started).total_seconds())
        last.add_metric([], float(run_id))
        yield from (stage, coverage, failing, ready, age, last)


class Telemetry:
    """One dashboard's registry: its request counter and latency, then the components."""

    def __init__(self, latest: Callable[[], tuple[int, RunReport] | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests_total = Counter(
            "maturity_dashboard_requests_total",
            "Dashboard HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "maturity_dashboard_request_duration_seconds",
            "Dashboard request latency",
            ["route"],
            registry=self.registry,
        )
        self.registry.register(StoreMetrics(latest))
