"""Production figures from Prometheus: uptime, error rate, p95 latencies, alert states.

One instant query per figure per component, at one evaluation time (``production.at``
or now) so that every figure can be asked again of Prometheus with the same query and
time. The templates come from config (``[tool.maturity.production.queries]``, per
component ``queries``), with defaults for the metric names ``maturity alerts`` uses.
"""

from __future__ import annotations

import os
import time

from maturity.collectors.base import Collector, RunContext
from maturity.config import MaturityConfig
from maturity.config_gates import DEFAULT_QUERIES
from maturity.facts import Figure, ProductionFacts
from maturity.project import Component
from maturity.prometheus import Prometheus, PrometheusError

URL_ENV = "MATURITY_PROMETHEUS_URL"
ALERT_WINDOW = "5m"  # the window of the spec's alerts (maturity alerts uses rate(...[5m]))


def alert_queries(comp: Component, config: MaturityConfig) -> dict[str, str]:
    """The error-rate and API p95 queries over the alert window (5 minutes)."""
    found: dict[str, str] = {}
    for name, key in (("alert_error_rate", "error_rate"), ("alert_api_p95", "api_p95")):
        query = comp.query(key, config)
        if query:
            found[name] = query.replace(f"[{config.production.window}]", f"[{ALERT_WINDOW}]")
    return found


class ProductionCollector(Collector):
    """Asks Prometheus each production figure of each component."""

    name = "production"
    title = "production figures (Prometheus)"
    facts = ProductionFacts

    def collect(self, ctx: RunContext) -> ProductionFacts:
        """Every figure of every component, or the reason it could not be asked."""
        config = ctx.project.config
        settings = config.production
        url = os.environ.get(URL_ENV) or settings.prometheus_url
        facts = ProductionFacts(tool="prometheus", url=url, window=settings.window)
        facts.at = settings.at if settings.at is not None else time.time()
        if not url:
            facts.error = (
                f"no Prometheus: set [tool.maturity.production] prometheus_url or ${URL_ENV}"
            )
            return facts
        facts.command = f"curl -G {url}/api/v1/query"
        client = Prometheus(url, os.environ.get(settings.token_env), settings.timeout)
        for comp in ctx.project.components:
            queries = {name: comp.query(name, config) for name in DEFAULT_QUERIES}
            queries |= alert_queries(comp, config)
            figures: dict[str, Figure] = {}
            for name, promql in queries.items():
                figure = Figure(promql)
                if promql:
                    try:
                        figure.value = client.query(promql, facts.at)
                    except PrometheusError as exc:
                        figure.error = str(exc)
                figures[name] = figure
            facts.figures[comp.name] = figures
        return facts
