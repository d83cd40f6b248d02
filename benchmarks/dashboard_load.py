"""Benchmark: the dashboard under 100 concurrent users over a year of daily runs.

Builds a store of 365 daily runs of examples/tta's six components (the first from a
real `maturity run`, the rest varied from it) -- or, with ``--components 300``, the
generated monorepo of benchmarks/monorepo_store.py -- serves it with `maturity serve` in
its own process, loads it with locust (headless, 100 users) over every page and the API
(benchmarks/locustfile.py), and prints p50/p95/p99 and requests/s per endpoint next to
the bars (p95 <= 50 ms at 100 users; the spec's p95 < 500 ms, >= 50 requests/s). Not a
test: numbers depend on the machine.

    .venv/bin/python benchmarks/dashboard_load.py [--users 100] [--seconds 30]
        [--components 300] [--store sqlite:////tmp/monorepo.db] [--classic]

Before the load, every page and API answer of the profile is fetched once (the cache a
dashboard in use has: each answer is made once per stored run); the time that takes is
printed too.

``--store`` keeps the generated store (built when empty) for the next run; ``--classic``
loads only the overview and ``/api/components``, as the first measurements did.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """``maturity serve`` of a store on a free loopback port, once it answers /health: its
    process and base URL (the caller terminates it)."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "maturity"), "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, base


def warm(base: str) -> None:
    """Fetch every page and API answer the load profile asks for, once: the figures are
    those of a dashboard in use (each answer made once per stored run, then served from
    the cache), not of its first minute after a run is stored."""
    with httpx.Client(base_url=base, timeout=120) as client:
        names = [c["name"] for c in client.get("/api/components").json()]
        paths = ["/dashboard/maturity", "/dashboard/maturity/blockers",
                 "/dashboard/maturity/deployments", "/dashboard/maturity/compare",
                 "/api/summary"]  # fmt: skip
        paths += [f"/dashboard/maturity/components/{n}" for n in names]
        paths += [f"/api/components/{n}/trend" for n in names]
        for path in paths:
            client.get(path).raise_for_status()


def build_store(url: str, work: Path, days: int) -> None:
    """A real run of examples/tta, then ``days`` daily variants of it."""
    from maturity.model import RunReport
    from maturity.store import open_store, save_run

    repo = work / "tta"
    shutil.copytree(ROOT / "examples" / "tta", repo, ignore=shutil.ignore_patterns(".maturity"))
    out = work / "report.json"
    subprocess.run(
        [str(BIN / "maturity"), "run", str(repo), "--json", str(out), "--no-store",
         "--no-progress"],
        check=True, capture_output=True,
    )  # fmt: skip
    real = RunReport.model_validate_json(out.read_text())
    store = open_store(url)
    start = datetime.now(UTC) - timedelta(days=days)
    for day in range(days):
        report = real.model_copy(deep=True)
        report.timestamp = (start + timedelta(days=day)).isoformat()
        for comp in report.components:
            for crit in comp.criteria:
                if crit.id == "dev.coverage" and isinstance(crit.value, float):
                    crit.value = max(0.0, crit.value - (days - day) * 0.05)
        save_run(store, report)


def main() -> None:
    """Build, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--components", type=int, default=6)
    parser.add_argument("--store", help="a store URL to use (built first when empty)")
    parser.add_argument("--classic", action="store_true", help="overview and API only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    url = args.store or f"sqlite:///{work / 'history.db'}"
    t0 = time.perf_counter()
    from maturity.store import open_store, run_count

    if run_count(open_store(url)) == 0:
        if args.components == 6:
            build_store(url, work, args.days)
        else:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from monorepo_store import build

            build(url, args.components, args.days)
    print(
        f"store: {args.days} daily runs of {args.components} components"
        f" ready in {time.perf_counter() - t0:.1f}s"
    )
    server, base = start_server(url)
    t0 = time.perf_counter()
    warm(base)
    took = time.perf_counter() - t0
    print(f"warm-up: every page and API answer of the profile fetched once in {took:.1f}s")
    try:
        prefix = work / "locust"
        env = {**os.environ, "MATURITY_BENCH_PAGES": "classic" if args.classic else "all"}
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
             "--host", base, "--csv", str(prefix), "--only-summary"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        rows = list(csv.DictReader((prefix.parent / "locust_stats.csv").open()))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"load: {args.users} concurrent users for {args.seconds}s against one uvicorn worker\n")
    print(
        f"{'endpoint':<18}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'req/s':>8}   vs bar (p95 <= 50 ms)"
    )
    for row in rows:
        p95, rps = float(row["95%"]), float(row["Requests/s"])
        verdict = f"p95 {50 / max(p95, 1):.1f}x under 50 ms" if p95 <= 50 else "OVER 50 ms"
        print(
            f"{row['Name']:<18}{row['Request Count']:>9}{row['Failure Count']:>9}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{rps:>8.1f}   {verdict}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
