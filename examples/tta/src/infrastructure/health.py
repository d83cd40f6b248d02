"""Health checks: every dependency a service needs, checked with a deadline."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CheckResult:
    """The outcome of one health check."""

    name: str
    healthy: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class HealthChecker:
    """Runs named checks and summarises them for a /health endpoint."""

    checks: dict[str, Callable[[], str]] = field(default_factory=dict)

    def add(self, name: str, check: Callable[[], str]) -> None:
        """Register a check; it returns a detail string or raises."""
        if name in self.checks:
            raise ValueError(f"duplicate health check {name!r}")
        self.checks[name] = check

    def run(self) -> list[CheckResult]:
        """Run every check, never letting one failure hide the others."""
        results = []
        for name, check in self.checks.items():
            start = time.monotonic()
            try:
                detail = check()
                healthy = True
            except Exception as exc:  # noqa: BLE001 - a failed check is data
                detail = f"{type(exc).__name__}: {exc}"
                healthy = False
            results.append(CheckResult(name, healthy, detail, time.monotonic() - start))
        return results

    def status(self) -> dict[str, object]:
        """The JSON body of /health: overall status and each check."""
        results = self.run()
        return {
            "status": "ok" if all(r.healthy for r in results) else "degraded",
            "checks": {r.name: {"healthy": r.healthy, "detail": r.detail} for r in results},
        }


def tcp_check(host: str, port: int, timeout: float = 1.0) -> Callable[[], str]:
    """A check that a TCP port accepts connections."""

    def check() -> str:
        with socket.create_connection((host, port), timeout=timeout):
            return f"{host}:{port} accepts connections"

    return check
