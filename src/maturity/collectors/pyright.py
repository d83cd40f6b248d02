"""pyright over every component, with the target's config and interpreter: once from the
root for the ``src/<pkg>`` layout, once from each workspace member's directory (its
``pyrightconfig.json`` / ``[tool.pyright]`` and execution root)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from maturity.collectors.base import (
    Collector,
    Inputs,
    RunContext,
    ToolRun,
    is_config,
    locate,
    per_project,
    run_tool,
)
from maturity.collectors.ruff import in_project, only
from maturity.facts import Finding, FindingsFacts

EXIT_MEANING = {2: "fatal error", 3: "configuration file error", 4: "invalid command line"}


def read_diagnostics(
    diagnostics: list[dict[str, Any]], facts: FindingsFacts, relpath: Callable[[str], str]
) -> None:
    """Errors and warnings as findings: one without a range is a finding of its file (no
    line), one without a file is the run's (``general``). Information is not a finding."""
    for diag in diagnostics:
        if diag["severity"] not in ("error", "warning"):
            continue
        lines = str(diag.get("message") or "").splitlines()
        text = lines[0] if lines else "(no message)"
        if not diag.get("file"):
            facts.general.append(f"{diag['severity']}: {text}")
            continue
        line = ((diag.get("range") or {}).get("start") or {}).get("line")
        facts.findings.append(
            Finding(
                file=relpath(diag["file"]),
                line=line + 1 if isinstance(line, int) else None,
                code=diag.get("rule") or "pyright",
                message=text,
                severity=diag["severity"],
            )
        )


class PyrightCollector(Collector):
    """``pyright --outputjson`` over all components; errors and warnings are findings."""

    name = "pyright"
    title = "pyright"
    facts = FindingsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """Every Python file (pyright follows imports anywhere in the repository), the
        configuration files and the installed packages it resolves imports against."""
        return Inputs(
            files=lambda rel: is_config(rel) or rel.endswith((".py", ".pyi")),
            environment=True,
            tools=(self.name,),
        )

    def collect(self, ctx: RunContext, files: list[str] | None = None) -> FindingsFacts:
        """Run pyright; information-level diagnostics are not findings. ``files``
        (repo-relative): only these (``--changed-since``)."""
        facts = FindingsFacts()
        path = locate("pyright", facts, ctx, version=False)
        if path is None:
            return facts

        def one(project: str, roots: list[str]) -> ToolRun | None:
            targets = roots if files is None else only(files, project, roots)
            if not targets:
                return None
            argv = [path, "--outputjson", "--pythonpath", ctx.interpreter, *targets]
            return run_tool(argv, ctx.root / project, ctx.timeout)

        runs = [(p, r, run) for p, r, run in per_project(ctx, one) if run is not None]
        facts.command = " ; ".join(in_project(p, run.command) for p, _, run in runs)
        for project, _, run in runs:
            facts.error = self._read(ctx, facts, run)
            if facts.error:
                if project != ".":
                    facts.error += f" (in {project})"
                return facts
        return facts

    @staticmethod
    def _read(ctx: RunContext, facts: FindingsFacts, run: ToolRun) -> str | None:
        """One pyright run's diagnostics into ``facts``; why it could not, else None."""
        if run.error:
            return f"pyright {run.error}"
        if run.returncode not in (0, 1):
            meaning = EXIT_MEANING.get(run.returncode or 0, "failed")
            return f"pyright {meaning} (exit {run.returncode}): {run.tail()}"
        try:
            payload = json.loads(run.stdout)
            facts.version = payload.get("version")
            if payload["summary"]["filesAnalyzed"] == 0:
                return "pyright analysed no files (check include/exclude in its config)"
            read_diagnostics(payload["generalDiagnostics"], facts, ctx.relpath)
        except (ValueError, KeyError, TypeError) as exc:
            return f"pyright printed output maturity cannot read: {exc!r}"
        return None
