"""pytest plugin loaded by maturity into the target's own test run.

It runs inside the TARGET's interpreter, so it imports nothing from maturity. It
records every test's outcome and markers, every collection error, and switches
coverage.py's dynamic context to the test id so each covered line says which tests
ran it. The JSON lands where ``MATURITY_PYTEST_REPORT`` points.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Generator
from typing import Any

import pytest

REPORT_ENV = "MATURITY_PYTEST_REPORT"


def _short(text: str, limit: int = 300) -> str:
    """The most telling line of a failure text: the last ``E`` line, else the last line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    last = errors[-1] if errors else (lines[-1] if lines else "")
    return last[:limit]


def _failure(report: pytest.TestReport) -> str:
    """The crash message of a failed test (``assert 4 == 5``), else the failure text."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    if isinstance(message, str) and message.strip():
        return message.strip().splitlines()[0][:300]
    return _short(report.longreprtext)


class Recorder:
    """Collects outcomes during the session and writes them at the end."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[dict[str, str]] = []
        self.cov: Any = None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Find the coverage instance measuring this run, if any."""
        try:
            import coverage

            self.cov = coverage.Coverage.current()
        except ImportError:  # pragma: no cover - coverage missing in the target
            self.cov = None

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Record files that could not be collected."""
        if report.failed:
            self.collection_errors.append(
                {
                    "nodeid": report.nodeid,
                    "file": str(report.fspath),
                    "message": _short(report.longreprtext),
                }
            )

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Record every collected test with its markers."""
        for item in items:
            _, lineno, _ = item.location
            self.items[item.nodeid] = {
                "nodeid": item.nodeid,
                "file": str(item.path),
                "line": (lineno + 1) if lineno is not None else None,
                "markers": sorted({m.name for m in item.iter_markers()}),
                "outcome": "not run",
                "message": "",
            }

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, None, None]:
        """Label coverage with the test id while the test runs."""
        if self.cov is not None:
            self.cov.switch_context(item.nodeid)
        yield
        if self.cov is not None:
            self.cov.switch_context("")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Fold the setup/call/teardown reports into one outcome."""
        entry = self.items.get(report.nodeid)
        if entry is None:
            return
        xfail = hasattr(report, "wasxfail")
        message = _failure(report) if report.failed else ""
        if report.when == "setup":
            if report.failed:
                entry.update(outcome="error", message=message)
            elif report.skipped:
                entry.update(outcome="xfailed" if xfail else "skipped")
        elif report.when == "call":
            if report.passed:
                entry["outcome"] = "xpassed" if xfail else "passed"
            elif report.failed:
                entry.update(outcome="failed", message=message)
            else:
                entry["outcome"] = "xfailed" if xfail else "skipped"
        elif report.when == "teardown" and report.failed:
            entry.update(outcome="error", message=message)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Write the JSON report."""
        payload = {
            "pytest_version": pytest.__version__,
            "python": sys.executable,
            "python_version": sys.version.split()[0],
            "exitstatus": int(exitstatus),
            "tests": list(self.items.values()),
            "collection_errors": self.collection_errors,
        }
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)


def pytest_configure(config: pytest.Config) -> None:
    """Register the recorder when maturity asked for a report."""
    path = os.environ.get(REPORT_ENV)
    if path:
        config.pluginmanager.register(Recorder(path), "maturity-recorder")
