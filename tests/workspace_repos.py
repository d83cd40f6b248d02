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

# member a measures branches and omits its generated code ([tool.coverage.run] of its
# own pyproject.toml); member b measures lines, as coverage.py does by default
OWN_COVERAGE = {
    **UV_ROOT,
    **MEMBER_A,
    **MEMBER_B,
    "libs/a/pyproject.toml": MEMBER_A["libs/a/pyproject.toml"]
    + """
        [tool.coverage.run]
        branch = true
        omit = ["*/generated/*"]

        [tool.coverage.report]
        include_namespace_packages = true
    """,
    "libs/a/pkg/a/generated/__init__.py": "",
    "libs/a/pkg/a/generated/table.py": "ROWS = [1, 2]\n\n\ndef row(i):\n    return ROWS[i]\n",
    "libs/a/tests/test_generated.py": """
        from pkg.a.generated.table import row


        def test_row():
            assert row(0) == 1
    """,
}

# a test file that skips itself while being collected, and unit tests kept apart from
# integration tests that reuse their file names (LangChain's tests/unit_tests layout)
SELF_SKIPPING = {
    **UV_ROOT,
    **MEMBER_A,
    "libs/a/tests/test_needs_driver.py": """
        import pytest

        pytest.skip("the database driver is not installed", allow_module_level=True)


        def test_never():
            raise AssertionError
    """,
    "libs/a/tests/test_optional.py": """
        import pytest

        pytest.importorskip("not_installed_anywhere")


        def test_never():
            raise AssertionError
    """,
    "libs/u/pyproject.toml": """
        [project]
        name = "acme-u"
        version = "0.1.0"

        [tool.pytest.ini_options]
        pythonpath = ["."]
    """,
    "libs/u/pkg/u/__init__.py": "def one() -> int:\n    return 1\n",
    "libs/u/tests/__init__.py": "",
    "libs/u/tests/unit_tests/test_one.py": (
        "from pkg.u import one\n\n\ndef test_one():\n    assert one() == 1\n"
    ),
    "libs/u/tests/integration_tests/test_one.py": (
        "import socket\n\n\ndef test_service():\n"
        "    socket.create_connection(('service.invalid', 80), timeout=1)\n"
    ),
}

ROLLBACK_PLAN = """
    # Rollback of a

    ## Trigger conditions
    Error rate above 5% for five minutes.

    ## Step-by-step procedure
    1. Redeploy the previous release.

    ## Database rollback
    No schema: nothing to undo.

    ## Estimated rollback time
    Ten minutes.

    ## Rollback testing verification
    Rehearsed in staging.
"""

# member a keeps its integration tests and rollback plan in its own directory
MEMBER_RECORDS = {
    **UV_ROOT,
    **MEMBER_A,
    **MEMBER_B,
    "libs/a/tests/integration/test_a_flow.py": """
        from pkg.a.core import double


        def test_flow():
            assert double(double(1)) == 4
    """,
    "libs/a/docs/rollback/a.md": ROLLBACK_PLAN,
}

# the same two members declared as a workspace by each tool
DECLARATIONS = {
    "hatch": """
        [tool.hatch.envs.default.workspace]
        members = ["libs/a", {path = "libs/b"}]
    """,
    "pdm": """
        [tool.pdm.workspace]
        members = ["libs/*"]
    """,
    "poetry": """
        [tool.poetry]
        name = "acme"
        version = "0.1.0"

        [tool.poetry.dependencies]
        python = "^3.11"
        acme-a = {path = "libs/a", develop = true}

        [tool.poetry.group.dev.dependencies]
        acme-b = {path = "libs/b", develop = true}
    """,
}
