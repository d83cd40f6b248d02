"""Monitoring facts: prometheus_client metrics and structlog in the code, alert rules."""

from __future__ import annotations

import ast
import shutil

from maturity.alerts import missing_alerts
from maturity.collectors.base import Collector, RunContext, run_tool
from maturity.collectors.sources import owned_python_files
from maturity.facts import ALERT_RULES, ComponentMonitoring, MonitoringFacts
from maturity.pysource import parse_python


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, for prometheus_client and structlog imports."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("prometheus_client", "structlog"):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("prometheus_client", "structlog"):
                    names[alias.asname or alias.name] = alias.name
    return names


def _called(node: ast.Call, names: dict[str, str]) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return names.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        base = names.get(func.value.id)
        return f"{base}.{func.attr}" if base else None
    return None


class MonitoringCollector(Collector):
    """AST scan of each component, its rules file, and ``promtool check rules``."""

    name = "monitoring"
    title = "monitoring"
    facts = MonitoringFacts

    def collect(self, ctx: RunContext) -> MonitoringFacts:
        """Per component: metrics, loggers, rules problems, promtool's verdict."""
        import yaml

        facts = MonitoringFacts(
            tool="maturity monitoring", command="AST scan + promtool check rules"
        )
        promtool = shutil.which("promtool")
        for comp in ctx.project.components:
            found = ComponentMonitoring()
            for path in owned_python_files(ctx.root, comp):
                rel = path.relative_to(ctx.root).as_posix()
                try:
                    tree = parse_python(path.read_text(encoding="utf-8", errors="replace"))
                except SyntaxError:
                    continue
                names = _imports(tree)
                for node in ast.walk(tree):
                    if isinstance(node, ast.Call):
                        target = _called(node, names)
                        where = f"{rel}:{node.lineno}"
                        if target == "prometheus_client.Counter":
                            found.counters.append(where)
                        elif target == "prometheus_client.Histogram":
                            found.histograms.append(where)
                        elif target == "structlog.get_logger":
                            found.loggers.append(where)
            rules = ALERT_RULES.format(component=comp.name)
            if (ctx.root / rules).is_file():
                found.rules_file = rules
                try:
                    document = yaml.safe_load((ctx.root / rules).read_text(encoding="utf-8"))
                    found.rules_problems = missing_alerts(comp.name, document)
                except yaml.YAMLError:
                    found.rules_problems = [f"{rules} is not valid YAML"]
                if promtool:
                    run = run_tool([promtool, "check", "rules", rules], ctx.root, 60)
                    ok = run.returncode == 0 and not run.error
                    found.promtool = "ok" if ok else f"promtool: {run.error or run.tail(3)}"
            facts.components[comp.name] = found
        return facts
