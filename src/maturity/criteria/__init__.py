"""The rulebook: every criterion as a record beside the pure function that measures it,
one module per topic under its gate (``development/``, ``staging/``, ``production/``).

Importing this package registers every criterion; ``criteria_for(gate)`` lists a gate's
criteria in the spec's order.
"""

from maturity.criteria import development, production, staging
from maturity.criteria.base import REGISTRY, Criterion, Verdict, criteria_for

__all__ = [
    "REGISTRY",
    "Criterion",
    "Verdict",
    "criteria_for",
    "development",
    "production",
    "staging",
]
