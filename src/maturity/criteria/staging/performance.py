"""Staging exit criterion: performance benchmarks met, from the component's load test."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from maturity.config import MaturityConfig
from maturity.criteria.base import Criterion, Verdict, register, require
from maturity.facts import Facts
from maturity.model import BlockerCategory, Evidence, Stage, Status
from maturity.project import Component


def performance_bars(config: MaturityConfig) -> str:
    """The performance threshold as shown in reports."""
    b = config.staging.performance
    return (
        f"p95 API<{b.api_p95_ms:g}ms DB<{b.db_p95_ms:g}ms page<{b.page_p95_ms:g}ms;"
        f" ≥{b.users} users, ≥{b.rps:g} rps, <{b.memory_mb:g} MB, CPU<{b.cpu_percent:g}%"
    )


def performance(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """The spec's performance bars, each figure shown with its bar."""
    found = require(facts.performance, "the load test")
    result = found.results.get(comp.name)
    if result is None:
        return Verdict(
            Status.FAIL, "no load test",
            f"no [tool.maturity.components.{comp.name}.performance] load test configured",
        )  # fmt: skip
    commands = [result.command] if result.command else []
    if result.error:
        return Verdict(Status.ERROR, "not measured", result.error, commands=commands)
    bars = config.staging.performance
    checks: list[tuple[str, float | None, float, bool]] = []  # label, figure, bar, lower is better
    for group, bar in (
        ("api", bars.api_p95_ms),
        ("db", bars.db_p95_ms),
        ("page", bars.page_p95_ms),
    ):
        figures = result.groups.get(group)
        checks.append((f"{group} p95 ms", figures.p95_ms if figures else None, bar, True))
    checks += [
        ("users", result.peak_users, bars.users, False),
        ("requests/s", result.rps, bars.rps, False),
        ("memory MB", result.memory_mb, bars.memory_mb, True),
        ("CPU %", result.cpu_percent, bars.cpu_percent, True),
    ]
    shown: list[str] = []
    failing: list[str] = []
    unmeasured: list[str] = []
    figures_out: dict[str, Any] = {}
    for label, figure, bar, lower in checks:
        op = "<" if lower else "≥"
        figures_out[label] = {"value": figure, "bar": bar, "lower_is_better": lower}
        if figure is None:
            unmeasured.append(label)
            shown.append(f"{label}: not measured ({op} {bar:g})")
            continue
        ok = figure < bar if lower else figure >= bar
        value = f"{figure:.0f}" if label == "users" else f"{figure:.1f}"
        text = f"{label} {value} {op} {bar:g}" if ok else f"{label} {value} (need {op} {bar:g})"
        shown.append(text)
        if not ok:
            failing.append(text)
    if result.failures:
        failing.append(f"{result.failures} of {result.http_requests} requests failed")
    details = {"figures": figures_out, "mode": result.mode, "source": result.source,
               "unmatched": result.unmatched}  # fmt: skip
    sampled = ("memory MB", "CPU %")  # psutil's figures, not locust's
    evidence = [
        Evidence(message=text, file=None if text.startswith(sampled) else result.source)
        for text in shown
    ]
    evidence += [Evidence(message=f"request name in no group: {n}") for n in result.unmatched]
    if failing:
        return Verdict(
            Status.FAIL, f"{len(failing)} of {len(checks)} bars missed", "; ".join(failing),
            len(failing), evidence, commands, details,
        )  # fmt: skip
    if unmeasured:
        return Verdict(
            Status.ERROR, "not measured", "not measured: " + ", ".join(unmeasured)
            + (" (ingest mode samples no process)" if result.mode == "ingest" else ""),
            None, evidence, commands, details,
        )  # fmt: skip
    return Verdict(
        Status.PASS, f"{len(checks)}/{len(checks)} bars met", "; ".join(shown), 0,
        evidence, commands, details,
    )  # fmt: skip


register(
    Criterion(
        id="stg.performance",
        gate=Stage.STAGING,
        number=3,
        title="Performance benchmarks met",
        checklist="Performance benchmarks met",
        category=BlockerCategory.PERFORMANCE,
        shown=performance_bars,
        remediation="Configure the component's load test ([tool.maturity.components.<name>"
        ".performance]) and bring the figures listed under their bars.",
        needs=("performance",),
        rule=performance,
    )
)
