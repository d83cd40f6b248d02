"""OSV range evaluation against the OSV schema (https://ossf.github.io/osv-schema/).

Every case names the part of the schema it comes from: the documented examples of
"affected[].ranges" ("Unfixed vulnerability", "Fixed vulnerability", "Multiple range",
"Limit events", "last_affected vs fixed"), the "Python vulnerability" example record,
the "affected fields" and "Special values" text and the "Evaluation" pseudo-code.
"""

from __future__ import annotations

import pytest

from maturity.collectors.osv import Assessment, assess, events_affect, range_assessment, semver_key

UNFIXED = [{"introduced": "0"}]
FIXED = [{"introduced": "0"}, {"fixed": "1.0.2"}]
MULTIPLE = [
    {"introduced": "1.0.0"},
    {"fixed": "1.0.2"},
    {"introduced": "3.0.0"},
    {"fixed": "3.2.5"},
]
LAST_AFFECTED = [{"introduced": "0"}, {"last_affected": "2.1.214"}]
LIMITED = [{"introduced": "0"}, {"fixed": "1.5"}, {"introduced": "2.0"}, {"limit": "3.0"}]
FIXED_2_1_214 = [{"introduced": "0"}, {"fixed": "2.1.214"}]

# (source in the schema, range type, events, installed version, affected?)
CASES = [
    # "Unfixed vulnerability example": every possible version is affected
    ("Unfixed vulnerability", "SEMVER", UNFIXED, "0.0.0", True),
    ("Unfixed vulnerability", "SEMVER", UNFIXED, "1.0.0-alpha", True),
    ("Unfixed vulnerability", "SEMVER", UNFIXED, "999.999.999", True),
    # "Fixed vulnerability example": everything before 1.0.2
    ("Fixed vulnerability", "SEMVER", FIXED, "1.0.1", True),
    ("Fixed vulnerability", "SEMVER", FIXED, "1.0.2-rc.1", True),  # a pre-release precedes it
    ("Fixed vulnerability", "SEMVER", FIXED, "1.0.2", False),
    ("Fixed vulnerability", "SEMVER", FIXED, "1.0.2+build.5", False),  # build metadata ignored
    ("Fixed vulnerability", "SEMVER", FIXED, "1.0.10", False),  # numeric, not text, order
    # "Multiple range example": [1.0.0, 1.0.2) or [3.0.0, 3.2.5), everything else unaffected
    ("Multiple range", "SEMVER", MULTIPLE, "0.9.9", False),
    ("Multiple range", "SEMVER", MULTIPLE, "1.0.0", True),
    ("Multiple range", "SEMVER", MULTIPLE, "1.0.1", True),
    ("Multiple range", "SEMVER", MULTIPLE, "1.0.2", False),
    ("Multiple range", "SEMVER", MULTIPLE, "2.5.0", False),
    ("Multiple range", "SEMVER", MULTIPLE, "3.0.0", True),
    ("Multiple range", "SEMVER", MULTIPLE, "3.2.4", True),
    ("Multiple range", "SEMVER", MULTIPLE, "3.2.5", False),
    ("Multiple range", "SEMVER", MULTIPLE, "3.2.10", False),
    # the same ranges as a PyPI ECOSYSTEM range: PEP 440 order
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "1.0.1.post1", True),
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "1.0.2rc1", True),  # pre-release of the fix
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "1.0.2", False),
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "1.0.2.post1", False),
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "3.0", True),  # 3.0 is 3.0.0 in PEP 440
    ("Multiple range", "ECOSYSTEM", MULTIPLE, "3.2.10", False),
    # "Evaluation": sorted(range.events) — the order in the file does not matter
    ("Evaluation, sorted events", "ECOSYSTEM", list(reversed(MULTIPLE)), "1.0.1", True),
    ("Evaluation, sorted events", "ECOSYSTEM", list(reversed(MULTIPLE)), "2.0", False),
    ("Evaluation, sorted events", "ECOSYSTEM", list(reversed(MULTIPLE)), "3.3", False),
    # "last_affected vs fixed example": up to and including 2.1.214 ...
    ("last_affected vs fixed", "ECOSYSTEM", LAST_AFFECTED, "2.1.213", True),
    ("last_affected vs fixed", "ECOSYSTEM", LAST_AFFECTED, "2.1.214", True),
    ("last_affected vs fixed", "ECOSYSTEM", LAST_AFFECTED, "2.1.214.post1", False),
    ("last_affected vs fixed", "ECOSYSTEM", LAST_AFFECTED, "2.1.215", False),
    # ... against "up to 2.1.214, which is not vulnerable"
    ("last_affected vs fixed", "SEMVER", FIXED_2_1_214, "2.1.213", True),
    ("last_affected vs fixed", "SEMVER", FIXED_2_1_214, "2.1.214", False),
    # "Special values" + "Evaluation" BeforeLimits: a version at or past every limit is
    # outside the range; "*" is infinity; several limits each extend the range
    ("BeforeLimits", "ECOSYSTEM", [{"introduced": "1.0"}, {"limit": "2.0"}], "1.9", True),
    ("BeforeLimits", "ECOSYSTEM", [{"introduced": "1.0"}, {"limit": "2.0"}], "2.0", False),
    ("BeforeLimits", "ECOSYSTEM", [{"introduced": "1.0"}, {"limit": "2.0"}], "0.9", False),
    ("Special values, limit *", "ECOSYSTEM", [{"introduced": "1.0"}, {"limit": "*"}], "99", True),
    ("BeforeLimits, two limits", "SEMVER",
     [{"introduced": "1.0.0"}, {"limit": "1.5.0"}, {"limit": "2.0.0"}], "1.7.0", True),
    ("BeforeLimits, two limits", "SEMVER",
     [{"introduced": "1.0.0"}, {"limit": "1.5.0"}, {"limit": "2.0.0"}], "2.0.0", False),
    ("BeforeLimits with fixed", "ECOSYSTEM", LIMITED, "1.4", True),
    ("BeforeLimits with fixed", "ECOSYSTEM", LIMITED, "1.6", False),
    ("BeforeLimits with fixed", "ECOSYSTEM", LIMITED, "2.5", True),
    ("BeforeLimits with fixed", "ECOSYSTEM", LIMITED, "3.0", False),
    # "Special values": introduced "0" sorts before any other version, dev releases too
    ("Special values, introduced 0", "ECOSYSTEM", [{"introduced": "0"}, {"fixed": "1"}], "0.dev0", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "kind", "events", "version", "affected"),
    CASES,
    ids=[f"{c[0]}: {c[1]} {c[3]}" for c in CASES],
)
def test_ranges_follow_the_schema(
    source: str, kind: str, events: list[dict[str, str]], version: str, affected: bool
) -> None:
    found = range_assessment(version, {"type": kind, "events": events})
    assert (found.affected, found.unverifiable) == (affected, None), source


