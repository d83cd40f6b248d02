"""``--changed-since REF``: measure again only what the changes since REF can affect.

The facts of REF's run are kept per commit (``snapshot.py``). For each collector:

* not cacheable (its facts depend on something outside the repository): measured;
* REF's run kept no facts for it, or its fingerprint differs (maturity's version, the
  configuration, the interpreter, its installed distributions, a tool): measured;
* none of the files it reads changed: REF's facts, carried whole;
* ruff and bandit, which judge each file alone: run on the changed files only, REF's
  findings kept for every other file; a changed configuration file measures all;
* the test run: only the tests whose recorded files changed, with the closure that
  makes the coverage data exact (``changed_tests.py``); a changed configuration file,
  ``conftest.py``, dependency file, or a file no test's record accounts for runs all;
* any other collector whose files changed (pyright: a change in one file changes the
  diagnostics of the files importing it): measured.

Carried facts say so (``ToolFacts.carried``); the report lists them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maturity.collectors import BY_NAME
from maturity.collectors.base import Collector, RunContext, in_any, is_config
from maturity.collectors.cache import FactCache
from maturity.collectors.changed_tests import changed_tests, restore
from maturity.collectors.changes import Changes, changed_since, dirty_files, resolve
from maturity.collectors.dependents import dependents, narrows
from maturity.collectors.docs import scan_component
from maturity.collectors.snapshot import Snapshot, fingerprint, save_snapshot
from maturity.errors import UsageError
from maturity.facts import DocsFacts, Facts, FindingsFacts, TestRunFacts, ToolFacts
from maturity.model import CarriedAccount, ChangedSince
from maturity.paths import under


@dataclass
class Account:
    """What ``--changed-since`` did with one collector's facts."""

    collector: str
    carried: bool  # some facts came from REF's run
    how: str


@dataclass
class Incremental:
    """One ``--changed-since`` run: the changes, REF's kept facts, what each collector did."""

    ctx: RunContext
    changes: Changes
    snapshot: Snapshot | None
    cache: FactCache
    accounts: dict[str, Account] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, ctx: RunContext, ref: str, cache: FactCache) -> Incremental:
        """The changes since ``ref`` and its kept facts (a usage error when ``ref`` is not
        a commit here; no kept facts: everything is measured, ``note`` says why)."""
        changes = changed_since(ctx.root, ref)
        snapshot = Snapshot.open(ctx.root, changes.commit)
        if snapshot is not None:
            changes.extend(snapshot.dirty)
        return cls(ctx=ctx, changes=changes, snapshot=snapshot, cache=cache)

    @property
    def note(self) -> str | None:
        """Why nothing could be carried (no facts kept for REF's commit), else None."""
        if self.snapshot is not None:
            return None
        return (
            f"no facts kept for {self.changes.ref} ({self.changes.commit[:12]}) in"
            f" {self.ctx.root / '.maturity/cache/commits'}: everything was measured"
        )

    def _account(self, name: str, carried: bool, how: str) -> None:
        with self._lock:
            self.accounts[name] = Account(name, carried, how)

    def collect(self, collector: Collector) -> ToolFacts | None:
        """Facts carried (whole or in part) from REF's run; None: measure them all."""
        name = collector.name
        inputs = collector.inputs(self.ctx)
        if inputs is None or self.snapshot is None:
            return None
        kept = self.snapshot.facts(collector)
        if kept is None:
            self._account(name, False, "REF's run kept no facts of it")
            return None
        old, mark = kept
        if mark != fingerprint(self.cache, collector):
            why = "its configuration, tools or installed packages differ from REF's run"
            self._account(name, False, why)
            return None
        touched = sorted(p for p in self.changes.paths if inputs.files(p))
        if not touched:
            if isinstance(old, TestRunFacts) and not restore(
                self.ctx, self.snapshot, collector, old
            ):
                self._account(name, False, "REF's coverage data is not kept")
                return None
            old.carried = "all of REF's facts: none of the files it reads changed"
            self._account(name, True, old.carried)
            return old
        strategy = STRATEGIES.get(name)
        if strategy is None:
            self._account(name, False, f"{_files(touched)} it reads changed")
            return None
        facts, how = strategy(self, collector, old, touched)
        self._account(name, facts is not None and facts.error is None, how)
        return facts

    def summary(self) -> ChangedSince:
        """The report's account of this run (``changed_since`` in the JSON)."""
        source = None
        if self.snapshot is not None:
            kept = self.snapshot.directory.relative_to(self.ctx.root)
            source = f"{self.snapshot.run} (kept in {kept})"
        return ChangedSince(
            ref=self.changes.ref,
            commit=self.changes.commit,
            changes=self.changes.describe(),
            files=sorted(self.changes.paths),
            source=source,
            note=self.note,
            collectors=[
                CarriedAccount(collector=a.collector, carried=a.carried, how=a.how)
                for _, a in sorted(self.accounts.items())
            ],
        )


