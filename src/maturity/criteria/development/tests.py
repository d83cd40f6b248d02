"""Development exit criteria about tests: coverage (with categories), unit tests passing."""

from __future__ import annotations

import posixpath
from datetime import datetime

from maturity.attribution import METHODS, NOT_RUN, RAN, attribute
from maturity.config import MaturityConfig
from maturity.criteria.base import (
    Criterion,
    Verdict,
    files_not_measured,
    plural,
    register,
    require,
)
from maturity.criteria.measures import (
    category_of,
    coverage_numbers,
    not_passing_evidence,
    outcome_summary,
    percent,
    worst_files,
)
from maturity.facts import CoverageFacts, Facts
from maturity.model import BlockerCategory, Evidence, Figure, Stage, Status
from maturity.project import Component

FAILING = ("failed", "error")


def coverage_command(cov: CoverageFacts, comp: Component) -> str:
    """``coverage report`` restricted to exactly the component's files, from where its
    figures were read: a workspace member's from its project directory (its own coverage
    configuration applies), on the data file its reader read, paths relative to it.

    A nested component's files are omitted; ``--omit`` replaces the target's own
    ``[report] omit``, so its patterns are repeated then. A member's command always
    omits what its configuration omits, ``[run] omit`` too: the combined data file may
    list such files (another member's session, or the files no test imported).
    """
    project = comp.project

    def here(path: str) -> str:
        return path if project == "." else posixpath.relpath(path, project)

    data = cov.read_from.get(project, cov.data_file) or ""
    command = f"coverage report --data-file={here(data)} --include='{here(comp.path)}/*'"
    own = cov.omit_in.get(project) if project != "." else None
    if comp.nested or own:
        omit = [f"{here(n)}/*" for n in comp.nested] + (cov.omit if own is None else own)
        command += f" --omit='{','.join(omit)}'"
    command += " --precision=1"
    return command if project == "." else f"cd {project} && {command}"


