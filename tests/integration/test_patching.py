"""Security patching: each vulnerability of a production component is tracked from when a
stored run first saw it; each severity's window is tested at its edge."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from maturity.model import Status
from maturity.store import first_sightings, open_store
from maturity.store.tables import SightingRow
from tests.helpers import cli, judge, measure, write_tree

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
YAML_VERSION = yaml.__version__
WINDOWS = {
    "CRITICAL": timedelta(hours=24),
    "HIGH": timedelta(days=7),
    "MODERATE": timedelta(days=30),
}


def advisory(ident: str, **extra: object) -> str:
    return yaml.safe_dump({
        "id": ident, "summary": "test advisory",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "pyyaml"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99"}]}]}],
        **extra,
    })  # fmt: skip


def production_repo(root: Path, advisories: dict[str, str]) -> tuple[Path, str]:
    write_tree(root, {
        "pyproject.toml": f"""
            [tool.maturity.production]
            at = {NOW.timestamp()}
            [tool.maturity.security]
            advisories = "advisories"
            [tool.maturity.components.shop]
            stage = "production"
            """,
        "src/shop/__init__.py": "import yaml\n",
        **{f"advisories/{name}.yaml": text for name, text in advisories.items()},
    })  # fmt: skip
    return root, f"sqlite:///{root / 'history.db'}"


def seen(db: str, ident: str, first: datetime) -> None:
    store = open_store(db)
    with store.transaction() as session:
        session.add(SightingRow(
            component="shop", vulnerability=ident, package="pyyaml", version=YAML_VERSION,
            severity=None, first_seen=first, last_seen=first,
        ))  # fmt: skip


@pytest.mark.parametrize("word", sorted(WINDOWS))
def test_each_severity_at_the_edge_of_its_window(tmp_path: Path, word: str) -> None:
    window = WINDOWS[word]
    root, db = production_repo(
        tmp_path, {"A": advisory("GHSA-a", database_specific={"severity": word})}
    )
    seen(db, "GHSA-a", NOW - window)  # exactly the window: still on time
    facts, project = measure(root, "security", "history", db_url=db)
    found = judge(facts, project, "shop", "prd.security_patching")
    assert found.status is Status.PASS, found.summary
    store = open_store(db)
    with store.transaction() as session:
        row = session.query(SightingRow).one()
        row.first_seen = NOW - window - timedelta(seconds=1)  # one second late
    facts, project = measure(root, "security", "history", db_url=db)
    found = judge(facts, project, "shop", "prd.security_patching")
    assert found.status is Status.FAIL
    severity = {"MODERATE": "medium"}.get(word, word.lower())
    assert found.summary.startswith(f"GHSA-a {severity}: pyyaml {YAML_VERSION} unpatched for ")
    assert found.summary.endswith(
        " 1s (window " + {"CRITICAL": "1d", "HIGH": "7d", "MODERATE": "30d"}[word] + ")"
    )
    assert found.details["vulnerabilities"][0]["overdue"] is True


def test_cvss_vectors_low_and_unknown_severities(tmp_path: Path) -> None:
    critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    root, db = production_repo(tmp_path, {
        "V": advisory("GHSA-vector", severity=[{"type": "CVSS_V3", "score": critical}]),
        "L": advisory("GHSA-low", database_specific={"severity": "LOW"}),
        "U": advisory("GHSA-unknown"),
    })  # fmt: skip
    for ident in ("GHSA-vector", "GHSA-low", "GHSA-unknown"):
        seen(db, ident, NOW - timedelta(days=400))
    facts, project = measure(root, "security", "history", db_url=db)
    found = judge(facts, project, "shop", "prd.security_patching")
    assert found.status is Status.FAIL
    messages = sorted(e.message for e in found.evidence)
    assert len(messages) == 2  # a low-severity advisory has no patch window
    assert messages[0].startswith(
        "GHSA-unknown critical (severity unknown: held to the critical window)"
    )
    assert messages[1].startswith("GHSA-vector critical: ")
    severities = {v["id"]: v["severity"] for v in found.details["vulnerabilities"]}
    assert severities == {"GHSA-vector": "critical", "GHSA-low": "low", "GHSA-unknown": None}


def test_stored_runs_remember_first_sightings(tmp_path: Path) -> None:
    root, db = production_repo(
        tmp_path, {"A": advisory("GHSA-a", database_specific={"severity": "HIGH"})}
    )
    code, _, err = cli("run", str(root), "--db", db, "--json", str(tmp_path / "r1.json"))
    assert code == 0, err
    first = first_sightings(open_store(db))[("shop", "GHSA-a")]
    report = json.loads((tmp_path / "r1.json").read_text())
    crit = next(
        c for c in report["components"][0]["criteria"] if c["id"] == "prd.security_patching"
    )
    assert crit["status"] == "pass"  # seen now, at the evaluation time: within 7 days
    assert crit["details"]["vulnerabilities"][0]["first_seen"] == NOW.isoformat()
    assert first == NOW
    cli("run", str(root), "--db", db)
    assert first_sightings(open_store(db))[("shop", "GHSA-a")] == first  # kept, not reset


def test_an_unaudited_dependency_is_an_error(tmp_path: Path) -> None:
    root, db = production_repo(tmp_path, {})
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('advisories = "advisories"', ""), "utf-8")
    facts, project = measure(root, "security", "history", db_url=db)
    found = judge(facts, project, "shop", "prd.security_patching")
    assert facts.security is not None
    if facts.security.skipped:  # PyPI's audit service is unreachable (as on this machine)
        assert found.status is Status.ERROR
        assert found.summary.startswith("1 dependency not audited by pip-audit (pyyaml: ")
    else:
        assert found.status in (Status.PASS, Status.FAIL)
