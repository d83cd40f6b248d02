"""Attestations: committed, human-readable records of checks people made.

One YAML file per component, ``.maturity/attestations/<component>.yaml``, holding one
record per kind (``qa``, ``multi_user``, ``security_review``): who, when, what was
checked, an optional expiry. ``maturity attest`` writes them; reviewers see them in PRs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from maturity.errors import UsageError

DIRECTORY = Path(".maturity") / "attestations"
QA_CHECKLIST = (
    "All user flows tested manually",
    "UI/UX meets design specifications",
    "Accessibility tested (WCAG 2.1 AA)",
    "Cross-browser compatibility verified",
    "Mobile responsiveness verified",
    "Error messages clear and helpful",
    "Performance acceptable (subjective feel)",
    "No console errors or warnings",
)
SECURITY_REVIEW = (
    "Authentication/authorization logic",
    "Input validation and sanitization",
    "SQL injection prevention (parameterized queries)",
    "XSS prevention (output encoding)",
    "CSRF protection",
    "Secure session management",
)
KINDS = {"qa": QA_CHECKLIST, "security_review": SECURITY_REVIEW, "multi_user": ()}


def path_for(root: Path, component: str) -> Path:
    """Where a component's attestations live."""
    return root / DIRECTORY / f"{component}.yaml"


def read(root: Path, component: str) -> dict[str, dict[str, Any]]:
    """The component's attestations by kind ({} when none); ValueError when malformed."""
    import yaml

    path = path_for(root, component)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.relative_to(root)}: not valid YAML") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{path.relative_to(root)}: must map each kind to a record")
    return data


def write(root: Path, component: str, kind: str, record: dict[str, Any]) -> Path:
    """Add or replace one record, keeping the others."""
    import yaml

    if kind not in KINDS:
        raise UsageError(f"unknown attestation {kind!r} (known: {', '.join(KINDS)})")
    try:
        data = read(root, component)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    data[kind] = record
    path = path_for(root, component)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Attestations of {component}: written by `maturity attest`, reviewed in PRs.\n"
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def problems(record: dict[str, Any] | None, kind: str, today: date) -> list[str]:
    """Why a record does not attest its kind (empty when it does)."""
    if record is None:
        return [f"no {kind} attestation"]
    found: list[str] = []
    for key in ("by", "date"):
        if not record.get(key):
            found.append(f"{kind} attestation has no {key!r}")
    expires = record.get("expires")
    if isinstance(expires, date) and expires < today:
        found.append(f"{kind} attestation expired on {expires.isoformat()}")
    checklist = KINDS[kind]
    if checklist:
        checked = set(record.get("checked") or [])
        found += [f"not checked: {item}" for item in checklist if item not in checked]
    return found
