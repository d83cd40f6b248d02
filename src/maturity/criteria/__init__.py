"""The rulebook: every criterion as a record plus a pure function of the facts."""

from maturity.criteria.base import REGISTRY, Criterion, Verdict, criteria_for

__all__ = ["REGISTRY", "Criterion", "Verdict", "criteria_for"]
