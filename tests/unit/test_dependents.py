"""The import names ``--changed-since`` matches to find the files a change can affect."""

from __future__ import annotations

from maturity.collectors.dependents import imported_names, module_names, reaches

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
