"""The fact cache: a collector's facts are reused when nothing they were measured from changed.

A collector that can be cached says what it reads (``Collector.inputs``): which files of
the repository, whether the target interpreter's installed distributions matter, which
tool binaries it runs. The cache key is a SHA-256 over all of that: the content hash of
every file it reads, the project's configuration, the interpreter and its installed
distributions, each tool binary's path, size and modification time, the environment
variables the tools read (``PYTEST_*``, ``COVERAGE_*``, ``PYTHON*``, …) and maturity's
version. A changed file therefore invalidates exactly the facts of the collectors that
read it. Facts that could not be measured (``error``) are never cached.

Entries live in ``.maturity/cache/<collector>/<key>/`` (ignored by git): the facts as
JSON, the run that measured them, and for the test run its coverage data files (the
run's and each session's), which a run that reuses the facts copies into its own
directory so ``coverage report`` still checks every figure. Only the newest ``KEEP``
entries per collector are kept. File hashes are remembered by (size, modification time)
in ``files.json``, as git's index does; a file modified within the last two seconds is
always hashed again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import stat
import subprocess  # nosec B404 - git and the target's interpreter, argv lists
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from maturity import __version__
from maturity.collectors.base import Collector, Inputs, RunContext, find_tool
from maturity.facts import TestRunFacts, ToolFacts
from maturity.paths import bytecode_cache
from maturity.workdir import DIRECTORY

CACHE_DIR = DIRECTORY / "cache"
FORMAT = "1"
KEEP = 3
RACY_SECONDS = 2.0
ENV_PREFIXES = ("PYTEST_", "COVERAGE_", "PYTHON", "RUFF_", "PYRIGHT", "BANDIT", "VIRTUAL_ENV")
RUN_FILES = "run"  # files of the run directory the facts name
PER_TEST_RECORD = "pytest.json"  # our pytest plugin's report, with its per-test record

_SITE = "import json, sys; print(json.dumps([sys.version, sys.path]))"


def repository_files(root: Path) -> list[str]:
    """Every file of the repository a tool might read: git's tracked and untracked files
    (ignored ones excluded), else a walk without hidden directories; never ``.maturity``."""
    return sorted(_repository_stats(root))


def _repository_stats(root: Path) -> dict[str, os.stat_result]:
    """``repository_files``, each with its ``stat`` (one system call per file)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607  # nosec B603 B607 - git from PATH, as every git call
            cwd=root, capture_output=True, check=True, timeout=120,
        ).stdout  # fmt: skip
        # __pycache__ files no ignore rule covers: written by the run itself, not inputs
        listed = out.decode("utf-8", "surrogateescape").split("\0")
        found = [p for p in listed if p and not bytecode_cache(p)]
    except (OSError, subprocess.SubprocessError):
        found = []
        for base, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            rel = Path(base).relative_to(root).as_posix()
            found += [f if rel == "." else f"{rel}/{f}" for f in files]
    prefix = DIRECTORY.as_posix() + "/"
    base = os.fspath(root)
    stats: dict[str, os.stat_result] = {}
    for rel in found:
        if rel.startswith(prefix) or rel in stats:
            continue
        try:
            st = os.stat(os.path.join(base, rel))
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode):
            stats[rel] = st
    return stats


