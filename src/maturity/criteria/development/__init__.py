"""The Development exit criteria (promotion to Staging), in the spec's order."""

from maturity.criteria.development import project, static, tests

__all__ = ["project", "static", "tests"]
