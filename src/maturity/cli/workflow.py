"""Workflow commands: promote, demote, blockers, init."""

from __future__ import annotations
