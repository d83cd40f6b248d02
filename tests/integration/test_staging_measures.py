"""Staging criteria measured by running tools: the integration and E2E suites and the
security audit (offline OSV, pip-audit, detect-secrets, bandit, accepted risks), on small
real repositories. The load test is in test_staging_performance.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from maturity.collectors.osv import events_affect as _in_range
from maturity.collectors.security import load_advisories, match_advisories
from maturity.model import Status
from tests.helpers import cli, measure, write_tree
from tests.integration.test_staging_records import staging

pytestmark = pytest.mark.slow
YAML_VERSION = yaml.__version__

SUITES = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        markers = ["shop: shop tests", "cart: cart tests"]
        [tool.maturity.components.shop]
        [tool.maturity.components.cart]
        [tool.maturity.components.till]
        """,
    "src/shop/__init__.py": "import yaml\n\nVALUE = 1\n",
    "src/cart/__init__.py": "",
    "src/till/__init__.py": "",
    "tests/integration/test_shop_flow.py": """
        import pytest

        pytestmark = pytest.mark.shop

        def test_flow():
            assert 1 + 1 == 2
        """,
    "tests/integration/test_cart_flow.py": """
        import pytest

        def test_by_file_name_passes():
            assert True

        def test_by_file_name_fails():
            assert [1] == [2]

        @pytest.mark.skip(reason="needs Redis")
        def test_skipped():
            pass
        """,
}


@pytest.fixture
def suites(tmp_path: Path) -> Path:
    return write_tree(tmp_path, SUITES)


def test_integration_suite_is_attributed_by_marker_then_file_name(suites: Path) -> None:
    facts, project = measure(suites, "integration_tests", "e2e_tests")
    shop = staging(facts, project, "shop", "stg.integration_tests")
    assert (shop.status, shop.display) == (Status.PASS, "1 passed")
    assert shop.summary == "all 1 integration tests pass (by marker shop)"
    cart = staging(facts, project, "cart", "stg.integration_tests")
    assert (cart.status, cart.display) == (Status.FAIL, "1 passed, 1 failed, 1 skipped")
    assert cart.summary == ("2 tests not passing of 3 (by files tests/integration/test_cart_*.py)")
    assert [e.message for e in cart.evidence] == [
        "failed: test_by_file_name_fails: assert [1] == [2]",
        "skipped: test_skipped: ",
    ]
    till = staging(facts, project, "till", "stg.integration_tests")
    assert (till.status, till.display) == (Status.FAIL, "0 tests")
    # no tests/e2e at all: zero tests is a failure that says why, not an error
    e2e = staging(facts, project, "shop", "stg.e2e_tests")
    assert e2e.status is Status.FAIL
    assert e2e.summary.endswith(": tests/e2e does not exist")


def test_a_broken_test_file_makes_the_suite_unknown_not_passing(suites: Path) -> None:
    write_tree(suites, {"tests/integration/test_till_x.py": "import nope_not_installed\n"})
    facts, project = measure(suites, "integration_tests")
    till = staging(facts, project, "till", "stg.integration_tests")
    assert till.status is Status.ERROR
    assert "could not be collected" in till.summary
    assert "nope_not_installed" in till.summary


def test_an_empty_suite_fails_every_component(suites: Path) -> None:
    write_tree(suites, {"tests/e2e/conftest.py": ""})
    facts, project = measure(suites, "e2e_tests")
    found = staging(facts, project, "shop", "stg.e2e_tests")
    assert (found.status, found.display) == (Status.FAIL, "0 tests")


# --- security audit ---------------------------------------------------------------


def advisory(ident: str, name: str, events: list[dict[str, str]], **extra: object) -> str:
    doc = {
        "id": ident,
        "summary": f"{name} advisory",
        "affected": [
            {"package": {"ecosystem": "PyPI", "name": name},
             "ranges": [{"type": "ECOSYSTEM", "events": events}]}
        ],
        **extra,
    }  # fmt: skip
    return yaml.safe_dump(doc)


def secure_repo(root: Path, advisories: dict[str, str]) -> Path:
    files = {
        "pyproject.toml": """
            [tool.maturity.security]
            advisories = "advisories"
            [tool.maturity.components.shop]
            [tool.maturity.components.cart]
            """,
        "src/shop/__init__.py": '"""Shop."""\n\nimport yaml\n\nLOADER = yaml.SafeLoader\n',
        "src/cart/__init__.py": '"""Cart."""\n\nimport random\n\nPICK = random.random()\n',
        "SECURITY_FINDINGS_ACCEPTED_RISKS.md": """
            | Test ID | Location | Severity | Justification | Accepted by | Date |
            |---|---|---|---|---|---|
            | B311 | src/cart/__init__.py:5 | Low | cosmetic | Dana | 2026-11-01 |
            | B311 | src/cart/__init__.py:99 | Low | moved since | Dana | 2026-11-01 |
            """,
        **{f"advisories/{name}": text for name, text in advisories.items()},
    }
    write_tree(root, files)
    (root / ".secrets.baseline").write_text(
        json.dumps({"version": "1.5.0", "results": {}}), encoding="utf-8"
    )
    for comp in ("shop", "cart"):
        code, _, _ = cli("attest", "security-review", comp, str(root), "--by", "Dana", "--all")
        assert code == 0
    return root


