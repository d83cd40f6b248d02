"""The security audit's facts: each component's dependencies and their known
vulnerabilities, and secrets in its files compared with the detect-secrets baseline.

Dependencies: the top-level modules a component imports (AST), mapped to installed
distributions in the TARGET interpreter (``importlib.metadata``), plus what those
require, transitively. Vulnerabilities: offline from a local OSV advisory directory
(the PyPA advisory-database layout; evaluated by :mod:`maturity.collectors.osv`), or
online with pip-audit. A dependency that could not be audited — pip-audit skipped it, or
an advisory's ranges cannot be evaluated for its version — is reported, never passed.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from maturity.collectors.base import Collector, RunContext, find_tool, run_tool
from maturity.collectors.osv import assess
from maturity.collectors.sources import owned_python_files
from maturity.facts import Secret, SecurityFacts, Vulnerability
from maturity.project import Component
from maturity.pysource import parse_python

# Runs in the TARGET's interpreter, which may lack ``packaging``: its ``norm`` is PEP 503
# normalisation as ``canonicalize_name`` does it (tests/unit/test_package_names.py checks).
_DEPENDENCIES = r"""
import importlib.metadata as md, json, re, sys
wanted = json.load(sys.stdin)
def norm(n): return re.sub(r"[-_.]+", "-", n).lower()
dists = {}
for d in md.distributions():
    name = d.metadata["Name"]
    if name:
        dists.setdefault(norm(name), d)
top = md.packages_distributions()
out = {}
for comp, modules in wanted.items():
    seen, stack = {}, [d for m in modules for d in top.get(m, [])]
    while stack:
        n = norm(stack.pop())
        if n in seen or n not in dists:
            continue
        seen[n] = dists[n].version
        for req in dists[n].requires or []:
            if ";" in req and "extra" in req.split(";", 1)[1]:
                continue
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if m:
                stack.append(m.group(1))
    out[comp] = seen
