"""One ``maturity run``: resolve the interpreter, run the collectors once, evaluate."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from maturity import __version__
from maturity.budget import Reservation, active, budget, default_jobs, reserve
from maturity.collectors import BY_NAME
from maturity.collectors.base import RunContext
from maturity.collectors.cache import FactCache
from maturity.collectors.incremental import Checkout, Incremental, keep
from maturity.criteria import criteria_for
from maturity.errors import ConfigError, UsageError
from maturity.evaluate import account_tests, criteria_needed, evaluate, notices, sightings
from maturity.facts import Facts, TestRunFacts, ToolFacts
from maturity.git import git_info
from maturity.model import CachedFacts, GitInfo, RunReport, Stage, ToolInfo
from maturity.project import Component, Project
from maturity.rundirs import run_directory

# Load tests measure latency and CPU: they run alone, after the others have finished.
EXCLUSIVE = frozenset({"performance"})


class Progress:
    """Receives collector start/finish events (the CLI shows them on a TTY)."""

    def started(self, name: str, title: str) -> None:
        """A collector started."""

    def finished(self, name: str, facts: ToolFacts, seconds: float) -> None:
        """A collector finished (``facts.error`` says whether it could measure)."""


def resolve_interpreter(project: Project) -> str:
    """The target's interpreter: configured, else its ``.venv``, else ours."""
    configured = project.config.python
    if configured:
        path = Path(configured)
        path = path if path.is_absolute() else project.root / path
        if not path.exists():
            shown = project.config_file.name if project.config_file else "pyproject.toml"
            raise ConfigError(shown, "tool.maturity.python", f"{configured} does not exist")
        return str(path)
    venv = project.root / ".venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    return sys.executable


def collect(
    ctx: RunContext,
    names: list[str],
    progress: Progress | None = None,
    workers: int = 4,
    cache: FactCache | None = None,
    changed: Incremental | None = None,
    jobs: int | None = None,
) -> Facts:
    """Run the named collectors concurrently, each once, and gather their facts; the
    tools they start share ``jobs`` CPUs (default: the configured ``jobs``, else all).

    With a ``cache``, a collector whose inputs did not change since a run that measured
    them gives that run's facts instead (``cached_from`` names the run). A collector that
    raises (a bug, never a tool's failure: those are facts) gives an ``error`` fact
    naming the exception, so the criteria that need it are ``error``. With ``changed``
    (``--changed-since``), a collector's facts not in the cache are carried from REF's
    run, in whole or in part, where the changes allow it.
    """
    progress = progress or Progress()
    ctx.run_dir.mkdir(parents=True, exist_ok=True)
    first: Reservation | None = None

    def one(name: str) -> tuple[str, ToolFacts]:
        claim = first.claim() if first is not None and name == "tests" else nullcontext()
        with claim:
            return measure(name)

    def measure(name: str) -> tuple[str, ToolFacts]:
        collector = BY_NAME[name]()
        progress.started(name, collector.title)
        start = time.monotonic()
        inputs = collector.inputs(ctx) if cache is not None else None
        key = cache.key(collector, inputs) if cache is not None and inputs else None
        try:
            facts = cache.load(collector, key) if cache is not None and key else None
            if facts is None and changed is not None:
                facts = changed.collect(collector)
            if facts is None:
                facts = collector.collect(ctx)
                if cache is not None and key:
                    cache.save(collector, key, facts)
        except Exception as exc:
            facts = collector.facts(
                error=f"maturity's {collector.title} collector failed:"
                f" {type(exc).__name__}: {exc} (please report it)"
            )
        progress.finished(name, facts, time.monotonic() - start)
        return name, facts

    facts = Facts()
    # pytest is the long pole: start it first.
    ordered = sorted((n for n in names if n not in EXCLUSIVE), key=lambda n: n != "tests")
    outer = active()  # a sharded run's two groups of collectors share its one budget
    cpus = outer.jobs if outer is not None else jobs or ctx.project.config.jobs or default_jobs()
    within = nullcontext(outer) if outer is not None else budget(cpus)
    with within, ThreadPoolExecutor(max_workers=max(workers, cpus)) as pool:
        # a CPU for the test run from the start, before the static tools take them all
        first = reserve() if "tests" in ordered else None
        try:
            for name, result in pool.map(one, ordered):
                setattr(facts, name, result)
        finally:
            if first is not None:
                first.release()
    for name in sorted(EXCLUSIVE.intersection(names)):
        setattr(facts, *one(name))
    return facts


