"""The JSON API under ``/api`` (described by FastAPI's OpenAPI at ``/openapi.json``)."""

from __future__ import annotations

import hmac
import re
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from maturity.dashboard import blockers, compare, overview, queries
from maturity.dashboard.params import ComponentName, RunRef, TrendLimit
from maturity.dashboard.schemas import DeploymentIn
from maturity.dashboard.state import State, component_of, minute, unknown_component
from maturity.model import ComponentReport, RunReport
from maturity.store import RunInfo, record_deployment

router = APIRouter()
TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def bearer_token(authorization: str) -> str | None:
    """The token of ``Bearer <token>``: the scheme in any case (RFC 7235), one space, one
    token of token68 characters (RFC 6750); None for anything else."""
    scheme, space, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not space or not TOKEN68.fullmatch(token):
        return None
    return token


def require_token(request: Request, state: State) -> None:
    """401 with ``WWW-Authenticate: Bearer`` unless exactly one ``Authorization: Bearer
    <the configured write token>`` header is given (compared in constant time)."""
    headers = request.headers.getlist("authorization")
    given = bearer_token(headers[0]) if len(headers) == 1 else None
    expected = (state.token or "").encode()
    if not expected or given is None or not hmac.compare_digest(given.encode(), expected):
        raise HTTPException(
            401, "a valid write token is required", headers={"WWW-Authenticate": "Bearer"}
        )


@router.get("/api/runs/latest", response_model=RunReport, tags=["runs"])
def latest_run_api(request: Request, state: State) -> Any:
    """The newest stored run, in the schema of ``maturity run --json``."""
    latest = state.latest()
    return latest[1] if latest else state.not_found(request, "Run")


@router.get("/api/components", tags=["components"])
async def components_api(request: Request, state: State) -> Response:
    """Every component of the latest run: its status as the evaluation decided it (verdict,
    next step and the criteria it is about) and every unmet criterion."""

    def make() -> list[dict[str, Any]]:
        latest = state.latest()
        if latest is None:
            return []
        return [
            {
                "name": c.name,
                "stage": c.stage.value,
                "target": c.target.value if c.target else None,
                "ready": c.ready,
                "regressed": c.regressed,
                "at_risk": c.at_risk,
                "verdict": c.verdict,
                "next_step": c.next_step,
                "blocking": c.blocking,
                "failing": [k.id for k in c.criteria if not k.met],
                "run_id": latest[0],
            }
            for c in latest[1].components
        ]

    return await state.json(request, ("api-components",), make)


@router.get("/api/components/{name}", response_model=ComponentReport, tags=["components"])
def component_api(request: Request, state: State, name: ComponentName) -> Any:
    """One component of the latest run, every criterion with evidence."""
    comp = component_of(state.latest(), name)
    return comp if comp else state.not_found(request, f"Component {name!r}")


@router.get("/api/components/{name}/trend", tags=["components"])
async def trend_api(
    request: Request, state: State, name: ComponentName, limit: TrendLimit = 90
) -> Response:
    """Numeric criteria of the component over its recent runs, and under ``events`` the
    stage changes and deployments the charts mark (once per store version)."""

    def make() -> dict[str, list[dict[str, Any]]]:
        store = state.store()
        data = queries.series(store, name, limit)
        out = {k: [{"at": at.isoformat(), "value": v} for at, v in pts] for k, pts in data.items()}
        out["events"] = [
            {"at": e.at.isoformat(), "kind": e.kind, "what": e.text}
            for e in queries.timeline(store, name)
        ]
        return out

    return await state.json(request, ("trend", name, limit), make)


@router.get("/api/blockers", tags=["blockers"])
async def blockers_api(request: Request, state: State) -> Response:
    """Open blockers of the latest run, oldest first, with the start of their failing
    streak, its age in seconds (as of this minute), the links of their evidence and
    where their blocker issues are (``issues``: GitHub's search for the component's and
    category's labels; null when the repository is not known)."""

    def make() -> list[dict[str, Any]]:
        now = queries.now()
        return [
            {
                "component": b.component,
                "criterion": b.criterion.id,
                "category": b.criterion.blocker_category.value,
                "summary": b.criterion.summary,
                "since": b.since.isoformat(),
                "age_seconds": int((now - b.since).total_seconds()),
                "runs": b.runs,
                "links": [ev.link for ev in b.criterion.evidence if ev.link],
                "issues": b.issues(state.issues),
            }
            for b in blockers.open_blockers(state)
        ]

    return await state.json(request, ("api-blockers", minute()), make)


@router.get("/api/summary", tags=["components"])
async def summary_api(request: Request, state: State) -> Response:
    """The overview at a glance: the tiles (components per stage, ready, regressed, at
    risk, open blockers by category, median coverage and its change since a week before)
    and the stage board (each card's progress, unmet criteria, coverage sparkline)."""

    def make() -> dict[str, Any]:
        data = overview.glance(state)
        if not data:
            return {"tiles": None, "board": {}}
        return {
            "tiles": data["tiles"].as_json(),
            "board": {
                col.stage: {"count": col.count, "cards": [k.as_json() for k in col.cards]}
                for col in data["board"]
            },
        }

    return await state.json(request, ("api-summary",), make)


@router.get("/api/trends", tags=["runs"])
async def trends_api(request: Request, state: State) -> Response:
    """The repository over the recent runs: median coverage and open blockers of each
    run, oldest first."""

    def make() -> list[dict[str, Any]]:
        return [
            {"run_id": p.run_id, "at": p.at.isoformat(), "coverage": p.coverage, "unmet": p.unmet}
            for p in overview.glance(state).get("trend", [])
        ]

    return await state.json(request, ("api-trends",), make)


@router.get("/api/compare", tags=["runs"])
async def compare_api(request: Request, state: State, base: RunRef = "", head: RunRef = "") -> Any:
    """Two runs per component and criterion, regressions first (defaults: the newest run
    and the newest one at least a week older)."""
    found = compare.comparison(state, base, head)
    if found.problem:
        return JSONResponse({"detail": found.problem}, status_code=404)

    def side(info: RunInfo | None) -> dict[str, Any] | None:
        return None if info is None else {
            "run_id": info.id, "at": info.at.isoformat(), "commit": info.commit
        }  # fmt: skip

    return await state.json(request, ("api-compare", base, head), lambda: {
        "base": side(found.base),
        "head": side(found.head),
        "components": [d.as_json() for d in found.diffs],
    })  # fmt: skip


@router.get("/api/deployments", tags=["deployments"])
def deployments_api(state: State) -> list[dict[str, Any]]:
    """Deployments and stage changes, newest first."""
    return [
        {
            "at": e.at.isoformat(),
            "component": e.component,
            "kind": e.kind,
            "what": e.text,
            "status": e.status,
            "by": e.actor,
        }
        for e in queries.timeline(state.store())
    ]


@router.post(
    "/api/deployments",
    status_code=201,
    tags=["deployments"],
    dependencies=[Depends(require_token)],
)
def record_deployment_api(state: State, item: DeploymentIn) -> Response:
    """Record a deployment (needs ``Authorization: Bearer <token>``) of a component of the
    latest run (422 for any other name)."""
    if component_of(state.latest(), item.component) is None:
        raise HTTPException(422, unknown_component(state, item.component))
    row_id = record_deployment(
        state.store(),
        item.component,
        item.environment,
        item.version,
        item.status,
        item.actor,
        None,
    )
    state.version(fresh=True)  # this process's pages show it at once
    return JSONResponse({"id": row_id}, status_code=201)
