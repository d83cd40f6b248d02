"""ruff over every component directory, honouring the target's own config: once from the
root for the ``src/<pkg>`` layout, once from each workspace member's directory."""

from __future__ import annotations

import json

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
from maturity.facts import Finding, FindingsFacts
from maturity.paths import under


def only(files: list[str], project: str, roots: list[str]) -> list[str]:
    """The ``files`` (repo-relative) under a project's ``roots``, relative to the project."""
    inside = [r if project == "." else f"{project}/{r}" for r in roots]
    return [
        f if project == "." else f.removeprefix(project + "/")
        for f in files
        if any(under(f, r) for r in inside)
    ]


def in_project(project: str, command: str) -> str:
    """A command as run from a project directory, written to be pasted at the root."""
    return command if project == "." else f"cd {project} && {command}"


class RuffCollector(Collector):
    """``ruff check --output-format=json`` over all components."""

    name = "ruff"
    title = "ruff"
    facts = FindingsFacts

    def inputs(self, ctx: RunContext) -> Inputs:
        """The component files and the tools' configuration files."""
        return source_inputs(ctx, self.name)

    def collect(self, ctx: RunContext, files: list[str] | None = None) -> FindingsFacts:
        """Run ruff; one finding per JSON diagnostic. ``files`` (repo-relative): only
        these, files the configuration excludes still excluded (``--changed-since``)."""
        facts = FindingsFacts()
        path = locate("ruff", facts, ctx)
        if path is None:
            return facts

        def one(project: str, roots: list[str]) -> ToolRun | None:
            targets = roots if files is None else only(files, project, roots)
            if not targets:
                return None
            argv = [path, "check", "--output-format=json", "--exit-zero", "--no-fix"]
            argv += ["--force-exclude", *targets] if files is not None else targets
            return run_tool(argv, ctx.root / project, ctx.timeout)

        runs = [(p, r, run) for p, r, run in per_project(ctx, one) if run is not None]
        facts.command = " ; ".join(in_project(p, run.command) for p, _, run in runs)
        for project, _, run in runs:
            if run.error or run.returncode != 0:
                where = "" if project == "." else f" in {project}"
                facts.error = f"ruff failed{where}: {run.error or run.tail()}"
                return facts
            if not run.stdout.strip():  # ruff's JSON output is `[]` at least
                where = "" if project == "." else f" in {project}"
                facts.error = f"ruff printed nothing{where} (expected its JSON report)"
                return facts
            try:
                for item in json.loads(run.stdout):
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
        return facts