def gather(project: Project, names: list[str], db_url: str | None = None) -> Facts:
    """Collect some facts of a project outside a run (e.g. its open issues), in a
    scratch directory of its own."""
    with run_directory(project.root) as run_dir:
        ctx = RunContext(project, resolve_interpreter(project), run_dir, db_url)
        return collect(ctx, names)


def cached_facts(facts: Facts) -> list[CachedFacts]:
    """The facts this run reused from the fact cache, and the run that measured each."""
    found: list[CachedFacts] = []
    for name in sorted(BY_NAME):
        value = getattr(facts, name, None)
        if isinstance(value, ToolFacts) and value.cached_from:
            found.append(CachedFacts(collector=name, run=value.cached_from))
    return found


def tool_infos(facts: Facts) -> list[ToolInfo]:
    """The tools that measured, with versions, for the report header."""
    tools: list[ToolInfo] = []
    for value in (facts.tests, facts.coverage, facts.ruff, facts.pyright, facts.bandit):
        if value is not None and value.tool:
            tools.append(ToolInfo(name=value.tool, version=value.version, path=value.path))
    return tools


def check_waivers(project: Project, components: list[Component]) -> None:
    """A waiver of a criterion that does not exist is a configuration error."""
    known = {c.id for g in Stage for c in criteria_for(g)}
    for comp in components:
        for waiver in comp.waivers:
            if waiver.criterion not in known:
                shown = project.config_file.name if project.config_file else "pyproject.toml"
                raise ConfigError(
                    shown,
                    f"tool.maturity.components.{comp.name}.waivers",
                    f"unknown criterion {waiver.criterion!r}",
                )


def run(
    project: Project,
    stage: Stage | None = None,
    only: list[str] | None = None,
    progress: Progress | None = None,
    db_url: str | None = None,
    use_cache: bool = True,
    changed_since: str | None = None,
    jobs: int | None = None,
) -> RunReport:
    """Measure the project once and evaluate every (or only the named) components;
    ``use_cache=False`` measures everything again (``--no-cache``); ``changed_since``
    carries the facts of REF's kept run that the changes since REF cannot affect; the
    tools share ``jobs`` CPUs (``--jobs``)."""
    components = project.components
    if only:
        unknown = [n for n in only if n not in {c.name for c in components}]
        if unknown:
            known = ", ".join(c.name for c in components)
            raise UsageError(f"unknown component {unknown[0]!r} (known: {known})")
        components = [c for c in components if c.name in only]
    check_waivers(project, components)
    now = datetime.now(UTC)  # the evaluation time of the whole run
    interpreter = resolve_interpreter(project)
    needed = criteria_needed(components, stage)
    names = sorted({n for c in needed for n in c.needs})
    with run_directory(project.root) as run_dir, ThreadPoolExecutor(max_workers=2) as pool:
        # the commit measured and the files that differ from it, read while the tools run
        git = pool.submit(git_info, project.root)
        checkout = pool.submit(Checkout.of, project.root)
        ctx = RunContext(project=project, interpreter=interpreter, run_dir=run_dir, db_url=db_url)
        cache = FactCache(ctx)
        changed = Incremental.open(ctx, changed_since, cache) if changed_since else None
        facts = collect(
            ctx, names, progress, cache=cache if use_cache else None, changed=changed, jobs=jobs
        )
        kept = pool.submit(keep, cache, facts, names, checkout.result())  # file copies
        report = report_of(project, components, stage, facts, interpreter, now, git.result())
        kept.result()
    if changed is not None:
        report.changed_since = changed.summary()
    return report


def report_of(
    project: Project,
    components: list[Component],
    stage: Stage | None,
    facts: Facts,
    interpreter: str,
    now: datetime,
    git: GitInfo,
) -> RunReport:
    """The evaluation of ``components`` on the collected ``facts``, as one run's report
    (``now``: when the run started, the evaluation time; ``git``: the commit measured)."""
    needed = criteria_needed(components, stage)
    tests = facts.tests if isinstance(facts.tests, TestRunFacts) else None
    gates = sorted({c.gate for c in needed}, key=list(Stage).index)
    return RunReport(
        tool_version=__version__,
        timestamp=now.isoformat(timespec="seconds"),
        repo=str(project.root),
        git=git,
        interpreter=interpreter,
        interpreter_version=tests.interpreter_version if tests else None,
        tools=tool_infos(facts),
        stages=gates,
        components=evaluate(facts, components, project.config, stage, now=now),
        tests=account_tests(facts, project.components),
        notices=notices(facts),
        cached=cached_facts(facts),
        sightings=sightings(facts, components, project.config, stage, now=now),
    )
