"""Small pure helpers shared by criteria: coverage arithmetic, categories, test outcomes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from maturity.config import MaturityConfig
from maturity.criteria.base import NotMeasured, Verdict, require
from maturity.facts import Facts, FileCoverage, TestOutcome
from maturity.model import Evidence, Status
from maturity.paths import glob_match
from maturity.project import Component


def owned_sources(facts: Facts, comp: Component) -> list[str]:
    """The component's own Python files; a component without any could not be measured
    (raises :class:`NotMeasured`): "0 findings" over no files is not a pass."""
    sources = require(facts.sources, "the component's files")
    files = sources.files.get(comp.name, [])
    if not files:
        raise NotMeasured(
            Verdict(
                Status.ERROR,
                "not measured",
                f"no Python files under {comp.path}/",
                commands=[f"find {comp.path} -name '*.py'"],
            )
        )
    return files


def coverage_numbers(files: Iterable[FileCoverage]) -> tuple[int, int]:
    """(covered, total) over files together, as coverage.py totals them.

    Statements plus branches when branch coverage was measured, exactly the sum
    ``coverage report`` prints for the same files.
    """
    covered = total = 0
    for f in files:
        covered += f.covered + f.covered_branches
        total += f.statements + f.branches
    return covered, total


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent (whole must be > 0)."""
    return 100.0 * part / whole


def category_of(relpath: str, config: MaturityConfig) -> str | None:
    """The first coverage category whose globs match a component-relative path."""
    for name, cat in config.coverage_categories.items():
        if any(glob_match(p, relpath) for p in cat.paths):
            return name
    return None


def worst_files(files: Mapping[str, FileCoverage], scope: str) -> list[Evidence]:
    """Evidence for every file of ``scope`` with statements never run, the most first; each
    at its first line never run."""
    ranked = sorted(files.items(), key=lambda kv: (-len(kv[1].missing_lines), kv[0]))
    out: list[Evidence] = []
    for file, cov in ranked:
        if not cov.missing_lines:
            continue
        c, t = coverage_numbers([cov])
        pct = percent(c, t) if t else 100.0
        out.append(
            Evidence(
                message=f"{scope}: {pct:.1f}% covered, {len(cov.missing_lines)} of"
                f" {cov.statements} statements never run",
                file=file,
                line=cov.missing_lines[0],
            )
        )
    return out


OUTCOME_ORDER = ("passed", "failed", "error", "xpassed", "xfailed", "skipped", "deselected")


def outcome_summary(tests: list[TestOutcome]) -> tuple[dict[str, int], int, str]:
    """(count per outcome, passed incl. xpassed, ``"12 passed, 1 failed, 3 skipped"``)."""
    counts: dict[str, int] = {}
    for t in tests:
        counts[t.outcome] = counts.get(t.outcome, 0) + 1
    passed = counts.get("passed", 0) + counts.get("xpassed", 0)
    order = [*OUTCOME_ORDER, *sorted(set(counts) - set(OUTCOME_ORDER))]
    display = ", ".join(f"{counts[o]} {o}" for o in order if counts.get(o)) or "0 tests"
    return counts, passed, display


def not_passing_evidence(tests: Iterable[TestOutcome]) -> list[Evidence]:
    """One evidence item per test that did not pass: outcome, test name, message."""
    return [
        Evidence(
            message=f"{t.outcome}: {t.nodeid.split('::', 1)[-1]}: {t.message}",
            file=t.file,
            line=t.line,
        )
        for t in tests
    ]


def attested(facts: Facts, comp: Component, kind: str) -> dict[str, Any] | None:
    """The component's attestation record of ``kind`` (None when absent); raises
    :class:`NotMeasured` when the attestations could not be read."""
    found = require(facts.attestations, "attestations")
    if comp.name in found.errors:
        raise NotMeasured(Verdict(Status.ERROR, "not measured", found.errors[comp.name]))
    return found.records.get(comp.name, {}).get(kind)


def window_hours(window: str) -> float:
    """``30d`` → 720.0: a Prometheus-style duration in hours."""
    number, unit = int(window[:-1]), window[-1]
    return number * {"s": 1 / 3600, "m": 1 / 60, "h": 1, "d": 24, "w": 168, "y": 8760}[unit]


def production_time(config: MaturityConfig, now: datetime) -> datetime:
    """The time production figures are judged at: ``production.at`` when set, else now."""
    at = config.production.at
    return datetime.fromtimestamp(at, UTC) if at is not None else now


def duration(delta: timedelta) -> str:
    """A duration as people read it: ``15min``, ``1h 15min``, ``1d``, ``1d 1s``."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")) if n
    ]
    return " ".join(parts) or "0s"
