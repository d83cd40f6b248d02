"""What the fact cache and --changed-since's kept facts may reuse: measurements only."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.cache import reusable
from maturity.facts import FindingsFacts, TestRunFacts
from maturity.facts.tests import CoverageFacts, TestSession
from tests.helpers import context


def test_only_whole_measurements_are_reused(tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    ctx = context(tmp_path)
    good = TestRunFacts(coverage=CoverageFacts(data_file="run/.coverage"))
    assert reusable(ctx, good)
    assert not reusable(ctx, FindingsFacts(error="ruff failed"))
    assert reusable(ctx, FindingsFacts())
    assert not reusable(ctx, TestRunFacts())  # coverage never read
    assert not reusable(ctx, TestRunFacts(coverage=CoverageFacts(error="cannot read")))
    one_failed = TestRunFacts(
        coverage=CoverageFacts(data_file="run/.coverage"),
        sessions=[TestSession("libs/a", ["libs/a/tests"]),
                  TestSession("libs/b", ["libs/b/tests"], error="pytest timed out")],
    )  # fmt: skip
    assert not reusable(ctx, one_failed)  # a workspace session that failed
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / ".coverage-lines").write_bytes(b"")
    assert not reusable(ctx, good)  # the line members' data, which neither keeps
