"""Load profile of the dashboard benchmark: the overview page and the main API endpoint."""

from locust import HttpUser, between, task


class Viewer(HttpUser):
    """Someone with the dashboard open, and a script polling the API."""

    wait_time = between(0.0, 0.05)

    @task(3)
    def overview(self) -> None:
        """The overview page."""
        self.client.get("/dashboard/maturity", name="overview page")

    @task(3)
    def components(self) -> None:
        """The main API endpoint."""
        self.client.get("/api/components", name="api components")
