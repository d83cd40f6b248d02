"""Collectors: run each real tool once over the whole repository and return facts."""
