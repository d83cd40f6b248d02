"""The Maturity Dashboard: server-rendered pages over the history store (read-only)."""