print(json.dumps(out))
"""


def imported_modules(root: Path, comp: Component) -> list[str]:
    """Top-level names of absolute imports in the files a component owns."""
    names: set[str] = set()
    for file in owned_python_files(root, comp):
        try:
            tree = parse_python(file.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return sorted(names)


def load_advisories(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every advisory (file, document) under an OSV directory; ValueError when malformed."""
    import yaml

    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(directory.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        rel = path.relative_to(directory).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
            doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ValueError(f"{rel}: not valid {path.suffix[1:].upper()}: {exc!s}") from exc
        if not isinstance(doc, dict) or "id" not in doc or "affected" not in doc:
            raise ValueError(f"{rel}: not an OSV advisory (needs 'id' and 'affected')")
        found.append((rel, doc))
    return found


SEVERITY_WORDS = {"critical": "critical", "high": "high", "moderate": "medium", "medium": "medium",
                  "low": "low"}  # fmt: skip


def severity_of(doc: dict[str, Any], affected: dict[str, Any]) -> str | None:
    """critical / high / medium / low from the advisory's severity field or CVSS vector."""
    for holder in (affected.get("database_specific"), doc.get("database_specific")):
        if isinstance(holder, dict) and holder.get("severity"):
            word = SEVERITY_WORDS.get(str(holder["severity"]).lower())
            if word:
                return word
    for entry in doc.get("severity") or []:
        vector = str(entry.get("score", "")) if isinstance(entry, dict) else ""
        word = cvss_severity(vector)
        if word:
            return word
    return None


def cvss_severity(vector: str) -> str | None:
    """The base severity of a CVSS v3/v4 vector, in lower case (None when unparseable)."""
    from cvss import CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    try:
        if vector.startswith("CVSS:4"):
            word = CVSS4(vector).severity
        elif vector.startswith("CVSS:3"):
            word = CVSS3(vector).severities()[0]
        else:
            return None
    except CVSSError:
        return None
    word = str(word).lower()
    return None if word == "none" else word


def match_advisories(
    advisories: list[tuple[str, dict[str, Any]]],
    installed: dict[str, str],
    unverifiable: dict[str, str] | None = None,
) -> list[Vulnerability]:
    """The advisories that affect the installed versions (``installed``: canonical name ->
    version); withdrawn advisories never do. An advisory that cannot be evaluated for an
    installed version (see :mod:`maturity.collectors.osv`) is added to ``unverifiable``:
    distribution -> why."""
    found: list[Vulnerability] = []
    for rel, doc in advisories:
        if doc.get("withdrawn"):  # OSV: the entry was withdrawn and no longer applies
            continue
        entries: dict[str, list[dict[str, Any]]] = {}
        for affected in doc.get("affected") or []:
            package = affected.get("package") or {}
            if str(package.get("ecosystem", "")).lower() != "pypi":
                continue
            name = canonicalize_name(str(package.get("name", "")))
            if name in installed:
                entries.setdefault(name, []).append(affected)
        for name, mine in entries.items():
            try:
                verdict = assess(installed[name], mine)
            except ValueError as exc:
                raise ValueError(f"{rel}: {exc!s} in its ranges") from exc
            if verdict.unverifiable and unverifiable is not None:
                why = f"{doc['id']} in {rel}: {verdict.unverifiable}"
                unverifiable[name] = "; ".join(filter(None, (unverifiable.get(name), why)))
            if verdict.affected:
                found.append(
                    Vulnerability(
                        id=str(doc["id"]),
                        package=name,
                        version=installed[name],
                        aliases=tuple(map(str, doc.get("aliases") or [])),
                        fixed=verdict.fixed,
                        severity=severity_of(doc, mine[0]),
                        summary=str(doc.get("summary") or doc.get("details") or "")[:200],
                        source=rel,
                    )
                )
    return found


class SecurityCollector(Collector):
    """Dependencies, vulnerabilities (offline OSV or pip-audit) and secrets, once per run."""

    name = "security"
    title = "security audit"
    facts = SecurityFacts

    def collect(self, ctx: RunContext) -> SecurityFacts:
        """Everything the security audit criterion needs besides bandit and attestations."""
        facts = SecurityFacts(tool="security audit", command="pip-audit / OSV + detect-secrets")
        wanted = {c.name: imported_modules(ctx.root, c) for c in ctx.project.components}
        run = run_tool(
            [ctx.interpreter, "-c", _DEPENDENCIES], ctx.root, 120, stdin=json.dumps(wanted)
        )
        try:
            facts.dependencies = json.loads(run.stdout) if run.returncode == 0 else {}
        except ValueError:
            facts.dependencies = {}
        if run.error or run.returncode != 0 or not isinstance(facts.dependencies, dict):
            facts.error = f"cannot list the target's distributions: {run.error or run.tail()}"
            return facts
        installed: dict[str, str] = {}
        for deps in facts.dependencies.values():
            installed.update(deps)
        self._vulnerabilities(ctx, facts, installed)
        self._secrets(ctx, facts)
        return facts

    def _vulnerabilities(
        self, ctx: RunContext, facts: SecurityFacts, installed: dict[str, str]
    ) -> None:
        config = ctx.project.config.security
        if config.advisories:
            directory = ctx.root / config.advisories
            facts.audit = f"offline OSV advisories in {config.advisories}"
            facts.audit_command = f"ls {config.advisories}"
            if not directory.is_dir():
                facts.audit_error = f"advisory directory {config.advisories} does not exist"
                return
            try:
                facts.vulnerabilities = match_advisories(
                    load_advisories(directory), installed, facts.skipped
                )
            except ValueError as exc:
                facts.audit_error = f"{config.advisories}/{exc!s}"
            return
        facts.audit = "pip-audit" + (f" against {config.osv_url}" if config.osv_url else "")
        if not installed:
            return
        pip_audit = find_tool("pip-audit", ctx)
        if pip_audit is None:
            facts.audit_error = "pip-audit is not installed (or set security.advisories)"
            return
        ctx.run_dir.mkdir(parents=True, exist_ok=True)
        requirements = ctx.run_dir / "audit-requirements.txt"
        requirements.write_text(
            "".join(f"{n}=={v}\n" for n, v in sorted(installed.items())), encoding="utf-8"
        )
        argv = [
            pip_audit, "-r", str(requirements), "--no-deps", "--disable-pip",
            "-f", "json", "--progress-spinner", "off",
        ]  # fmt: skip
        if config.osv_url:
            argv += ["-s", "osv", "--osv-url", config.osv_url]
        facts.audit_command = f"pip-audit -r {ctx.relpath(requirements)} --no-deps --disable-pip"
        run = run_tool(argv, ctx.root, ctx.timeout)
        if run.error:
            facts.audit_error = f"pip-audit {run.error}"
            return
        try:
            payload: dict[str, Any] = json.loads(run.stdout)
            dependencies = payload["dependencies"]
        except (ValueError, KeyError, TypeError):
            facts.audit_error = f"pip-audit exited {run.returncode}: {run.tail()}"
            return
        for dep in dependencies:
            name = canonicalize_name(str(dep.get("name", "")))
            if dep.get("skip_reason"):
                facts.skipped[name] = str(dep["skip_reason"])
            for vuln in dep.get("vulns") or []:
                facts.vulnerabilities.append(
                    Vulnerability(
                        id=str(vuln.get("id")),
                        package=name,
                        version=str(dep.get("version")),
                        aliases=tuple(vuln.get("aliases") or []),
                        fixed=tuple(vuln.get("fix_versions") or []),
                        summary=str(vuln.get("description") or "")[:200],
                        source="pip-audit",
                    )
                )

    def _secrets(self, ctx: RunContext, facts: SecurityFacts) -> None:
        config = ctx.project.config.security
        baseline = ctx.root / config.secrets_baseline
        if baseline.is_file():
            facts.baseline = config.secrets_baseline
            try:
                data = json.loads(baseline.read_text(encoding="utf-8"))
                facts.baseline_entries = {
                    (file, str(item["hashed_secret"]))
                    for file, items in data["results"].items()
                    for item in items
                }
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                facts.secrets_error = (
                    f"{config.secrets_baseline} is not a detect-secrets baseline: {exc!s}"
                )
                return
        tool = find_tool("detect-secrets", ctx)
        if tool is None:
            facts.secrets_error = "detect-secrets is not installed"
            return
        paths = ctx.project.roots
        facts.secrets_command = "detect-secrets scan --no-verify --all-files " + " ".join(paths)
        run = run_tool([tool, "scan", "--no-verify", "--all-files", *paths], ctx.root, ctx.timeout)
        try:
            results: dict[str, list[dict[str, Any]]] = json.loads(run.stdout)["results"]
        except (ValueError, KeyError, TypeError):
            facts.secrets_error = (
                f"detect-secrets {run.error or f'exited {run.returncode}: {run.tail()}'}"
            )
            return
        facts.secrets = [
            Secret(
                file, int(item.get("line_number", 0)), str(item["type"]), str(item["hashed_secret"])
            )
            for file, items in results.items()
            for item in items
        ]
