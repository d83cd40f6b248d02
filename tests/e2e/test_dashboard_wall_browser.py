"""The wall dashboard in a real headless Chromium: a monorepo judged on every criterion
of the rulebook (21 matrix columns), at 1366, 1280, 820 and 390 px, light and dark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from maturity.dashboard.app import create_app
from maturity.model import Stage
from maturity.store import latest_run, open_store, save_run
from tests.dashboard_data import seed_wall, wall_report
from tests.e2e.test_dashboard_browser import (
    SCHEMES,
    P,
    Scheme,
    add_axe,
    browser,
    console_errors,
    run_axe,
)
from tests.servers import live_server

__all__ = ["browser"]  # the fixture, shared with the other browser tests
pytestmark = pytest.mark.slow
PAGES = {
    "overview": P,
    "component": f"{P}/components/svc_02",
    "blockers": f"{P}/blockers",
    "deployments": f"{P}/deployments",
    "compare": f"{P}/compare",
}


@pytest.fixture
def wall(tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = f"sqlite:///{tmp_path / 'wall.db'}"
    seed_wall(url)
    with live_server(create_app(url, poll_seconds=0.2)) as base:
        yield base, url


def overflow(page: Page, selector: str = "") -> int:
    """How far the page (or an element) scrolls sideways."""
    if selector:
        return page.eval_on_selector(selector, "e => e.scrollWidth - e.clientWidth")
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [1366, 820, 390])
def test_the_wall_is_usable_and_accessible(
    browser: Browser, wall: tuple[str, str], width: int, scheme: Scheme
) -> None:
    base, _ = wall
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    add_axe(page)
    errors = console_errors(page)
    for name, path in PAGES.items():
        page.goto(base + path)
        assert overflow(page) <= 0, f"{name} at {width}px ({scheme}) scrolls sideways"
        assert run_axe(page) == [], f"{name} at {width}px ({scheme})"
    assert errors == []
    page.close()


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_matrix_of_every_criterion_fits_a_laptop(
    browser: Browser, wall: tuple[str, str], width: int
) -> None:
    base, _ = wall
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + P)
    assert page.locator("table.matrix thead th.crit-col").count() == 21
    assert overflow(page, ".matrix-wrap") <= 0  # no scrolling inside its box either
    # a cell shows its figure on focus (and hover), and names it to screen readers
    cell = page.locator("table.matrix tbody tr").first.locator("a.cell").first
    figure = cell.locator("span").nth(2)
    assert figure.bounding_box()["width"] <= 1  # type: ignore[index]
    cell.focus()
    assert figure.bounding_box()["width"] > 10  # type: ignore[index]
    assert figure.is_visible()
    label = cell.evaluate("e => e.textContent")
    assert label.startswith(("✓Integration tests: pass, ", "✗Integration tests: fail, "))
    page.close()


def test_the_matrix_collapses_to_cards_on_a_phone(browser: Browser, wall: tuple[str, str]) -> None:
    base, _ = wall
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + P)
    assert not page.locator("table.matrix thead").is_visible()
    row = page.locator("table.matrix tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    assert "Coverage: " in row.inner_text()  # each cell names its criterion and figure
    box = row.bounding_box()
    assert box is not None and box["width"] <= 390
    page.close()


def test_tiles_and_board_match_the_store(browser: Browser, wall: tuple[str, str]) -> None:
    base, url = wall
    found = latest_run(open_store(url))
    assert found is not None
    comps = found[1].components
    page = browser.new_page()
    page.goto(base + P)
    assert page.locator('[data-tile="components"] .tile-n').inner_text() == str(len(comps))
    ready = sum(c.ready for c in comps)
    assert page.locator('[data-tile="ready"] .tile-n').inner_text() == str(ready)
    regressed = sum(c.regressed for c in comps)
    assert page.locator('[data-tile="regressed"] .tile-n').inner_text() == str(regressed)
    for stage in Stage:
        lane = page.locator(f'.lane[data-stage="{stage.value}"]')
        shown = lane.locator(".card").evaluate_all("cs => cs.map(c => c.dataset.component)")
        assert sorted(shown) == sorted(c.name for c in comps if c.stage is stage)
    card = page.locator('.card[data-component="svc_03"]')
    comp = found[1].component("svc_03")
    crits = comp.for_gate(Stage.DEVELOPMENT)
    assert f"{sum(c.met for c in crits)}/{len(crits)} criteria" in card.inner_text()
    assert (
        card.locator("svg.spark")
        .get_attribute("aria-label")
        .startswith(  # type: ignore[union-attr]
            "Coverage % over the last 10 runs:"
        )
    )
    page.close()


def test_a_chart_point_shows_its_value_on_focus(browser: Browser, wall: tuple[str, str]) -> None:
    base, _ = wall
    page = browser.new_page()
    page.goto(base + f"{P}/components/svc_05")
    point = page.locator("svg.chart").first.locator("g.pt").last
    label = point.locator("text")
    assert not label.is_visible()
    point.focus()
    assert label.is_visible()
    value = (point.get_attribute("aria-label") or "").split(": ")[1]
    assert label.text_content() == f"{value} · 2026-11-10 09:00"
    page.close()


def test_a_new_run_moves_a_card_without_a_reload(browser: Browser, wall: tuple[str, str]) -> None:
    base, url = wall
    page = browser.new_page()
    errors = console_errors(page)
    page.goto(base + P)
    page.evaluate("() => { window.__sameDocument = true; }")
    card = '.card[data-component="svc_03"]'
    assert page.locator(f'.lane[data-stage="development"] {card}').count() == 1
    save_run(open_store(url), wall_report(10, moved=("svc_03",)))  # promoted: now staging
    page.wait_for_selector(f'.lane[data-stage="staging"] {card}', timeout=10_000)
    assert page.locator(f'.lane[data-stage="development"] {card}').count() == 0
    assert page.evaluate("() => window.__sameDocument") is True  # no reload happened
    assert errors == []
    page.close()
