"""pyright, once over every component, with the target's config and interpreter."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from maturity.collectors.base import Collector, Inputs, RunContext, is_config, locate, run_tool
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

    def collect(self, ctx: RunContext) -> FindingsFacts:
        """Run pyright; information-level diagnostics are not findings."""
        facts = FindingsFacts()
        path = locate("pyright", facts, ctx, version=False)
        if path is None:
            return facts
        paths = ctx.project.roots
        argv = [path, "--outputjson", "--pythonpath", ctx.interpreter, *paths]
        run = run_tool(argv, ctx.root, ctx.timeout)
        facts.command = run.command
        if run.error:
            facts.error = f"pyright {run.error}"
            return facts
        if run.returncode not in (0, 1):
            meaning = EXIT_MEANING.get(run.returncode or 0, "failed")
            facts.error = f"pyright {meaning} (exit {run.returncode}): {run.tail()}"
            return facts
        try:
            payload = json.loads(run.stdout)
            facts.version = payload.get("version")
            if payload["summary"]["filesAnalyzed"] == 0:
                facts.error = "pyright analysed no files (check include/exclude in its config)"
                return facts
            read_diagnostics(payload["generalDiagnostics"], facts, ctx.relpath)
        except (ValueError, KeyError, TypeError) as exc:
            facts.error = f"pyright printed output maturity cannot read: {exc!r}"
        return facts
