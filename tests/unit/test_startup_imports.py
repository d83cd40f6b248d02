"""The command line starts without the libraries only some commands need: a warm
``maturity run`` (every fact reused) must not pay for the store's SQLAlchemy and Alembic,
httpx, YAML, Markdown or TOML-editing libraries before it uses them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import maturity.store

DEFERRED = ("sqlalchemy", "alembic", "httpx", "yaml", "markdown_it", "tomlkit")


def test_importing_the_cli_leaves_the_deferred_libraries_unimported() -> None:
    code = (
        "import json, sys; import maturity.cli; "
        f"print(json.dumps([m for m in {list(DEFERRED)!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_store_interface_names_every_module_it_loads_lazily() -> None:
    assert sorted(maturity.store.__all__) == sorted(maturity.store._WHERE)
    for name in maturity.store.__all__:
        assert getattr(maturity.store, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = maturity.store.nothing  # type: ignore[attr-defined]
