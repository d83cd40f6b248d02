"""Typed vulnerability sightings: in the JSON report, in the stored run, in the sightings
table; runs stored before schema 1.4 read back none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from maturity.model import RunReport, VulnerabilitySighting
from maturity.store import first_sightings, latest_run, load_run, open_store, save_run
from tests.helpers import cli, write_tree
from tests.unit.test_reports import make_report, stored_before_0007

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def production_repo(root: Path) -> tuple[Path, str]:
    advisory = yaml.safe_dump({
        "id": "GHSA-a", "summary": "test advisory", "database_specific": {"severity": "HIGH"},
        "affected": [{"package": {"ecosystem": "PyPI", "name": "pyyaml"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99"}]}]}],
    })  # fmt: skip
    write_tree(root, {
        "pyproject.toml": f"""
            [tool.maturity.production]
            at = {NOW.timestamp()}
            [tool.maturity.security]
            advisories = "advisories"
            [tool.maturity.components.shop]
            stage = "production"
            [tool.maturity.components.notes]
            stage = "development"
            """,
        "src/shop/__init__.py": "import yaml\n",
        "src/notes/__init__.py": "import yaml\n",  # same dependency, production not judged
        "advisories/A.yaml": advisory,
    })  # fmt: skip
    return root, f"sqlite:///{root / 'history.db'}"


def test_a_run_reports_and_stores_its_sightings_typed(tmp_path: Path) -> None:
    root, db = production_repo(tmp_path)
    out = tmp_path / "r.json"
    code, _, err = cli("run", str(root), "--db", db, "--json", str(out))
    assert code == 0, err
    document = json.loads(out.read_text())
    assert document["schema_version"] == "2.6"
    assert document["sightings"] == [{
        "component": "shop", "vulnerability": "GHSA-a", "package": "pyyaml",
        "version": yaml.__version__, "severity": "high", "first_seen": "2026-11-20T12:00:00Z",
    }]  # fmt: skip
    store = open_store(db)
    found = latest_run(store)
    assert found is not None and found[1] == RunReport.model_validate(document)
    assert first_sightings(store) == {("shop", "GHSA-a"): NOW}


def test_runs_stored_before_read_back_no_sightings_and_the_table_keeps_them(
    db_url: str,
) -> None:
    store = open_store(db_url)
    report = make_report()
    seen = NOW - timedelta(days=2)
    report.sightings = [VulnerabilitySighting(
        component="player_experience", vulnerability="PYSEC-1", package="idna",
        version="3.4", severity=None, first_seen=seen,
    )]  # fmt: skip
    run_id = save_run(store, report)
    assert load_run(store, run_id) == report
    store.downgrade("0005")  # as if stored before: the run's column goes, the table stays
    store.upgrade()
    assert load_run(store, run_id) == stored_before_0007(make_report())
    assert first_sightings(store) == {("player_experience", "PYSEC-1"): seen}
