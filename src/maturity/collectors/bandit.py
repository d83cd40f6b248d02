"""bandit, once over every component, with the target's bandit config if any."""

from __future__ import annotations

import json
import tomllib

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


def _config_args(ctx: RunContext) -> list[str]:
    pyproject = ctx.root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = {}
        if "bandit" in data.get("tool", {}):
            return ["-c", "pyproject.toml"]
    if (ctx.root / ".bandit").is_file():
        return ["--ini", ".bandit"]
    return []


class BanditCollector(Collector):
    """``bandit -r <components> -f json``: findings with severity, files it could not scan."""

    name = "bandit"
    title = "bandit"
    facts = FindingsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """The component files and the tools' configuration files."""
        roots = ctx.project.roots

        def reads(rel: str) -> bool:
            return is_config(rel) or (under(rel, roots) and rel.endswith((".py", ".pyi")))

        return Inputs(files=reads, tools=(self.name,))

    def collect(self, ctx: RunContext) -> FindingsFacts:
        """Run bandit; severity words are lower-cased (low/medium/high)."""
        facts = FindingsFacts()
        path = locate("bandit", facts, ctx)
        if path is None:
            return facts
        paths = ctx.project.roots
        argv = [path, *_config_args(ctx), "-r", *paths, "-f", "json", "-q", "--exit-zero"]
        run = run_tool(argv, ctx.root, ctx.timeout)
        facts.command = run.command
        if run.error or run.returncode != 0:
            facts.error = f"bandit failed: {run.error or run.tail()}"
            return facts
        try:
            payload = json.loads(run.stdout)
            for item in payload["results"]:
                facts.findings.append(
                    Finding(
                        file=ctx.relpath(item["filename"]),
                        line=int(item["line_number"]),
                        code=item["test_id"],
                        message=f"{item['test_name']}: {item['issue_text']}",
                        severity=item["issue_severity"].lower(),
                    )
                )
            for err in payload.get("errors", []):
                facts.failed_files[ctx.relpath(err["filename"])] = err["reason"]
        except (ValueError, KeyError, TypeError) as exc:
            facts.error = f"bandit printed output maturity cannot read: {exc!r}"
        return facts
