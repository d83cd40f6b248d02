"""ruff, once over every component directory, honouring the target's own config."""

from __future__ import annotations

import json

from maturity.collectors.base import (
    Collector,
    Inputs,
    RunContext,
    is_config,
    locate,
    run_tool,
    under,
)
from maturity.facts import Finding, FindingsFacts


class RuffCollector(Collector):
    """``ruff check --output-format=json`` over all components."""

    name = "ruff"
    title = "ruff"
    facts = FindingsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """The component files and the tools' configuration files."""
        roots = ctx.project.roots

        def reads(rel: str) -> bool:
            return is_config(rel) or (under(rel, roots) and rel.endswith((".py", ".pyi")))

        return Inputs(files=reads, tools=(self.name,))

    def collect(self, ctx: RunContext) -> FindingsFacts:
        """Run ruff; one finding per JSON diagnostic."""
        facts = FindingsFacts()
        path = locate("ruff", facts, ctx)
        if path is None:
            return facts
        paths = ctx.project.roots
        argv = [path, "check", "--output-format=json", "--exit-zero", "--no-fix", *paths]
        run = run_tool(argv, ctx.root, ctx.timeout)
        facts.command = run.command
        if run.error or run.returncode != 0:
            facts.error = f"ruff failed: {run.error or run.tail()}"
            return facts
        try:
            for item in json.loads(run.stdout or "[]"):
                code = item.get("code") or "syntax-error"
                if not item.get("filename"):
                    facts.general.append(f"{code}: {item['message']}")
                    continue
                row = (item.get("location") or {}).get("row")
                facts.findings.append(
                    Finding(
                        file=ctx.relpath(item["filename"]),
                        line=int(row) if isinstance(row, int) else None,
                        code=code,
                        message=item["message"],
                        severity="error",
                    )
                )
        except (ValueError, KeyError, TypeError) as exc:
            facts.error = f"ruff printed output maturity cannot read: {exc!r}"
        return facts
