"""pytest plugin loaded by maturity into the target's own test run.

It runs inside the TARGET's interpreter, so it imports nothing from maturity. It
records every test's outcome and markers (deselected tests too), every collection error,
whether the session ended early (``pytest.exit``, ``KeyboardInterrupt``, ``-x``,
``--collect-only``), and which measured files each test ran (read from coverage.py's
live tracer data at test boundaries; see ``PerTest``). The JSON lands where
``MATURITY_PYTEST_REPORT`` points. File paths are absolute.
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


class PerTest:
    """Which files each test ran, read from coverage.py's tracer data at test boundaries.

    coverage.py's tracers add each executed line (or arc) to a live set per file in
    ``Coverage._collector.data``. At each test boundary the sets that grew are moved
    into a session total (copy, then ``difference_update`` in place: the same snapshot
    coverage.py's own flush takes, safe with other threads still tracing), and the files
    whose sets grew are the files the test that just ended ran. After the last test the
    total is given back to the live sets, so coverage.py saves exactly the data of a
    plain ``coverage run``. Compared with a dynamic context per test (a flush to the
    SQLite data file at every switch), this costs a few set operations per test.
    """

    def __init__(self, collector: Any) -> None:
        self.collector = collector
        self.total: dict[str, set[Any]] = {}
        self.files: dict[str, list[int]] = {}  # measured file -> indexes into tests
        self.tests: list[str] = []
        self.current: int | None = None

    @classmethod
    def of(cls, cov: Any) -> PerTest | None:
        """None when this coverage.py has no live data to read (then contexts are used)."""
        collector = getattr(cov, "_collector", None)
        if isinstance(getattr(collector, "data", None), dict):
            return cls(collector)
        return None

    def harvest(self) -> None:
        """Move what ran since the last boundary into the total, crediting the current test."""
        data: dict[str, set[Any]] = self.collector.data
        test = self.current
        for name, live in list(data.items()):
            if not live:
                continue
            snapshot = live.copy()
            live.difference_update(snapshot)
            have = self.total.get(name)
            if have is None:
                self.total[name] = snapshot
            else:
                have |= snapshot
            if test is not None:
                self.files.setdefault(name, []).append(test)

    def start(self, nodeid: str) -> None:
        """A test begins: what ran before it was the previous test's (or no test's)."""
        self.harvest()
        self.current = len(self.tests)
        self.tests.append(nodeid)

    def finish(self) -> None:
        """The tests are over: give the lines back to coverage.py for its own save."""
        self.harvest()
        self.current = None
        data: dict[str, set[Any]] = self.collector.data
        for name, lines in self.total.items():
            live = data.get(name)
            if live is None:
                data[name] = lines
            else:
                live |= lines
        self.total = {}

    def payload(self) -> dict[str, Any]:
        """Tests by measured file, file names as coverage.py stores them."""
        mapped = getattr(self.collector, "cached_mapped_file", lambda name: name)
        files: dict[str, list[int]] = {}
        for name, tests in self.files.items():
            files.setdefault(mapped(name), []).extend(tests)
        return {"tests": self.tests, "files": files}


class Recorder:
    """Collects outcomes during the session and writes them at the end."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[dict[str, str]] = []
        self.cov: Any = None
        self.per_test: PerTest | None = None
        self.rootpath = ""
        self.interrupted: str | None = None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Find the coverage instance measuring this run, if any."""
        self.rootpath = str(session.config.rootpath)
        try:
            import coverage

            self.cov = coverage.Coverage.current()
        except ImportError:  # pragma: no cover - coverage missing in the target
            self.cov = None
        if self.cov is not None:
            self.per_test = PerTest.of(self.cov)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Record files that could not be collected."""
        if report.failed:
            self.collection_errors.append(
                {
                    "nodeid": report.nodeid,
                    "file": os.path.join(self.rootpath, str(report.fspath)),
                    "message": _short(report.longreprtext),
                }
            )

    def _entry(self, item: pytest.Item, outcome: str) -> dict[str, Any]:
        _, lineno, _ = item.location
        return {
            "nodeid": item.nodeid,
            "file": str(item.path),
            "line": (lineno + 1) if lineno is not None else None,
            "markers": sorted({m.name for m in item.iter_markers()}),
            "outcome": outcome,
            "message": "",
        }

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Record every test that is to run, with its markers (after other plugins)."""
        for item in items:
            self.items[item.nodeid] = self._entry(item, "not run")

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        """Record tests that ``-m``/``-k`` (or a plugin) took out of the run."""
        for item in items:
            self.items[item.nodeid] = self._entry(item, "deselected")

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """The session was cut short: Ctrl-C / ``KeyboardInterrupt`` or ``pytest.exit()``."""
        if excinfo.type.__name__ == "Exit":
            self.interrupted = f"pytest.exit() was called: {excinfo.value}"
        else:
            self.interrupted = f"{excinfo.type.__name__}: {excinfo.value}".rstrip(": ")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, None, None]:
        """Credit what runs from here (setup, call, teardown) to this test.

        Between two tests only pytest's own code runs, which is not measured, so the
        next test's start is the boundary. Without live data to read, coverage.py's
        dynamic context is switched to the test id instead (one flush per test).
        """
        if self.per_test is not None:
            self.per_test.start(item.nodeid)
        elif self.cov is not None:
            self.cov.switch_context(item.nodeid)
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, None, None]:
        """After the last test, code that runs is no test's (session hooks, atexit)."""
        yield
        if self.per_test is not None:
            self.per_test.finish()
        elif self.cov is not None:
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
        """Write the JSON report, saying why the session ended early if it did."""
        if self.per_test is not None:
            self.per_test.finish()  # again: e.g. interrupted before the loop ended
        not_run = sum(1 for e in self.items.values() if e["outcome"] == "not run")
        stopped = self.interrupted
        if session.config.option.collectonly:
            stopped = "pytest only collected the tests (--collect-only / --co in its options)"
        elif stopped is None and not_run and (session.shouldfail or session.shouldstop):
            why = session.shouldfail or session.shouldstop
            stopped = f"pytest stopped early ({why}; -x / --maxfail / --stepwise)"
        payload = {
            "pytest_version": pytest.__version__,
            "python": sys.executable,
            "python_version": sys.version.split()[0],
            "rootdir": self.rootpath,
            "exitstatus": int(exitstatus),
            "stopped": stopped,
            "tests": list(self.items.values()),
            "collection_errors": self.collection_errors,
            "per_test": self.per_test.payload() if self.per_test is not None else None,
        }
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> Generator[None, None, None]:
    """pytest-cov in the target's options (``--cov`` in its addopts) would measure a
    second time inside maturity's coverage run and clobber its data: before pytest-cov's
    own hook looks at ``--cov``, it is cleared, so pytest-cov stands down (as with
    ``--no-cov``, which would be an error where pytest-cov is not installed)."""
    if os.environ.get(REPORT_ENV):
        options = early_config.known_args_namespace
        if getattr(options, "cov_source", None):
            options.cov_source = None
    yield


def pytest_configure(config: pytest.Config) -> None:
    """Register the recorder when maturity asked for a report."""
    path = os.environ.get(REPORT_ENV)
    if path:
        config.pluginmanager.register(Recorder(path), "maturity-recorder")
