"""The five Production maintenance criteria, as data."""

from __future__ import annotations

from maturity.criteria import rules_production
from maturity.criteria.base import Criterion, register
from maturity.model import BlockerCategory, Stage

PRD = Stage.PRODUCTION
PERF = BlockerCategory.PERFORMANCE

PRODUCTION: list[Criterion] = [
    Criterion(
        "prd.uptime", PRD, "Uptime", "Uptime ≥{threshold}",
        PERF, lambda c: f"{c.production.uptime:g}% over {c.production.window}",
        ("production",), rules_production.uptime, bar=lambda c: c.production.uptime,
    ),
    Criterion(
        "prd.error_rate", PRD, "Error rate", "Error rate <{threshold}",
        PERF, lambda c: f"{c.production.error_rate:g}% over {c.production.window}",
        ("production",), rules_production.error_rate, bar=lambda c: c.production.error_rate,
    ),
    Criterion(
        "prd.performance_sla", PRD, "Performance SLAs", "Performance SLAs ({threshold})",
        PERF,
        lambda c: (
            f"p95 API<{c.production.api_p95_ms:g}ms page<{c.production.page_p95_ms:g}ms"
            f" DB<{c.production.db_p95_ms:g}ms"
        ),
        ("production",), rules_production.performance_sla,
    ),
    Criterion(
        "prd.security_patching", PRD, "Security patching", "Security patching within windows",
        BlockerCategory.SECURITY, lambda c: "critical ≤24 h, high ≤7 d, medium ≤30 d",
        ("security", "history"), rules_production.security_patching,
    ),
    Criterion(
        "prd.incident_response", PRD, "Incident response", "Incident response within SLA",
        PERF,
        rules_production.incident_bars,
        ("history",), rules_production.incident_response,
    ),
]  # fmt: skip

for _criterion in PRODUCTION:
    register(_criterion)
