"""The spec's four alerts for a component, as a Prometheus rules file.

Error rate > 1% warning, > 5% critical; p95 latency > 1 s warning, > 3 s critical,
over the component's ``<name>_requests_total`` counter (label ``status``) and
``<name>_request_duration_seconds`` histogram — the metrics the monitoring criterion
looks for. The generated names are the contract the criterion checks.
"""

from __future__ import annotations

from typing import Any

from maturity.facts import ALERT_BARS

# (suffix, kind, threshold, severity): ErrorRateWarning at 0.01, … LatencyP95Critical at 3.0
ALERTS = tuple(
    (f"{label}{level.capitalize()}", kind, bar, level)
    for kind, label in (("error_rate", "ErrorRate"), ("latency_p95", "LatencyP95"))
    for level, bar in zip(("warning", "critical"), ALERT_BARS[kind], strict=True)
)


def alert_name(component: str, suffix: str) -> str:
    """``player_experience`` + ``ErrorRateWarning`` → ``PlayerExperienceErrorRateWarning``."""
    return "".join(part.capitalize() for part in component.split("_")) + suffix


def expression(component: str, kind: str, threshold: float) -> str:
    """The PromQL of one alert."""
    if kind == "error_rate":
        total = f"sum(rate({component}_requests_total[5m]))"
        errors = f'sum(rate({component}_requests_total{{status=~"5.."}}[5m]))'
        return f"({errors} / {total}) > {threshold:g}"
    buckets = f"sum(rate({component}_request_duration_seconds_bucket[5m])) by (le)"
    return f"histogram_quantile(0.95, {buckets}) > {threshold:g}"


def _summary(component: str, kind: str, threshold: float) -> str:
    if kind == "error_rate":
        return f"{component}: error rate above {threshold * 100:g}%"
    return f"{component}: p95 latency above {threshold:g} s"


def rules(component: str) -> dict[str, Any]:
    """The rules document for one component."""
    return {
        "groups": [
            {
                "name": f"{component}.maturity",
                "rules": [
                    {
                        "alert": alert_name(component, suffix),
                        "expr": expression(component, kind, threshold),
                        "for": "5m",
                        "labels": {"severity": severity, "component": component},
                        "annotations": {"summary": _summary(component, kind, threshold)},
                    }
                    for suffix, kind, threshold, severity in ALERTS
                ],
            }
        ]
    }


def render(component: str) -> str:
    """The rules file text."""
    import yaml

    head = f"# Alerts of {component}, written by `maturity alerts {component}`.\n"
    return head + yaml.safe_dump(rules(component), sort_keys=False)


def missing_alerts(component: str, document: Any) -> list[str]:
    """The required alerts a rules document lacks or states with another threshold."""
    found: dict[str, dict[str, Any]] = {}
    if isinstance(document, dict):
        for group in document.get("groups") or []:
            for rule in (group or {}).get("rules") or []:
                if isinstance(rule, dict) and "alert" in rule:
                    found[str(rule["alert"])] = rule
    problems: list[str] = []
    for suffix, _, threshold, severity in ALERTS:
        name = alert_name(component, suffix)
        rule = found.get(name)
        if rule is None:
            problems.append(f"missing alert {name}")
        elif not str(rule.get("expr", "")).rstrip().endswith(f"> {threshold:g}"):
            problems.append(f"{name} does not fire at > {threshold:g}")
        elif (rule.get("labels") or {}).get("severity") != severity:
            problems.append(f"{name} is not severity {severity}")
    return problems
