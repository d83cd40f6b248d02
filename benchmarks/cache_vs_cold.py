"""Benchmark: a `maturity run` with the fact cache warm against a cold one.

Builds the generated monorepo of ``run_vs_raw.py`` (``--components`` components, default
100, ``--tests`` tests each, default 50) in a git repository, then, in each round, side
by side on the same machine:

* cold: ``maturity run --no-store`` with the cache emptied first;
* warm: ``maturity run --no-store`` again, nothing changed (every cacheable fact reused);
* cold, stored and warm, stored: the same two as users type them, recording the run in
  the repository's history database (``.maturity/history.db``): like compared with like;
* one changed: one component's module edited, then ``maturity run`` (the facts that read
  that file are measured again: the test run, ruff, pyright, bandit, the docs scan).

It prints the medians and the ratios warm / cold (neither stores), warm stored / cold
stored (both store) and one-changed / cold, and checks that the warm runs' verdicts equal
the cold run's. ``--profile`` also prints, for one more warm run, where its time goes
(the start-up's imports, collecting, evaluating, rendering). Not a test: only ratios
measured in the same run mean anything on a shared machine.

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

from run_vs_raw import build, with_bytecode

MATURITY = [sys.executable, "-m", "maturity"]


def timed_run(repo: Path, out: Path, store: bool = False) -> tuple[float, dict]:
    """One ``maturity run`` (stored or not): wall seconds and its JSON report."""
    argv = [*MATURITY, "run", str(repo), "--no-progress", "--json", str(out)]
    argv += [] if store else ["--no-store"]
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


PHASES = """
import io, sys, time
from datetime import UTC, datetime
from pathlib import Path
t0 = time.perf_counter()
import maturity.cli
from maturity import evaluate, runner
from maturity.collectors.base import RunContext
from maturity.collectors.cache import FactCache
from maturity.project import load_project
from maturity.report.terminal import render_terminal
from maturity.rundirs import run_directory
from rich.console import Console
t1 = time.perf_counter()
project = load_project(Path(sys.argv[1]))
names = sorted({n for c in evaluate.criteria_needed(project.components, None) for n in c.needs})
with run_directory(project.root) as run_dir:
    ctx = RunContext(project, runner.resolve_interpreter(project), run_dir, None)
    facts = runner.collect(ctx, names, cache=FactCache(ctx))
t2 = time.perf_counter()
now = datetime.now(UTC)
evaluate.evaluate(facts, project.components, project.config, None, now=now)
evaluate.account_tests(facts, project.components)
t3 = time.perf_counter()
report = runner.run(project)
t4 = time.perf_counter()
render_terminal(report, Console(file=io.StringIO(), width=80))
t5 = time.perf_counter()
print(f"imports {t1 - t0:.2f} s, loading the project and the cached facts {t2 - t1:.2f} s, "
      f"evaluating {t3 - t2:.2f} s, rendering {t5 - t4:.2f} s "
      f"(a whole warm run in-process: {t4 - t3:.2f} s)")
"""


def profile(repo: Path, out: Path) -> None:
    """Where one warm run's time goes, phase by phase, in one process."""
    proc = subprocess.run(
        [sys.executable, "-c", PHASES, str(repo)], capture_output=True, text=True, check=False
    )
    print(f"one warm run, by phase: {proc.stdout.strip() or proc.stderr[-800:]}")


def check(cold: dict, report: dict, name: str) -> None:
    """Stop unless ``report`` reused facts and has the cold run's verdicts, all of them."""
    if not report["cached"]:
        raise SystemExit(f"the {name} run reused no facts")
    before, after = verdicts(cold), verdicts(report)
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if differ:
        shown = "; ".join(f"{k}: {before.get(k)} -> {after.get(k)}" for k in differ[:3])
        raise SystemExit(f"the {name} run's verdicts differ from the cold run's: {shown}")


def ratio(name: str, part: list[float], whole: list[float], bar: bool = True) -> None:
    """The ratio of the medians, and each round's."""
    rounds = ", ".join(f"{p / w:.3f}" for p, w in zip(part, whole, strict=True))
    limit = "bar 0.05; " if bar else ""
    value = statistics.median(part) / statistics.median(whole)
    print(f"{name:<25} = {value:.3f}   ({limit}per round: {rounds})")


def summarise(cold: list[float], warm: list[float], cold_stored: list[float],
              stored: list[float], changed: list[float]) -> None:  # fmt: skip
    """Medians of every kind of run, and the ratios that compare like with like."""
    cold_m, warm_m, cold_stored_m, stored_m, changed_m = (
        statistics.median(x) for x in (cold, warm, cold_stored, stored, changed)
    )
    print(f"\nmedians of {len(cold)} rounds: cold {cold_m:.2f} s, warm {warm_m:.2f} s, "
          f"cold stored {cold_stored_m:.2f} s, warm stored {stored_m:.2f} s, "
          f"one changed {changed_m:.2f} s")  # fmt: skip
    ratio("warm / cold", warm, cold)
    ratio("warm stored / cold stored", stored, cold_stored)
    ratio("one changed / cold", changed, cold, bar=False)


def main() -> None:
    """Build the repository, run the rounds, print medians and ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="where a warm run's time goes")
    args = parser.parse_args()
    with_bytecode()
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
        cold_stored_s: list[float] = []
        stored_s: list[float] = []
        changed_s: list[float] = []
        module = repo / "src" / "comp_000" / "mod_0.py"
        for i in range(args.repeat):
            shutil.rmtree(repo / ".maturity" / "cache", ignore_errors=True)
            seconds, cold = timed_run(repo, work / "cold.json")
            cold_s.append(seconds)
            seconds, warm = timed_run(repo, work / "warm.json")
            warm_s.append(seconds)
            shutil.rmtree(repo / ".maturity" / "cache", ignore_errors=True)
            seconds, cold_stored = timed_run(repo, work / "cold-stored.json", store=True)
            cold_stored_s.append(seconds)
            seconds, stored = timed_run(repo, work / "stored.json", store=True)
            stored_s.append(seconds)
            check(cold, warm, "warm")
            check(cold, stored, "warm stored")
            if verdicts(cold_stored) != verdicts(cold):
                raise SystemExit("the stored cold run's verdicts differ from the cold run's")
            module.write_text(module.read_text() + f"\n\nROUND = {i}\n", encoding="utf-8")
            seconds, changed = timed_run(repo, work / "changed.json")
            changed_s.append(seconds)
            reused = sorted(c["collector"] for c in changed["cached"])
            print(f"round {i + 1}: cold {cold_s[-1]:.2f} s, warm {warm_s[-1]:.2f} s "
                  f"({len(warm['cached'])} facts reused), "
                  f"cold stored {cold_stored_s[-1]:.2f} s, "
                  f"warm stored {stored_s[-1]:.2f} s, "
                  f"one changed {changed_s[-1]:.2f} s "
                  f"(reused: {', '.join(reused) or 'nothing'})")  # fmt: skip
        summarise(cold_s, warm_s, cold_stored_s, stored_s, changed_s)
        if args.profile:
            profile(repo, work / "profiled.json")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
