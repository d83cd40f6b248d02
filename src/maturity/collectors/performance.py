"""Load tests with locust: run headless against the process under test, or ingest results.

Run mode starts the component's ``command`` on a free port (``{port}``, ``{python}``
replaced), waits for ``ready_path`` to answer, runs ``locust --headless`` with the
configured users and duration, and samples the process (and its children) with psutil:
peak RSS, and average CPU as CPU seconds used over wall seconds of load (100% = one
core). Ingest mode reads locust's ``--json-file`` output (``results``) instead; it has
no process to sample, so memory and CPU stay unmeasured.

Percentiles are computed from locust's per-request-name response-time histograms the
way locust computes its own CSV columns, merged per group (API, DB, page) by the
configured name patterns; a single-name group equals locust's own ``95%`` figure.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import subprocess  # nosec B404 - starting the process under test is the point
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

from maturity.collectors.base import Collector, RunContext, find_tool, run_tool, spawn, stop
from maturity.config import PerformanceConfig
from maturity.facts import LOAD_GROUPS, GroupFigures, LoadResult, PerformanceFacts
from maturity.project import Component
from maturity.retry import poll

if TYPE_CHECKING:  # httpx is imported when a request is made (it is slow to import)
    import httpx


def percentile(histogram: dict[int | float, int], fraction: float) -> float | None:
    """Locust's percentile of a {rounded ms: count} histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    target = int(total * fraction)
    processed = 0
    for value in sorted(histogram, reverse=True):
        processed += histogram[value]
        if total - processed <= target:
            return float(value)
    return float(min(histogram))  # pragma: no cover - the loop always returns


def read_locust_json(
    path: Path, perf: PerformanceConfig, result: LoadResult
) -> dict[str, dict[int | float, int]]:
    """Fill ``result`` from locust's JSON stats; returns the merged histogram per group."""
    entries: Any = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError("not a list of request stats")
    patterns = {g: re.compile(getattr(perf, g)) for g in LOAD_GROUPS}
    merged: dict[str, dict[int | float, int]] = {g: {} for g in LOAD_GROUPS}
    starts: list[float] = []
    ends: list[float] = []
    for entry in entries:
        name = str(entry["name"])
        group = next((g for g in ("db", "api", "page") if patterns[g].search(name)), None)
        if group is None:
            result.unmatched.append(name)
        else:
            figures = result.groups.setdefault(group, GroupFigures())
            figures.names.append(name)
            figures.requests += int(entry["num_requests"])
            figures.failures += int(entry["num_failures"])
            for value, count in entry["response_times"].items():
                key = float(value)
                merged[group][key] = merged[group].get(key, 0) + int(count)
        if group != "db":  # database timings are not HTTP requests
            result.http_requests += int(entry["num_requests"])
            result.failures += int(entry["num_failures"])
            starts.append(float(entry["start_time"]))
            ends.append(float(entry["last_request_timestamp"] or entry["start_time"]))
    for group, figures in result.groups.items():
        figures.p95_ms = percentile(merged[group], 0.95)
    if starts:
        result.seconds = max(ends) - min(starts)
        result.rps = result.http_requests / result.seconds if result.seconds > 0 else None
    return merged


def read_peak_users(history: Path) -> int | None:
    """The highest ``User Count`` in locust's ``_stats_history.csv``."""
    if not history.is_file():
        return None
    with history.open(encoding="utf-8", newline="") as fh:
        counts = [int(row["User Count"]) for row in csv.DictReader(fh) if row.get("User Count")]
    return max(counts) if counts else None


