"""Facts: what the collectors measured, keyed by file path or test id.

Facts never say pass or fail; criteria do. A collector that could not measure sets
``error`` to the reason and leaves its data empty. All paths are posix and relative
to the repository root. Every facts type, and every constant that both a collector and
a criterion need (severities, windows, bars, required sections), is defined in this
package and nowhere else: collectors produce them, criteria read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from maturity.facts.base import Finding, FindingsFacts, ToolFacts
from maturity.facts.production import (
    INCIDENT_SEVERITIES,
    Figure,
    HistoryFacts,
    Incident,
    ProductionFacts,
    Severity,
)
from maturity.facts.project import (
    AcceptedRisk,
    AcceptedRisks,
    ComponentDocsFacts,
    DocsFacts,
    FilesFacts,
    Issue,
    IssuesFacts,
    PublicSymbol,
    ReadmeFacts,
    SourcesFacts,
)
from maturity.facts.security import PATCH_WINDOWS, Secret, SecurityFacts, Vulnerability
from maturity.facts.staging import (
    ALERT_BARS,
    ALERT_RULES,
    LOAD_GROUPS,
    ROLLBACK_SECTIONS,
    AttestationFacts,
    ComponentMonitoring,
    GroupFigures,
    HealthFacts,
    LoadResult,
    MonitoringFacts,
    PerformanceFacts,
    RollbackFacts,
)
from maturity.facts.tests import (
    CollectionError,
    CoverageFacts,
    FileCoverage,
    TestOutcome,
    TestRunFacts,
    TestSession,
)

__all__ = [
    "ALERT_BARS",
    "ALERT_RULES",
    "INCIDENT_SEVERITIES",
    "LOAD_GROUPS",
    "PATCH_WINDOWS",
    "ROLLBACK_SECTIONS",
    "AcceptedRisk",
    "AcceptedRisks",
    "AttestationFacts",
    "CollectionError",
    "ComponentDocsFacts",
    "ComponentMonitoring",
    "CoverageFacts",
    "DocsFacts",
    "Facts",
    "Figure",
    "FileCoverage",
    "FilesFacts",
    "Finding",
    "FindingsFacts",
    "GroupFigures",
    "HealthFacts",
    "HistoryFacts",
    "Incident",
    "Issue",
    "IssuesFacts",
    "LoadResult",
    "MonitoringFacts",
    "PerformanceFacts",
    "ProductionFacts",
    "PublicSymbol",
    "ReadmeFacts",
    "RollbackFacts",
    "Secret",
    "SecurityFacts",
    "Severity",
    "SourcesFacts",
    "TestOutcome",
    "TestRunFacts",
    "TestSession",
    "ToolFacts",
    "Vulnerability",
]


@dataclass
class Facts:
    """Everything one run collected. A missing entry was not collected at all."""

    tests: TestRunFacts | None = None
    sources: SourcesFacts | None = None
    ruff: FindingsFacts | None = None
    pyright: FindingsFacts | None = None
    bandit: FindingsFacts | None = None
    docs: DocsFacts | None = None
    issues: IssuesFacts | None = None
    integration_files: FilesFacts | None = None
    accepted_risks: AcceptedRisks | None = None
    attestations: AttestationFacts | None = None
    rollback: RollbackFacts | None = None
    health: HealthFacts | None = None
    monitoring: MonitoringFacts | None = None
    integration_tests: TestRunFacts | None = None
    e2e_tests: TestRunFacts | None = None
    performance: PerformanceFacts | None = None
    security: SecurityFacts | None = None
    production: ProductionFacts | None = None
    history: HistoryFacts | None = None

    @property
    def coverage(self) -> CoverageFacts | None:
        """Coverage comes from the single pytest run."""
        return self.tests.coverage if self.tests is not None else None
