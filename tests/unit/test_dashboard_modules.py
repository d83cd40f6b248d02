"""The dashboard's layout: one router per page module, none of them importing the app."""

from __future__ import annotations

import subprocess
import sys

from fastapi import APIRouter
from fastapi.routing import APIRoute

from maturity.dashboard import (
    api,
    blockers,
    compare,
    component,
    deployments,
    events,
    overview,
    service,
)
from maturity.dashboard.app import ROUTERS, create_app

PAGES = (overview, component, blockers, deployments, compare, events, api, service)


def test_every_page_module_has_its_router_and_the_app_includes_each() -> None:
    assert ROUTERS == PAGES
    app = create_app("sqlite://")
    for module in PAGES:
        assert isinstance(module.router, APIRouter), module.__name__
        assert module.router.routes, module.__name__
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            params = {p: "x" for p in route.param_convertors}
            assert app.url_path_for(route.name, **params) == route.path.format(**params)


def test_page_modules_import_without_the_app() -> None:
    names = [m.__name__ for m in PAGES]
    probe = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print('maturity.dashboard.app' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
