"""bandit over every component with the target's bandit config if any: once from the
root for the ``src/<pkg>`` layout, once from each workspace member's directory with the
member's own configuration."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from maturity.collectors.base import (
    Collector,
    Inputs,
    RunContext,
    ToolRun,
    locate,
    per_project,
    run_tool,
    source_inputs,
)
from maturity.collectors.ruff import in_project, only
from maturity.facts import Finding, FindingsFacts


def _config_args(directory: Path) -> list[str]:
    """bandit's options for the configuration of the directory it runs from."""
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            data = {}
        if "bandit" in data.get("tool", {}):
            return ["-c", "pyproject.toml"]
    if (directory / ".bandit").is_file():
        return ["--ini", ".bandit"]
    return []


class BanditCollector(Collector):
    """``bandit -r <components> -f json``: findings with severity, files it could not scan."""

    name = "bandit"
    title = "bandit"
    facts = FindingsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """The component files and the tools' configuration files."""
        return source_inputs(ctx, self.name)

    def collect(self, ctx: RunContext, files: list[str] | None = None) -> FindingsFacts:
        """Run bandit; severity words are lower-cased (low/medium/high). ``files``
        (repo-relative): only these (``--changed-since``)."""
        facts = FindingsFacts()
        path = locate("bandit", facts, ctx)
        if path is None:
            return facts

        def one(project: str, roots: list[str]) -> ToolRun | None:
            cwd = ctx.root / project
            targets = ["-r", *roots] if files is None else only(files, project, roots)
            if not targets:
                return None
            argv = [path, *_config_args(cwd), *targets, "-f", "json", "-q", "--exit-zero"]
            return run_tool(argv, cwd, ctx.timeout)

        runs = [(p, r, run) for p, r, run in per_project(ctx, one) if run is not None]
        facts.command = " ; ".join(in_project(p, run.command) for p, _, run in runs)
        for project, _, run in runs:
            error = self._read(ctx, facts, run, ctx.root / project)
            if error:
                facts.error = error if project == "." else f"{error} (in {project})"
                return facts
        return facts

    @staticmethod
    def _read(ctx: RunContext, facts: FindingsFacts, run: ToolRun, cwd: Path) -> str | None:
        """One bandit run's results into ``facts`` (its paths are relative to ``cwd``)."""
        if run.error or run.returncode != 0:
            return f"bandit failed: {run.error or run.tail()}"
        try:
            payload = json.loads(run.stdout)
            for item in payload["results"]:
                facts.findings.append(
                    Finding(
                        file=ctx.relpath(cwd / item["filename"]),
                        line=int(item["line_number"]),
                        code=item["test_id"],
                        message=f"{item['test_name']}: {item['issue_text']}",
                        severity=item["issue_severity"].lower(),
                    )
                )
            for err in payload.get("errors", []):
                facts.failed_files[ctx.relpath(cwd / err["filename"])] = err["reason"]
        except (ValueError, KeyError, TypeError) as exc:
            return f"bandit printed output maturity cannot read: {exc!r}"
        return None
