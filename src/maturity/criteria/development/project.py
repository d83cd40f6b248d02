"""Development exit criteria about the project around the code: integration test files,
documentation, open blocker issues."""

from __future__ import annotations

from datetime import datetime

from maturity.config import MaturityConfig
from maturity.criteria.base import (
    Criterion,
    Verdict,
    files_not_measured,
    plural,
    register,
    require,
)
from maturity.criteria.measures import owned_sources, percent
from maturity.facts import Facts
from maturity.model import BlockerCategory, Evidence, Stage, Status
from maturity.project import Component


def integration_tests(
    facts: Facts, comp: Component, config: MaturityConfig, now: datetime
) -> Verdict:
    """At least one file matches the integration test pattern."""
    files = require(facts.integration_files, "integration test files")
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


def documentation(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """README with overview and example, public docstrings, diagram when complex."""
    docs = require(facts.docs, "documentation scan")
    owned_sources(facts, comp)
    comp_docs = docs.components.get(comp.path)
    if comp_docs is None:
        return Verdict(Status.ERROR, "not measured", f"{comp.path} was not scanned")
    commands = [docs.command] if docs.command else []
    if comp_docs.parse_errors:
        return files_not_measured(comp_docs.parse_errors, "cannot parse ", commands)
    problems: list[str] = []
    evidence: list[Evidence] = []
    readme = comp_docs.readme
    if readme is None:
        problems.append("no README.md")
        where = comp.path if comp.project == "." else comp.project
        evidence.append(Evidence(message="README.md missing", file=f"{where}/README.md"))
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
            for s in missing
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
    display = (
        f"docstrings {doc_pct:.1f}% ({documented}/{len(symbols)})"
        if symbols
        else "no public symbols"
    )
    return Verdict(
        Status.FAIL if problems else Status.PASS,
        display,
        "; ".join(problems)
        if problems
        else "README, docstrings" + (" and architecture diagram" if complex_ else ""),
        value=round(doc_pct, 2) if symbols else None,
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


def blockers(facts: Facts, comp: Component, config: MaturityConfig, now: datetime) -> Verdict:
    """No open issue labelled with the component and a ``blocker:*`` label."""
    found = facts.issues
    if found is not None and found.error and found.misconfigured:
        return Verdict(
            Status.ERROR,
            "not configured",
            f"blocker issues: {found.error}",
            blocker_category=BlockerCategory.CONFIGURATION,
        )
    issues = require(found, "blocker issues")
    command = f'gh issue list --label "{comp.label}" --state open  # then blocker:* labels'
    open_blockers = [
        i for i in issues.issues if comp.label in i.labels and _blocker_labels(i.labels)
    ]
    evidence = [
        Evidence(
            message=f"#{i.number} {i.title} [{', '.join(_blocker_labels(i.labels))}]", url=i.url
        )
        for i in open_blockers
    ]
    known = {c.value for c in BlockerCategory} - {BlockerCategory.CONFIGURATION.value}
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


register(
    Criterion(
        id="dev.integration_tests",
        gate=Stage.DEVELOPMENT,
        number=6,
        title="Integration tests written",
        checklist="Integration tests written",
        category=BlockerCategory.TESTS,
        bar=lambda c: 1,
        shown=lambda c: "≥1 file",
        remediation="Write integration tests in a file matching the integration_tests pattern"
        " (tests/integration/test_<component>_*.py by default).",
        needs=("integration_files",),
        rule=integration_tests,
    )
)
register(
    Criterion(
        id="dev.documentation",
        gate=Stage.DEVELOPMENT,
        number=7,
        title="Documentation complete",
        checklist="Documentation complete",
        category=BlockerCategory.DOCUMENTATION,
        bar=lambda c: c.thresholds.docstring_coverage,
        shown=lambda c: f"README + docstrings ≥{c.thresholds.docstring_coverage:g}%",
        remediation="Add the README (an overview and a usage example), the docstrings listed,"
        " and, for a complex component, an architecture diagram.",
        needs=("docs", "sources"),
        rule=documentation,
    )
)
register(
    Criterion(
        id="dev.blockers",
        gate=Stage.DEVELOPMENT,
        number=8,
        title="No promotion blockers",
        checklist="No promotion blockers",
        category=BlockerCategory.TESTS,
        bar=lambda c: 0,
        shown=lambda c: "0 open",
        remediation="Resolve and close the open blocker issues listed.",
        needs=("issues",),
        rule=blockers,
    )
)
