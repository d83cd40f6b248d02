"""``CoverageFacts.files_in``: the measured files ``paths.under`` a directory, in their
order, through an index built once (attributing 5,000 tests to 100 components asked
``Component.owns`` about every file for every component, twice)."""

from __future__ import annotations

import random

from maturity.facts.tests import CoverageFacts, FileCoverage
from maturity.paths import under

DIRECTORIES = ["", ".", "./", "src", "src/", "a", "src/a", "src/a/", "src/ab", "x.py", "src//a"]


def test_files_in_is_under_for_every_directory_and_keeps_the_order() -> None:
    rng = random.Random(7)
    for _ in range(300):
        files: dict[str, FileCoverage] = {}
        for _ in range(rng.randint(0, 30)):
            parts = rng.choices(["src", "a", "ab", "", "x.py", "c.py"], k=rng.randint(1, 4))
            files["/".join(parts)] = FileCoverage(1, 1)
        coverage = CoverageFacts(files=files)
        for directory in [*DIRECTORIES, *list(files)[:3]]:
            assert coverage.files_in(directory) == [f for f in files if under(f, directory)]


def test_files_measured_after_the_index_was_built_are_found() -> None:
    coverage = CoverageFacts(files={"src/a/m.py": FileCoverage(1, 1)})
    assert coverage.files_in("src/a") == ["src/a/m.py"]
    coverage.files["src/a/n.py"] = FileCoverage(1, 0)
    assert coverage.files_in("src/a") == ["src/a/m.py", "src/a/n.py"]


def test_tests_of_within_a_directory_asks_only_about_its_files() -> None:
    coverage = CoverageFacts(
        files={
            "src/a/m.py": FileCoverage(1, 1, tests=frozenset({"t1"})),
            "src/b/m.py": FileCoverage(1, 1, tests=frozenset({"t2"})),
        }
    )
    asked: list[str] = []

    def owns(path: str) -> bool:
        asked.append(path)
        return under(path, "src/a")

    assert coverage.tests_of(owns, within="src/a") == coverage.tests_of(owns) == {"t1"}
    assert asked == ["src/a/m.py", "src/a/m.py", "src/b/m.py"]
