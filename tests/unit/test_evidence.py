"""Evidence kept per criterion: every finding at a place, a capped number of the others."""

from __future__ import annotations

from maturity.config import MaturityConfig
from maturity.criteria import criteria_for
from maturity.criteria.base import EVIDENCE_LIMIT, cap_evidence
from maturity.facts import (
    CoverageFacts,
    Facts,
    FileCoverage,
    Finding,
    FindingsFacts,
    Issue,
    IssuesFacts,
    SourcesFacts,
    TestRunFacts,
)
from maturity.model import CriterionResult, Evidence, Stage, Status
from maturity.project import Component

CONFIG = MaturityConfig()
COMP = Component(name="game", path="src/game", stage=Stage.DEVELOPMENT, marker="game", tests=[])


def judge(criterion_id: str, facts: Facts) -> CriterionResult:
    crit = next(c for c in criteria_for(Stage.DEVELOPMENT) if c.id == criterion_id)
    return crit.evaluate(facts, COMP, CONFIG)


def test_every_located_finding_is_kept_beyond_the_limit() -> None:
    many = EVIDENCE_LIMIT * 3 + 7
    findings = [
        Finding(f"src/game/m{i % 4}.py", i + 1, "E501", "too long", "error") for i in range(many)
    ]
    facts = Facts(
        ruff=FindingsFacts(findings=findings),
        sources=SourcesFacts(files={"game": ["src/game/a.py"]}),
    )
    res = judge("dev.ruff", facts)
    assert res.value == many
    assert [(e.file, e.line, e.code) for e in res.evidence] == [
        (f.file, f.line, f.code) for f in findings
    ]
    assert "evidence_omitted" not in res.details


def test_evidence_without_a_file_is_capped_and_the_rest_counted() -> None:
    issues = [
        Issue(n, f"Crash {n}", ("component:game", "blocker:tests"))
        for n in range(1, EVIDENCE_LIMIT + 13)
    ]
    res = judge("dev.blockers", Facts(issues=IssuesFacts(source="file:x", issues=issues)))
    assert res.value == len(issues)
    assert [e.message.split()[0] for e in res.evidence] == [
        f"#{n}" for n in range(1, EVIDENCE_LIMIT + 1)
    ]
    assert res.details["evidence_omitted"] == 12


def test_the_cap_keeps_order_and_every_item_with_a_file() -> None:
    mixed = [Evidence(message=f"u{i}") for i in range(EVIDENCE_LIMIT + 2)]
    mixed.insert(EVIDENCE_LIMIT + 1, Evidence(message="at a place", file="src/game/a.py"))
    kept, omitted = cap_evidence(mixed)
    assert omitted == 2
    assert kept == [*mixed[:EVIDENCE_LIMIT], mixed[EVIDENCE_LIMIT + 1]]


def test_coverage_lists_every_file_with_statements_never_run_the_most_first() -> None:
    def cov(statements: int, covered: int) -> FileCoverage:
        return FileCoverage(
            statements, covered, missing_lines=list(range(covered + 1, statements + 1))
        )

    files = {f"src/game/f{i}.py": cov(20, i) for i in range(12)}
    files["src/game/full.py"] = cov(20, 20)
    coverage = CoverageFacts(files=files, data_file=".coverage", has_contexts=True)
    facts = Facts(tests=TestRunFacts(paths=["tests"], coverage=coverage))
    res = judge("dev.coverage", facts)
    assert res.status is Status.FAIL
    assert [e.location() for e in res.evidence] == [f"src/game/f{i}.py:{i + 1}" for i in range(12)]
