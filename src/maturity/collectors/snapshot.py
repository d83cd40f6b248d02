"""The facts of a commit's run, kept so a later ``--changed-since COMMIT`` can carry them.

After every run in a git repository, the facts of each cacheable collector (those that
declare their inputs) that could measure are kept in
``.maturity/cache/commits/<commit>/<collector>/``: the facts as JSON and, for the test
run, its coverage data files and our plugin's per-test record (which files each test
and each test module's import ran). Beside them: the files that differed from the
commit when the run measured (``dirty``: a later run counts them as changed) and, per
collector, a fingerprint of everything but the repository's files that its facts
depend on: maturity's version, the parsed configuration, the interpreter and its
installed distributions (where they matter), each tool's path and size (not its
modification time: a reinstall of the same tool in a fresh CI runner matches), the
environment variables the tools read. Only the newest ``KEEP`` commits are kept.

In CI the directory travels between jobs with the runner's cache (``maturity init``'s
workflow saves it on pushes to the default branch and restores the base commit's in
pull requests).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from maturity import __version__
from maturity.collectors.base import Collector
from maturity.collectors.cache import (
    CACHE_DIR,
    FORMAT,
    PER_TEST_RECORD,
    RUN_FILES,
    FactCache,
    copy_run_files,
    dump_facts,
    load_facts,
    prune,
    reusable,
)
from maturity.facts import TestRunFacts, ToolFacts

SNAPSHOTS = CACHE_DIR / "commits"
KEEP = 5  # commits


def fingerprint(cache: FactCache, collector: Collector) -> str | None:
    """What a collector's facts depend on besides the repository's files (None: the
    collector is not cacheable, so never carried): ``FactCache.digest`` without files."""
    inputs = collector.inputs(cache.ctx)
    return cache.digest(collector, inputs, files=False) if inputs is not None else None


class Snapshot:
    """The kept facts of one commit's run."""

    def __init__(self, directory: Path, meta: dict[str, Any]) -> None:
        self.directory = directory
        self.meta = meta

    @property
    def root(self) -> str:
        """The absolute repository root the run measured (coverage's file names start so)."""
        return str(self.meta["root"])

    @property
    def run(self) -> str:
        """The run directory's name that measured (or carried) the facts."""
        return str(self.meta["run"])

    @property
    def dirty(self) -> list[str]:
        """Files that differed from the commit when the run measured."""
        return list(self.meta.get("dirty") or [])

    @classmethod
    def open(cls, root: Path, commit: str) -> Snapshot | None:
        """The snapshot of ``commit``, None when none is kept (or it is unreadable)."""
        directory = root / SNAPSHOTS / commit
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("format") != FORMAT or meta.get("version") != __version__:
            return None
        return cls(directory, meta)

    def facts(self, collector: Collector) -> tuple[ToolFacts, str] | None:
        """A collector's kept facts and their fingerprint; None when none were kept."""
        entry = self.directory / collector.name
        try:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
            facts = load_facts(type(collector), (entry / "facts.json").read_bytes())
        except (OSError, ValueError, ValidationError):
            return None
        return facts, str(meta["fingerprint"])

    def run_dir(self, collector: Collector) -> str:
        """The run directory (repo-relative) whose files the kept facts name."""
        meta = json.loads((self.directory / collector.name / "meta.json").read_text("utf-8"))
        return str(meta["run_dir"])

    def run_files(self, collector: Collector) -> Path:
        """The kept files of the run's directory (coverage data, the per-test record)."""
        return self.directory / collector.name / RUN_FILES

    def per_test(self, collector: Collector) -> dict[str, Any] | None:
        """Our plugin's per-test record of the kept test run (None: not kept)."""
        try:
            payload = json.loads((self.run_files(collector) / PER_TEST_RECORD).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        record = payload.get("per_test")
        return record if isinstance(record, dict) and "modules" in record else None


def save_snapshot(
    cache: FactCache,
    commit: str,
    dirty: list[str],
    collected: dict[str, tuple[Collector, ToolFacts]],
) -> Path:
    """Keep the facts a run measured (or carried) for ``commit``; returns the directory."""
    ctx = cache.ctx
    base = ctx.root / SNAPSHOTS
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{commit}.{os.getpid()}.{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for name, (collector, facts) in collected.items():
        if not reusable(ctx, facts):
            continue
        mark = fingerprint(cache, collector)
        if mark is None:
            continue
        entry = tmp / name
        entry.mkdir()
        if isinstance(facts, TestRunFacts) and not copy_run_files(ctx, facts, entry / RUN_FILES):
            shutil.rmtree(entry)
            continue
        kept = replace(facts, cached_from=None, carried=None)  # equal to measured: plain facts
        (entry / "facts.json").write_bytes(dump_facts(type(collector), kept))
        meta = {"fingerprint": mark, "run_dir": ctx.relpath(ctx.run_dir)}
        (entry / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    meta = {
        "format": FORMAT,
        "version": __version__,
        "commit": commit,
        "root": str(ctx.root.resolve()),
        "run": ctx.run_dir.name,
        "dirty": dirty,
    }
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    target = base / commit
    shutil.rmtree(target, ignore_errors=True)
    try:
        tmp.rename(target)
    except OSError:  # another run of the same commit stored first: theirs is as good
        shutil.rmtree(tmp, ignore_errors=True)
    prune(base, KEEP)
    return target
