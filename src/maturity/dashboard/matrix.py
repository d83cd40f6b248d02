"""The criteria matrix of the overview: every component of the newest run, one compact
cell per criterion; searchable by name or owner path, filterable by stage, status and
blocker category, sortable by any column, a page at a time (a monorepo has hundreds)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from maturity.model import (
    SHORT_TITLES,
    ComponentReport,
    CriterionResult,
    RunReport,
    Stage,
    Status,
)

PER_PAGE = 50
STATUSES = ("ready", "not-ready", "regressed", "at-risk", "maintenance")
STATUS_RANK = {Status.FAIL: 0, Status.ERROR: 1, Status.WAIVED: 2, Status.PASS: 3}
FIXED_SORTS = ("name", "stage", "status", "path", "progress")


@dataclass(frozen=True)
class Query:
    """What the user asked the matrix for (the query string of the overview)."""

    q: str = ""
    stage: str = ""
    status: str = ""
    category: str = ""
    sort: str = "name"
    order: str = "asc"
    page: int = 1

    def link(self, **change: object) -> str:
        """The query string of this view with ``change`` applied (page back to 1 unless
        given), for sort headers and page links."""
        values = {**self.__dict__, "page": 1, **change}
        keep = {k: v for k, v in values.items() if v not in ("", None) and not _default(k, v)}
        return "?" + urlencode(keep) if keep else "?"


def _default(key: str, value: object) -> bool:
    return (key, value) in (("sort", "name"), ("order", "asc"), ("page", 1))


def status_of(comp: ComponentReport) -> str:
    """The component's status word for the status filter."""
    if comp.regressed:
        return "regressed"
    if comp.at_risk:
        return "at-risk"
    if comp.target is None:
        return "maintenance"
    return "ready" if comp.ready else "not-ready"


def progress(comp: ComponentReport) -> float:
    """The share of the criteria it meets."""
    return sum(c.met for c in comp.criteria) / (len(comp.criteria) or 1)


def _status_rank(comp: ComponentReport) -> int:
    return ("regressed", "at-risk", "not-ready", "ready", "maintenance").index(status_of(comp))


def _criterion_key(comp: ComponentReport, cid: str) -> tuple[int, float]:
    crit = next((c for c in comp.criteria if c.id == cid), None)
    if crit is None:
        return (9, 0.0)
    value = crit.value if isinstance(crit.value, int | float) else 0.0
    return (STATUS_RANK[crit.status], float(value))


@dataclass
class Matrix:
    """One page of the matrix."""

    columns: list[tuple[str, str]]  # criterion id, short title
    rows: list[ComponentReport]
    matched: int  # rows matching the query, over every page
    total: int  # components in the run
    page: int
    pages: int
    query: Query

    @staticmethod
    def cell(comp: ComponentReport, cid: str) -> CriterionResult | None:
        """The component's result for a column."""
        return next((c for c in comp.criteria if c.id == cid), None)


def matrix(report: RunReport, query: Query) -> Matrix:
    """The rows of ``report`` matching ``query``, sorted, one page of them."""
    columns: dict[str, str] = {}
    for comp in report.components:
        for crit in comp.criteria:
            columns.setdefault(crit.id, SHORT_TITLES.get(crit.id, crit.title))
    needle = query.q.strip().lower()
    rows = [
        c
        for c in report.components
        if (not needle or needle in c.name.lower() or needle in c.path.lower())
        and (not query.stage or c.stage.value == query.stage)
        and (not query.status or status_of(c) == query.status)
        and (
            not query.category
            or any(not k.met and k.blocker_category.value == query.category for k in c.criteria)
        )
    ]
    key: Callable[[ComponentReport], Any] | None = {
        "name": lambda c: c.name,
        "stage": lambda c: list(Stage).index(c.stage),
        "status": _status_rank,
        "path": lambda c: c.path,
        "progress": progress,
    }.get(query.sort)
    if key is None and query.sort in columns:
        key = lambda c: _criterion_key(c, query.sort)  # noqa: E731
    rows.sort(key=lambda c: c.name)  # ties stay by name, whichever the order
    rows.sort(key=key or (lambda c: c.name), reverse=query.order == "desc")
    pages = max(1, math.ceil(len(rows) / PER_PAGE))
    page = min(query.page, pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    return Matrix(
        list(columns.items()), shown, len(rows), len(report.components), page, pages, query
    )
