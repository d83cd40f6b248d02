"""Workspace monorepos built for the tests: members with their own pyproject.toml."""

from __future__ import annotations

MEMBER_A = {
    "libs/a/pyproject.toml": """
        [project]
        name = "acme-a"
        version = "0.1.0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.ruff.lint]
        select = ["F"]

        [tool.bandit]
        skips = ["B101"]
    """,
    "libs/a/README.md": "# acme-a\n\nThe store of the a member, with its usage below.\n",
    "libs/a/pkg/a/__init__.py": '"""Member a."""\n',
    "libs/a/pkg/a/core.py": '''
        """The core of a."""


        def double(x: int) -> int:
            """Twice x."""
            assert isinstance(x, int)
            if x < 0: return 0
            return 2 * x
    ''',
    # a namespace subpackage (no __init__.py) that no test imports: it counts as 0%
    "libs/a/pkg/a/extra/never.py": '''
        """Never imported."""


        def unused() -> int:
            """Never run."""
            return 1
    ''',
    "libs/a/tests/__init__.py": "",
    "libs/a/tests/conftest.py": """
        import pytest


        @pytest.fixture
        def value():
            return 2
    """,
    "libs/a/tests/test_store.py": """
        from pkg.a.core import double


        def test_double(value):
            assert double(value) == 4


        def test_negative():
            assert double(-1) == 0
    """,
}

MEMBER_B = {
    "libs/b/pyproject.toml": """
        [project]
        name = "acme-b"
        version = "0.1.0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.ruff.lint]
        select = ["E"]

        [tool.pyright]
        typeCheckingMode = "strict"
    """,
    "libs/b/pkg/b/__init__.py": '"""Member b."""\n',
    "libs/b/pkg/b/store.py": '''
        """The store of b."""


        def get(key: str) -> str:
            """The value of key."""
            assert isinstance(key, str)
            if not key: return ""
            return key.upper()


        def loose(value):
            """Untyped: only strict pyright (b's own configuration) reports it."""
            return value
    ''',
    "libs/b/tests/__init__.py": "",
    "libs/b/tests/conftest.py": """
        import pytest


        @pytest.fixture
        def value():
            return "k"
    """,
    "libs/b/tests/test_store.py": """
        from pkg.b.store import get


        def test_get(value):
            assert get(value) == "K"


        def test_empty():
            assert get("") == ""


        def test_more():
            assert get("ab") == "AB"
    """,
}

MEMBER_BROKEN = {
    "libs/c/pyproject.toml": """
        [project]
        name = "acme-c"
        version = "0.1.0"
    """,
    "libs/c/pkg/c/__init__.py": '"""Member c."""\n\nVALUE = 1\n',
    "libs/c/tests/test_c.py": """
        import not_installed_anywhere


        def test_c():
            assert not_installed_anywhere
    """,
}

UV_ROOT = {
    "pyproject.toml": """
        [tool.uv.workspace]
        members = ["libs/*"]
    """,
}

WORKSPACE = {**UV_ROOT, **MEMBER_A, **MEMBER_B, **MEMBER_BROKEN}

# one session at the root (no member pyproject.toml) whose two test roots are both
# `tests` packages with a test_store.py: under --import-mode=importlib the second
# module name is the first's, and pytest quietly collects the first file's tests again
COLLIDING = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        addopts = "--import-mode=importlib"
        pythonpath = ["."]

        [tool.maturity.components.one]
        path = "one/one"
        tests = ["one/tests"]

        [tool.maturity.components.two]
        path = "two/two"
        tests = ["two/tests"]
    """,
    "one/one/__init__.py": "def f() -> int:\n    return 1\n",
    "one/tests/__init__.py": "",
    "one/tests/test_store.py": "from one.one import f\n\n\ndef test_one():\n    assert f() == 1\n",
    "two/two/__init__.py": "def g() -> int:\n    return 2\n",
    "two/tests/__init__.py": "",
    "two/tests/test_store.py": (
        "from two.two import g\n\n\n"
        "def test_two():\n    assert g() == 2\n\n\n"
        "def test_two_again():\n    assert g() + 1 == 3\n"
    ),
}
