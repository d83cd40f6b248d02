"""Collectors: run each real tool once over the whole repository and return facts.

Each collector is a class with ``name`` (the ``Facts`` attribute it fills), ``title``,
``facts`` (the facts type it returns) and ``collect(ctx)``. ``COLLECTORS`` registers
them; a criterion names the facts it needs, and the runner runs the collectors those
facts come from. Adding a collector: a module here, its facts type in ``facts/``, a
``Facts`` attribute, and an entry below.
"""

from __future__ import annotations

from maturity.collectors.attested import AttestationsCollector, HealthCollector, RollbackCollector
from maturity.collectors.bandit import BanditCollector
from maturity.collectors.base import Collector
from maturity.collectors.docs import DocsCollector
from maturity.collectors.files import IntegrationFilesCollector
from maturity.collectors.history import HistoryCollector
from maturity.collectors.issues import IssuesCollector
from maturity.collectors.monitoring import MonitoringCollector
from maturity.collectors.performance import PerformanceCollector
from maturity.collectors.production import ProductionCollector
from maturity.collectors.pyright import PyrightCollector
from maturity.collectors.pytest_run import PytestCollector
from maturity.collectors.risks import AcceptedRisksCollector
from maturity.collectors.ruff import RuffCollector
from maturity.collectors.security import SecurityCollector
from maturity.collectors.sources import SourcesCollector
from maturity.collectors.suites import E2ETestsCollector, IntegrationTestsCollector

COLLECTORS: tuple[type[Collector], ...] = (
    PytestCollector,
    SourcesCollector,
    RuffCollector,
    PyrightCollector,
    BanditCollector,
    DocsCollector,
    IssuesCollector,
    AcceptedRisksCollector,
    IntegrationFilesCollector,
    AttestationsCollector,
    RollbackCollector,
    HealthCollector,
    MonitoringCollector,
    IntegrationTestsCollector,
    E2ETestsCollector,
    PerformanceCollector,
    SecurityCollector,
    ProductionCollector,
    HistoryCollector,
)
BY_NAME: dict[str, type[Collector]] = {c.name: c for c in COLLECTORS}

__all__ = ["BY_NAME", "COLLECTORS", "Collector"]