class Sampler(threading.Thread):
    """Samples a process tree's RSS while the load runs."""

    def __init__(self, process: psutil.Process, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.every = every
        self.peak_rss = 0
        self.stop = threading.Event()

    def tree(self) -> list[psutil.Process]:
        """The process and its children (none once it has exited)."""
        try:
            return [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return []

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the tree so far."""
        total = 0.0
        for proc in self.tree():
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def run(self) -> None:
        """Record the peak RSS until stopped."""
        while not self.stop.is_set():
            rss = 0
            for proc in self.tree():
                try:
                    rss += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_rss = max(self.peak_rss, rss)
            self.stop.wait(self.every)


class PerformanceCollector(Collector):
    """Runs (or reads) each configured component's locust load test, one at a time."""

    name = "performance"
    title = "load tests (locust)"
    facts = PerformanceFacts

    def collect(self, ctx: RunContext) -> PerformanceFacts:
        """One LoadResult per component that has a ``performance`` table."""
        facts = PerformanceFacts(tool="locust", command="locust --headless")
        for comp in ctx.project.components:
            if comp.performance is None:
                continue
            perf = comp.performance
            if perf.results:
                facts.results[comp.name] = self._ingest(ctx, perf)
            else:
                facts.results[comp.name] = self._run(ctx, comp, perf)
        return facts

    def _ingest(self, ctx: RunContext, perf: PerformanceConfig) -> LoadResult:
        assert perf.results is not None  # noqa: S101  # nosec B101 - checked by the caller
        path = ctx.root / perf.results
        result = LoadResult("ingest", perf.results, f"cat {perf.results}")
        try:
            read_locust_json(path, perf, result)
        except FileNotFoundError:
            result.error = f"{perf.results} does not exist"
            return result
        except (OSError, ValueError, KeyError, TypeError) as exc:
            result.error = f"{perf.results} is not locust --json-file output: {exc!s}"
            return result
        history = path.with_name(path.name.removesuffix(".json") + "_stats_history.csv")
        result.peak_users = read_peak_users(history)
        return result

    def _run(self, ctx: RunContext, comp: Component, perf: PerformanceConfig) -> LoadResult:
        out = ctx.run_dir / f"locust-{comp.name}"
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.iterdir():
            stale.unlink()
        prefix = out / "locust"
        source = ctx.relpath(prefix) + ".json"
        result = LoadResult("run", source, "")
        if not perf.locustfile:
            result.error = "set performance.locustfile (run mode) or performance.results (ingest)"
            return result
        if not (ctx.root / perf.locustfile).is_file():
            result.error = f"locustfile {perf.locustfile} does not exist"
            return result
        locust = find_tool("locust", ctx)
        if locust is None:
            result.error = "locust is not installed (looked in the target venv, beside maturity)"
            return result
        server: subprocess.Popen[bytes] | None = None
        log: Any = None
        host = perf.host
        try:
            if perf.command:
                port = _free_port()
                argv = [
                    part.replace("{port}", str(port)).replace("{python}", ctx.interpreter)
                    for part in shlex.split(perf.command)
                ]
                log = (out / "server.log").open("wb")
                server = spawn(argv, ctx.root, stdout=log, stderr=subprocess.STDOUT)
                host = f"http://127.0.0.1:{port}"
                problem = _wait_ready(host + perf.ready_path, server, 30.0)
                if problem:
                    result.error = f"{perf.command}: {problem} (see {ctx.relpath(out)}/server.log)"
                    return result
            if not host:
                result.error = "set performance.command (process to start) or performance.host"
                return result
            self._load(ctx, perf, locust, host, server, prefix, result)
            return result
        finally:
            if server is not None:
                stop(server, grace=10.0)  # the server and whatever it started
            if log is not None:
                log.close()

    def _load(
        self,
        ctx: RunContext,
        perf: PerformanceConfig,
        locust: str,
        host: str,
        server: subprocess.Popen[bytes] | None,
        prefix: Path,
        result: LoadResult,
    ) -> None:
        """Run locust headless while sampling the server; fill ``result``."""
        assert perf.locustfile is not None  # noqa: S101  # nosec B101 - checked by the caller
        argv = [
            locust, "-f", perf.locustfile, "--headless",
            "-u", str(perf.users), "-r", f"{perf.spawn_rate:g}", "-t", f"{perf.run_time}s",
            "--host", host, "--json-file", str(prefix), "--csv", str(prefix),
            "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        result.command = " ".join([Path(locust).name, *argv[1:]]).replace(str(ctx.root) + "/", "")
        sampler = Sampler(psutil.Process(server.pid)) if server else None
        cpu_before = sampler.cpu_seconds() if sampler else 0.0
        started = time.monotonic()
        if sampler:
            sampler.start()
        run = run_tool(argv, ctx.root, perf.run_time + 120)
        wall = time.monotonic() - started
        if server is not None and server.poll() is not None:
            result.error = (
                f"the process under test exited (code {server.returncode}) during the load"
                " test: its figures would be meaningless"
            )
            return
        if sampler:
            sampler.stop.set()
            sampler.join(5)
            result.cpu_percent = (sampler.cpu_seconds() - cpu_before) / wall * 100
            result.memory_mb = sampler.peak_rss / 2**20
        if run.error:
            result.error = f"locust {run.error}"
            return
        json_file = prefix.with_name(prefix.name + ".json")
        if not json_file.is_file():
            result.error = f"locust exited {run.returncode} without results: {run.tail()}"
            return
        try:
            read_locust_json(json_file, perf, result)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            result.error = f"unreadable locust results {result.source}: {exc!s}"
            return
        result.peak_users = read_peak_users(prefix.with_name(prefix.name + "_stats_history.csv"))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Exited(Exception):
    """The process under test exited before it answered."""


def _wait_ready(
    url: str, server: subprocess.Popen[bytes], seconds: float, every: float = 0.2
) -> str | None:
    """None once ``url`` answers 200; else why not."""
    import httpx

    def probe() -> httpx.Response:
        if server.poll() is not None:
            raise _Exited
        return httpx.get(url, timeout=2.0)

    try:
        response = poll(
            probe,
            every=every,
            within=seconds,
            on=(httpx.HTTPError,),
            again=lambda answer: answer.status_code != 200,
        )
    except _Exited:
        return f"exited with code {server.returncode} before it was ready"
    except httpx.HTTPError as exc:
        last = str(exc) or type(exc).__name__
    else:
        if response.status_code == 200:
            return None
        last = f"HTTP {response.status_code}"
    return f"{url} not ready after {seconds:g}s ({last})"
