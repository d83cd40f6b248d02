"""The offline OSV audit through the security collector and the Staging criterion: an
advisory whose ranges cannot be evaluated for the installed version is "not audited",
never passed; ``limit`` events and ``versions`` lists decide as the OSV schema says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from maturity.model import Status
from tests.helpers import measure
from tests.integration.test_staging_measures import YAML_VERSION, advisory, secure_repo
from tests.integration.test_staging_records import staging

pytestmark = pytest.mark.slow


def audit(tmp_path: Path, advisories: dict[str, str]) -> tuple[Status, str]:
    repo = secure_repo(tmp_path, advisories)
    facts, project = measure(repo, "security", "bandit", "accepted_risks", "attestations")
    shop = staging(facts, project, "shop", "stg.security_audit")
    return shop.status, shop.summary


def test_an_advisory_with_only_git_ranges_leaves_the_dependency_not_audited(
    tmp_path: Path,
) -> None:
    git = yaml.safe_load(advisory("X-GIT", "PyYAML", [{"introduced": "0"}, {"fixed": "a1b2"}]))
    git["affected"][0]["ranges"][0]["type"] = "GIT"
    status, summary = audit(tmp_path, {"git.yaml": yaml.safe_dump(git)})
    assert status is Status.ERROR
    assert summary == (
        "1 dependency not audited by offline OSV advisories in advisories"
        " (pyyaml: X-GIT in git.yaml: its GIT range names commits, not versions)"
    )


def test_limits_and_versions_lists_decide_offline(tmp_path: Path) -> None:
    # every version is affected, but only below the limit, which is the installed version
    limited = advisory("X-LIMIT", "pyyaml", [{"introduced": "0"}, {"limit": YAML_VERSION}])
    status, summary = audit(tmp_path / "limited", {"limited.yaml": limited})
    assert status is Status.PASS, summary
    # the same with a GIT range and a versions list naming the installed version
    listed = yaml.safe_load(limited)
    listed["affected"][0]["ranges"].append({"type": "GIT", "events": [{"introduced": "0"}]})
    listed["affected"][0]["versions"] = [YAML_VERSION]
    status, summary = audit(tmp_path / "listed", {"listed.yaml": yaml.safe_dump(listed)})
    assert (status, summary) == (Status.FAIL, f"X-LIMIT: pyyaml {YAML_VERSION}")
