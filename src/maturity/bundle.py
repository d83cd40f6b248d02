"""A shard's facts bundle: what ``maturity run --shard K/N`` measured, for ``maturity merge``.

A bundle is a directory (what CI uploads as an artifact)::

    manifest.json        which shard, maturity's version, the commit, the configuration's
                         hash, the checkout's path, the interpreter and tool versions
    facts/<name>.json    each collector's facts, serialised as the fact cache does
    pytest.json          our pytest plugin's report (per-test files, collection order)
    coverage/.coverage*  the unit run's coverage data file (and its parallel pieces)

``check_set`` says whether some bundles make one run: one bundle per shard 1..N, all of
the same commit, configuration, checkout path and versions; every problem is an error
naming the bundle.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from maturity import __version__
from maturity.collectors import BY_NAME
from maturity.collectors.cache import dump_facts, load_facts
from maturity.errors import ShardError
from maturity.facts import Facts, ToolFacts
from maturity.project import Project

SPLIT = frozenset({"ruff", "pyright", "bandit"})  # run over a shard's component directories
TESTS = "tests"  # the unit run: every shard runs its part of the tests
FORMAT = 1
MANIFEST = "manifest.json"
FACTS_DIR = "facts"
PYTEST_REPORT = "pytest.json"
COVERAGE_DIR = "coverage"


class Manifest(BaseModel):
    """What a bundle is: which shard of which run, measured how."""

    format: int = FORMAT
    maturity: str = __version__
    shard: int
    shards: int
    commit: str | None
    dirty: bool | None
    config: str  # config_digest() of the project measured
    root: str  # the checkout's absolute path (coverage data names absolute paths)
    interpreter: str
    versions: dict[str, str]  # python, pytest, ruff, pyright, bandit: those that ran
    stage: str | None  # run --stage
    collectors: list[str]
    roots: list[str]  # the component directories its static tools ran over
    tests: int  # tests this shard ran (its part)
    durations_from: str | None  # where the balancing durations came from, if anywhere
    seconds: float  # wall time of the shard
    timings: dict[str, float] = {}  # wall seconds of each collector it ran

    @property
    def label(self) -> str:
        """``shard K/N``."""
        return f"shard {self.shard}/{self.shards}"


@dataclass
class Bundle:
    """A bundle read back: its manifest and facts, and the files beside them."""

    path: Path
    manifest: Manifest
    facts: dict[str, ToolFacts] = field(default_factory=dict)

    @property
    def pytest_report(self) -> Path:
        """Our plugin's report of the shard's unit run."""
        return self.path / PYTEST_REPORT

    @property
    def data_file(self) -> Path:
        """The shard's coverage data file (pieces may lie beside it)."""
        return self.path / COVERAGE_DIR / ".coverage"


def config_digest(project: Project) -> str:
    """A SHA-256 of the resolved configuration and components (as the fact cache keys it)."""
    h = hashlib.sha256(project.config.model_dump_json().encode())
    for comp in project.components:
        h.update(b"\0" + comp.model_dump_json().encode())
    return h.hexdigest()


