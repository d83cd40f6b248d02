"""The compare page: two stored runs (by default the newest and the one a week before
it; any two by id or commit) per component and criterion, the regressions first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard.diff import ComponentDiff, compare
from maturity.dashboard.params import RunRef
from maturity.dashboard.state import PREFIX, Dashboard, State
from maturity.dashboard.summary import WEEK
from maturity.store import RunInfo, find_run, load_run, recent_runs, run_at_or_before

router = APIRouter()


@dataclass
class Comparison:
    """Two runs and their differences; ``problem`` says why there is none."""

    base: RunInfo | None
    head: RunInfo | None
    diffs: list[ComponentDiff]
    problem: str = ""


def comparison(state: Dashboard, base: str, head: str) -> Comparison:
    """The runs named (defaults: the newest, and the newest a week before it, else the
    oldest stored) compared; once per store version and pair."""

    def make() -> Comparison:
        store = state.store()
        newest = recent_runs(store, 1)
        if not newest:
            return Comparison(None, None, [], "No run stored yet: run `maturity run`.")
        after = find_run(store, head) if head else newest[0]
        if after is None:
            return Comparison(None, None, [], f"No stored run is {head!r}.")
        if base:
            before = find_run(store, base)
            if before is None:
                return Comparison(None, after, [], f"No stored run is {base!r}.")
        else:
            before = run_at_or_before(store, after.at - WEEK) or oldest(state)
        if before.id == after.id:
            why = "Only one run stored so far: the comparison needs a second `maturity run`."
            return Comparison(before, after, [], why if not base else "Both name the same run.")
        old, new = load_run(store, before.id), load_run(store, after.id)
        if old is None or new is None:  # deleted since it was found
            return Comparison(before, after, [], "That run is no longer stored.")
        return Comparison(before, after, compare(old, new))

    return state.cached(("compare", base, head), make)


def oldest(state: Dashboard) -> RunInfo:
    """The oldest of the recent runs (the base when none is a week old)."""
    return recent_runs(state.store(), 90)[-1]


def when(info: RunInfo | None) -> str:
    """A run as the page names it."""
    if info is None:
        return ""
    at: datetime = info.at
    return f"run #{info.id} of {at:%Y-%m-%d %H:%M} UTC" + (
        f" at {info.commit[:12]}" if info.commit else ""
    )


@router.get(f"{PREFIX}/compare", response_class=HTMLResponse, include_in_schema=False)
async def compare_page(
    request: Request, state: State, base: RunRef = "", head: RunRef = ""
) -> Response:
    """Regressions first, then improvements and other changes, per component."""

    def make() -> bytes:
        data = comparison(state, base, head)
        return bytes(state.render(request, "compare.html", {
            "_latest": state.latest(), "page": "compare", "c": data, "when": when,
            "base": base, "head": head,
            "runs": recent_runs(state.store(), 90),
            "regressed": sum(d.count("regressed") for d in data.diffs),
            "improved": sum(d.count("improved") for d in data.diffs),
        }).body)  # fmt: skip

    return await state.page(request, ("compare-page", base, head), make)
