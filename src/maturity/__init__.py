"""maturity: measure how mature each component of a Python monorepo is."""

__version__ = "0.1.0"