# The schema's "Python vulnerability" example record (pikepdf 2.8.0 through 2.9.2)
PIKEPDF = {
    "package": {"ecosystem": "PyPI", "name": "pikepdf"},
    "ranges": [
        {"type": "GIT", "repo": "https://github.com/pikepdf/pikepdf",
         "events": [{"introduced": "0"}, {"fixed": "3f38f73218e5e782fe411ccbb3b44a793c0b343a"}]},
        {"type": "ECOSYSTEM", "events": [{"introduced": "2.8.0"}, {"fixed": "2.10.0"}]},
    ],
    "versions": ["2.8.0", "2.8.0.post1", "2.8.0.post2", "2.9.0", "2.9.1", "2.9.2"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.7.1", Assessment(False)),
        ("2.8.0.post1", Assessment(True, ("2.10.0",))),  # listed, and in the range
        ("2.9.2", Assessment(True, ("2.10.0",))),
        ("2.9.3", Assessment(True, ("2.10.0",))),  # not listed, but in the range
        ("2.10.0", Assessment(False)),
    ],
)
def test_the_python_example_is_decided_by_its_versions_and_ecosystem_range(
    version: str, expected: Assessment
) -> None:
    # "affected fields": affected when listed in versions or within any range; the GIT
    # range is ignored, since the ECOSYSTEM range and the versions list can be evaluated
    assert assess(version, [PIKEPDF]) == expected


