"""pyright, once over every component, with the target's config and interpreter."""

from __future__ import annotations

import json

from maturity.collectors.base import RunContext, locate, run_tool
from maturity.facts import Finding, FindingsFacts

EXIT_MEANING = {2: "fatal error", 3: "configuration file error", 4: "invalid command line"}


class PyrightCollector:
    """``pyright --outputjson`` over all components; errors and warnings are findings."""

    name = "pyright"
    title = "pyright"

    def collect(self, ctx: RunContext) -> FindingsFacts:
        """Run pyright; information-level diagnostics are not findings."""
        facts = FindingsFacts()
        path = locate("pyright", facts, ctx, version=False)
        if path is None:
            return facts
        paths = [c.path for c in ctx.project.components]
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
            for diag in payload["generalDiagnostics"]:
                if diag["severity"] not in ("error", "warning"):
                    continue
                facts.findings.append(
                    Finding(
                        file=ctx.relpath(diag["file"]),
                        line=int(diag["range"]["start"]["line"]) + 1,
                        code=diag.get("rule") or "pyright",
                        message=diag["message"].splitlines()[0],
                        severity=diag["severity"],
                    )
                )
        except (ValueError, KeyError, TypeError) as exc:
            facts.error = f"pyright printed output maturity cannot read: {exc!r}"
        return facts
