"""Whether an installed PyPI version is affected by an OSV advisory, evaluated offline.

Follows the OSV schema (https://ossf.github.io/osv-schema/): its ``affected[].versions``
and ``affected[].ranges`` sections and the ``IsVulnerable`` pseudo-code of "Evaluation".

- A version is affected when a ``versions`` list names it or any range contains it.
- A range's events are sorted by version and walked in order: ``introduced`` opens the
  range (``"0"`` sorts before every version), ``fixed`` closes it at that version,
  ``last_affected`` just after it. ``limit`` events bound the whole range from above
  (``"*"`` is infinity; a range without one has no bound): a version at or past every
  limit is outside the range, whatever its events say.
- ``ECOSYSTEM`` ranges of PyPI compare versions with PEP 440 (``packaging``), ``SEMVER``
  ranges with SemVer 2.0 precedence (build metadata ignored); ``versions`` entries are
  equal when their PEP 440 versions are (``1.0`` is ``1.0.0``), else as strings.
- A range that cannot be evaluated against an installed version — ``GIT`` ranges name
  commits, not versions; an unknown type; a ``SEMVER`` range when the installed version
  is no SemVer, an ``ECOSYSTEM`` range when it is no PEP 440 version — is ignored when the
  package also has a ``versions`` list or a range that could be evaluated (which then
  decides). Otherwise the advisory is *unverifiable* for that version: never "not
  affected".

Malformed advisories raise ``ValueError``: an event version that does not parse, an event
that is not exactly one of ``introduced``/``fixed``/``last_affected``/``limit``, a
version that is not a string (YAML reads an unquoted ``1.10`` as the number 1.1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from packaging.version import InvalidVersion, Version

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


@dataclass(frozen=True)
class Assessment:
    """What an advisory says about one installed version."""

    affected: bool
    fixed: tuple[str, ...] = ()  # the next fixed version of each range that contains it
    unverifiable: str | None = None  # why nothing could be evaluated for this version


_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


def semver_key(text: str) -> tuple[Any, ...]:
    """A sort key with SemVer 2.0 precedence (semver.org, item 11); ValueError if invalid.

    A pre-release sorts before its release; pre-release identifiers compare one by one,
    numbers numerically and below words, words in ASCII order, and a longer list of
    equal leading identifiers sorts after a shorter one. Build metadata is ignored.
    """
    match = _SEMVER.fullmatch(text)
    pre = match.group(4) if match else None
    idents = pre.split(".") if pre else []
    if not match or any(i.isdigit() and len(i) > 1 and i.startswith("0") for i in idents):
        raise ValueError(f"Invalid SemVer version: {text!r}")
    release = tuple(int(match.group(n)) for n in (1, 2, 3))
    if not idents:
        return (*release, (1,))
    return (*release, (0, *((0, int(i), "") if i.isdigit() else (1, 0, i) for i in idents)))


def _event(event: Any) -> tuple[str, str]:
    """(kind, version string) of one event."""
    kinds = [k for k in EVENT_KINDS if isinstance(event, Mapping) and k in event]
    if len(kinds) != 1:
        raise ValueError(f"an event needs exactly one of {', '.join(EVENT_KINDS)}: {event!r}")
    value: Any = event[kinds[0]]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{kinds[0]} {value!r} is not a version string (quote it)")
    return kinds[0], str(value)


def events_affect(version: K, events: Sequence[Any], parse: Callable[[str], K] = Version) -> bool:
    """Whether ``version`` lies in the range these events describe (OSV "Evaluation")."""
    parsed = [_event(e) for e in events]
    limits = [v for kind, v in parsed if kind == "limit"]
    if limits and not any("*" in v or version < parse(v) for v in limits):
        return False
    # {"introduced": "0"} sorts before every version: the walk starts inside the range
    affected = ("introduced", "0") in parsed
    walk = [(kind, v) for kind, v in parsed if kind != "limit" and (kind, v) != ("introduced", "0")]
    for kind, bound in sorted(((kind, parse(v)) for kind, v in walk), key=lambda e: e[1]):
        if kind == "introduced":
            affected = affected or not version < bound
        else:  # fixed: closed from that version on; last_affected: from just after it
            closed = bound < version if kind == "last_affected" else not version < bound
            affected = affected and not closed
    return affected


def _next_fixed(version: K, events: Sequence[Any], parse: Callable[[str], K]) -> tuple[str, ...]:
    """The lowest ``fixed`` version above ``version``, if any."""
    above = [(parse(v), v) for kind, v in map(_event, events) if kind == "fixed"]
    above = [pair for pair in above if version < pair[0]]
    return (min(above, key=lambda pair: pair[0])[1],) if above else ()


def range_assessment(version: str, range_: Mapping[str, Any]) -> Assessment:
    """One ``affected[].ranges[]`` entry against an installed PyPI version."""
    kind = str(range_.get("type", ""))
    events: Sequence[Any] = range_.get("events") or []
    if kind == "GIT":
        return Assessment(False, unverifiable="its GIT range names commits, not versions")
    if kind == "ECOSYSTEM":
        try:
            installed = Version(version)
        except InvalidVersion:
            return Assessment(False, unverifiable=f"{version} is not a PEP 440 version")
        if events_affect(installed, events):
            return Assessment(True, _next_fixed(installed, events, Version))
        return Assessment(False)
    if kind == "SEMVER":
        try:
            key = semver_key(version)
        except ValueError:
            return Assessment(False, unverifiable=f"{version} is not SemVer (its SEMVER range)")
        if events_affect(key, events, semver_key):
            return Assessment(True, _next_fixed(key, events, semver_key))
        return Assessment(False)
    return Assessment(False, unverifiable=f"unknown range type {kind!r}")


def same_version(installed: str, listed: Any) -> bool:
    """Whether a ``versions`` entry names the installed PyPI version."""
    if str(listed) == installed:
        return True
    try:
        return Version(str(listed)) == Version(installed)
    except InvalidVersion:
        return False


def assess(version: str, entries: Sequence[Mapping[str, Any]]) -> Assessment:
    """An advisory's ``affected`` entries for one package against its installed version."""
    fixed: list[str] = []
    reasons: list[str] = []
    affected = evaluated = False
    for entry in entries:
        listed: Sequence[Any] = entry.get("versions") or []
        evaluated = evaluated or bool(listed)
        affected = affected or any(same_version(version, v) for v in listed)
        for range_ in entry.get("ranges") or []:
            found = range_assessment(version, range_)
            if found.unverifiable:
                reasons.append(found.unverifiable)
                continue
            evaluated = True
            affected = affected or found.affected
            fixed += [v for v in found.fixed if v not in fixed]
    if affected:
        return Assessment(True, tuple(fixed))
    if reasons and not evaluated:
        return Assessment(False, unverifiable="; ".join(dict.fromkeys(reasons)))
    return Assessment(False)
