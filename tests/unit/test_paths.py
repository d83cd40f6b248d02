"""Glob matching used by coverage categories."""

import pytest

from maturity.paths import glob_match, under, within


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/auth.py", "auth.py", True),
        ("**/auth.py", "core/auth.py", True),
        ("**/auth.py", "core/oauth.py", False),
        ("**/db/**", "db/models.py", True),
        ("**/db/**", "a/b/db/x/y.py", True),
        ("**/db/**", "dbx/y.py", False),
        ("*.py", "a.py", True),
        ("*.py", "sub/a.py", False),
        ("auth_?.py", "auth_1.py", True),
        ("**/utils.py", "utils.py.bak", False),
        ("a+b.py", "a+b.py", True),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_under() -> None:
    assert under("src/a/x.py", "src/a/")
    assert under("src/a", "src/a")
    assert not under("src/ab/x.py", "src/a")


@pytest.mark.parametrize(
    "dirs", [["src/a", "src/b/"], ["libs/x/src/x", "src"], ["."], [""], [], ["src/a/b"]]
)
def test_within_answers_as_under_does_for_each_directory(dirs: list[str]) -> None:
    paths = ["src", "src/a", "src/a/m.py", "src/ab/m.py", "src/b", "src/b/c/d.py", "src/a/b/c",
             "libs/x/src/x/y.py", "libs/x/src/xy.py", "tests/t.py", "README.md"]  # fmt: skip
    inside = within(dirs)
    for path in paths:
        assert inside(path) == any(under(path, d) for d in dirs), path