class FileHashes:
    """Content hashes of the repository's files, remembered by size and modification time."""

    def __init__(self, root: Path, memo_file: Path) -> None:
        self.root = root
        self.memo_file = memo_file
        self._lock = threading.Lock()
        self._hashes: dict[str, str] | None = None

    def all(self) -> dict[str, str]:
        """Path → SHA-256 of every repository file (computed once per run)."""
        with self._lock:
            if self._hashes is None:
                self._hashes = self._compute()
            return self._hashes

    def _compute(self) -> dict[str, str]:
        try:
            memo: dict[str, list[Any]] = json.loads(self.memo_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            memo = {}
        now = time.time()
        hashes: dict[str, str] = {}
        kept: dict[str, list[Any]] = {}
        for rel, st in sorted(_repository_stats(self.root).items()):
            seen = memo.get(rel)
            if seen and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
                digest = str(seen[2])
            else:
                try:
                    digest = hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
                except OSError:
                    continue
            hashes[rel] = digest
            if now - st.st_mtime > RACY_SECONDS:  # racy: hash again next time
                kept[rel] = [st.st_size, st.st_mtime_ns, digest]
        if kept != memo:  # the same memo is not written again
            _write_atomic(self.memo_file, json.dumps(kept))
        return hashes


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@functools.cache
def facts_adapter(kind: type[ToolFacts]) -> TypeAdapter[Any]:
    """The pydantic adapter of a facts type, built once (a few milliseconds each time)."""
    return TypeAdapter(kind)


def dump_facts(collector: type[Collector], facts: ToolFacts) -> bytes:
    """A collector's facts as JSON (the cache's and the shard bundles' form)."""
    return facts_adapter(collector.facts).dump_json(facts)


def load_facts(collector: type[Collector], data: bytes) -> ToolFacts:
    """Facts written by ``dump_facts``; pydantic's ValidationError when they are not."""
    return facts_adapter(collector.facts).validate_json(data)


class FactCache:
    """Facts of earlier runs, by the hash of what they were measured from."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.base = ctx.root / CACHE_DIR
        self.files = FileHashes(ctx.root, self.base / "files.json")
        self._lock = threading.Lock()
        self._site: list[str] | None = None

    def environment(self) -> list[str]:
        """The interpreter's version and installed distributions (``*.dist-info`` names)."""
        with self._lock:
            if self._site is None:
                try:
                    out = subprocess.run(  # noqa: S603  # nosec B603 - the target's interpreter, as for its tests
                        [self.ctx.interpreter, "-c", _SITE],
                        capture_output=True, check=True, timeout=60, text=True,
                    ).stdout  # fmt: skip
                    version, path = json.loads(out)
                except (OSError, subprocess.SubprocessError, ValueError):
                    version, path = "unknown", []
                found = [version]
                for entry in path:
                    try:
                        names = os.listdir(entry or ".")
                    except OSError:
                        continue
                    found += sorted(
                        n for n in names if n.endswith((".dist-info", ".egg-info", ".pth"))
                    )
                self._site = found
            return self._site

    def key(self, collector: Collector, inputs: Inputs) -> str:
        """The SHA-256 of everything the collector's facts depend on."""
        return self.digest(collector, inputs, files=True)

    def digest(self, collector: Collector, inputs: Inputs, files: bool) -> str:
        """The SHA-256 of what the collector's facts depend on: maturity, the collector,
        the interpreter, the configuration, the tools' environment variables, each tool
        and (``inputs.environment``) the installed packages; with ``files``, each tool's
        modification time and every repository file it reads too (the fact cache's key).
        Without them it is what a commit's kept facts must match (``snapshot``): another
        checkout of the commit, its tools installed anew."""
        h = hashlib.sha256()

        def add(*parts: str) -> None:
            for part in parts:
                h.update(part.encode("utf-8", "surrogateescape"))
                h.update(b"\0")

        project = self.ctx.project
        add(FORMAT, __version__, collector.name, self.ctx.interpreter)
        add(project.config.model_dump_json())
        add(*(c.model_dump_json() for c in project.components))
        add(*sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith(ENV_PREFIXES)))
        for name in inputs.tools:
            path = find_tool(name, self.ctx)
            if path is None:
                add(name, "missing")
                continue
            real = os.path.realpath(path)
            st = os.stat(real)
            add(name, real, str(st.st_size), *([str(st.st_mtime_ns)] if files else []))
        if inputs.environment:
            add(*self.environment())
        if files:
            for rel, digest in self.files.all().items():
                if inputs.files(rel):
                    add(rel, digest)
        return h.hexdigest()

    def load(self, collector: Collector, key: str) -> ToolFacts | None:
        """The cached facts for ``key``, ready for this run; None on a miss."""
        entry = self.base / collector.name / key
        try:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
            facts = load_facts(type(collector), (entry / "facts.json").read_bytes())
            old, new = str(meta["run_dir"]), self.ctx.relpath(self.ctx.run_dir)
            ran = str(meta["run"])
        except (OSError, ValueError, KeyError, ValidationError):
            return None  # no entry, or one from another maturity: measure again
        if (entry / RUN_FILES).is_dir():  # the data files the facts name, in this run now
            shutil.copytree(entry / RUN_FILES, self.ctx.run_dir, dirs_exist_ok=True)
        if isinstance(facts, TestRunFacts):
            _moved(facts, old, new)
        facts.cached_from = ran
        os.utime(entry)  # recently used: kept by the pruning
        return facts

    def save(self, collector: Collector, key: str, facts: ToolFacts) -> None:
        """Keep facts that were measured (never an error) under ``key``, with the files of
        the run's directory they name (coverage data files), so a run that reuses them
        has them in its own directory and its check-by-hand commands work."""
        if facts.cached_from is not None or not reusable(self.ctx, facts):
            return
        entry = self.base / collector.name / key
        tmp = entry.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if isinstance(facts, TestRunFacts):
            copy_run_files(self.ctx, facts, tmp / RUN_FILES)
        (tmp / "facts.json").write_bytes(dump_facts(type(collector), facts))
        meta = {
            "run": self.ctx.run_dir.name,
            "run_dir": self.ctx.relpath(self.ctx.run_dir),
            "collector": collector.name,
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(entry, ignore_errors=True)
        try:
            tmp.rename(entry)
        except OSError:  # another run stored the same key first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
        prune(entry.parent, KEEP)


def prune(directory: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest entries of ``directory`` (hidden ones are
    being written)."""
    entries = sorted(
        (p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in entries[: max(len(entries) - keep, 0)]:
        shutil.rmtree(old, ignore_errors=True)


def copy_run_files(ctx: RunContext, facts: TestRunFacts, into: Path) -> bool:
    """Copy the files of the run directory a test run's facts name (the coverage data
    files: the run's, each session's, their pieces) and the per-test record (which files
    each test ran: ``--changed-since``) into ``into``, those that exist; False when they
    name no data file or there is no record (nothing to carry a test selection from)."""
    record = ctx.run_dir / PER_TEST_RECORD
    named = _data_files(facts)
    if not named:
        return False
    for rel in [*named, ctx.relpath(record)]:
        source = ctx.root / rel
        for piece in (source, *source.parent.glob(source.name + ".*")):
            if piece.is_file() and piece.is_relative_to(ctx.run_dir):
                target = into / piece.relative_to(ctx.run_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(piece, target)
    return record.is_file()


def reusable(ctx: RunContext, facts: ToolFacts) -> bool:
    """Whether facts are a measurement another run may reuse (the fact cache) or carry
    (``--changed-since``): no error, and for a test run its coverage read, every session
    measured, and no line-coverage companion file (``.coverage-lines``, written when
    workspace members measure branches beside lines) that neither keeps."""
    if facts.error is not None:
        return False
    if not isinstance(facts, TestRunFacts):
        return True
    coverage = facts.coverage
    if coverage is None or coverage.error or any(s.error for s in facts.sessions):
        return False
    data = coverage.data_file
    return not (data and (ctx.root / f"{data}-lines").exists())


def _data_files(facts: TestRunFacts) -> list[str]:
    """The coverage data files the facts name: the run's, and each session's."""
    named = [facts.coverage.data_file if facts.coverage else None]
    named += [s.data_file for s in facts.sessions]
    return [n for n in named if n]


def _moved(facts: TestRunFacts, old: str, new: str) -> None:
    """Point the paths and commands of reused facts at this run's directory."""
    if facts.coverage is not None:
        cov = facts.coverage
        cov.data_file = cov.data_file.replace(old, new) if cov.data_file else cov.data_file
        cov.command = cov.command.replace(old, new) if cov.command else cov.command
    for session in facts.sessions:
        session.data_file = session.data_file.replace(old, new) if session.data_file else None
        session.command = session.command.replace(old, new)
