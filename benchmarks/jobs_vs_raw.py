"""Benchmark: a cold `maturity run` within its CPU budget against the raw tools run one
after another, wall time and CPU time side by side.

Builds the generated monorepo of ``run_vs_raw.py`` (``--components`` components, default
60, ``--tests`` tests each, default 50), then in each round, taking turns on the same
machine:

* raw: ``coverage run -m pytest``, ``coverage report`` (the figures maturity reports:
  without it there is only a data file), ``ruff check``, ``pyright``, ``bandit -r``, one
  after another (what a user runs by hand); the ratios are also printed against the same
  without ``coverage report``;
* ``maturity run --no-cache`` (cold: every tool runs), with the default budget
  (``--jobs`` = the CPU count) and one pytest process;
* the same with ``[tool.maturity.tests] workers = "auto"`` (pytest-xdist, one worker per
  CPU of the budget, each under coverage).

CPU time is the user + system time of each command and every descendant it waited for
(``getrusage(RUSAGE_CHILDREN)`` around it): what the machine spent, whichever core ran
it. It prints the medians and the ratios against the raw tools (the bars: wall ≤ 0.75 and
CPU ≤ 1.10 of the raw tools one after another). Not a test: only ratios measured in the
same run mean anything on a shared machine.

    .venv/bin/python benchmarks/jobs_vs_raw.py [--components 60] [--tests 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_vs_raw import build, with_bytecode

BIN = Path(sys.executable).parent
XDIST = '\n[tool.maturity.tests]\nworkers = "auto"\n'


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``argv``: (wall seconds, CPU seconds of it and its descendants)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:3]} exited {proc.returncode}: {proc.stderr[-800:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Build the repository, measure the three sides in turns, print medians and ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=60)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with_bytecode()
    work = Path(tempfile.mkdtemp(prefix="maturity-jobs-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        build(repo, args.components, args.tests)
        config = repo / "pyproject.toml"
        plain_config = config.read_text(encoding="utf-8")
        print(f"repository: {repo} ({args.components} components, "
              f"{args.components * args.tests} tests); {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f} at the start")  # fmt: skip
        raw = {
            "coverage run -m pytest": [sys.executable, "-m", "coverage", "run", "--source=src",
                f"--data-file={work / 'raw.coverage'}", "-m", "pytest", "tests", "-q",
                "-p", "no:cacheprovider"],
            "coverage report": [sys.executable, "-m", "coverage", "report",
                f"--data-file={work / 'raw.coverage'}"],
            "ruff check": [str(BIN / "ruff"), "check", "--exit-zero", "src"],
            "pyright": [str(BIN / "pyright"), "--pythonpath", sys.executable, "src"],
            "bandit -r": [str(BIN / "bandit"), "-r", "src", "-q", "--exit-zero"],
        }  # fmt: skip
        out = work / "report.json"
        maturity = [sys.executable, "-m", "maturity", "run", str(repo), "--no-cache", "--no-store",
                    "--no-progress", "--json", str(out)]  # fmt: skip
        sides: dict[str, list[tuple[float, float]]] = {
            "raw": [], "no report": [], "maturity": [], "xdist": []}  # fmt: skip
        # once, untimed: the first import of each module writes its bytecode (and pytest its
        # rewritten test modules): whichever side ran first would pay it alone
        timed(raw["coverage run -m pytest"], repo)
        for i in range(args.repeat):
            runs = dict(zip(raw, (timed(argv, repo) for argv in raw.values()), strict=True))
            for side, names in (("raw", list(raw)), ("no report", [*raw][:1] + [*raw][2:])):
                taken = [runs[n] for n in names]
                sides[side].append((sum(w for w, _ in taken), sum(c for _, c in taken)))
            config.write_text(plain_config, encoding="utf-8")
            sides["maturity"].append(timed(maturity, repo))
            plain = json.loads(out.read_text(encoding="utf-8"))
            config.write_text(plain_config + XDIST, encoding="utf-8")
            sides["xdist"].append(timed(maturity, repo))
            with_xdist = json.loads(out.read_text(encoding="utf-8"))
            if verdicts(plain) != verdicts(with_xdist):
                raise SystemExit("the run under pytest-xdist gave other verdicts")
            command = with_xdist["tests"]["sessions"][0]["command"]
            print(f"round {i + 1}: " + ", ".join(
                f"{name} {w:.1f} s wall / {c:.1f} s CPU" for name, ((w, c)) in
                ((n, s[-1]) for n, s in sides.items())
            ) + f"  (xdist: {command})")  # fmt: skip
        medians = {n: tuple(statistics.median(x[k] for x in s) for k in (0, 1))
                   for n, s in sides.items()}  # fmt: skip
        print(f"\nmedians of {args.repeat} rounds (load average now {os.getloadavg()[0]:.1f})")
        for base, title in (("raw", "raw tools one after another, coverage report included"),
                            ("no report", "the same without coverage report")):  # fmt: skip
            raw_wall, raw_cpu = medians[base]
            print(f"\nagainst: {title}")
            print(f"{'':34}{'wall s':>8}{'CPU s':>8}{'wall ratio':>12}{'CPU ratio':>11}")
            print(f"{'raw':34}{raw_wall:>8.1f}{raw_cpu:>8.1f}")
            for name, label in (("maturity", "maturity run (one pytest process)"),
                                ("xdist", "maturity run, tests.workers=auto")):  # fmt: skip
                wall, cpu = medians[name]
                print(f"{label:34}{wall:>8.1f}{cpu:>8.1f}{wall / raw_wall:>12.2f}"
                      f"{cpu / raw_cpu:>11.2f}")  # fmt: skip
        print("\nbars: wall ratio <= 0.75, CPU ratio <= 1.10")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def verdicts(report: dict) -> dict:
    """Every figure and verdict of a report."""
    return {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"])
        for c in report["components"]
        for r in c["criteria"]
    }


if __name__ == "__main__":
    main()
