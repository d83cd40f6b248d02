"""Load test of the player_experience web app (run by `maturity run --stage staging`).

Each simulated player loads the page, then asks for greetings; the database time the
server reports in its ``Server-Timing`` header is recorded as a ``db:`` request so the
database query p95 is measured alongside the API and page figures.
"""

import re

from locust import HttpUser, constant_pacing, task

DB_TIMING = re.compile(r"db;dur=([0-9.]+)")


class Player(HttpUser):
    wait_time = constant_pacing(1.6)  # 100 players ≈ 62 requests/s

    def on_start(self):
        self.client.get("/", name="/")

    @task(3)
    def greeting(self):
        player = f"p-{self.environment.runner.user_count % 4 + 1}"
        with self.client.get(
            f"/api/players/{player}/greeting", name="/api/players/[id]/greeting",
            catch_response=True,
        ) as response:
            found = DB_TIMING.search(response.headers.get("Server-Timing", ""))
            if found:
                self.environment.events.request.fire(
                    request_type="SQL", name="db: find player",
                    response_time=float(found.group(1)), response_length=0,
                    exception=None, context={},
                )

    @task(1)
    def page(self):
        self.client.get("/", name="/")
