"""pytest plugin loaded by maturity into the target's own test run.

It runs inside the TARGET's interpreter, so it imports nothing from maturity. It
records every test's outcome and markers (deselected tests too), every collection error,
whether the session ended early (``pytest.exit``, ``KeyboardInterrupt``, ``-x``,
``--collect-only``), how long each test took, and which measured files each test ran
(read from coverage.py's live tracer data at test boundaries; see ``PerTest``). The JSON
lands where ``MATURITY_PYTEST_REPORT`` points. File paths are absolute.

In a sharded run (``MATURITY_SHARD=K/N``) only the K-th of N parts of the collected
tests runs (``maturity_shard.assign``, balanced by the previous run's durations); the
others are left out without being reported as deselected, and tests that ``-m``/``-k``
deselected are reported by shard 1 only, so the shards' reports add up to one run's.

Under pytest-xdist each worker is a process of its own that ``coverage run`` does not
measure: when ``MATURITY_COVERAGE_DATA`` is set, the plugin starts coverage.py in each
worker when pytest configures it (what the conftests ran on import ran in the
controller too, under ``coverage run``), with its own data file beside the
controller's (``<data file>.<suffix>``, as ``[run] parallel`` names them), and saves it
when the worker ends. Each worker writes its report to
``<report>.<worker id>`` (the tests it collected, the outcomes of those it ran, and its
per-test record); the controller's report has the outcome of every test, as the workers
sent them, which maturity merges with the workers'. A worker is known by pytest-xdist's
``config.workerinput``, never by ``PYTEST_XDIST_WORKER`` alone: maturity itself may run
inside an xdist worker, whose variables the target's pytest inherits.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Generator
from typing import Any

import pytest
from maturity_per_test import PerTest  # its sibling: which files each test ran

REPORT_ENV = "MATURITY_PYTEST_REPORT"
ROOT_ENV = "MATURITY_REPO_ROOT"
DATA_ENV = "MATURITY_COVERAGE_DATA"  # set when xdist workers are to measure themselves
SOURCE_ENV = "MATURITY_COVERAGE_SOURCE"  # their --source, comma-separated
_WORKER_COVERAGE: list[Any] = []  # the coverage.py instance this worker started


def worker_id(config: pytest.Config) -> str | None:
    """The xdist worker id (``gw0``) when this process is an xdist worker, else None."""
    workerinput = getattr(config, "workerinput", None)
    return str(workerinput["workerid"]) if isinstance(workerinput, dict) else None


def start_worker_coverage() -> None:
    """In an xdist worker of a run maturity measures: start coverage.py (once)."""
    data = os.environ.get(DATA_ENV)
    if not data or _WORKER_COVERAGE:
        return
    import coverage

    source = [s for s in os.environ.get(SOURCE_ENV, "").split(",") if s]
    cov = coverage.Coverage(data_file=data, data_suffix=True, source=source or None)
    cov.start()
    _WORKER_COVERAGE.append(cov)


def stop_worker_coverage() -> None:
    """Save this worker's coverage data (after the recorder gave its lines back)."""
    while _WORKER_COVERAGE:
        cov = _WORKER_COVERAGE.pop()
        cov.stop()
        cov.save()


