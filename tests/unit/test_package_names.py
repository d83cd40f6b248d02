"""Distribution names: the script that lists dependencies in the target's interpreter
(which may lack ``packaging``) normalises them as ``canonicalize_name`` does in ours, so
advisories and pip-audit results find the distributions it lists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name

from maturity.collectors.security import _DEPENDENCIES, match_advisories
from tests.helpers import write_tree

NAMES = ["Foo_Bar.baz", "foo-bar-baz", "FOO__bar..Baz", "zope.interface", "Django", "a-_.b"]


def in_target(site: Path, wanted: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """Run the dependency script in a fresh interpreter that sees ``site``."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", _DEPENDENCIES], input=json.dumps(wanted), env=env,
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(run.stdout)


def dist(name: str, version: str, top_level: str, requires: tuple[str, ...] = ()) -> dict[str, str]:
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    return {f"{info}/METADATA": metadata, f"{info}/top_level.txt": f"{top_level}\n"}


def test_the_target_script_normalises_names_as_canonicalize_name(tmp_path: Path) -> None:
    # a chain of distributions, each requiring the next under another spelling of its name
    names = [f"N{i}{name}" for i, name in enumerate(NAMES)]
    files: dict[str, str] = {}
    for i, name in enumerate(names):
        requires = (f"{names[i + 1].swapcase()} >=1",) if i + 1 < len(names) else ()
        files |= dist(name, f"1.{i}", f"mod{i}", requires)
    found = in_target(write_tree(tmp_path, files), {"comp": ["mod0"]})["comp"]
    # found through each requirement's spelling, under the key canonicalize_name gives
    assert found == {canonicalize_name(name): f"1.{i}" for i, name in enumerate(names)}
    assert canonicalize_name("Foo_Bar.baz") == "foo-bar-baz"


def test_an_advisory_spelled_otherwise_matches_what_the_target_listed(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {
        **dist("Foo_Bar.baz", "1.2", "foo_bar", requires=("Other.Lib>=1",)),
        **dist("other_lib", "0.5", "other"),
    })  # fmt: skip
    installed = in_target(site, {"comp": ["foo_bar"]})["comp"]
    assert installed == {"foo-bar-baz": "1.2", "other-lib": "0.5"}
    doc = yaml.safe_load("""
        id: X-1
        affected:
          - package: {ecosystem: PyPI, name: FOO.bar_Baz}
            ranges: [{type: ECOSYSTEM, events: [{introduced: "0"}, {fixed: "2.0"}]}]
          - package: {ecosystem: PyPI, name: Other-LIB}
            ranges: [{type: GIT, events: [{introduced: "0"}, {fixed: "abc123"}]}]
          - package: {ecosystem: npm, name: foo-bar-baz}
            versions: ["1.2"]
        """)
    unverifiable: dict[str, str] = {}
    found = match_advisories([("x.yaml", doc)], installed, unverifiable)
    assert [(v.id, v.package, v.version, v.fixed) for v in found] == [
        ("X-1", "foo-bar-baz", "1.2", ("2.0",))
    ]
    assert unverifiable == {"other-lib": "X-1 in x.yaml: its GIT range names commits, not versions"}
