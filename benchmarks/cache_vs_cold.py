"""Benchmark: a `maturity run` with the fact cache warm against a cold one.

Builds the generated monorepo of ``run_vs_raw.py`` (``--components`` components, default
100, ``--tests`` tests each, default 50) in a git repository, then, in each round, side
by side on the same machine:

* cold: ``maturity run`` with the cache emptied first;
* warm: ``maturity run`` again, nothing changed (every cacheable fact reused);
* one changed: one component's module edited, then ``maturity run`` (the facts that read
  that file are measured again: the test run, ruff, pyright, bandit, the docs scan).

It prints the medians and the ratios warm / cold and one-changed / cold, and checks that
the warm run's verdicts equal the cold run's. Not a test: only ratios measured in the
same run mean anything on a shared machine.

    .venv/bin/python benchmarks/cache_vs_cold.py [--components 100] [--tests 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_vs_raw import build

MATURITY = [sys.executable, "-m", "maturity"]


def timed_run(repo: Path, out: Path) -> tuple[float, dict]:
    """One ``maturity run`` (nothing stored): wall seconds and its JSON report."""
    argv = [*MATURITY, "run", str(repo), "--no-store", "--no-progress", "--json", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"maturity run exited {proc.returncode}: {proc.stderr[-800:]}")
    return seconds, json.loads(out.read_text(encoding="utf-8"))


def verdicts(report: dict) -> dict:
    """Every figure and verdict of a report (not where or when it was measured)."""
    return {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"])
        for c in report["components"]
        for r in c["criteria"]
    }


def main() -> None:
    """Build the repository, run the rounds, print medians and ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="maturity-cache-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        build(repo, args.components, args.tests)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
        subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "generated"], cwd=repo, check=True)
        print(f"repository: {repo} ({args.components} components, "
              f"{args.components * args.tests} tests)")  # fmt: skip
        cold_s: list[float] = []
        warm_s: list[float] = []
        changed_s: list[float] = []
        module = repo / "src" / "comp_000" / "mod_0.py"
        for i in range(args.repeat):
            shutil.rmtree(repo / ".maturity" / "cache", ignore_errors=True)
            seconds, cold = timed_run(repo, work / "cold.json")
            cold_s.append(seconds)
            seconds, warm = timed_run(repo, work / "warm.json")
            warm_s.append(seconds)
            if verdicts(warm) != verdicts(cold) or not warm["cached"]:
                raise SystemExit("the warm run's verdicts differ from the cold run's")
            module.write_text(module.read_text() + f"\n\nROUND = {i}\n", encoding="utf-8")
            seconds, changed = timed_run(repo, work / "changed.json")
            changed_s.append(seconds)
            reused = sorted(c["collector"] for c in changed["cached"])
            print(f"round {i + 1}: cold {cold_s[-1]:.2f} s, warm {warm_s[-1]:.2f} s "
                  f"({len(warm['cached'])} facts reused), one changed {changed_s[-1]:.2f} s "
                  f"(reused: {', '.join(reused) or 'nothing'})")  # fmt: skip
        cold_m, warm_m, changed_m = (statistics.median(x) for x in (cold_s, warm_s, changed_s))
        print(f"\nmedians of {args.repeat} rounds: cold {cold_m:.2f} s, warm {warm_m:.2f} s, "
              f"one changed {changed_m:.2f} s")  # fmt: skip
        rounds = ", ".join(f"{w / c:.3f}" for w, c in zip(warm_s, cold_s, strict=True))
        print(f"warm / cold        = {warm_m / cold_m:.3f}   (bar 0.05; per round: {rounds})")
        rounds = ", ".join(f"{w / c:.2f}" for w, c in zip(changed_s, cold_s, strict=True))
        print(f"one changed / cold = {changed_m / cold_m:.2f}   (per round: {rounds})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
