"""Incident response: incidents recorded with ``maturity incident``, each severity's
response SLA tested at the edge of its window, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from maturity.model import Status
from tests.helpers import cli, judge, measure, write_tree

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SLA = {"P0": 15, "P1": 60, "P2": 240, "P3": 1440}


def production_repo(root: Path) -> Path:
    return write_tree(root, {
        "pyproject.toml": f"""
            [tool.maturity.production]
            at = {NOW.timestamp()}
            [tool.maturity.components.shop]
            stage = "production"
            [tool.maturity.components.cart]
            stage = "production"
            """,
        "src/shop/__init__.py": "",
        "src/cart/__init__.py": "",
    })  # fmt: skip


def iso(moment: datetime) -> str:
    return moment.isoformat()


def opened(root: Path, db: str, component: str, severity: str, title: str, at: datetime) -> int:
    code, out, err = cli(
        "incident", "open", component, "-s", severity, "-t", title, "--repo", str(root),
        "--at", iso(at), "--db", db, "--by", "On Call",
    )  # fmt: skip
    assert code == 0, err
    return int(out.split("#", 1)[1].split(" ", 1)[0])


@pytest.mark.parametrize("severity", sorted(SLA))
def test_each_severity_at_the_edge_of_its_window(tmp_path: Path, severity: str) -> None:
    root = production_repo(tmp_path)
    db = f"sqlite:///{tmp_path / 'history.db'}"
    sla = timedelta(minutes=SLA[severity])
    start = NOW - timedelta(days=2)
    on_time = opened(root, db, "shop", severity, "on time", start)
    late = opened(root, db, "shop", severity, "late", start)
    assert cli("incident", "ack", str(on_time), "--repo", str(root), "--db", db,
               "--at", iso(start + sla))[0] == 0  # fmt: skip
    code, out, _ = cli("incident", "ack", str(late), "--repo", str(root), "--db", db,
                       "--at", iso(start + sla + timedelta(seconds=1)))  # fmt: skip
    assert code == 0 and f"#{late} ({severity}, shop)" in out
    facts, project = measure(root, "history", db_url=db)
    found = judge(facts, project, "shop", "prd.incident_response")
    assert found.status is Status.FAIL
    assert found.display == "1 of 2 late"
    assert len(found.evidence) == 1
    assert found.evidence[0].message.startswith(f"#{late} {severity} 'late': acknowledged after ")
    assert found.details["by_severity"][severity] == 2


def test_window_pending_and_unanswered_incidents(db_url: str, tmp_path: Path) -> None:
    root = production_repo(tmp_path)
    # outside the 30-day window: never counts, however late
    opened(root, db_url, "cart", "P0", "last quarter", NOW - timedelta(days=31))
    # still within its SLA and not yet acknowledged: pending, not a breach
    opened(root, db_url, "cart", "P1", "fresh", NOW - timedelta(minutes=30))
    facts, project = measure(root, "history", db_url=db_url)
    cart = judge(facts, project, "cart", "prd.incident_response")
    assert (cart.status, cart.display) == (Status.PASS, "1 in 30d")
    assert (
        cart.summary
        == "1 incident in 30d, all answered within SLA (1 not yet acknowledged, within SLA)"
    )
    # nobody answered a P2 for five hours: a breach while it is still open
    opened(root, db_url, "cart", "P2", "search slow", NOW - timedelta(hours=5))
    facts, project = measure(root, "history", db_url=db_url)
    cart = judge(facts, project, "cart", "prd.incident_response")
    assert cart.status is Status.FAIL
    assert cart.summary.endswith("'search slow': unanswered for 5h (SLA 4h)")
    shop = judge(facts, project, "shop", "prd.incident_response")
    assert (shop.status, shop.display) == (Status.PASS, "0 in 30d")


def test_resolve_answers_and_mistakes_are_refused(tmp_path: Path) -> None:
    root = production_repo(tmp_path)
    db = f"sqlite:///{tmp_path / 'history.db'}"
    number = opened(root, db, "shop", "P3", "typo on page", NOW - timedelta(hours=3))
    code, out, _ = cli("incident", "resolve", str(number), "--repo", str(root), "--db", db,
                       "--at", iso(NOW - timedelta(hours=1)))  # fmt: skip
    assert code == 0 and "answered after 120 min" in out
    code, _, err = cli("incident", "ack", str(number), "--repo", str(root), "--db", db)
    assert code == 2 and f"incident #{number} is already acknowledged" in err
    code, _, err = cli("incident", "resolve", "99", "--repo", str(root), "--db", db)
    assert code == 2 and "no incident #99" in err
    early = opened(root, db, "shop", "P1", "clock", NOW)
    code, _, err = cli("incident", "ack", str(early), "--repo", str(root), "--db", db,
                       "--at", iso(NOW - timedelta(minutes=1)))  # fmt: skip
    assert code == 2 and "was opened at" in err
    code, _, err = cli(
        "incident", "open", "ghost", "-s", "P1", "-t", "x", "--repo", str(root), "--db", db
    )
    assert code == 2 and "unknown component 'ghost'" in err
    code, _, err = cli("incident", "ack", "1", "--repo", str(root), "--db", db, "--at", "yesterday")
    assert code == 2 and "--at 'yesterday' is not an ISO 8601 time" in err
    code, out, _ = cli("incident", "list", "--repo", str(root), "--db", db, "--json", "-c", "shop")
    assert [line.count('"severity"') for line in out.splitlines()] == [1, 1]
    code, out, _ = cli("incident", "list", "--repo", str(root), "--db", db)
    assert "typo" in out and "clock" in out


def test_no_store_means_no_incidents_and_nothing_is_created(tmp_path: Path) -> None:
    root = production_repo(tmp_path)
    facts, project = measure(root, "history")
    found = judge(facts, project, "shop", "prd.incident_response")
    assert found.status is Status.PASS
    assert found.summary.endswith(": none recorded")
    assert "no history store yet at sqlite:///" in found.summary
    assert not (root / ".maturity" / "history.db").exists()
    facts, project = measure(root, "history", db_url="postgresql+psycopg://nobody@127.0.0.1:9/x")
    found = judge(facts, project, "shop", "prd.incident_response")
    assert found.status is Status.ERROR
    assert found.summary.startswith("incidents: ")
