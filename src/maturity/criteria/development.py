"""The eight Development exit criteria (promotion to Staging) of the rulebook."""

from __future__ import annotations

from maturity.attribution import attribute
from maturity.config import Component, MaturityConfig
from maturity.criteria.base import Criterion, Verdict, not_measured, plural, register
from maturity.criteria.measures import category_of, coverage_numbers, percent, worst_files
from maturity.facts import Facts, Finding
from maturity.model import BlockerCategory, Evidence, Stage, Status

DEV = Stage.DEVELOPMENT
FAILING = ("failed", "error")
EVIDENCE_LIMIT = 50


def _coverage(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    cov = facts.coverage
    problem = not_measured(facts.tests, "the test run") or not_measured(cov, "coverage")
    if problem or cov is None:
        return problem or Verdict(Status.ERROR, "not measured", "coverage was not collected")
    files = {f: c for f, c in cov.files.items() if comp.owns(f)}
    command = f"coverage report --data-file={cov.data_file} --include='{comp.path}/*' --precision=1"
    broken = facts.tests.collection_errors if facts.tests else []
    if broken:
        return Verdict(
            Status.ERROR,
            "not measured",
            f"incomplete: {plural(len(broken), 'test file')} could not be collected"
            f" ({broken[0].file}: {broken[0].message})",
            evidence=[Evidence(message=e.message, file=e.file) for e in broken],
            commands=[command],
        )
    covered, total = coverage_numbers(files.values())
    if total == 0:
        return Verdict(
            Status.ERROR,
            "not measured",
            f"coverage measured no statements under {comp.path}/",
            commands=[command],
        )
    pct = percent(covered, total)
    bar = config.thresholds.coverage
    evidence: list[Evidence] = []
    categories: dict[str, dict[str, object]] = {}
    failing: list[str] = []
    for name, cat in config.coverage_categories.items():
        members = {
            f: c
            for f, c in files.items()
            if category_of(f.removeprefix(comp.path + "/"), config) == name
        }
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
        evidence=evidence[:EVIDENCE_LIMIT],
        commands=[command],
        details={
            "covered": covered,
            "statements": total,
            "files": len(files),
            "categories": categories,
        },
    )


