"""Bounds of every path and query parameter of the dashboard.

Anything outside them is a 422 with a JSON error before a handler (or the database)
sees it: a 20-digit ``limit`` must not reach SQLite as an integer it cannot hold.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from maturity.model import BlockerCategory, Stage

MAX_NAME = 255
MAX_TREND = 1000


def _one_of(values: list[str]) -> str:
    """A regex matching one of ``values`` or the empty string (no filter)."""
    return "^(" + "|".join(["", *values]) + ")$"


ComponentName = Annotated[
    str, Path(min_length=1, max_length=MAX_NAME, description="A component name.")
]
TrendLimit = Annotated[
    int, Query(ge=1, le=MAX_TREND, description=f"How many recent runs (1-{MAX_TREND}).")
]
StageFilter = Annotated[
    str, Query(pattern=_one_of([s.value for s in Stage]), description="Only this stage.")
]
CategoryFilter = Annotated[
    str,
    Query(pattern=_one_of([c.value for c in BlockerCategory]), description="Only this category."),
]
BadgeKind = Annotated[Literal["stage", "coverage"], Query(description="What the badge shows.")]
Search = Annotated[
    str, Query(max_length=100, description="Only components whose name or path contains this.")
]
StatusFilter = Annotated[
    str,
    Query(
        pattern=_one_of(["ready", "not-ready", "regressed", "at-risk", "maintenance"]),
        description="Only components of this status.",
    ),
]
SortKey = Annotated[
    str,
    Query(
        pattern=r"^[A-Za-z0-9_.\-]{0,64}$",
        description="The column to sort by: name, stage, status, path, progress or a criterion id.",
    ),
]
SortOrder = Annotated[str, Query(pattern=_one_of(["asc", "desc"]), description="Sort order.")]
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page of the matrix.")]
RunRef = Annotated[
    str,
    Query(
        pattern=r"^(#?[0-9A-Za-z]{1,64})?$",
        description="A run: its id (12 or #12) or a commit hash (or its first characters).",
    ),
]
