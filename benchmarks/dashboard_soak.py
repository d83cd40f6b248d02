"""Soak: 10,000 dashboard requests at 100 concurrency while runs are being stored.

Builds the store of benchmarks/dashboard_load.py (a real `maturity run` of examples/tta,
then daily variants), serves it with `maturity serve` in its own process, and while a
second process stores a new run every ``--every`` seconds, sends ``--requests`` requests
with ``--concurrency`` in flight at once over the dashboard's pages and API (overview,
component pages, API, trends, blockers, deployments, health, metrics, a static file).
Prints every answer that was not 200 (there should be none), how many runs were stored
meanwhile, and the server's resident memory before the load, after the first tenth and
at the end, so a leak shows as growth between the last two. Not a test: the figures
depend on the machine.

    .venv/bin/python benchmarks/dashboard_soak.py [--requests 10000] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_load import build_store, start_server

COMPONENTS = ["player_experience", "agent_orchestration", "narrative_engine", "ai_components",
              "infrastructure", "api_gateway"]  # fmt: skip
PATHS = [
    "/dashboard/maturity",
    *(f"/dashboard/maturity/components/{c}" for c in COMPONENTS),
    "/dashboard/maturity/blockers",
    "/dashboard/maturity/deployments",
    "/api/components",
    *(f"/api/components/{c}/trend?limit=90" for c in COMPONENTS),
    "/api/blockers",
    "/api/runs/latest",
    "/health",
    "/metrics",
    "/dashboard/maturity/static/style.css",
]

WRITER = """
import sys, time
from pathlib import Path
from maturity.store import latest_run, open_store, save_run
store = open_store(sys.argv[1])
_, report = latest_run(store)
stop, every, n = Path(sys.argv[2]), float(sys.argv[3]), 0
while not stop.exists():
    report.timestamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    save_run(store, report)
    n += 1
    time.sleep(every)
print(n)
"""


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


async def load(base: str, total: int, concurrency: int, pid: int) -> tuple[Counter[str], float]:
    """Send ``total`` GETs, ``concurrency`` at a time; count every answer by status."""
    answers: Counter[str] = Counter()
    paths = itertools.cycle(PATHS)
    sent = 0
    tenth = 0.0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal sent, tenth
            while sent < total:
                sent += 1
                if sent == total // 10:
                    tenth = rss_mb(pid)
                try:
                    response = await client.get(next(paths))
                    answers[str(response.status_code)] += 1
                except httpx.HTTPError as exc:
                    answers[type(exc).__name__] += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return answers, tenth


def main() -> None:
    """Build, serve, store while loading, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between stored runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maturity-soak-"))
    url = f"sqlite:///{work / 'history.db'}"
    build_store(url, work, args.days)
    server, base = start_server(url)
    stop = work / "stop"
    writer = None
    try:
        before = rss_mb(server.pid)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(stop), str(args.every)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        t0 = time.perf_counter()
        answers, tenth = asyncio.run(load(base, args.requests, args.concurrency, server.pid))
        seconds = time.perf_counter() - t0
        after = rss_mb(server.pid)
        stop.touch()
        stored = writer.communicate(timeout=60)[0].strip()
    finally:
        stop.touch()
        server.terminate()
        server.wait(timeout=10)
    bad = {k: v for k, v in answers.items() if k != "200"}
    print(f"{sum(answers.values())} requests, {args.concurrency} in flight, {seconds:.1f} s "
          f"({sum(answers.values()) / seconds:.0f}/s) over {len(PATHS)} routes; "
          f"{stored} runs stored meanwhile")  # fmt: skip
    print(f"answers: {dict(answers)}; not 200: {bad or 'none'}")
    growth = after - tenth
    print(f"server RSS: {before:.0f} MB before, {tenth:.0f} MB after the first tenth, "
          f"{after:.0f} MB at the end ({growth:+.0f} MB over the last nine tenths)")  # fmt: skip


if __name__ == "__main__":
    main()