def _unit_tests(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    run = facts.tests
    problem = not_measured(run, "the test run")
    if problem or run is None:
        return problem or Verdict(Status.ERROR, "not measured", "tests were not collected")
    att = attribute(comp, run, facts.coverage)
    commands = [f"python -m pytest {' '.join(run.paths)}"]
    if att.method == "marker":
        commands = [f"python -m pytest {' '.join(run.paths)} -m {comp.marker}"]
    elif att.method == "tests path":
        commands = [f"python -m pytest {' '.join(comp.tests)}"]
    details = {"method": att.method}
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
    counts: dict[str, int] = {}
    for t in att.tests:
        counts[t.outcome] = counts.get(t.outcome, 0) + 1
    details |= {"counts": counts, "tests": len(att.tests)}
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
    passed = counts.get("passed", 0) + counts.get("xpassed", 0)
    display = f"{passed}/{len(att.tests)} passed"
    extra = [f"{n} {o}" for o, n in sorted(counts.items()) if o not in ("passed", "xpassed")]
    if extra:
        display += f" ({', '.join(extra)})"
    if bad:
        return Verdict(
            Status.FAIL,
            display,
            f"{plural(len(bad), 'test')} failing of {len(att.tests)} (by {att.method})",
            value=passed,
            evidence=[
                Evidence(
                    message=f"{t.outcome}: {t.nodeid.split('::', 1)[-1]}: {t.message}",
                    file=t.file,
                    line=t.line,
                )
                for t in bad[:EVIDENCE_LIMIT]
            ],
            commands=commands,
            details=details,
        )
    return Verdict(
        Status.PASS,
        display,
        f"all {len(att.tests)} tests pass (by {att.method})",
        value=passed,
        commands=commands,
        details=details,
    )


def _findings_verdict(
    findings: list[Finding], command: str, noun: str = "finding"
) -> tuple[Status, list[Evidence]]:
    evidence = [
        Evidence(message=f"{f.code} {f.message}", file=f.file, line=f.line)
        for f in findings[:EVIDENCE_LIMIT]
    ]
    return (Status.FAIL if findings else Status.PASS), evidence


def _ruff(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    problem = not_measured(facts.ruff, "ruff")
    if problem or facts.ruff is None:
        return problem or Verdict(Status.ERROR, "not measured", "ruff was not collected")
    mine = [f for f in facts.ruff.findings if comp.owns(f.file)]
    command = f"ruff check {comp.path}"
    status, evidence = _findings_verdict(mine, command)
    codes = sorted({f.code for f in mine})
    summary = (
        "All checks passed" if not mine else f"{plural(len(mine), 'finding')}: {', '.join(codes)}"
    )
    return Verdict(status, plural(len(mine), "finding"), summary, len(mine), evidence, [command])


def _pyright(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    problem = not_measured(facts.pyright, "pyright")
    if problem or facts.pyright is None:
        return problem or Verdict(Status.ERROR, "not measured", "pyright was not collected")
    mine = [f for f in facts.pyright.findings if comp.owns(f.file)]
    errors = sum(1 for f in mine if f.severity == "error")
    warnings = len(mine) - errors
    command = f"pyright {comp.path}"
    status, evidence = _findings_verdict(mine, command)
    display = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return Verdict(
        status,
        display,
        display,
        len(mine),
        evidence,
        [command],
        details={"errors": errors, "warnings": warnings},
    )


def _bandit(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    bandit = facts.bandit
    problem = not_measured(bandit, "bandit")
    if problem or bandit is None:
        return problem or Verdict(Status.ERROR, "not measured", "bandit was not collected")
    command = f"bandit -r {comp.path} -f json"
    unscanned = {f: r for f, r in bandit.failed_files.items() if comp.owns(f)}
    if unscanned:
        file, reason = next(iter(unscanned.items()))
        return Verdict(
            Status.ERROR,
            "not measured",
            f"bandit could not scan {plural(len(unscanned), 'file')}: {file}: {reason}",
            evidence=[Evidence(message=r, file=f) for f, r in unscanned.items()],
            commands=[command],
        )
    risks = facts.accepted_risks
    if risks is not None and risks.error:
        return Verdict(Status.ERROR, "not measured", f"accepted risks: {risks.error}")
    entries = risks.entries if risks is not None else []
    mine = [f for f in bandit.findings if comp.owns(f.file)]
    high = [f for f in mine if f.severity == "high"]
    medium = [f for f in mine if f.severity == "medium"]
    low = [f for f in mine if f.severity not in ("high", "medium")]

    def accepted(f: Finding) -> bool:
        return any(
            e.test_id == f.code and e.file == f.file and e.line in (None, f.line) for e in entries
        )

    accepted_low = [f for f in low if accepted(f)]
    unaccepted = [f for f in low if not accepted(f)]
    evidence = [
        Evidence(message=f"{f.severity.upper()} {f.code} {f.message}", file=f.file, line=f.line)
        for f in (*high, *medium)
    ] + [
        Evidence(
            message=f"LOW {f.code} {f.message} — needs documented acceptance in"
            " SECURITY_FINDINGS_ACCEPTED_RISKS.md",
            file=f.file,
            line=f.line,
        )
        for f in unaccepted
    ]
    display = f"{len(high)} high, {len(medium)} medium, {len(low)} low"
    if low:
        display += f" ({len(accepted_low)} accepted)"
    problems = []
    if high or medium:
        problems.append(f"{len(high)} high / {len(medium)} medium")
    if unaccepted:
        problems.append(f"{plural(len(unaccepted), 'low finding')} without documented acceptance")
    return Verdict(
        Status.FAIL if problems else Status.PASS,
        display,
        "; ".join(problems) if problems else "no high or medium findings; lows accepted",
        value=len(high) + len(medium) + len(unaccepted),
        evidence=evidence[:EVIDENCE_LIMIT],
        commands=[command],
        details={
            "high": len(high),
            "medium": len(medium),
            "low": len(low),
            "low_accepted": len(accepted_low),
        },
    )


def _integration(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    files = facts.integration_files
    problem = not_measured(files, "integration test files")
    if problem or files is None:
        return problem or Verdict(Status.ERROR, "not measured", "files were not collected")
    pattern = config.integration_tests.format(component=comp.name)
    found = files.matches.get(comp.name, [])
    command = f"ls {pattern}"
    if not found:
        return Verdict(Status.FAIL, "0 files", f"no file matches {pattern}", 0, commands=[command])
    return Verdict(
        Status.PASS,
        plural(len(found), "file"),
        ", ".join(found),
        len(found),
        [Evidence(message="integration tests", file=f) for f in found],
        [command],
    )


def _documentation(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    docs = facts.docs
    problem = not_measured(docs, "documentation scan")
    if problem or docs is None:
        return problem or Verdict(Status.ERROR, "not measured", "docs were not collected")
    comp_docs = docs.components.get(comp.path)
    if comp_docs is None:
        return Verdict(Status.ERROR, "not measured", f"{comp.path} was not scanned")
    commands = [docs.command] if docs.command else []
    if comp_docs.parse_errors:
        file, reason = next(iter(comp_docs.parse_errors.items()))
        return Verdict(
            Status.ERROR,
            "not measured",
            f"cannot parse {file}: {reason}",
            evidence=[Evidence(message=r, file=f) for f, r in comp_docs.parse_errors.items()],
            commands=commands,
        )
    problems: list[str] = []
    evidence: list[Evidence] = []
    readme = comp_docs.readme
    if readme is None:
        problems.append("no README.md")
        evidence.append(Evidence(message="README.md missing", file=f"{comp.path}/README.md"))
    else:
        if readme.overview_words < 10:
            problems.append("README has no overview")
            evidence.append(Evidence(message="no overview paragraph", file=readme.path))
        if readme.code_blocks == 0:
            problems.append("README has no usage example")
            evidence.append(Evidence(message="no usage example (code block)", file=readme.path))
    symbols = comp_docs.symbols
    documented = sum(1 for s in symbols if s.documented)
    doc_pct = percent(documented, len(symbols)) if symbols else 100.0
    missing = [s for s in symbols if not s.documented]
    if round(doc_pct, 1) < config.thresholds.docstring_coverage:
        problems.append(f"{plural(len(missing), 'public symbol')} without a docstring")
        evidence += [
            Evidence(message=f"{s.kind} {s.name} has no docstring", file=s.file, line=s.line)
            for s in missing[:EVIDENCE_LIMIT]
        ]
    thresholds = config.thresholds
    complex_ = (
        comp_docs.modules >= thresholds.complex_modules
        or comp_docs.code_lines >= thresholds.complex_lines
    )
    has_diagram = bool(
        comp_docs.diagram_file or (readme and (readme.mermaid_blocks or readme.images))
    )
    if complex_ and not has_diagram:
        problems.append(
            f"complex ({comp_docs.modules} modules, {comp_docs.code_lines} lines)"
            " but no architecture diagram"
        )
        evidence.append(
            Evidence(
                message="add a mermaid block or image to the README, or set architecture_diagram",
                file=readme.path if readme else f"{comp.path}/README.md",
            )
        )
    display = f"docstrings {doc_pct:.1f}% ({documented}/{len(symbols)})"
    return Verdict(
        Status.FAIL if problems else Status.PASS,
        display,
        "; ".join(problems)
        if problems
        else "README, docstrings" + (" and architecture diagram" if complex_ else ""),
        value=round(doc_pct, 2),
        evidence=evidence,
        commands=commands,
        details={
            "readme": readme.path if readme else None,
            "documented": documented,
            "public": len(symbols),
            "modules": comp_docs.modules,
            "code_lines": comp_docs.code_lines,
            "complex": complex_,
            "diagram": has_diagram,
        },
    )


def _blocker_labels(labels: tuple[str, ...]) -> list[str]:
    return [lbl for lbl in labels if lbl.startswith("blocker:")]


def _blockers(facts: Facts, comp: Component, config: MaturityConfig) -> Verdict:
    issues = facts.issues
    problem = not_measured(issues, "blocker issues")
    if problem or issues is None:
        return problem or Verdict(Status.ERROR, "not measured", "issues were not collected")
    command = f'gh issue list --label "{comp.label}" --state open  # then blocker:* labels'
    open_blockers = [
        i for i in issues.issues if comp.label in i.labels and _blocker_labels(i.labels)
    ]
    evidence = [
        Evidence(
            message=f"#{i.number} {i.title} [{', '.join(_blocker_labels(i.labels))}]"
            + (f" {i.url}" if i.url else "")
        )
        for i in open_blockers
    ]
    known = {c.value for c in BlockerCategory}
    names = [
        lbl.removeprefix("blocker:") for i in open_blockers for lbl in _blocker_labels(i.labels)
    ]
    category = next((BlockerCategory(n) for n in names if n in known), None)
    return Verdict(
        Status.FAIL if open_blockers else Status.PASS,
        f"{len(open_blockers)} open",
        f"{plural(len(open_blockers), 'open blocker issue')} ({issues.source})",
        len(open_blockers),
        evidence,
        [command],
        blocker_category=category,
    )


def _pct_bar(value: float) -> str:
    return f"≥{value:g}%"


register(
    Criterion(
        id="dev.coverage",
        gate=DEV,
        title="Test coverage",
        checklist="Test coverage {threshold}",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: _pct_bar(c.thresholds.coverage),
        needs=("tests",),
        rule=_coverage,
    )
)
register(
    Criterion(
        id="dev.unit_tests",
        gate=DEV,
        title="All unit tests passing",
        checklist="All unit tests passing",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: "100% pass, ≥1 test",
        needs=("tests",),
        rule=_unit_tests,
    )
)
register(
    Criterion(
        id="dev.ruff",
        gate=DEV,
        title="Linting clean (ruff)",
        checklist="Linting clean (ruff)",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: "0 findings",
        needs=("ruff",),
        rule=_ruff,
    )
)
register(
    Criterion(
        id="dev.pyright",
        gate=DEV,
        title="Type checking clean (pyright)",
        checklist="Type checking clean (pyright)",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: "0 errors, 0 warnings",
        needs=("pyright",),
        rule=_pyright,
    )
)
register(
    Criterion(
        id="dev.security_scan",
        gate=DEV,
        title="Security scan passed (bandit)",
        checklist="Security scan passed",
        blocker_category=BlockerCategory.SECURITY,
        threshold=lambda c: "0 high, 0 medium, lows accepted",
        needs=("bandit", "accepted_risks"),
        rule=_bandit,
    )
)
register(
    Criterion(
        id="dev.integration_tests",
        gate=DEV,
        title="Integration tests written",
        checklist="Integration tests written",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: "≥1 file",
        needs=("integration_files",),
        rule=_integration,
    )
)
register(
    Criterion(
        id="dev.documentation",
        gate=DEV,
        title="Documentation complete",
        checklist="Documentation complete",
        blocker_category=BlockerCategory.DOCUMENTATION,
        threshold=lambda c: f"README + docstrings {_pct_bar(c.thresholds.docstring_coverage)}",
        needs=("docs",),
        rule=_documentation,
    )
)
register(
    Criterion(
        id="dev.blockers",
        gate=DEV,
        title="No promotion blockers",
        checklist="No promotion blockers",
        blocker_category=BlockerCategory.TESTS,
        threshold=lambda c: "0 open",
        needs=("issues",),
        rule=_blockers,
    )
)
