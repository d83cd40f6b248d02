"""The dashboard in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from maturity.dashboard.app import create_app
from maturity.store import latest_run, save_run
from tests.dashboard_data import seed
from tests.servers import live_server
from tests.unit.test_reports import make_report

pytestmark = pytest.mark.slow
P = "/dashboard/maturity"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
VIEWPORTS = {"desktop": (1366, 900), "tablet": (820, 1180), "mobile": (390, 844)}
PAGES = {
    "overview": P,
    "component": f"{P}/components/ai_components",
    "blockers": f"{P}/blockers",
    "deployments": f"{P}/deployments",
    "compare": f"{P}/compare",
    "not-found": f"{P}/components/nope",
}
Scheme = Literal["light", "dark"]
SCHEMES: list[Scheme] = ["light", "dark"]
SHOTS = Path(os.environ.get("MATURITY_SCREENSHOTS", "/tmp/maturity-screenshots"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    seed(url)
    with live_server(create_app(url, token="t", poll_seconds=0.2)) as base:
        yield base, url


def console_errors(page: Page) -> list[str]:
    """Errors the page logs from now on (a Content-Security-Policy violation is one); a
    404 status of the page itself is not one."""
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "status of 404" not in m.text else None
        ),
    )
    return errors


def add_axe(page: Page) -> None:
    """axe-core in every document the page loads: an init script, which the dashboard's
    Content-Security-Policy (no inline scripts) does not apply to, unlike a script tag."""
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: scripts/test installs it with npm")
    page.add_init_script(path=str(AXE))


def run_axe(page: Page) -> list[dict[str, object]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))  # a page of set_content, without the policy
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_page_is_usable_and_accessible(
    browser: Browser, site: tuple[str, str], viewport: str, scheme: Scheme
) -> None:
    base, _ = site
    width, height = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    add_axe(page)
    errors = console_errors(page)
    failed: list[str] = []  # any asset answered 4xx/5xx (a missing favicon is one)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        response = page.goto(base + path)
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200)
        # usable: the page itself never scrolls sideways (wide tables scroll in their box)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {viewport} overflows by {overflow}px"
        assert page.get_by_role("navigation", name="Dashboard").is_visible()
        assert page.get_by_role("heading", level=1).is_visible()
        assert run_axe(page) == [], f"{name} at {viewport}"
        page.screenshot(path=str(SHOTS / f"{name}-{viewport}-{scheme}.png"), full_page=True)
        assert "content-security-policy" in response.headers
    assert errors == []
    assert failed == [base + PAGES["not-found"]]
    page.close()


def test_pages_show_what_the_store_holds(browser: Browser, site: tuple[str, str]) -> None:
    base, url = site
    from maturity.store import open_store

    found = latest_run(open_store(url))
    assert found is not None
    run_id, report = found
    page = browser.new_page()
    errors = console_errors(page)
    page.goto(base + P)
    rows = page.locator("table.matrix tbody tr")
    assert rows.count() == len(report.components)
    for i, comp in enumerate(sorted(report.components, key=lambda c: c.name)):
        row = rows.nth(i)
        assert row.locator("th a").inner_text() == comp.name
        for crit in comp.criteria:
            assert crit.display in row.inner_text()
    assert page.locator("body").get_attribute("data-run-id") == str(run_id)
    page.locator("#matrix").get_by_role("link", name="ai_components", exact=True).click()
    page.wait_for_url(f"**{P}/components/ai_components")
    bad = report.component("ai_components")
    for crit in bad.criteria:
        row = page.locator(f'tr[id="{crit.id}"]')
        assert crit.status.value.upper() in row.inner_text()
        assert crit.display in row.inner_text()
    assert page.get_by_text(bad.criteria[0].summary[:10]).first.is_visible()
    page.locator("details summary").first.click()
    assert page.get_by_text("src/x/a.py:0").first.is_visible()
    assert page.evaluate("() => window.__pwned__") is None  # the hostile text never ran
    assert errors == []  # no Content-Security-Policy violation
    page.close()


def test_a_stored_run_appears_without_a_reload(browser: Browser, site: tuple[str, str]) -> None:
    base, url = site
    from maturity.store import open_store

    page = browser.new_page()
    errors = console_errors(page)
    page.goto(base + P)
    page.evaluate("() => { window.__sameDocument = true; }")
    assert page.locator("body").get_attribute("data-run-id") == "3"
    report = make_report()
    report.components[0].criteria[0].display = "99.5%"
    new_id = save_run(open_store(url), report)
    page.wait_for_function(f"() => document.body.dataset.runId === '{new_id}'", timeout=10_000)
    assert "99.5%" in page.locator("table.matrix").inner_text()
    assert page.evaluate("() => window.__sameDocument") is True  # no reload happened
    assert errors == []  # live.js, its event stream and fetch all pass the policy
    page.close()


def test_the_policy_violations_would_be_seen(browser: Browser, site: tuple[str, str]) -> None:
    """The console check is no blind spot: an inline script on a dashboard page is refused
    by its policy, and the refusal is a console error."""
    base, _ = site
    page = browser.new_page()
    errors = console_errors(page)
    page.goto(base + P)
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__inline = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inline") is None
    assert any("Content Security Policy" in e for e in errors), errors
    page.close()


def test_the_accessibility_check_does_catch_violations(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    found = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "link-name"} <= found
    page.close()
