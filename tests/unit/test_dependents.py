"""The import names ``--changed-since`` matches to find the files a change can affect."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.dependents import imported_names, module_names, reaches
from tests.helpers import write_tree

ROOTS = ["", "src"]


def test_a_file_has_a_name_from_every_root_it_lies_under() -> None:
    assert module_names("src/pkg/mod.py", ROOTS) == {"pkg.mod", "src.pkg.mod"}
    assert module_names("src/pkg/__init__.py", ROOTS) == {"pkg", "src.pkg"}
    assert module_names("tools/run.py", ROOTS) == {"tools.run"}
    assert module_names("src/my-pkg/mod.py", ROOTS) == set()  # not importable


def test_imports_give_the_module_and_each_imported_member() -> None:
    source = b"import os.path\nfrom pkg import a, b\nfrom pkg.sub import *\n"
    assert imported_names(source, {"x"}, False) == {"os.path", "pkg", "pkg.a", "pkg.b", "pkg.sub"}


def test_relative_imports_are_made_absolute_from_the_module_and_the_package() -> None:
    module = imported_names(b"from . import util\nfrom ..core import run\n", {"pkg.sub.mod"}, False)
    assert module == {"pkg.sub", "pkg.sub.util", "pkg.core", "pkg.core.run"}
    package = imported_names(b"from .util import twice\n", {"pkg"}, True)
    assert package == {"pkg.util", "pkg.util.twice"}


def test_an_import_reaches_an_affected_module_or_anything_inside_an_affected_package() -> None:
    assert reaches({"pkg.util"}, {"pkg.util"})
    assert reaches({"pkg.util.twice"}, {"pkg.util"})  # from pkg.util import twice
    assert reaches({"pkg.sub.mod"}, {"pkg"})  # importing pkg.sub.mod runs pkg/__init__
    assert not reaches({"pkg"}, {"pkg.util"})  # pkg/__init__ itself is matched by name
    assert not reaches({"pkgx"}, {"pkg"})
    assert imported_names(b"def broken(:\n", {"x"}, False) == set()


def _affected(tmp_path: Path, changed: str) -> set[str]:
    from maturity.collectors.base import RunContext
    from maturity.collectors.dependents import dependents
    from maturity.project import load_project

    root = write_tree(
        tmp_path,
        {
            "src/shop/__init__.py": '"""Shop."""\n',
            "src/shop/prices.py": "def price() -> int:\n    return 1\n",
            # absolute, over several lines: the module's name is in the text
            "src/shop/cart.py": "from shop.prices import (\n    price,\n)\n",
            # relative: no name of the changed module in the text
            "src/shop/checkout.py": "from .cart import price\n",
            # reaches checkout through a package re-export, two hops from prices
            "src/web/__init__.py": '"""Web."""\n',
            "src/web/views.py": "import shop.checkout\n",
            # names the package in a string only: parsed, and found not to import it
            "src/web/docs.py": 'TEXT = "see shop.prices"\n',
            "src/web/other.py": "import json\n",
        },
    )
    project = load_project(root)
    return dependents(RunContext(project, "python", root / "run"), {changed})


def test_dependents_follow_absolute_relative_and_multiline_imports(tmp_path: Path) -> None:
    assert _affected(tmp_path, "src/shop/prices.py") == {
        "src/shop/prices.py",
        "src/shop/cart.py",
        "src/shop/checkout.py",
        "src/web/views.py",
    }


def test_dependents_of_a_leaf_are_only_itself(tmp_path: Path) -> None:
    assert _affected(tmp_path, "src/web/other.py") == {"src/web/other.py"}
