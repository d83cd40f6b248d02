"""Benchmark: `maturity run` against the raw tools on a large generated monorepo.

Builds a repository of ``--components`` components (default 100), each with a few
modules and ``--tests`` tests (default 50, so 5,000 in all), then, in one run, side by
side on the same machine:

* raw: ``coverage run -m pytest`` (the suite under coverage, as a user would run it),
  then ``ruff check``, ``pyright`` and ``bandit -r``, one after another;
* ``maturity run`` (Development gate, nothing stored).

It prints the wall time and peak memory of each, and the two ratios the project holds
itself to: wall time at most 1.10 times the raw tools one after another, and peak memory
at most 1.5 times the raw coverage run. Peak memory is sampled every 100 ms with psutil
over each process tree, per process: maturity's own processes (the CLI, its pytest
under coverage, its coverage reader) are compared with the raw coverage run; the static
tools it starts (ruff, pyright's node, bandit) run with the same arguments as by hand
and are listed beside their raw runs. The sum over the whole tree is printed too
(maturity runs pyright while pytest runs, so it adds tools the raw runs had one at a
time). Not a test: the figures depend on the machine, so only ratios measured in the
same run mean anything.

    .venv/bin/python benchmarks/run_vs_raw.py [--components 100] [--tests 50] [--keep DIR]
    .venv/bin/python benchmarks/run_vs_raw.py --repo PATH   # an existing repository instead

Each measurement is repeated ``--repeat`` times (default 3), the raw tools and maturity
taking turns, and the medians are compared: the machine is shared and one run alone
can be off by a third either way.

With ``--repo``, the raw commands are run on the repository's component directories (as
``maturity components`` lists them) in its own interpreter (its ``.venv`` when present),
with its own configuration: ``coverage run -m pytest`` is what its developers would type.
A workspace (components in their own project directories) is measured as its developers
check it by hand, one member after another: from each project directory, ``coverage run
-m pytest <its unit tests>`` under the member's own configuration, then ``ruff check``,
``pyright`` and ``bandit -r`` on its source directories (the target's own tools when its
``.venv`` has them, as maturity uses them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent


def with_bytecode() -> None:
    """Time every tool as users run it: writing bytecode. With ``PYTHONDONTWRITEBYTECODE``
    set (some CI images set it, this machine does), every process compiles each module it
    imports on every run: thousands of test modules in a cold run, a few hundred of
    maturity's own in a warm one, so every ratio against a cold run would look better than
    a user would see it. The variable is removed for the processes this benchmark starts."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        print("PYTHONDONTWRITEBYTECODE unset for the timed processes: they write bytecode")


def module(c: int, m: int) -> str:
    """A module with branches, a class and functions: ~35 statements."""
    return f'''"""Module {m} of component {c}."""

from __future__ import annotations


class Account{m}:
    """An account."""

    def __init__(self, balance: int = 0) -> None:
        """Start with a balance."""
        self.balance = balance

    def deposit(self, amount: int) -> int:
        """Add money."""
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount
        return self.balance

    def withdraw(self, amount: int) -> int:
        """Take money out."""
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        return self.balance


def classify(n: int) -> str:
    """Sign of n, in words."""
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    if n < 10:
        return "small"
    return "large"


def total(values: list[int]) -> int:
    """Sum of the positive values."""
    result = 0
    for v in values:
        if v > 0:
            result += v
    return result


def unused(n: int) -> int:
    """Never called by any test."""
    return n * {c} + {m}
'''


def test_file(c: int, m: int, count: int) -> str:
    """``count`` tests of one module."""
    tests = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            body = f"    assert Account{m}({i}).deposit(1) == {i + 1}"
        elif kind == 1:
            body = f"    assert classify({i - 2}) in ('negative', 'zero', 'small', 'large')"
        elif kind == 2:
            body = f"    assert total([{i}, -1, 2]) == {i + 2 if i > 0 else 2}"
        else:
            body = f"    with pytest.raises(ValueError):\n        Account{m}(0).withdraw({i + 1})"
        tests.append(f"def test_{m}_{i}():\n{body}\n")
    head = f"import pytest\n\nfrom comp_{c:03d}.mod_{m} import Account{m}, classify, total\n"
    return head + "\n\n" + "\n\n".join(tests)