def coverage(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """Total and per-category coverage over all the component's files."""
    run = require(facts.tests, "the test run")
    cov = require(facts.coverage, "coverage")
    files = {f: cov.files[f] for f in cov.files_in(comp.path) if comp.owns(f)}
    command = coverage_command(cov, comp)
    broken = run.errors_for(comp.tests, comp.project)
    if broken:
        return Verdict(
            Status.ERROR,
            "not measured",
            f"incomplete: {plural(len(broken), 'test file')} could not be collected"
            f" ({broken[0].file}: {broken[0].message})",
            evidence=[Evidence(message=e.message, file=e.file) for e in broken],
            commands=[command],
        )
    unreadable = {f: why for f, why in cov.file_errors.items() if comp.owns(f)}
    if unreadable:
        said = f"coverage cannot analyse {plural(len(unreadable), 'file')}: "
        return files_not_measured(unreadable, said, [command])
    covered, total = coverage_numbers(files.values())
    if total == 0:
        omitted = [f for f in cov.omitted if comp.owns(f)]
        why = (
            f": the repository's [report] omit ({', '.join(cov.omit)}) leaves out"
            f" {plural(len(omitted), 'file')} of it"
            if omitted
            else ""
        )
        return Verdict(
            Status.ERROR,
            "not measured",
            f"coverage measured no statements under {comp.path}/{why}",
            evidence=[Evidence(message="omitted by [report] omit", file=f) for f in omitted],
            commands=[command],
        )
    pct = percent(covered, total)
    bar = config.thresholds.coverage
    evidence: list[Evidence] = []
    categories: dict[str, dict[str, object]] = {}
    failing: list[str] = []
    category = {f: category_of(f.removeprefix(comp.path + "/"), config) for f in files}
    for name, cat in config.coverage_categories.items():
        members = {f: c for f, c in files.items() if category[f] == name}
        if not members:
            continue
        c_cov, c_tot = coverage_numbers(members.values())
        c_pct = percent(c_cov, c_tot) if c_tot else 100.0
        ok = round(c_pct, 1) >= cat.threshold
        categories[name] = {
            "percent": round(c_pct, 1),
            "threshold": cat.threshold,
            "covered": c_cov,
            "statements": c_tot,
            "files": sorted(members),
            "met": ok,
        }
        if not ok:
            failing.append(f"{name} {c_pct:.1f}% < {cat.threshold:g}%")
            evidence += worst_files(members, name)
    total_ok = round(pct, 1) >= bar
    if not total_ok:
        evidence = worst_files(files, "total") + evidence
        failing.insert(0, f"total {pct:.1f}% < {bar:g}%")
    shown = ", ".join(f"{n} {v['percent']}%" for n, v in categories.items())
    summary = (
        "; ".join(failing)
        if failing
        else f"{covered}/{total} covered" + (f" ({shown})" if shown else "")
    )
    weak = [f"{n} {v['percent']}%" for n, v in categories.items() if not v["met"]]
    return Verdict(
        Status.PASS if not failing else Status.FAIL,
        f"{pct:.1f}%" + (f" ({', '.join(weak)})" if weak else ""),
        summary,
        value=round(pct, 2),
        evidence=evidence,
        commands=[command],
        details={
            "covered": covered,
            "statements": total,
            "files": len(files),
            "categories": categories,
            "data_file": cov.data_file,
        },
    )


def unit_tests(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """Every test that belongs to the component ran and passes, and there is one."""
    run = require(facts.tests, "the test run")
    att = attribute(comp, run, facts.coverage)
    commands = [run.command_for(run.paths)]
    if att.method == "marker":
        commands = [run.command_for(run.paths, f"-m {comp.marker}")]
    elif att.method == "tests path":
        commands = [run.command_for(comp.tests)]
    details: dict[str, object] = {"method": att.method}
    if att.error:
        return Verdict(Status.ERROR, "not measured", att.error, commands=commands, details=details)
    if att.unknown:
        first = att.unknown[0]
        return Verdict(
            Status.ERROR,
            "not measured",
            f"{plural(len(att.unknown), 'test file')} could not be collected, so this component's"
            f" tests are unknown: {first.file}: {first.message}",
            evidence=[Evidence(message=e.message, file=e.file) for e in att.unknown],
            commands=commands,
            details=details,
        )
    counts, passed, display = outcome_summary(att.tests)
    by = {m: n for m in METHODS if (n := sum(h == m for h in att.how.values()))}
    details |= {"counts": counts, "tests": len(att.tests), "by": by}
    how = (  # "by marker", or "12 by coverage contexts, 3 by imports"
        ", ".join(f"{n} by {m}" for m, n in by.items())
        if len(by) > 1
        else f"by {next(iter(by), att.method)}"
    )
    never = [t for t in att.tests if t.outcome in NOT_RUN]
    if never:
        return Verdict(
            Status.ERROR,
            "not measured",
            f"{plural(len(never), 'test')} of this component never ran"
            f" ({', '.join(sorted({t.outcome for t in never}))}: -m/-k or a plugin took them"
            " out of the session): its tests are not all known to pass",
            evidence=not_passing_evidence(never),
            commands=commands,
            details=details,
        )
    if not att.tests:
        return Verdict(
            Status.FAIL,
            "0 tests",
            f"no unit tests found for this component (by {att.method})",
            value=0,
            commands=commands,
            details=details,
        )
    bad = [t for t in att.tests if t.outcome in FAILING]
    if bad:
        return Verdict(
            Status.FAIL,
            display,
            f"{plural(len(bad), 'test')} failing of {len(att.tests)} ({how})",
            value=passed,
            evidence=not_passing_evidence(bad),
            commands=commands,
            details=details,
        )
    if not any(t.outcome in RAN for t in att.tests):
        return Verdict(
            Status.FAIL,
            f"0 of {plural(len(att.tests), 'test')} ran ({display})",
            f"none of this component's {plural(len(att.tests), 'test')} ran: a skipped test"
            " proves nothing",
            value=0,
            evidence=not_passing_evidence(att.tests),
            commands=commands,
            details=details,
        )
    return Verdict(
        Status.PASS,
        display,
        f"all {plural(sum(t.outcome in RAN for t in att.tests), 'test')} that ran pass ({how})",
        value=passed,
        commands=commands,
        details=details,
    )


register(
    Criterion(
        id="dev.coverage",
        figure=Figure.COVERAGE,
        gate=Stage.DEVELOPMENT,
        number=1,
        title="Test coverage",
        checklist="Test coverage {threshold}",
        category=BlockerCategory.TESTS,
        bar=lambda c: c.thresholds.coverage,
        shown=lambda c: f"≥{c.thresholds.coverage:g}%",
        remediation="Test the files with the most statements never run (listed) until the"
        " component, and each coverage category it has files in, reach their bar.",
        needs=("tests",),
        rule=coverage,
    )
)
register(
    Criterion(
        id="dev.unit_tests",
        figure=Figure.TESTS,
        gate=Stage.DEVELOPMENT,
        number=2,
        title="All unit tests passing",
        checklist="All unit tests passing",
        category=BlockerCategory.TESTS,
        shown=lambda c: "100% pass, ≥1 test",
        remediation="Fix the failing tests listed (or the code they caught); give a component"
        " without tests at least one, and let skipped or deselected tests run.",
        needs=("tests",),
        rule=unit_tests,
    )
)
