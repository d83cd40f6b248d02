"""The result model: what an evaluation says about each component.

These pydantic models are also the versioned JSON report schema (``maturity schema``
prints it). Bump ``SCHEMA_VERSION`` on any incompatible change.

Three modules, imported from here: ``vocabulary`` (stages, statuses, blocker categories,
figures, gate roles, criterion ids), ``verdicts`` (one component's report) and ``run``
(one run's report, the document ``--json`` writes).
"""

from __future__ import annotations

from maturity.model.run import (
    SCHEMA_VERSION,
    BaselineComparison,
    CachedFacts,
    CarriedAccount,
    ChangedSince,
    GitInfo,
    Notice,
    Regression,
    RunReport,
    TestAccount,
    TestSessionReport,
    ToolInfo,
    VulnerabilitySighting,
)
from maturity.model.verdicts import (
    ComponentReport,
    CriterionResult,
    Evidence,
    GateStatus,
    Waiver,
)
from maturity.model.vocabulary import (
    COVERAGE,
    SHORT_TITLES,
    BlockerCategory,
    Figure,
    GateRole,
    Stage,
    Status,
)

__all__ = [
    "COVERAGE",
    "SCHEMA_VERSION",
    "SHORT_TITLES",
    "BaselineComparison",
    "BlockerCategory",
    "CachedFacts",
    "CarriedAccount",
    "ChangedSince",
    "ComponentReport",
    "CriterionResult",
    "Evidence",
    "Figure",
    "GateRole",
    "GateStatus",
    "GitInfo",
    "Notice",
    "Regression",
    "RunReport",
    "Stage",
    "Status",
    "TestAccount",
    "TestSessionReport",
    "ToolInfo",
    "VulnerabilitySighting",
    "Waiver",
]