def test_offline_advisories_match_installed_versions_by_range(tmp_path: Path) -> None:
    hit = advisory(
        "GHSA-test-0001", "PyYAML", [{"introduced": "0"}, {"fixed": "99.0"}],
        database_specific={"severity": "HIGH"}, aliases=["CVE-0000-0001"],
    )  # fmt: skip
    miss = advisory("PYSEC-2021-142", "pyyaml", [{"introduced": "0"}, {"fixed": "5.4"}])
    repo = secure_repo(
        tmp_path, {"a/hit.yaml": hit, "b/miss.json": json.dumps(yaml.safe_load(miss))}
    )
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    assert facts.security is not None
    assert facts.security.dependencies["shop"] == {"pyyaml": YAML_VERSION}
    shop = staging(facts, project, "shop", "stg.security_audit")
    assert shop.status is Status.FAIL
    assert shop.summary == f"GHSA-test-0001 [high]: pyyaml {YAML_VERSION}; fixed in 99.0"
    assert shop.evidence[0].file == "a/hit.yaml"
    # cart imports only the standard library; its one stale acceptance fails it
    cart = staging(facts, project, "cart", "stg.security_audit")
    assert cart.status is Status.FAIL
    assert cart.summary == ("stale acceptance: B311 at src/cart/__init__.py:99 matches no finding")


def test_a_clean_component_passes_and_names_its_reviewer(tmp_path: Path) -> None:
    miss = advisory("PYSEC-2021-142", "pyyaml", [{"introduced": "0"}, {"fixed": "5.4"}])
    repo = secure_repo(tmp_path, {"pyyaml.yaml": miss})
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    shop = staging(facts, project, "shop", "stg.security_audit")
    assert shop.status is Status.PASS, shop.summary
    assert shop.display == "1 deps audited"
    assert shop.summary.endswith("reviewed by Dana")


def test_a_new_secret_fails_and_a_baselined_one_does_not(tmp_path: Path) -> None:
    repo = secure_repo(tmp_path, {})
    key = 'TOKEN_HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"\n'
    (repo / "src/shop/keys.py").write_text(f'"""Keys."""\n\n{key}', encoding="utf-8")
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    shop = staging(facts, project, "shop", "stg.security_audit")
    assert shop.status is Status.FAIL
    secret = next(e for e in shop.evidence if "secret" in e.message)
    assert (secret.file, secret.line) == ("src/shop/keys.py", 3)
    assert facts.security is not None
    baseline = {
        "results": {
            s.file: [{"hashed_secret": s.hashed, "type": s.type}] for s in facts.security.secrets
        }
    }
    (repo / ".secrets.baseline").write_text(json.dumps(baseline), encoding="utf-8")
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    assert not any(
        "secret" in e.message
        for e in staging(facts, project, "shop", "stg.security_audit").evidence
    )


def test_pip_audit_that_cannot_reach_its_service_is_an_error_not_a_pass(tmp_path: Path) -> None:
    repo = secure_repo(tmp_path, {})
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'advisories = "advisories"', 'osv_url = "http://127.0.0.1:9/v1/query"'
        ),
        encoding="utf-8",
    )
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    shop = staging(facts, project, "shop", "stg.security_audit")
    assert shop.status is Status.ERROR, shop.summary
    assert "not audited" in shop.summary


def test_broken_advisories_and_baselines_are_named(tmp_path: Path) -> None:
    repo = secure_repo(tmp_path, {"bad.yaml": "id: X\n"})
    (repo / ".secrets.baseline").write_text("[]", encoding="utf-8")
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    shop = staging(facts, project, "shop", "stg.security_audit")
    assert shop.status is Status.ERROR
    assert "advisories/bad.yaml: not an OSV advisory (needs 'id' and 'affected')" in shop.summary
    assert ".secrets.baseline is not a detect-secrets baseline" in shop.summary


