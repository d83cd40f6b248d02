"""The Staging exit criteria (promotion to Production)."""

from maturity.criteria.staging import operations, performance, security, suites

__all__ = ["operations", "performance", "security", "suites"]