def node_prefix(rootdir: str) -> str:
    """What makes a node id the one pytest prints when run from the repository root
    (``MATURITY_REPO_ROOT``): the rootdir relative to it, when pytest's rootdir is a
    directory inside it (a workspace member's own session); else nothing."""
    root = os.environ.get(ROOT_ENV)
    if not root:
        return ""
    rel = os.path.relpath(os.path.realpath(rootdir), os.path.realpath(root))
    if rel in {".", ".."} or rel.startswith(".." + os.sep):
        return ""
    return rel.replace(os.sep, "/") + "/"


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

    def __init__(self, path: str, worker: str | None = None) -> None:
        self.path = f"{path}.{worker}" if worker else path
        # the controller of an xdist run collects nothing: it records the outcomes the
        # workers send (a crashed worker's test included)
        self.controller = bool(os.environ.get(DATA_ENV)) and not worker
        self.items: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[dict[str, str]] = []
        self.cov: Any = None
        self.per_test: PerTest | None = None
        self.rootpath = ""
        self.prefix = ""  # makes node ids repo-root based
        self.inipath: str | None = None
        self.interrupted: str | None = None
        self.paths: dict[str, str] = {}  # collector node id -> its absolute path
        self.collisions: list[dict[str, str]] = []
        self.shard = os.environ.get("MATURITY_SHARD") or None
        self.order: list[str] = []  # every collected test, deselected ones first

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Find the coverage instance measuring this run, if any."""
        self.rootpath = str(session.config.rootpath)
        self.prefix = node_prefix(self.rootpath)
        inipath = getattr(session.config, "inipath", None)
        self.inipath = str(inipath) if inipath else None
        try:
            import coverage

            self.cov = coverage.Coverage.current()
        except ImportError:  # pragma: no cover - coverage missing in the target
            self.cov = None
        if self.cov is not None:
            self.per_test = PerTest.of(self.cov)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, Any, None]:
        """Remember each collector's absolute path (a report's is rootdir-relative), and
        check that a test module's code is the file's own: under ``--import-mode=importlib``
        a module name already imported (two ``tests/test_store.py`` in ``tests`` packages)
        gives the first file's module again, and the second file's tests vanish."""
        self.paths[self.prefix + collector.nodeid] = str(collector.path)
        module = isinstance(collector, pytest.Module) and self.per_test is not None
        if module and self.per_test is not None:
            self.per_test.collecting(str(collector.path))
        outcome = yield
        if module and self.per_test is not None:
            self.per_test.collecting(None)
        report = outcome.get_result()
        if report.failed or not isinstance(collector, pytest.Module):
            return
        module = getattr(collector, "_obj", None)
        loaded = getattr(module, "__file__", None)
        if loaded and os.path.realpath(loaded) != os.path.realpath(str(collector.path)):
            self.collisions.append(
                {
                    "nodeid": self.prefix + collector.nodeid,
                    "file": str(collector.path),
                    "module": getattr(module, "__name__", "?"),
                    "loaded": loaded,
                }
            )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Record files that could not be collected (absolute paths), and files that
        skipped themselves while being collected (``pytest.skip(allow_module_level=True)``,
        ``pytest.importorskip``): pytest counts each as one skipped, and so do we."""
        if not (report.failed or report.skipped):
            return
        nodeid = self.prefix + report.nodeid
        path = self.paths.get(nodeid) or os.path.join(self.rootpath, str(report.fspath))
        if report.failed:
            self.collection_errors.append(
                {"nodeid": nodeid, "file": path, "message": _short(report.longreprtext)}
            )
            return
        if self.shard is not None and not self.shard.startswith("1/"):
            return  # every shard collects it: shard 1 reports it, as deselected tests
        where = report.longrepr if isinstance(report.longrepr, tuple) else None
        line = where[1] if where is not None else None
        self.items[nodeid] = {
            "nodeid": nodeid,
            "file": path,
            "line": line + 1 if isinstance(line, int) else None,
            "markers": [],
            "outcome": "skipped",
            "message": _short(
                str(where[2]) if where is not None else report.longreprtext
            ).removeprefix("Skipped: "),
        }

    def _entry(self, item: pytest.Item, outcome: str) -> dict[str, Any]:
        _, lineno, _ = item.location
        return {
            "nodeid": self.prefix + item.nodeid,
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
        """Record every test that is to run, with its markers (after other plugins).

        A module whose name collided (see ``pytest_make_collect_report``) is a collection
        error: the tests collected under its path are another file's."""
        for clash in self.collisions:
            self.collection_errors.append(
                {
                    "nodeid": clash["nodeid"],
                    "file": clash["file"],
                    "message": f"module name {clash['module']!r} collides: it was already"
                    f" imported from {clash['loaded']}, so this file's own tests were not"
                    " collected (--import-mode=importlib; give the test files unique names"
                    " or separate sessions)",
                }
            )
        self.order = [*self.items, *(self.prefix + item.nodeid for item in items)]
        if self.shard is not None:
            items[:] = self._share(items)
        for item in items:
            self.items[self.prefix + item.nodeid] = self._entry(item, "not run")

    def _share(self, items: list[pytest.Item]) -> list[pytest.Item]:
        """This shard's part of the collected tests."""
        from maturity_shard import DURATIONS_ENV, assign, parse

        index, count = parse(self.shard or "")
        durations: dict[str, float] = {}
        path = os.environ.get(DURATIONS_ENV)
        if path:
            with open(path, encoding="utf-8") as fh:
                durations = json.load(fh)
        ids = [self.prefix + item.nodeid for item in items]
        mine = set(assign(ids, durations, count)[index - 1])
        return [item for item, nodeid in zip(items, ids, strict=True) if nodeid in mine]

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        """Record tests that ``-m``/``-k`` (or a plugin) took out of the run (in a
        sharded run, shard 1 reports them)."""
        if self.shard is not None and not self.shard.startswith("1/"):
            return
        for item in items:
            self.items[self.prefix + item.nodeid] = self._entry(item, "deselected")

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
            self.per_test.start(self.prefix + item.nodeid)
        elif self.cov is not None:
            self.cov.switch_context(self.prefix + item.nodeid)
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
        entry = self.items.get(self.prefix + report.nodeid)
        if entry is None and self.controller:
            entry = self.items[self.prefix + report.nodeid] = {
                "nodeid": self.prefix + report.nodeid,
                "file": os.path.join(self.rootpath, str(report.fspath)),
                "line": None,
                "markers": [],
                "outcome": "not run",
                "message": "",
            }
        if entry is None:
            return
        xfail = hasattr(report, "wasxfail")
        entry["duration"] = round(entry.get("duration", 0.0) + report.duration, 6)
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
        if self.shard is not None and exitstatus == 5 and self.order:
            # this shard's part is empty, the run's is not: nothing is missing
            exitstatus = session.exitstatus = pytest.ExitCode.OK
        payload = {
            "shard": {"shard": self.shard, "order": self.order} if self.shard else None,
            "pytest_version": pytest.__version__,
            "python": sys.executable,
            "python_version": sys.version.split()[0],
            "rootdir": self.rootpath,
            "inifile": self.inipath,
            "invocation_dir": str(session.config.invocation_params.dir),
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
        worker = worker_id(config)
        if worker is not None:
            start_worker_coverage()
        config.pluginmanager.register(Recorder(path, worker), "maturity-recorder")


def pytest_unconfigure(config: pytest.Config) -> None:
    """An xdist worker's coverage data is saved when it ends."""
    stop_worker_coverage()