def test_osv_ranges_follow_the_osv_semantics(tmp_path: Path) -> None:
    from packaging.version import Version

    events = [
        {"introduced": "1.0"},
        {"fixed": "1.5"},
        {"introduced": "2.0"},
        {"last_affected": "2.1"},
    ]
    assert [_in_range(Version(v), events) for v in ("0.9", "1.0", "1.4.9", "1.5", "2.0", "2.1", "2.2")] == [
        False, True, True, False, True, True, False,
    ]  # fmt: skip
    write_tree(tmp_path, {"x.yaml": advisory("X-1", "pkg", [{"introduced": "zero!"}])})
    with pytest.raises(ValueError, match=r"x\.yaml: Invalid version"):
        match_advisories(load_advisories(tmp_path), {"pkg": "1.0"})
    listed = yaml.safe_load(advisory("X-2", "pkg", []))
    listed["affected"][0]["versions"] = ["1.0"]
    assert [v.id for v in match_advisories([("x", listed)], {"pkg": "1.0"})] == ["X-2"]
    # a withdrawn entry no longer applies (OSV schema: "withdrawn"); seen on the PyPA
    # advisory database: PYSEC-2022-43059 (aiohttp, disputed) was withdrawn in 2023
    withdrawn = {**listed, "id": "X-3", "withdrawn": "2023-11-08T00:54:24Z"}
    assert match_advisories([("x", listed), ("w", withdrawn)], {"pkg": "1.0"})[0].id == "X-2"
    assert match_advisories([("w", withdrawn)], {"pkg": "1.0"}) == []


def test_pip_audit_skipping_a_dependency_is_reported_never_passed(tmp_path: Path) -> None:
    repo = secure_repo(tmp_path, {})
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('advisories = "advisories"', ""), "utf-8")
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    assert facts.security is not None and facts.security.audit == "pip-audit"
    shop = staging(facts, project, "shop", "stg.security_audit")
    if facts.security.skipped:  # PyPI's audit service is unreachable (as on this machine)
        assert shop.status is Status.ERROR
        assert shop.summary.startswith("1 dependency not audited by pip-audit (pyyaml: ")
    else:  # a machine that reaches PyPI: the verdict follows what it found
        found = [v for v in facts.security.vulnerabilities if v.package == "pyyaml"]
        assert shop.status is (Status.FAIL if found else Status.PASS)


JUNIT = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="playwright" tests="4" failures="1" skipped="0" errors="0">
  <testsuite name="shop.spec.ts" tests="3">
    <testcase name="shop: checkout works" classname="shop.spec.ts" time="1.2"/>
    <testcase name="shop: basket survives reload" classname="shop.spec.ts" time="0.8">
      <failure message="expect(received).toHaveText(expected)" type="FAILURE">stack</failure>
    </testcase>
  </testsuite>
  <testsuite name="cart-page.spec.ts" tests="1">
    <testcase name="cart page opens" classname="cart-page.spec.ts" time="0.4"/>
  </testsuite>
</testsuites>
"""


def test_e2e_results_can_come_from_a_junit_report_with_grep_attribution(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": """
            [tool.maturity.staging]
            e2e_junit = "reports/e2e.xml"
            [tool.maturity.components.shop]
            [tool.maturity.components.cart]
            [tool.maturity.components.till]
            """,
        "src/shop/__init__.py": "", "src/cart/__init__.py": "", "src/till/__init__.py": "",
        "reports/e2e.xml": JUNIT,
    })  # fmt: skip
    facts, project = measure(tmp_path, "e2e_tests")
    shop = staging(facts, project, "shop", "stg.e2e_tests")
    assert (shop.status, shop.display) == (Status.FAIL, "1 passed, 1 failed")
    assert shop.evidence[0].message == (
        "failed: shop: basket survives reload: expect(received).toHaveText(expected)"
    )
    cart = staging(facts, project, "cart", "stg.e2e_tests")
    assert (cart.status, cart.display) == (Status.PASS, "1 passed")
    till = staging(facts, project, "till", "stg.e2e_tests")
    assert (till.status, till.display) == (Status.FAIL, "0 tests")
    (tmp_path / "reports/e2e.xml").write_text("<html><body/></html>", encoding="utf-8")
    facts, project = measure(tmp_path, "e2e_tests")
    broken = staging(facts, project, "shop", "stg.e2e_tests")
    assert broken.status is Status.ERROR
    assert broken.summary.startswith("the E2E run: E2E report reports/e2e.xml is not JUnit XML")
    (tmp_path / "reports/e2e.xml").unlink()
    facts, project = measure(tmp_path, "e2e_tests")
    assert staging(facts, project, "shop", "stg.e2e_tests").summary == (
        "the E2E run: E2E report reports/e2e.xml does not exist"
    )


def test_an_integration_file_belongs_to_the_most_specific_component(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.maturity.components.api]\n[tool.maturity.components.api_gateway]\n",
        "src/api/__init__.py": "", "src/api_gateway/__init__.py": "",
        "tests/integration/test_api_gateway_routing.py": "", "tests/integration/test_api_keys.py": "",
    })  # fmt: skip
    facts, _ = measure(tmp_path, "integration_files")
    assert facts.integration_files is not None
    assert facts.integration_files.matches == {
        "api": ["tests/integration/test_api_keys.py"],
        "api_gateway": ["tests/integration/test_api_gateway_routing.py"],
    }