def test_a_git_range_alone_is_unverifiable_never_unaffected() -> None:
    # "affected[].ranges[].type": GIT ranges need the repository's commit graph
    git_only = {**PIKEPDF, "ranges": PIKEPDF["ranges"][:1], "versions": []}
    found = assess("2.9.2", [git_only])
    assert found == Assessment(False, unverifiable="its GIT range names commits, not versions")
    # the same advisory with its versions list: the list decides
    assert assess("2.9.2", [{**git_only, "versions": PIKEPDF["versions"]}]).affected
    assert assess("3.0.0", [{**git_only, "versions": PIKEPDF["versions"]}]) == Assessment(False)


@pytest.mark.parametrize(
    ("entries", "version", "expected"),
    [
        # "affected fields": a version listed in versions is affected; PyPI versions are
        # equal when PEP 440 says so
        ([{"versions": ["1.0.0"]}], "1.0", Assessment(True)),
        ([{"versions": ["1.0.0"]}], "1.0.1", Assessment(False)),
        ([{"versions": ["2024-01-git"]}], "2024-01-git", Assessment(True)),  # no PEP 440
        ([{"versions": ["2024-01-git"]}], "1.0", Assessment(False)),
        # a version SEMVER cannot place: the versions list decides, alone it is unverifiable
        ([{"ranges": [{"type": "SEMVER", "events": FIXED}]}], "1.0",
         Assessment(False, unverifiable="1.0 is not SemVer (its SEMVER range)")),
        ([{"ranges": [{"type": "SEMVER", "events": FIXED}], "versions": ["1.0"]}], "1.0",
         Assessment(True)),
        ([{"ranges": [{"type": "ECOSYSTEM", "events": FIXED}]}], "not-a-version",
         Assessment(False, unverifiable="not-a-version is not a PEP 440 version")),
        ([{"ranges": [{"type": "NEW_TYPE", "events": FIXED}]}], "1.0.0",
         Assessment(False, unverifiable="unknown range type 'NEW_TYPE'")),
        # one evaluable range among several affected entries of the package decides
        ([{"ranges": [{"type": "GIT", "events": UNFIXED}]},
          {"ranges": [{"type": "ECOSYSTEM", "events": FIXED}]}], "1.0.3", Assessment(False)),
        # fixed: the next fix above the installed version, of each range containing it
        ([{"ranges": [{"type": "ECOSYSTEM", "events": MULTIPLE}]}], "3.1",
         Assessment(True, ("3.2.5",))),
        ([{"ranges": [{"type": "ECOSYSTEM", "events": LAST_AFFECTED}]}], "2.0",
         Assessment(True)),
    ],
)  # fmt: skip
def test_versions_lists_and_ranges_that_cannot_be_evaluated(
    entries: list[dict[str, object]], version: str, expected: Assessment
) -> None:
    assert assess(version, entries) == expected


@pytest.mark.parametrize(
    "events",
    [
        # "Requirements": only a single type is allowed in each event object
        [{"introduced": "1.0.0", "fixed": "1.0.2"}],
        [{"introduced": "0"}, {}],
        # an unquoted YAML 1.10 is the number 1.1: refused, not compared as 1.1
        [{"introduced": "0"}, {"fixed": 1.10}],
        [{"introduced": "0"}, {"fixed": "not a version"}],
    ],
)
def test_malformed_events_are_errors(events: list[dict[str, object]]) -> None:
    with pytest.raises(ValueError):
        range_assessment("1.0", {"type": "ECOSYSTEM", "events": events})


def test_semver_precedence_is_semver_2() -> None:
    # semver.org item 11's own example, in ascending order
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
               "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]  # fmt: skip
    assert sorted(reversed(ordered), key=semver_key) == ordered
    assert semver_key("1.0.0+20130313144700") == semver_key("1.0.0")
    for invalid in ("1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+"):
        with pytest.raises(ValueError, match="Invalid SemVer version"):
            semver_key(invalid)


def test_the_walk_takes_any_ordered_version_type() -> None:
    # "Evaluation" with the comparison of the range's type: the same walk for both types
    assert events_affect(semver_key("1.0.1"), FIXED, semver_key)
    assert not events_affect(semver_key("1.0.2"), FIXED, semver_key)
