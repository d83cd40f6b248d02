"""The eight Staging exit criteria (promotion to Production), as data."""

from __future__ import annotations

from maturity.criteria import rules_security, rules_staging, rules_suites
from maturity.criteria.base import Criterion, register
from maturity.model import BlockerCategory, Stage

STG = Stage.STAGING
TESTS = BlockerCategory.TESTS

STAGING: list[Criterion] = [
    Criterion(
        "stg.integration_tests", STG, "All integration tests passing",
        "All integration tests passing", TESTS, lambda c: "100% pass, ≥1 test",
        ("integration_tests",), rules_suites.integration_tests,
    ),
    Criterion(
        "stg.e2e_tests", STG, "E2E tests passing", "E2E tests passing",
        TESTS, lambda c: "100% pass, ≥1 test", ("e2e_tests",), rules_suites.e2e_tests,
    ),
    Criterion(
        "stg.performance", STG, "Performance benchmarks met", "Performance benchmarks met",
        BlockerCategory.PERFORMANCE,
        rules_staging.performance_bars,
        ("performance",), rules_staging.performance,
    ),
    Criterion(
        "stg.security_audit", STG, "Security audit completed", "Security audit completed",
        BlockerCategory.SECURITY, lambda c: "no known vulns, no new secrets, review attested",
        ("security", "bandit", "accepted_risks", "attestations"), rules_security.security_audit,
    ),
    Criterion(
        "stg.monitoring", STG, "Monitoring integrated", "Monitoring integrated",
        BlockerCategory.PERFORMANCE, lambda c: "Counter+Histogram, structlog, 4 alerts",
        ("monitoring",), rules_staging.monitoring,
    ),
    Criterion(
        "stg.staging_validation", STG, "Staging validation passed", "Staging validation passed",
        TESTS, lambda c: "health 200; ≥3 users ≥1 h, 0 critical bugs",
        ("health", "attestations"), rules_staging.staging_validation,
    ),
    Criterion(
        "stg.rollback_plan", STG, "Rollback plan documented", "Rollback plan documented",
        BlockerCategory.DOCUMENTATION, lambda c: "5 sections", ("rollback",),
        rules_staging.rollback_plan, bar=lambda c: 5,
    ),
    Criterion(
        "stg.qa_approval", STG, "Manual QA approval", "Manual QA approval",
        TESTS, lambda c: "8/8 checked, approver, date", ("attestations",),
        rules_staging.qa_approval,
    ),
]  # fmt: skip

for _criterion in STAGING:
    register(_criterion)
