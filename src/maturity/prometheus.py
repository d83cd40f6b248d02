"""A small client of Prometheus's HTTP API (``/api/v1/query``).

Every failure says which query failed and why: unreachable server, HTTP error, an
error answer from Prometheus, or an empty result. An empty result is never a zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class PrometheusError(Exception):
    """A query could not give a number."""


@dataclass(frozen=True)
class Prometheus:
    """Where Prometheus answers, and how to authenticate."""

    url: str
    token: str | None = None
    timeout: float = 10.0

    def query(self, promql: str, at: float | None = None) -> float:
        """The single value of an instant query (summed when it returns several series)."""
        import httpx

        params = {"query": promql}
        if at is not None:
            params["time"] = f"{at:.3f}"
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        endpoint = self.url.rstrip("/") + "/api/v1/query"
        try:
            response = httpx.get(endpoint, params=params, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise PrometheusError(f"{self.url} unreachable: {exc!s}") from exc
        try:
            body = response.json()
        except ValueError:
            raise PrometheusError(
                f"{self.url} answered HTTP {response.status_code}, not JSON"
            ) from None
        if response.status_code != 200 or body.get("status") != "success":
            reason = body.get("error") or f"HTTP {response.status_code}"
            raise PrometheusError(f"Prometheus rejected the query: {reason}")
        data = body.get("data") or {}
        result = data.get("result")
        if data.get("resultType") == "scalar" and isinstance(result, list):
            values = [float(result[1])]
        elif data.get("resultType") == "vector" and isinstance(result, list) and result:
            values = [float(series["value"][1]) for series in result]
        else:
            raise PrometheusError("empty result: no series matched")
        value = sum(values)
        if math.isnan(value):
            raise PrometheusError("the result is NaN (no samples in the window)")
        return value
