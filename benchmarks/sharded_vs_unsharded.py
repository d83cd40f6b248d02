"""Benchmark: a sharded run (``run --shard K/N`` for every K, then ``merge``) against one
unsharded ``maturity run``.

Builds the generated monorepo of ``run_vs_raw.py`` (``--components`` components, default
40, ``--tests`` tests each, default 40) in a git repository, runs it once unsharded (stored,
so the shards balance on its test durations), then for each N of ``--shards`` runs the N
shards one after another on this machine and merges them, checking that the merged run's
verdicts equal the unsharded run's. It prints each shard's wall time and:

* slowest shard + merge / unsharded: the wall time of a CI matrix whose N jobs run at
  once on N machines (what a team waits for);
* sum of shards + merge / unsharded: the machine time the split costs in all.

Not a test: only ratios measured in the same run mean anything on a shared machine. A
shard's fixed costs (interpreter start, tool start-up, collecting every test) are paid N
times; the shares of test run and static analysis are not.

    .venv/bin/python benchmarks/sharded_vs_unsharded.py [--components 40] [--tests 40]
        [--shards 2 4]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_vs_raw import build, with_bytecode

MATURITY = [sys.executable, "-m", "maturity"]


def timed(argv: list[str]) -> float:
    """Wall seconds of one maturity command (it must succeed)."""
    start = time.perf_counter()
    proc = subprocess.run([*MATURITY, *argv], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"maturity {argv[0]} exited {proc.returncode}: {proc.stderr[-800:]}")
    return seconds


def verdicts(path: Path) -> dict:
    """Every figure and verdict of a report (not where or when it was measured)."""
    report = json.loads(path.read_text(encoding="utf-8"))
    return {
        (c["name"], r["id"]): (r["status"], r["display"], r["summary"])
        for c in report["components"]
        for r in c["criteria"]
    }


def main() -> None:
    """Build the repository, run unsharded then sharded, print the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=40)
    parser.add_argument("--tests", type=int, default=40, help="tests per component")
    parser.add_argument("--shards", type=int, nargs="+", default=[2, 4])
    parser.add_argument(
        "--sleep-ms",
        type=float,
        default=0.0,
        help="each test also waits this long (a conftest fixture): a suite whose tests take"
        " time of their own (I/O, a service), not only the tools' fixed costs",
    )
    args = parser.parse_args()
    with_bytecode()
    work = Path(tempfile.mkdtemp(prefix="maturity-shards-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        build(repo, args.components, args.tests)
        if args.sleep_ms:
            (repo / "tests" / "conftest.py").write_text(
                "import time\n\nimport pytest\n\n\n@pytest.fixture(autouse=True)\n"
                f"def _work():\n    time.sleep({args.sleep_ms / 1000!r})\n",
                encoding="utf-8",
            )
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
        subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-qm", "generated"], cwd=repo, check=True)
        db = f"sqlite:///{work / 'history.db'}"
        print(f"repository: {repo} ({args.components} components, "
              f"{args.components * args.tests} tests, "
              f"{args.sleep_ms:g} ms of waiting each)")  # fmt: skip
        whole_json = work / "whole.json"
        common = ["--no-progress", "--no-cache", "--db", db]
        whole = timed(["run", str(repo), *common, "--json", str(whole_json)])
        print(f"unsharded run: {whole:.2f} s (stored: the shards balance on its durations)")
        for n in args.shards:
            walls: list[float] = []
            bundles: list[str] = []
            for k in range(1, n + 1):
                bundle = work / f"shard-{k}-of-{n}"
                walls.append(timed(["run", str(repo), "--no-progress", "--db", db,
                                    "--shard", f"{k}/{n}", "--bundle", str(bundle)]))  # fmt: skip
                bundles.append(str(bundle))
            merged_json = work / f"merged-{n}.json"
            merge = timed(["merge", *bundles, "--path", str(repo), "--no-store",
                           "--json", str(merged_json)])  # fmt: skip
            if verdicts(merged_json) != verdicts(whole_json):
                raise SystemExit(f"{n} shards merged: verdicts differ from the unsharded run's")
            for bundle in bundles:
                manifest = json.loads((Path(bundle) / "manifest.json").read_text())
                slow = sorted(manifest["timings"].items(), key=lambda kv: -kv[1])[:4]
                print(f"  shard {manifest['shard']}/{n}: {manifest['tests']} tests, "
                      + ", ".join(f"{k} {v:.1f} s" for k, v in slow))  # fmt: skip
            shown = ", ".join(f"{w:.2f}" for w in walls)
            print(f"\n{n} shards: per shard {shown} s; merge {merge:.2f} s (verdicts equal)")
            print(f"  slowest shard + merge / unsharded = {(max(walls) + merge) / whole:.2f}"
                  f"   ({max(walls):.2f} + {merge:.2f} s vs {whole:.2f} s)")  # fmt: skip
            print(f"  sum of shards + merge / unsharded = {(sum(walls) + merge) / whole:.2f}"
                  f"   ({sum(walls):.2f} + {merge:.2f} s vs {whole:.2f} s)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