@dataclass(frozen=True)
class Checkout:
    """The commit a run measures and the files that differ from it (edits, untracked)."""

    commit: str
    dirty: list[str]

    @classmethod
    def of(cls, root: Path) -> Checkout | None:
        """The checkout at ``root`` now (read as a run starts); None outside git."""
        try:
            commit = resolve(root, "HEAD")
        except UsageError:
            return None
        dirty = dirty_files(root)
        return cls(commit, dirty) if dirty is not None else None


def keep(cache: FactCache, facts: Facts, names: list[str], checkout: Checkout | None) -> None:
    """Keep this run's facts for the commit it measured (a later ``--changed-since``
    carries them); nothing outside a git repository."""
    if checkout is None:
        return
    commit, dirty = checkout.commit, checkout.dirty
    collected: dict[str, tuple[Collector, ToolFacts]] = {}
    for name in names:
        value = getattr(facts, name, None)
        if isinstance(value, ToolFacts):
            collected[name] = (BY_NAME[name](), value)
    save_snapshot(cache, commit, dirty, collected)


def _files(paths: list[str]) -> str:
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return f"{len(paths)} file{'s' * (len(paths) != 1)} ({shown})"


def _findings(
    inc: Incremental, collector: Collector, old: ToolFacts, touched: list[str]
) -> tuple[ToolFacts | None, str]:
    """ruff, bandit (each file judged alone), pyright (a file and what it imports): the
    files the changes can affect measured, REF's findings for the others."""
    if not isinstance(old, FindingsFacts):
        return None, "facts of another type"
    config = [p for p in touched if is_config(p)]
    if config:
        return None, f"a configuration file changed ({', '.join(config[:3])})"
    again = set(touched)
    if collector.name == "pyright":
        why = narrows(inc.ctx)
        if why is not None:
            return None, why
        again |= dependents(inc.ctx, set(touched))
    files = sorted(
        p
        for p in again
        if (inc.ctx.root / p).is_file()
        and p.endswith((".py", ".pyi"))
        and in_any(p, inc.ctx.project.roots)
        and not any(part.startswith(".") or part == "__pycache__" for part in p.split("/"))
    )
    run = getattr(collector, "collect")  # noqa: B009 - ruff's, bandit's, pyright's take files
    fresh: FindingsFacts = run(inc.ctx, files)
    if fresh.error is not None:
        return fresh, f"{collector.name} on {_files(files)}: {fresh.error}"
    merged = FindingsFacts(
        tool=fresh.tool or old.tool,
        version=fresh.version or old.version,
        path=fresh.path or old.path,
        command=old.command,
        findings=[f for f in old.findings if f.file not in again] + fresh.findings,
        failed_files={f: why for f, why in old.failed_files.items() if f not in again}
        | fresh.failed_files,
        general=list(dict.fromkeys([*old.general, *fresh.general])),
    )
    kept = len({f.file for f in merged.findings} - again)
    which = "changed" if collector.name != "pyright" else "changed or importing a changed file"
    merged.carried = (
        f"{collector.name} ran on {_files(files)} {which}; REF's findings kept for every"
        f" other file ({kept} with findings)"
    )
    return merged, merged.carried


def _docs(
    inc: Incremental, collector: Collector, old: ToolFacts, touched: list[str]
) -> tuple[ToolFacts | None, str]:
    """The documentation scan: the components holding a changed file scanned again (a
    component's scan reads its own directory), REF's scan for the others; a changed file
    outside every component (a workspace member's README, a diagram) scans all."""
    if not isinstance(old, DocsFacts):
        return None, "facts of another type"
    comps = inc.ctx.project.components
    outside = [p for p in touched if not any(under(p, c.path) for c in comps)]
    if outside:
        return None, f"{_files(outside)} outside the components changed"
    again = [c for c in comps if any(under(p, c.path) for p in touched)]
    merged = DocsFacts(tool=old.tool, command=old.command, components=dict(old.components))
    for comp in again:
        merged.components[comp.path] = scan_component(comp, inc.ctx.root)
    merged.carried = (
        f"{len(again)} component{'s' * (len(again) != 1)} holding a changed file scanned"
        f" again ({', '.join(c.name for c in again[:3])}); REF's scan for the"
        f" {len(comps) - len(again)} others"
    )
    return merged, merged.carried


def _tests(
    inc: Incremental, collector: Collector, old: ToolFacts, touched: list[str]
) -> tuple[ToolFacts | None, str]:
    if not isinstance(old, TestRunFacts):
        return None, "facts of another type"
    if inc.snapshot is None:
        return None, "no facts kept for REF"
    return changed_tests(inc.ctx, inc.snapshot, inc.changes, collector, old, touched)


Strategy = Callable[[Incremental, Collector, ToolFacts, list[str]], tuple[ToolFacts | None, str]]
STRATEGIES: dict[str, Strategy] = {
    "ruff": _findings,
    "bandit": _findings,
    "pyright": _findings,
    "docs": _docs,
    "tests": _tests,
}
