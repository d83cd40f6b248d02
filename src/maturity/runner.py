"""One ``maturity run``: resolve the interpreter, run the collectors once, evaluate."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from maturity import __version__
from maturity.collectors.base import Collector, RunContext, run_tool
from maturity.config import Project
from maturity.criteria import criteria_for
from maturity.errors import ConfigError, UsageError
from maturity.evaluate import account_tests, criteria_needed, evaluate, notices, sightings
from maturity.facts import Facts, TestRunFacts, ToolFacts
from maturity.model import GitInfo, RunReport, Stage, ToolInfo
from maturity.rundirs import run_directory

# Facts attribute -> "module:Class" of the collector that fills it (imported on use).
COLLECTORS: dict[str, str] = {
    "tests": "maturity.collectors.pytest_run:PytestCollector",
    "sources": "maturity.collectors.sources:SourcesCollector",
    "ruff": "maturity.collectors.ruff:RuffCollector",
    "pyright": "maturity.collectors.pyright:PyrightCollector",
    "bandit": "maturity.collectors.bandit:BanditCollector",
    "docs": "maturity.collectors.docs:DocsCollector",
    "issues": "maturity.collectors.issues:IssuesCollector",
    "accepted_risks": "maturity.collectors.risks:AcceptedRisksCollector",
    "integration_files": "maturity.collectors.files:IntegrationFilesCollector",
    "attestations": "maturity.collectors.attested:AttestationsCollector",
    "rollback": "maturity.collectors.attested:RollbackCollector",
    "health": "maturity.collectors.attested:HealthCollector",
    "monitoring": "maturity.collectors.monitoring:MonitoringCollector",
    "integration_tests": "maturity.collectors.suites:IntegrationTestsCollector",
    "e2e_tests": "maturity.collectors.suites:E2ETestsCollector",
    "performance": "maturity.collectors.performance:PerformanceCollector",
    "security": "maturity.collectors.security:SecurityCollector",
    "production": "maturity.collectors.production:ProductionCollector",
    "history": "maturity.collectors.history:HistoryCollector",
}
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


def git_info(root: Path) -> GitInfo:
    """Commit, branch and dirty flag; all None outside a git repository."""

    def git(*args: str) -> str | None:
        run = run_tool(["git", *args], root, 30)
        return run.stdout.strip() if run.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return GitInfo(commit=None, branch=None, dirty=None)
    status = git("status", "--porcelain", "--untracked-files=no")
    return GitInfo(
        commit=commit,
        branch=git("rev-parse", "--abbrev-ref", "HEAD"),
        dirty=bool(status) if status is not None else None,
    )


def make_collector(name: str) -> Collector:
    """Instantiate the collector registered for a facts attribute."""
    module, _, cls = COLLECTORS[name].partition(":")
    factory: Callable[[], Collector] = getattr(importlib.import_module(module), cls)
    return factory()


def collect(
    ctx: RunContext, names: list[str], progress: Progress | None = None, workers: int = 4
) -> Facts:
    """Run the named collectors concurrently, each once, and gather their facts."""
    progress = progress or Progress()
    ctx.run_dir.mkdir(parents=True, exist_ok=True)

    def one(name: str) -> tuple[str, ToolFacts]:
        collector = make_collector(name)
        progress.started(name, collector.title)
        start = time.monotonic()
        facts = collector.collect(ctx)
        progress.finished(name, facts, time.monotonic() - start)
        return name, facts

    facts = Facts()
    # pytest is the long pole: start it first.
    ordered = sorted((n for n in names if n not in EXCLUSIVE), key=lambda n: n != "tests")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for name, result in pool.map(one, ordered):
            setattr(facts, name, result)
    for name in sorted(EXCLUSIVE.intersection(names)):
        setattr(facts, *one(name))
    return facts


def tool_infos(facts: Facts) -> list[ToolInfo]:
    """The tools that measured, with versions, for the report header."""
    tools: list[ToolInfo] = []
    for value in (facts.tests, facts.coverage, facts.ruff, facts.pyright, facts.bandit):
        if value is not None and value.tool:
            tools.append(ToolInfo(name=value.tool, version=value.version, path=value.path))
    return tools


def run(
    project: Project,
    stage: Stage | None = None,
    only: list[str] | None = None,
    progress: Progress | None = None,
    db_url: str | None = None,
) -> RunReport:
    """Measure the project once and evaluate every (or only the named) components."""
    components = project.components
    if only:
        unknown = [n for n in only if n not in {c.name for c in components}]
        if unknown:
            known = ", ".join(c.name for c in components)
            raise UsageError(f"unknown component {unknown[0]!r} (known: {known})")
        components = [c for c in components if c.name in only]
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
    started = datetime.now(UTC).isoformat(timespec="seconds")
    interpreter = resolve_interpreter(project)
    needed = criteria_needed(components, stage)
    names = sorted({n for c in needed for n in c.needs})
    with run_directory(project.root) as run_dir:
        ctx = RunContext(project=project, interpreter=interpreter, run_dir=run_dir, db_url=db_url)
        facts = collect(ctx, names, progress)
    tests = facts.tests if isinstance(facts.tests, TestRunFacts) else None
    gates = sorted({c.gate for c in needed}, key=list(Stage).index)
    return RunReport(
        tool_version=__version__,
        timestamp=started,
        repo=str(project.root),
        git=git_info(project.root),
        interpreter=interpreter,
        interpreter_version=tests.interpreter_version if tests else None,
        tools=tool_infos(facts),
        stages=gates,
        components=evaluate(facts, components, project.config, stage),
        tests=account_tests(facts, project.components),
        notices=notices(facts),
        sightings=sightings(facts, components, project.config, stage),
    )
