"""Benchmark: ``maturity run --changed-since REF`` with one component changed, against a cold run.

Builds the generated monorepo of ``run_vs_raw.py`` (``--components`` components, default
100, ``--tests`` tests each, default 50) in a git repository and measures its first
commit once (that run keeps its facts for the commit). Then, in each round, side by side
on the same machine, on a new commit that changes one module of one component:

* changed: ``maturity run --no-cache --changed-since <first commit>`` (the fact cache
  off, as on a fresh CI runner: only the facts kept for REF are carried);
* cold: ``maturity run --no-cache`` on the same commit.

It prints the medians and the ratio changed / cold, what each collector did, and checks
that the verdicts and the test account of both runs are equal. Not a test: only ratios
measured in the same run mean anything on a shared machine.

    .venv/bin/python benchmarks/changed_vs_cold.py [--components 100] [--tests 50] [--repeat 3]
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

from run_vs_raw import build, with_bytecode

MATURITY = [sys.executable, "-m", "maturity"]
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]


def timed_run(repo: Path, out: Path, *extra: str) -> tuple[float, dict]:
    """One ``maturity run --no-cache`` (nothing stored): wall seconds and its JSON report."""
    argv = [*MATURITY, "run", str(repo), "--no-store", "--no-progress", "--no-cache"]
    start = time.perf_counter()
    proc = subprocess.run(
        [*argv, "--json", str(out), *extra], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"maturity run exited {proc.returncode}: {proc.stderr[-800:]}")
    if "warning" in proc.stderr:
        raise SystemExit(proc.stderr)
    return seconds, json.loads(out.read_text(encoding="utf-8"))


def verdicts(report: dict) -> dict:
    """Every figure and verdict of a report, and the test account's totals."""
    found = {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"], r["value"])
        for c in report["components"]
        for r in c["criteria"]
    }
    account = report["tests"]
    found["tests"] = {k: v for k, v in account.items() if k not in ("sessions", "durations")}
    found["timed"] = sorted(account.get("durations", {}))  # which tests have a time, not it
    return found


def git(repo: Path, *args: str) -> str:
    """A git command's output in ``repo`` (a failure stops the benchmark)."""
    done = subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def main() -> None:
    """Build the repository, run the rounds, print medians and the ratio."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with_bytecode()
    work = Path(tempfile.mkdtemp(prefix="maturity-changed-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        build(repo, args.components, args.tests)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated")
        base = git(repo, "rev-parse", "HEAD").strip()
        print(f"repository: {repo} ({args.components} components, "
              f"{args.components * args.tests} tests)")  # fmt: skip
        seconds, _ = timed_run(repo, work / "base.json")
        print(f"the first commit measured (its facts kept): {seconds:.2f} s")
        changed_s: list[float] = []
        cold_s: list[float] = []
        module = repo / "src" / "comp_000" / "mod_0.py"
        for i in range(args.repeat):
            git(repo, "checkout", "-q", base)
            module.write_text(module.read_text() + f"\n\nROUND = {i}\n", encoding="utf-8")
            git(repo, "commit", "-qam", f"round {i}")
            seconds, changed = timed_run(repo, work / "changed.json", "--changed-since", base)
            changed_s.append(seconds)
            seconds, cold = timed_run(repo, work / "cold.json")
            cold_s.append(seconds)
            if verdicts(changed) != verdicts(cold):
                raise SystemExit("the --changed-since run's verdicts differ from the cold run's")
            print(f"round {i + 1}: changed {changed_s[-1]:.2f} s, cold {cold_s[-1]:.2f} s, "
                  f"ratio {changed_s[-1] / cold_s[-1]:.3f}; verdicts equal")  # fmt: skip
            for account in changed["changed_since"]["collectors"]:
                word = "carried" if account["carried"] else "measured"
                print(f"    {account['collector']:<8} {word}: {account['how']}")
        changed_m, cold_m = statistics.median(changed_s), statistics.median(cold_s)
        print(f"\nmedians of {args.repeat} rounds: changed {changed_m:.2f} s, cold {cold_m:.2f} s")
        rounds = ", ".join(f"{c / k:.3f}" for c, k in zip(changed_s, cold_s, strict=True))
        print(f"one changed / cold = {changed_m / cold_m:.3f}   (bar 0.15; per round: {rounds})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
