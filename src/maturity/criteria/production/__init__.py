"""The Production maintenance criteria (kept while a component is in production)."""

from maturity.criteria.production import incidents, patching, service

__all__ = ["incidents", "patching", "service"]
