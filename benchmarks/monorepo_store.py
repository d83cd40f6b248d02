"""A generated history store of a big monorepo: N components x D daily runs.

The runs start from a real report (``maturity run --stage production --json`` of
examples/tta: every criterion of the three stages, with real figures and evidence); each
component of the generated repository is one of its six components under a new name and
path, holding development, staging or production (about 55/30/15 %), with its gates,
readiness and regressions decided from the statuses the way the evaluation decides them.
Day by day the coverage drifts and a few criteria flip between pass and fail, so trends,
failing streaks and comparisons have something to show; promotions and deployments are
recorded along the way. Deterministic for a given seed.

    .venv/bin/python benchmarks/monorepo_store.py URL [--components 300] [--days 365]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from maturity.model import ComponentReport, GateRole, GateStatus, RunReport, Stage, Status
from maturity.store import Store, open_store, save_run
from maturity.store.tables import DeploymentRow, StageEventRow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STAGES = [Stage.DEVELOPMENT] * 11 + [Stage.STAGING] * 6 + [Stage.PRODUCTION] * 3


def real_report(work: Path) -> RunReport:
    """A real run of a copy of examples/tta judged on every stage's criteria."""
    import shutil

    repo = work / "tta"
    shutil.copytree(ROOT / "examples" / "tta", repo, ignore=shutil.ignore_patterns(".maturity"))
    out = work / "report.json"
    subprocess.run(
        [str(BIN / "maturity"), "run", str(repo), "--stage", "production", "--json", str(out),
         "--no-store", "--no-progress"],
        check=True, capture_output=True,
    )  # fmt: skip
    return RunReport.model_validate_json(out.read_text())


def decide(comp: ComponentReport) -> None:
    """Gates, readiness and regression from the statuses, for the stage it holds."""
    order = list(Stage)
    held = order.index(comp.stage)
    comp.gates = []
    for i, gate in enumerate(order):
        crits = comp.for_gate(gate)
        if i < held:
            role = GateRole.ENTRY
        elif i == held:
            role = GateRole.EXIT if gate is not Stage.PRODUCTION else GateRole.MAINTENANCE
        else:
            role = GateRole.AHEAD
        comp.gates.append(
            GateStatus(
                gate=gate, role=role, met=all(c.met for c in crits),
                failing=[c.id for c in crits if c.status is Status.FAIL],
                unmeasured=[c.id for c in crits if c.status is Status.ERROR],
            )
        )  # fmt: skip
    comp.target = comp.stage.next
    comp.regressed = any(g.role is GateRole.ENTRY and not g.met for g in comp.gates)
    exit_gate = comp.gate(GateRole.EXIT)
    comp.ready = exit_gate is not None and exit_gate.met and not comp.regressed
    comp.blocking = [c.id for c in comp.criteria if not c.met][:3]
    comp.next_step = "fix: " + ", ".join(comp.blocking) if comp.blocking else ""


def generate(real: RunReport, components: int, rng: random.Random) -> RunReport:
    """Day 0 of the generated monorepo."""
    report = real.model_copy(deep=True)
    report.components = []
    for i in range(components):
        base = real.components[i % len(real.components)]
        comp = base.model_copy(deep=True)
        comp.name = f"{base.name}_{i:03d}"
        comp.label = f"component:{comp.name.replace('_', '-')}"
        comp.path = f"services/team_{i % 12:02d}/{comp.name}"
        comp.stage = STAGES[rng.randrange(len(STAGES))]
        for crit in comp.criteria:
            if crit.gate.value in ("staging", "production") and rng.random() < 0.55:
                crit.status = Status.PASS  # the stages a component holds are mostly met
            if len(crit.evidence) > 5:
                crit.evidence = crit.evidence[:5]
        decide(comp)
        report.components.append(comp)
    return report


def next_day(report: RunReport, day: datetime, rng: random.Random) -> None:
    """One more day: coverage drifts, a few criteria flip."""
    report.timestamp = day.isoformat()
    for comp in report.components:
        for crit in comp.criteria:
            if crit.id == "dev.coverage" and isinstance(crit.value, int | float):
                value = min(100.0, max(0.0, float(crit.value) + rng.uniform(-0.6, 0.7)))
                crit.value = round(value, 1)
                crit.display = f"{crit.value:.1f}%"
                crit.status = Status.PASS if crit.value >= 70 else Status.FAIL
            elif crit.status in (Status.PASS, Status.FAIL) and rng.random() < 0.004:
                crit.status = Status.FAIL if crit.status is Status.PASS else Status.PASS
        decide(comp)


def record_events(store: Store, report: RunReport, start: datetime, days: int) -> None:
    """Promotions and deployments over the year (a few per component)."""
    rng = random.Random(7)  # noqa: S311 - generated data, reproducible on purpose
    stages, deploys = [], []
    for comp in report.components:
        if comp.stage is Stage.DEVELOPMENT:
            continue
        at = start + timedelta(days=rng.randrange(days // 2), hours=rng.randrange(24))
        stages.append({
            "component": comp.name, "kind": "promotion", "from_stage": "development",
            "to_stage": "staging", "at": at, "actor": f"dev{rng.randrange(9)}",
            "reason": "exit criteria met", "forced": False, "commit": None, "run_id": None,
        })  # fmt: skip
        for n in range(rng.randrange(2, 6)):
            env = "staging" if comp.stage is Stage.STAGING or n % 2 else "production"
            deploys.append({
                "component": comp.name, "environment": env, "version": f"1.{n}.0",
                "status": "success" if rng.random() < 0.9 else "failed",
                "at": at + timedelta(days=n * 9 + 1), "actor": f"ci{rng.randrange(3)}",
                "commit": None,
            })  # fmt: skip
    with store.transaction() as session:
        session.execute(insert(StageEventRow), stages)
        session.execute(insert(DeploymentRow), deploys)


def build(url: str, components: int, days: int, real: RunReport | None = None) -> Store:
    """Fill the (empty) store at ``url``; returns it."""
    rng = random.Random(components * 1000 + days)  # noqa: S311 - reproducible data
    if real is None:
        with tempfile.TemporaryDirectory() as tmp:
            real = real_report(Path(tmp))
    store = open_store(url)
    report = generate(real, components, rng)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)
    for day in range(days):
        next_day(report, start + timedelta(days=day), rng)
        save_run(store, report)
    record_events(store, report, start, days)
    return store


def main() -> None:
    """Build a store and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--components", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--report", type=Path, help="a report JSON to start from")
    args = parser.parse_args()
    t0 = time.perf_counter()
    real = RunReport.model_validate_json(args.report.read_text()) if args.report else None
    build(args.url, args.components, args.days, real)
    print(f"{args.components} components x {args.days} runs in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
