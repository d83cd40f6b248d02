"""Which files each test ran, for our pytest plugin (``maturity_pytest_plugin``).

Runs inside the TARGET's interpreter with the plugin, so it imports nothing from
maturity (nor pytest: it reads coverage.py's collector only).
"""

from __future__ import annotations

from typing import Any


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

    What runs while a test module is collected (its import: module-level code of the
    files it imports for the first time) is credited to that module (``modules``), not
    to a test: ``--changed-since`` re-runs a module whose import ran a changed file.
    """

    def __init__(self, collector: Any) -> None:
        self.collector = collector
        self.total: dict[str, set[Any]] = {}
        self.files: dict[str, list[int]] = {}  # measured file -> indexes into tests
        self.tests: list[str] = []
        self.current: int | None = None
        self.module: str | None = None  # the test module being collected (imported)
        self.modules: dict[str, set[str]] = {}  # measured file -> test modules whose import ran it

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
            elif self.module is not None:
                self.modules.setdefault(name, set()).add(self.module)

    def collecting(self, module: str | None) -> None:
        """A test module's collection begins (its path) or ends (None)."""
        self.harvest()
        self.module = module

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
        modules: dict[str, set[str]] = {}
        for name, paths in self.modules.items():
            modules.setdefault(mapped(name), set()).update(paths)
        return {
            "tests": self.tests,
            "files": files,
            "modules": {name: sorted(paths) for name, paths in modules.items()},
        }
