"""A new run makes every open dashboard ask for its page at once (live updates): the
page is made once and every request gets it; a failure reaches every waiting request."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Request

from maturity.dashboard.app import create_app
from maturity.dashboard.state import Dashboard
from maturity.store import open_store, save_run
from tests.dashboard_data import wall_report


def dashboard(tmp_path: Path) -> Dashboard:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    save_run(open_store(url), wall_report(0))
    return Dashboard(url, None, 0.5)


def test_concurrent_askers_wait_for_one_making(tmp_path: Path) -> None:
    state = dashboard(tmp_path)
    started, release = threading.Event(), threading.Event()
    made: list[int] = []

    def make() -> str:
        made.append(1)
        started.set()
        release.wait(10)
        return "page"

    got: list[str] = []
    first = threading.Thread(target=lambda: got.append(state.cached(("k",), make)))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=lambda: got.append(state.cached(("k",), make)))]
    others += [threading.Thread(target=lambda: got.append(state.cached(("k",), make)))]
    for t in others:
        t.start()
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert got == ["page"] * 3 and len(made) == 1
    assert state.cached(("k",), make) == "page" and len(made) == 1  # kept


def test_a_failed_making_reaches_the_waiters_and_is_not_kept(tmp_path: Path) -> None:
    state = dashboard(tmp_path)
    started, release = threading.Event(), threading.Event()

    def broken() -> str:
        started.set()
        release.wait(10)
        raise RuntimeError("store went away")

    errors: list[str] = []

    def ask() -> None:
        try:
            state.cached(("k",), broken)
        except RuntimeError as exc:
            errors.append(str(exc))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=ask)
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert errors == ["store went away"] * 2
    assert state.cached(("k",), lambda: "fresh") == "fresh"  # tried again, not cached


@pytest.mark.anyio
async def test_simultaneous_page_requests_render_the_overview_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    save_run(open_store(url), wall_report(0, components=40))
    app = create_app(url)
    state: Dashboard = app.state.dashboard
    renders: list[str] = []
    real = state.render

    def counted(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Any:
        renders.append(name)
        return real(request, name, context, status)

    state.render = counted  # type: ignore[method-assign]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answers = await asyncio.gather(*(client.get("/dashboard/maturity") for _ in range(20)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert renders.count("overview.html") == 1, renders
