"""Every ratio of a big monorepo's run, measured side by side in one run of this script.

On one generated repository (``run_vs_raw.build``: src/comp_NNN packages, tests/comp_NNN
suites, a git repository), each round times, one after another on the same machine:

- **raw**: the raw tools one after another over the whole repository (``coverage run -m
  pytest``, ``ruff check``, ``pyright``, ``bandit -r``), as a developer types them;
- **cold**: ``maturity run`` with an empty fact cache (nothing stored to reuse);
- **warm**: ``maturity run`` again, nothing changed (the fact cache);
- **one changed**: a module of comp_000 edited and committed, ``maturity run
  --changed-since HEAD~1``, against a ``--no-cache`` cold run of that commit (verdicts
  compared: they must be equal);
- **sharded**: ``maturity run --shard K/N`` for every K (one after another: this machine
  cannot run them at once) then ``maturity merge``, against the cold run (verdicts
  compared);
- **per component**: the raw tools once per component (``coverage run -m pytest
  tests/comp_NNN`` with ``--source=src/comp_NNN``, ``ruff``, ``pyright``, ``bandit`` on
  its directory), the way a team measures components without maturity.

It prints each ratio per round and the medians. Usage::

    .venv/bin/python benchmarks/monorepo_ratios.py [--components 100] [--tests 50]
        [--repeat 1] [--shards 2] [--no-per-component]
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

from run_vs_raw import BIN, build, raw_commands, with_bytecode

MATURITY = [sys.executable, "-m", "maturity"]
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]


def timed(argv: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of one command; a failure (other than maturity's 1) stops the script."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:4])} … exited {done.returncode}: {done.stderr[-800:]}")
    return seconds


def verdicts(path: Path) -> dict:
    """Every criterion's figure and status of a JSON report, and the test totals."""
    report = json.loads(path.read_text(encoding="utf-8"))
    found: dict = {
        (c["name"], r["id"]): (r["status"], r["display"], r["value"])
        for c in report["components"]
        for r in c["criteria"]
    }
    tests = report["tests"]
    found["tests"] = (tests["collected"], sorted(tests.get("durations", {})))
    return found


def git(repo: Path, *args: str) -> None:
    """A git command in ``repo``."""
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


def maturity(repo: Path, db: str, *args: str) -> list[str]:
    """A ``maturity run`` command line over ``repo`` storing into ``db``."""
    return [*MATURITY, "run", str(repo), "--no-progress", "--db", db, *args]


def one_round(repo: Path, work: Path, db: str, shards: int, per_component: bool) -> dict:
    """The wall seconds of every scenario, once."""
    seconds: dict[str, float] = {}
    commands = raw_commands(
        sys.executable, BIN, work / "raw.coverage", repo, ["src"], ["tests"], ["--source=src"]
    )
    seconds["raw"] = sum(timed(argv, cwd) for argv, cwd in commands.values())
    shutil.rmtree(repo / ".maturity" / "cache", ignore_errors=True)
    cold_json = work / "cold.json"
    seconds["cold"] = timed(maturity(repo, db, "--json", str(cold_json)))
    warm_json = work / "warm.json"
    seconds["warm"] = timed(maturity(repo, db, "--json", str(warm_json)))
    if verdicts(warm_json) != verdicts(cold_json):
        raise SystemExit("the warm run's verdicts differ from the cold run's")

    bundles = []
    walls = []
    for k in range(1, shards + 1):
        bundle = work / f"shard-{k}"
        shutil.rmtree(bundle, ignore_errors=True)
        walls.append(timed(maturity(repo, db, "--shard", f"{k}/{shards}", "--bundle", str(bundle))))
        bundles.append(str(bundle))
    merged_json = work / "merged.json"
    merge = [*MATURITY, "merge", *bundles, "--path", str(repo), "--no-store"]
    walls.append(timed([*merge, "--json", str(merged_json)]))
    if verdicts(merged_json) != verdicts(cold_json):
        raise SystemExit("the merged shards' verdicts differ from the cold run's")
    seconds["sharded (all + merge)"] = sum(walls)
    seconds["sharded (slowest + merge)"] = max(walls[:-1]) + walls[-1]

    module = repo / "src" / "comp_000" / "mod_0.py"
    original = module.read_text(encoding="utf-8")
    module.write_text(original + "\n\ndef added() -> int:\n    return 1\n", encoding="utf-8")
    git(repo, "commit", "-qam", "one module changed")
    try:
        changed_json, again_json = work / "changed.json", work / "again.json"
        seconds["one changed"] = timed(
            maturity(
                repo, db, "--no-store", "--changed-since", "HEAD~1", "--json", str(changed_json)
            )
        )
        seconds["cold, that commit"] = timed(
            maturity(repo, db, "--no-store", "--no-cache", "--json", str(again_json))
        )
        if verdicts(changed_json) != verdicts(again_json):
            raise SystemExit("the --changed-since run's verdicts differ from a cold run's")
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")

    if per_component:
        total = 0.0
        for comp in sorted(p.name for p in (repo / "src").iterdir() if p.is_dir()):
            data = work / f"raw.{comp}.coverage"
            argvs = raw_commands(
                sys.executable, BIN, data, repo, [f"src/{comp}"], [f"tests/{comp}"],
                [f"--source=src/{comp}"],
            )  # fmt: skip
            total += sum(timed(argv, cwd) for argv, cwd in argvs.values())
        seconds["per component"] = total
    return seconds


RATIOS = [  # (name, numerator, denominator, bar)
    ("cold / raw tools one after another", "cold", "raw", "<= 1.10"),
    ("warm / cold", "warm", "cold", "<= 0.05"),
    ("one changed / cold of that commit", "one changed", "cold, that commit", "<= 0.15"),
    ("sharded, slowest shard + merge / cold", "sharded (slowest + merge)", "cold", "-"),
    ("sharded, all shards + merge / cold", "sharded (all + merge)", "cold", "-"),
    ("raw tools per component / cold", "per component", "cold", "-"),
]


def main() -> None:
    """Build the repository, run the rounds, print the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--no-per-component", dest="per_component", action="store_false")
    args = parser.parse_args()
    with_bytecode()
    work = Path(tempfile.mkdtemp(prefix="maturity-ratios-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        build(repo, args.components, args.tests)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated")
        db = f"sqlite:///{work / 'history.db'}"
        print(f"repository: {repo} ({args.components} components, "
              f"{args.components * args.tests} tests)")  # fmt: skip
        # once, untimed: the first import of each module writes its bytecode (and pytest its
        # rewritten test modules): whichever side ran first would pay it alone
        warm_up = raw_commands(
            sys.executable, BIN, work / "raw.coverage", repo, ["src"], ["tests"], ["--source=src"]
        )
        timed(*next(iter(warm_up.values())))
        rounds = []
        for n in range(1, args.repeat + 1):
            seconds = one_round(repo, work, db, args.shards, args.per_component)
            rounds.append(seconds)
            print(f"round {n}: " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()))
        print(f"\nverdicts equal in every round (warm, {args.shards} shards merged, one changed)")
        print(f"{'ratio':44} {'median':>7}  {'bar':>8}  per round")
        for name, top, bottom, bar in RATIOS:
            if top not in rounds[0]:
                continue
            each = [r[top] / r[bottom] for r in rounds]
            shown = ", ".join(f"{v:.3f}" for v in each)
            print(f"{name:44} {statistics.median(each):7.3f}  {bar:>8}  {shown}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
