"""The eight Development exit criteria (promotion to Staging), as data.

Each record names the rule (a pure function in ``rules_*.py``) that measures it.
"""

from __future__ import annotations

from maturity.criteria import rules_project, rules_static, rules_tests
from maturity.criteria.base import Criterion, register
from maturity.model import BlockerCategory, Stage

DEV = Stage.DEVELOPMENT
TESTS = BlockerCategory.TESTS


def _pct(value: float) -> str:
    return f"≥{value:g}%"


DEVELOPMENT: list[Criterion] = [
    Criterion(
        "dev.coverage", DEV, "Test coverage", "Test coverage {threshold}", TESTS,
        lambda c: _pct(c.thresholds.coverage), ("tests",), rules_tests.coverage,
        bar=lambda c: c.thresholds.coverage,
    ),
    Criterion(
        "dev.unit_tests", DEV, "All unit tests passing", "All unit tests passing", TESTS,
        lambda c: "100% pass, ≥1 test", ("tests",), rules_tests.unit_tests,
    ),
    Criterion(
        "dev.ruff", DEV, "Linting clean (ruff)", "Linting clean (ruff)", TESTS,
        lambda c: "0 findings", ("ruff", "sources"), rules_static.ruff, bar=lambda c: 0,
    ),
    Criterion(
        "dev.pyright", DEV, "Type checking clean (pyright)", "Type checking clean (pyright)",
        TESTS, lambda c: "0 errors, 0 warnings", ("pyright", "sources"), rules_static.pyright,
        bar=lambda c: 0,
    ),
    Criterion(
        "dev.security_scan", DEV, "Security scan passed (bandit)", "Security scan passed",
        BlockerCategory.SECURITY, lambda c: "0 high, 0 medium, lows accepted",
        ("bandit", "accepted_risks", "sources"), rules_static.bandit, bar=lambda c: 0,
    ),
    Criterion(
        "dev.integration_tests", DEV, "Integration tests written", "Integration tests written",
        TESTS, lambda c: "≥1 file", ("integration_files",), rules_project.integration_tests,
        bar=lambda c: 1,
    ),
    Criterion(
        "dev.documentation", DEV, "Documentation complete", "Documentation complete",
        BlockerCategory.DOCUMENTATION,
        lambda c: f"README + docstrings {_pct(c.thresholds.docstring_coverage)}",
        ("docs", "sources"), rules_project.documentation,
        bar=lambda c: c.thresholds.docstring_coverage,
    ),
    Criterion(
        "dev.blockers", DEV, "No promotion blockers", "No promotion blockers", TESTS,
        lambda c: "0 open", ("issues",), rules_project.blockers, bar=lambda c: 0,
    ),
]  # fmt: skip

for _criterion in DEVELOPMENT:
    register(_criterion)
