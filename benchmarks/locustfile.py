"""Load profile of the dashboard benchmark: every page and the main API endpoints.

Each simulated user opens one page or API call after another (0-50 ms apart): the
overview, a component page (a component picked at random), the blockers, deployments and
compare pages, and the components, summary and trend API. With ``MATURITY_BENCH_PAGES=
classic`` only the overview and ``/api/components`` (the profile of the first figures).
"""

import os
import random

from locust import FastHttpUser, between, events, task

COMPONENTS: list[str] = []
CLASSIC = os.environ.get("MATURITY_BENCH_PAGES") == "classic"


@events.test_start.add_listener
def components(environment, **_kwargs) -> None:
    """The components of the newest run, for the component pages."""
    import httpx

    found = httpx.get(f"{environment.host}/api/components", timeout=60).json()
    COMPONENTS[:] = [c["name"] for c in found]


class Viewer(FastHttpUser):
    """Someone with the dashboard open, and a script polling the API. FastHttpUser
    (geventhttpclient, gzip accepted): locust's requests-based client topped out near
    1,200 requests/s on this machine, below what the server answers."""

    wait_time = between(0.0, 0.05)

    @task(3)
    def overview(self) -> None:
        """The overview page."""
        self.client.get("/dashboard/maturity", name="overview page")

    @task(3)
    def api_components(self) -> None:
        """The main API endpoint."""
        self.client.get("/api/components", name="api components")

    @task(3)
    def component(self) -> None:
        """A component's page."""
        if CLASSIC:
            return self.overview()
        name = random.choice(COMPONENTS)  # noqa: S311  # nosec B311 - a load profile
        self.client.get(f"/dashboard/maturity/components/{name}", name="component page")

    @task(2)
    def blockers(self) -> None:
        """The blockers page."""
        if CLASSIC:
            return self.api_components()
        self.client.get("/dashboard/maturity/blockers", name="blockers page")

    @task(2)
    def deployments(self) -> None:
        """The deployments page."""
        if CLASSIC:
            return self.overview()
        self.client.get("/dashboard/maturity/deployments", name="deployments page")

    @task(2)
    def compare(self) -> None:
        """The compare page (the newest run against a week before)."""
        if CLASSIC:
            return self.api_components()
        self.client.get("/dashboard/maturity/compare", name="compare page")

    @task(2)
    def summary(self) -> None:
        """The summary API."""
        if CLASSIC:
            return self.overview()
        self.client.get("/api/summary", name="api summary")

    @task(2)
    def trend(self) -> None:
        """A component's trend API."""
        if CLASSIC:
            return self.api_components()
        name = random.choice(COMPONENTS)  # noqa: S311  # nosec B311 - a load profile
        self.client.get(f"/api/components/{name}/trend", name="api trend")
