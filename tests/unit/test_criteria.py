"""The Development rulebook as pure functions of facts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from maturity.config import MaturityConfig
from maturity.criteria import criteria_for
from maturity.evaluate import evaluate_component
from maturity.facts import (
    AcceptedRisk,
    AcceptedRisks,
    CollectionError,
    ComponentDocsFacts,
    CoverageFacts,
    DocsFacts,
    Facts,
    FileCoverage,
    FilesFacts,
    Finding,
    FindingsFacts,
    Issue,
    IssuesFacts,
    PublicSymbol,
    ReadmeFacts,
    SourcesFacts,
    TestOutcome,
    TestRunFacts,
)
from maturity.model import BlockerCategory, Stage, Status
from maturity.project import Component, load_project
from tests.helpers import write_tree

CONFIG = MaturityConfig()
COMP = Component(name="game", path="src/game", stage=Stage.DEVELOPMENT, marker="game", tests=[])


def rule(criterion_id: str, facts: Facts, comp: Component = COMP, config: MaturityConfig = CONFIG):
    crit = next(c for c in criteria_for(Stage.DEVELOPMENT) if c.id == criterion_id)
    return crit.evaluate(facts, comp, config)


def cov(statements: int, covered: int, tests: set[str] | None = None) -> FileCoverage:
    missing = list(range(covered + 1, statements + 1))
    return FileCoverage(statements, covered, missing_lines=missing, tests=frozenset(tests or ()))


def run_facts(
    *tests: TestOutcome,
    files: dict[str, FileCoverage] | None = None,
    imports: dict[str, list[str]] | None = None,
) -> Facts:
    coverage = CoverageFacts(
        files=files or {}, data_file=".maturity/runs/x/.coverage", has_contexts=True
    )
    run = TestRunFacts(
        paths=["tests/unit"], tests=list(tests), coverage=coverage, imports=imports or {}
    )
    return Facts(tests=run)


def sources(*files: str, component: str = "game") -> SourcesFacts:
    return SourcesFacts(files={component: list(files)})


def test_rulebook_has_the_eight_development_criteria_in_spec_order() -> None:
    assert [c.id for c in criteria_for(Stage.DEVELOPMENT)] == [
        "dev.coverage",
        "dev.unit_tests",
        "dev.ruff",
        "dev.pyright",
        "dev.security_scan",
        "dev.integration_tests",
        "dev.documentation",
        "dev.blockers",
    ]


def test_coverage_uses_coverage_py_rounding_at_one_decimal() -> None:
    # 69.96% rounds to 70.0% exactly as `coverage report --precision=1` shows it
    facts = run_facts(files={"src/game/a.py": cov(10000, 6996)})
    res = rule("dev.coverage", facts)
    assert (res.status, res.display, res.threshold) == (Status.PASS, "70.0%", "≥70%")
    facts = run_facts(files={"src/game/a.py": cov(10000, 6994)})
    assert rule("dev.coverage", facts).status is Status.FAIL


def test_coverage_counts_branches_like_coverage_py() -> None:
    f = FileCoverage(statements=10, covered=10, branches=10, covered_branches=2)
    res = rule("dev.coverage", run_facts(files={"src/game/a.py": f}))
    assert res.display == "60.0%"


def test_coverage_ignores_other_components_files_and_errors_without_statements() -> None:
    facts = run_facts(files={"src/gamex/a.py": cov(10, 10)})
    res = rule("dev.coverage", facts)
    assert res.status is Status.ERROR
    assert res.summary == "coverage measured no statements under src/game/"


def test_coverage_category_breakdown_reports_each_category_with_files() -> None:
    files = {
        "src/game/auth.py": cov(10, 9),
        "src/game/engine.py": cov(10, 8),
        "src/game/views.py": cov(10, 6),
        "src/game/other.py": cov(10, 10),
    }
    res = rule("dev.coverage", run_facts(files=files))
    cats = res.details["categories"]
    assert set(cats) == {"critical_paths", "business_logic", "ui"}
    assert cats["critical_paths"]["percent"] == 90.0
    assert res.status is Status.PASS
    files["src/game/engine.py"] = cov(10, 7)
    res = rule("dev.coverage", run_facts(files=files))
    assert res.status is Status.FAIL
    assert res.summary == "business_logic 70.0% < 80%"
    assert res.evidence[0].location() == "src/game/engine.py:8"


def test_custom_categories_from_config() -> None:
    config = MaturityConfig.model_validate(
        {"coverage_categories": {"everything": {"threshold": 95, "paths": ["**"]}}}
    )
    res = rule("dev.coverage", run_facts(files={"src/game/x.py": cov(10, 9)}), config=config)
    assert res.status is Status.FAIL
    assert res.summary == "everything 90.0% < 95%"


def test_missing_facts_are_errors_never_passes() -> None:
    empty = Facts()
    for crit in criteria_for(Stage.DEVELOPMENT):
        res = crit.evaluate(empty, COMP, CONFIG)
        assert res.status is Status.ERROR, crit.id
        assert res.display == "not measured"


def test_tool_error_is_carried_into_the_summary() -> None:
    facts = Facts(ruff=FindingsFacts(error="ruff failed: bad config", command="ruff check src"))
    res = rule("dev.ruff", facts)
    assert (res.status, res.summary) == (Status.ERROR, "ruff: ruff failed: bad config")
    assert res.commands == ["ruff check src"]


def outcome(nodeid: str, result: str = "passed", markers: tuple[str, ...] = ()) -> TestOutcome:
    return TestOutcome(
        nodeid=nodeid, file=nodeid.split("::", maxsplit=1)[0], outcome=result, markers=markers
    )


def test_unit_tests_by_contexts_then_imports_count_only_the_components_tests() -> None:
    files = {
        "src/game/a.py": cov(2, 2, {"t/test_a.py::one"}),
        "src/other/b.py": cov(2, 2, {"t/test_c.py::elsewhere"}),
    }
    facts = run_facts(
        outcome("t/test_a.py::one"),
        outcome("t/test_a.py::two", "skipped"),  # ran nothing; its module imports game
        outcome("t/test_b.py::other", "failed"),  # ran nothing; imports nothing of game
        outcome("t/test_c.py::elsewhere", "failed"),  # imports game, but ran other's code
        files=files,
        imports={"t/test_a.py": ["src/game/a.py"], "t/test_c.py": ["src/game/a.py"]},
    )
    res = rule("dev.unit_tests", facts)
    assert (res.status, res.display) == (Status.PASS, "1 passed, 1 skipped")
    assert res.details["method"] == "coverage contexts"
    assert res.details["by"] == {"coverage contexts": 1, "imports": 1}
    assert res.summary == "all 1 test that ran pass (1 by coverage contexts, 1 by imports)"


def test_a_component_whose_tests_were_all_skipped_does_not_pass() -> None:
    facts = run_facts(
        outcome("t/a.py::x", "skipped", ("game",)), outcome("t/a.py::y", "skipped", ("game",))
    )
    res = rule("dev.unit_tests", facts)
    assert (res.status, res.display) == (Status.FAIL, "0 of 2 tests ran (2 skipped)")
    assert res.value == 0


@pytest.mark.parametrize("never", ["deselected", "not run"])
def test_a_test_of_the_component_that_never_ran_is_an_error_not_a_pass(never: str) -> None:
    facts = run_facts(
        outcome("t/a.py::x", markers=("game",)), outcome("t/a.py::y", never, ("game",))
    )
    res = rule("dev.unit_tests", facts)
    assert res.status is Status.ERROR
    assert res.summary.startswith(f"1 test of this component never ran ({never}")
    assert res.evidence[0].message == f"{never}: y: "


def test_unit_test_errors_in_setup_fail() -> None:
    facts = run_facts(
        outcome("t/a.py::x", "error", ("game",)), outcome("t/a.py::y", markers=("game",))
    )
    res = rule("dev.unit_tests", facts)
    assert res.status is Status.FAIL
    assert res.summary == "1 test failing of 2 (by marker)"
    assert res.evidence[0].message == "error: x: "
    assert res.evidence[0].file == "t/a.py"


def test_collection_errors_outside_a_path_mapped_component_do_not_hide_its_tests() -> None:
    comp = COMP.model_copy(update={"tests": ["tests/game"]})
    facts = run_facts(outcome("tests/game/test_a.py::t"))
    assert facts.tests is not None
    facts.tests.collection_errors = [
        CollectionError("tests/other/x.py", "tests/other/x.py", "boom")
    ]
    assert rule("dev.unit_tests", facts, comp).status is Status.PASS
    facts.tests.collection_errors.append(
        CollectionError("tests/game/y.py", "tests/game/y.py", "boom")
    )
    assert rule("dev.unit_tests", facts, comp).status is Status.ERROR


def bandit_facts(*findings: Finding, entries: list[AcceptedRisk] | None = None) -> Facts:
    return Facts(
        bandit=FindingsFacts(findings=list(findings)),
        accepted_risks=AcceptedRisks(entries=entries or []),
        sources=sources("src/game/a.py"),
    )


def test_bandit_acceptance_matches_test_id_file_and_line() -> None:
    low = Finding("src/game/a.py", 5, "B311", "random", "low")
    accept = AcceptedRisk("B311", "src/game/a.py", None, 3)
    assert rule("dev.security_scan", bandit_facts(low, entries=[accept])).status is Status.PASS
    wrong_line = AcceptedRisk("B311", "src/game/a.py", 6, 3)
    assert rule("dev.security_scan", bandit_facts(low, entries=[wrong_line])).status is Status.FAIL
    wrong_id = AcceptedRisk("B101", "src/game/a.py", 5, 3)
    assert rule("dev.security_scan", bandit_facts(low, entries=[wrong_id])).status is Status.FAIL


def test_bandit_high_fails_even_when_listed() -> None:
    high = Finding("src/game/a.py", 5, "B602", "shell", "high")
    accept = AcceptedRisk("B602", "src/game/a.py", 5, 3)
    res = rule("dev.security_scan", bandit_facts(high, entries=[accept]))
    assert res.status is Status.FAIL
    assert res.display == "1 high, 0 medium, 0 low"


def docs_facts(**kw: object) -> Facts:
    readme = ReadmeFacts("src/game/README.md", overview_words=30, code_blocks=1, mermaid_blocks=0)
    data: dict[str, object] = {"readme": readme, "modules": 2, "code_lines": 100}
    data.update(kw)
    comp_docs = ComponentDocsFacts(**data)  # type: ignore[arg-type]
    return Facts(
        docs=DocsFacts(components={"src/game": comp_docs}, command="scan"),
        sources=sources("src/game/a.py"),
    )


def test_documentation_rules() -> None:
    assert rule("dev.documentation", docs_facts()).status is Status.PASS
    res = rule("dev.documentation", docs_facts(readme=None))
    assert (res.status, res.summary) == (Status.FAIL, "no README.md")
    sym = PublicSymbol("src/game/a.py", 3, "go", "function", documented=False)
    ok = PublicSymbol("src/game/a.py", 9, "stop", "function", documented=True)
    res = rule("dev.documentation", docs_facts(symbols=[sym, ok]))
    assert res.status is Status.FAIL
    assert res.display == "docstrings 50.0% (1/2)"
    assert res.evidence[0].location() == "src/game/a.py:3"
    res = rule("dev.documentation", docs_facts(modules=8))
    assert res.status is Status.FAIL
    assert "no architecture diagram" in res.summary
    readme = ReadmeFacts("src/game/README.md", 30, 1, mermaid_blocks=1)
    assert rule("dev.documentation", docs_facts(modules=8, readme=readme)).status is Status.PASS
    bare = ReadmeFacts("src/game/README.md", 3, 0, 0)
    res = rule("dev.documentation", docs_facts(readme=bare))
    assert res.summary == "README has no overview; README has no usage example"
    res = rule("dev.documentation", docs_facts(parse_errors={"src/game/x.py": "SyntaxError"}))
    assert res.status is Status.ERROR
    res = rule("dev.documentation", docs_facts())
    assert (res.display, res.value) == ("no public symbols", None)


@pytest.mark.parametrize(
    "criterion", ["dev.ruff", "dev.pyright", "dev.security_scan", "dev.documentation"]
)
def test_a_component_without_python_files_is_not_measured_not_clean(criterion: str) -> None:
    facts = docs_facts()
    facts.sources = sources()
    facts.ruff = facts.pyright = facts.bandit = FindingsFacts()
    facts.accepted_risks = AcceptedRisks()
    res = rule(criterion, facts)
    assert (res.status, res.summary) == (Status.ERROR, "no Python files under src/game/")


def test_blockers_count_only_open_blocker_issues_of_the_component() -> None:
    issues = [
        Issue(1, "Crash", ("component:game", "blocker:security")),
        Issue(2, "Idea", ("component:game", "enhancement")),
        Issue(3, "Other", ("component:other", "blocker:tests")),
    ]
    res = rule("dev.blockers", Facts(issues=IssuesFacts(source="file:x", issues=issues)))
    assert (res.status, res.display) == (Status.FAIL, "1 open")
    assert res.blocker_category is BlockerCategory.SECURITY
    assert res.evidence[0].message == "#1 Crash [blocker:security]"


def test_integration_files() -> None:
    facts = Facts(
        integration_files=FilesFacts(matches={"game": ["tests/integration/test_game_x.py"]})
    )
    assert rule("dev.integration_tests", facts).status is Status.PASS
    res = rule("dev.integration_tests", Facts(integration_files=FilesFacts()))
    assert res.summary == "no file matches tests/integration/test_game_*.py"


@pytest.mark.parametrize(
    ("stage", "ready", "regressed", "gates"),
    [
        (Stage.DEVELOPMENT, False, False, {Stage.DEVELOPMENT}),
        (Stage.STAGING, False, True, {Stage.DEVELOPMENT, Stage.STAGING}),
    ],
)
def test_evaluation_ready_and_regressed(
    tmp_path: Path, stage: Stage, ready: bool, regressed: bool, gates: set[Stage]
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": f'[tool.maturity.components.g]\nstage = "{stage}"\n',
            "src/g/__init__.py": "",
        },
    )
    project = load_project(tmp_path)
    report = evaluate_component(
        Facts(), project.component("g"), project.config, now=datetime.now(UTC)
    )
    assert {c.gate for c in report.criteria} == gates
    assert (report.ready, report.regressed) == (ready, regressed)