def write_bundle(path: Path, manifest: Manifest, facts: Facts, run_dir: Path) -> None:
    """Write a bundle at ``path`` (a directory, replaced if it is an earlier bundle)."""
    if path.exists():
        if not path.is_dir() or (any(path.iterdir()) and not (path / MANIFEST).is_file()):
            raise ShardError(f"{path}: exists and is not a shard bundle: not overwritten")
        shutil.rmtree(path)
    (path / FACTS_DIR).mkdir(parents=True)
    for name in manifest.collectors:
        value = getattr(facts, name)
        (path / FACTS_DIR / f"{name}.json").write_bytes(dump_facts(BY_NAME[name], value))
    if (run_dir / PYTEST_REPORT).is_file():
        shutil.copyfile(run_dir / PYTEST_REPORT, path / PYTEST_REPORT)
    pieces = [p for p in run_dir.glob(".coverage*") if p.is_file()]
    if pieces:
        (path / COVERAGE_DIR).mkdir()
        for piece in pieces:
            shutil.copyfile(piece, path / COVERAGE_DIR / piece.name)
    (path / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")


def read_bundle(path: Path) -> Bundle:
    """A bundle's manifest and facts; ShardError naming it when it is not one."""
    try:
        text = (path / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        raise ShardError(f"{path}: not a shard bundle (no readable {MANIFEST})") from None
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ShardError(f"{path}: bundle format {raw.get('format')!r}, expected {FORMAT}")
        manifest = Manifest.model_validate(raw)
    except (ValueError, AttributeError, ValidationError) as exc:
        cause = str(exc).splitlines()[0]
        raise ShardError(f"{path}/{MANIFEST}: not a valid manifest: {cause}") from None
    bundle = Bundle(path, manifest)
    for name in manifest.collectors:
        file = path / FACTS_DIR / f"{name}.json"
        if name not in BY_NAME:
            raise ShardError(f"{file}: unknown collector {name!r}")
        try:
            bundle.facts[name] = load_facts(BY_NAME[name], file.read_bytes())
        except (OSError, ValidationError) as exc:
            cause = str(exc).splitlines()[0]
            raise ShardError(f"{file}: unreadable facts: {cause}") from None
    return bundle


def check_set(bundles: list[Bundle], project: Project, commit: str | None) -> list[Bundle]:
    """The bundles in shard order when they make one run of this checkout (``commit``);
    else ShardError naming the bundle at fault."""
    if not bundles:
        raise ShardError("no bundles to merge")
    first = bundles[0]
    count = first.manifest.shards
    digest = config_digest(project)
    by_index: dict[int, Bundle] = {}
    for b in bundles:
        m = b.manifest
        if m.shards != count:
            raise ShardError(f"{b.path}: {m.label}, but {first.path} is of {count} shards")
        if m.shard in by_index:
            raise ShardError(f"{b.path}: {m.label} given twice (also {by_index[m.shard].path})")
        by_index[m.shard] = b
        _same(b, first, "maturity version", m.maturity, first.manifest.maturity)
        _same(b, first, "commit", m.commit, first.manifest.commit)
        _same(b, first, "checkout path", m.root, first.manifest.root)
        _same(b, first, "stage", m.stage, first.manifest.stage)
        _same(b, first, "configuration", m.config[:12], first.manifest.config[:12])
        # every shard split the tests itself: by the same durations, or they split differently
        _same(b, first, "balancing durations", m.durations_from, first.manifest.durations_from)
        for tool, version in m.versions.items():
            other = first.manifest.versions.get(tool)
            if other is not None and other != version:
                raise ShardError(f"{b.path}: {tool} {version}, but {first.path} has {other}")
    for b in bundles:  # one run, but is it of this checkout?
        m = b.manifest
        if m.commit != commit:
            raise ShardError(f"{b.path}: measured at commit {m.commit}, this checkout is {commit}")
        if m.config != digest:
            raise ShardError(f"{b.path}: measured with another configuration than this checkout's")
        if m.root != str(project.root):
            raise ShardError(
                f"{b.path}: measured in {m.root}, this checkout is {project.root}"
                " (coverage data names absolute paths: merge where the shards ran)"
            )
    missing = [k for k in range(1, count + 1) if k not in by_index]
    if missing:
        names = ", ".join(f"{k}/{count}" for k in missing)
        raise ShardError(
            f"missing shard {names} (given: {', '.join(str(b.path) for b in bundles)})"
        )
    ordered = [by_index[k] for k in range(1, count + 1)]
    _covers(ordered, project)
    return ordered


def _covers(bundles: list[Bundle], project: Project) -> None:
    """The shards' static tools ran over every component directory once: a directory no
    shard analysed would read as 0 findings, one two analysed as twice its findings."""
    seen: dict[str, Bundle] = {}
    for b in bundles:
        for root in b.manifest.roots:
            if root in seen:
                raise ShardError(f"{b.path}: {root} was also analysed by {seen[root].path}")
            seen[root] = b
    missing = sorted(set(project.roots) - set(seen))
    if missing:
        raise ShardError(f"no shard analysed {', '.join(missing)} (the shards split differently)")


def _same(bundle: Bundle, first: Bundle, what: str, value: object, expected: object) -> None:
    if value != expected:
        raise ShardError(f"{bundle.path}: {what} {value}, but {first.path} has {expected}")