def build(root: Path, components: int, tests: int, modules: int = 3) -> None:
    """The generated repository: src/comp_NNN/ packages and tests/comp_NNN/ tests."""
    (root / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\npythonpath = ["src"]\n[tool.ruff.lint]\nselect = ["E", "F"]\n',
        encoding="utf-8",
    )
    per_module = [tests // modules + (1 if i < tests % modules else 0) for i in range(modules)]
    for c in range(components):
        pkg = root / "src" / f"comp_{c:03d}"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text(f'"""Component {c}."""\n', encoding="utf-8")
        (pkg / "README.md").write_text(
            f"# comp_{c:03d}\n\nA generated component for the benchmark of maturity.\n\n"
            "```python\nfrom comp import mod_0\n```\n",
            encoding="utf-8",
        )
        test_dir = root / "tests" / f"comp_{c:03d}"
        test_dir.mkdir(parents=True)
        for m in range(modules):
            (pkg / f"mod_{m}.py").write_text(module(c, m), encoding="utf-8")
            (test_dir / f"test_comp_{c:03d}_mod_{m}.py").write_text(
                test_file(c, m, per_module[m]), encoding="utf-8"
            )


TOOLS = ("ruff", "pyright", "node", "bandit")


def kind(proc: psutil.Process) -> str:
    """What a process of the tree is: a static tool (by its command line), else own code."""
    try:
        words = " ".join(proc.cmdline()[:3])
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "gone"
    for tool in TOOLS:
        if tool in words and "pytest" not in words:
            return "pyright" if tool == "node" else tool
    return "own"


@dataclass
class Measured:
    """Wall time and peak memory (MB) of one command's process tree."""

    name: str
    seconds: float
    peak_tree: float
    peaks: dict[str, float]  # peak RSS of a single process, per kind of process
    returncode: int

    @property
    def own(self) -> float:
        """The largest process that is not one of the static tools."""
        return self.peaks.get("own", 0.0)


def run(name: str, argv: list[str], cwd: Path) -> Measured:
    """Run ``argv``, sampling the RSS of it and its descendants every 100 ms."""
    peak_tree = 0
    peaks: dict[str, int] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        parent = psutil.Process(proc.pid)
        kinds: dict[int, str] = {}
        while not done.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            tree = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                what = kinds.setdefault(p.pid, kind(p))
                peaks[what] = max(peaks.get(what, 0), rss)
                tree += rss
            peak_tree = max(peak_tree, tree)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        print(f"  {name} exited {proc.returncode}: {err.decode()[-500:]}", file=sys.stderr)
    mb = 1024 * 1024
    return Measured(
        name, seconds, peak_tree / mb, {k: v / mb for k, v in peaks.items()}, proc.returncode
    )


def median_of(measured: list[Measured]) -> Measured:
    """The median round by wall time (its memory figures come with it)."""
    return sorted(measured, key=lambda m: m.seconds)[len(measured) // 2]


@dataclass
class Target:
    """What to measure: the repository and the raw commands, each with its directory."""

    repo: Path
    commands: dict[str, tuple[list[str], Path]]


def raw_commands(
    python: str, tools: Path, data: Path, cwd: Path, roots: list[str], tests: list[str],
    coverage_args: list[str], suffix: str = "",
) -> dict[str, tuple[list[str], Path]]:  # fmt: skip
    """The four raw commands a developer types in ``cwd``."""
    tool = {name: str(tools / name if (tools / name).exists() else BIN / name)
            for name in ("ruff", "pyright", "bandit")}  # fmt: skip
    return {
        f"coverage run -m pytest{suffix}": ([python, "-m", "coverage", "run", *coverage_args,
            f"--data-file={data}", "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider",
            "--continue-on-collection-errors"], cwd),
        f"ruff check{suffix}": ([tool["ruff"], "check", "--exit-zero", *roots], cwd),
        f"pyright{suffix}": ([tool["pyright"], "--pythonpath", python, *roots], cwd),
        f"bandit -r{suffix}": ([tool["bandit"], "-r", *roots, "-q", "--exit-zero"], cwd),
    }  # fmt: skip


def prepare(args: argparse.Namespace, work: Path) -> Target:
    """The existing repository (``--repo``) or a freshly generated one."""
    if args.repo:
        from maturity.project import load_project

        repo = args.repo.resolve()
        venv = repo / ".venv" / "bin" / "python"
        python = str(venv) if venv.exists() else sys.executable
        project = load_project(repo)
        print(f"repository: {repo} ({len(project.components)} components)")
        projects: dict[str, list[tuple[str, list[str]]]] = {}
        for comp in project.components:
            projects.setdefault(comp.project, []).append((comp.path, comp.tests))
        if list(projects) == ["."]:
            return Target(repo, raw_commands(python, Path(python).parent,
                          work / "raw.coverage", repo, project.roots, [], []))  # fmt: skip
        commands: dict[str, tuple[list[str], Path]] = {}
        for i, (where, comps) in enumerate(projects.items()):

            def inside(p: str, where: str = where) -> str:
                return p.removeprefix(where + "/")

            roots = [inside(path) for path, _ in comps]
            tests = [inside(t) for _, ts in comps for t in ts]
            commands |= raw_commands(python, Path(python).parent, work / f"raw.coverage.{i}",
                                     repo / where, roots, tests, [], f" ({where})")  # fmt: skip
        return Target(repo, commands)
    repo = work / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    build(repo, args.components, args.tests)
    print(f"repository: {repo} ({args.components} components, "
          f"{args.components * args.tests} tests)")  # fmt: skip
    return Target(repo, raw_commands(sys.executable, BIN, work / "raw.coverage", repo,
                                     ["src"], ["tests"], ["--source=src"]))  # fmt: skip


def report(raw: list[Measured], ours: Measured, rounds: list[float], sequential: float) -> None:
    """The medians, then the two ratios with their bars."""
    # the largest raw coverage run (a workspace has one per member)
    cov = max((m for m in raw if m.name.startswith("coverage run")), key=lambda m: m.own)
    print(f"\nmedians of {len(rounds)} rounds")
    print(f"{'command':<28}{'wall s':>8}{'largest process MB':>20}{'tree MB':>9}")
    for m in [*raw, ours]:
        largest = max(m.peaks.values(), default=0.0)
        print(f"{m.name:<28}{m.seconds:>8.1f}{largest:>20.0f}{m.peak_tree:>9.0f}")
    print(f"{'raw tools one after another':<28}{sequential:>8.1f}")
    tools = ", ".join(
        f"{k} {v:.0f} MB" for k, v in sorted(ours.peaks.items()) if k not in ("own", "gone")
    )
    print(f"\nwithin maturity run: its own processes {ours.own:.0f} MB; the tools it ran: {tools}")
    spread = ", ".join(f"{r:.2f}" for r in sorted(rounds))
    print(f"\nwall time   maturity run / raw tools one after another    = "
          f"{ours.seconds / sequential:.2f}   (bar 1.10; per round: {spread})")  # fmt: skip
    print(f"peak memory maturity's own processes / raw coverage run  = "
          f"{ours.own / cov.own:.2f}   (bar 1.50)")  # fmt: skip
    print(f"peak memory whole maturity tree / raw coverage run tree  = "
          f"{ours.peak_tree / cov.peak_tree:.2f}   (tools run concurrently)")  # fmt: skip


def main() -> None:
    """Build or take the repository, measure both sides in turns, print the ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--components", type=int, default=100)
    parser.add_argument("--tests", type=int, default=50, help="tests per component")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--repo", type=Path, help="measure this existing repository instead")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, taking turns")
    args = parser.parse_args()
    with_bytecode()
    work = args.keep or Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t = prepare(args, work)
    commands = t.commands
    out = work / "report.json"
    # --no-cache: every round measures everything (a warm run would reuse the first's facts)
    maturity = [str(BIN / "maturity"), "run", str(t.repo), "--no-store", "--no-progress",
                "--no-cache", "--json", str(out)]  # fmt: skip
    rounds: list[tuple[list[Measured], Measured]] = []
    for _ in range(args.repeat):  # raw and maturity take turns, so drift hits both
        raw_round = [run(name, argv, cwd) for name, (argv, cwd) in commands.items()]
        rounds.append((raw_round, run("maturity run", maturity, t.repo)))
    raw = [median_of([r[0][i] for r in rounds]) for i in range(len(commands))]
    sequential = statistics.median(sum(m.seconds for m in r[0]) for r in rounds)
    tests = json.loads(out.read_text())["tests"]
    print(f"maturity measured {tests['collected']} tests, {tests['ran']} ran, "
          f"{tests['unattributed_count']} attributed to no component")  # fmt: skip
    report(
        raw,
        median_of([r[1] for r in rounds]),
        [r[1].seconds / sum(m.seconds for m in r[0]) for r in rounds],
        sequential,
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    for stale in work.glob("raw.coverage*"):
        stale.unlink()


if __name__ == "__main__":
    main()
