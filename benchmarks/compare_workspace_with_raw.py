"""Check a workspace `maturity run --json` report against the raw tools run by hand in
each member's directory.

For every session of the report (one per project directory) it runs, from that
directory, `python -m pytest <paths> --continue-on-collection-errors` (outcome counts;
maturity's sessions go on past a file that cannot be collected), then `coverage run
--source=<every component's source directory> -m pytest` under that directory's own
coverage configuration (its `[tool.coverage]`, e.g. `branch`, `omit`, `exclude_lines`)
with `include_namespace_packages` on; the sessions' data files are combined with
`coverage combine` and `coverage report --include='<source>/*'`, run from the
component's project directory under its configuration, gives each component's total, as
does the report. For every component it runs ruff, pyright and bandit from the
component's project directory on its source directory. It uses nothing of maturity's code.
A mismatch is printed as such and makes the exit code 1.

    python benchmarks/compare_workspace_with_raw.py REPO REPORT.json --python PY
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any


def run(argv: list[str], cwd: Path) -> str:
    """stdout of a command (its exit code is the tool's business)."""
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False).stdout


def pytest_counts(text: str) -> dict[str, int]:
    """pytest's last summary line as {outcome: count}."""
    line = [ln for ln in text.splitlines() if re.search(r"\d+ (passed|failed|error)", ln)]
    found = (
        re.findall(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)", line[-1])
        if line
        else []
    )
    return {("error" if o.startswith("error") else o): int(n) for n, o in found}


def ini_value(value: Any) -> str:
    """A TOML value as coverage.py's INI files write it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "".join(f"\n    {v}" for v in value)
    return str(value)


def member_rc(project: Path, scratch: Path, name: str) -> Path:
    """An rc file: the project directory's own coverage configuration (``[tool.coverage]``
    of its pyproject.toml, else its ``.coveragerc``) with ``include_namespace_packages``."""
    sections: dict[str, dict[str, Any]] = {}
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        sections = tomllib.loads(pyproject.read_text()).get("tool", {}).get("coverage", {})
    lines: list[str] = []
    if not sections and (project / ".coveragerc").is_file():
        lines = (project / ".coveragerc").read_text().splitlines()
    sections = {k: dict(v) for k, v in sections.items() if isinstance(v, dict)}
    sections.setdefault("report", {})["include_namespace_packages"] = True
    sections.get("run", {}).pop("source", None)  # --source names every component's
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {ini_value(v)}" for k, v in values.items()]
    rc = scratch / f"{name}.rc"
    rc.write_text("\n".join(lines) + "\n")
    return rc


def main() -> int:
    """Print both figures side by side; 1 when any differs."""
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--python", required=True)
    args = parser.parse_args()
    repo: Path = args.repo.resolve()
    report: dict[str, Any] = json.loads(args.report.read_text())
    py = args.python
    bindir = Path(py).parent
    scratch = Path(tempfile.mkdtemp(prefix="raw-"))
    rcs = {
        p: member_rc(repo / p, scratch, str(i))
        for i, p in enumerate({c["project"] for c in report["components"]})
    }
    sources = [str(repo / c["path"]) for c in report["components"]]
    ok = True
    print("== pytest, per session (from its directory)")
    datas = []
    for i, s in enumerate(report["tests"]["sessions"]):
        cwd = repo / s["project"]
        inside = [p.removeprefix(s["project"] + "/") for p in s["paths"]]
        rc = rcs.get(s["project"]) or member_rc(cwd, scratch, f"session-{i}")
        pytest = [*inside, "-q", "-p", "no:cacheprovider", "--continue-on-collection-errors"]
        counts = pytest_counts(run([py, "-m", "pytest", *pytest], cwd))
        data = scratch / f"{i}.coverage"
        datas.append(str(data))
        source = f"--source={','.join(sources)}"
        run([py, "-m", "coverage", "run", f"--rcfile={rc}", source, f"--data-file={data}",
             "-m", "pytest", *pytest], cwd)  # fmt: skip
        mine = {k: v for k, v in s["outcomes"].items() if k != "deselected"}
        same = mine == counts
        ok &= same
        print(f"{s['project']:35} maturity {mine}  raw {counts}  {'same' if same else 'DIFFERENT'}")
    combined = scratch / "all.coverage"
    run([py, "-m", "coverage", "combine", f"--rcfile={next(iter(rcs.values()))}",
         f"--data-file={combined}", *datas], repo)  # fmt: skip
    print("== per component: maturity | raw (from the project directory)")
    for comp in report["components"]:
        crit = {c["id"]: c for c in comp["criteria"]}
        project, path = comp["project"], comp["path"]
        cwd = repo / project
        inside = path.removeprefix(project + "/") if project != "." else path
        total = run([py, "-m", "coverage", "report", f"--rcfile={rcs[project]}",
                     f"--data-file={combined}", f"--include={repo / path}/*", "--precision=1"],
                    cwd)  # fmt: skip
        raw_cov = (re.findall(r"TOTAL.*?(\d+\.\d)%", total) or ["?"])[0] + "%"
        ruff = json.loads(run([str(bindir / "ruff"), "check", "--output-format=json",
                               "--exit-zero", inside], cwd) or "[]")  # fmt: skip
        pyright = json.loads(run([str(bindir / "pyright"), "--outputjson", "--pythonpath", py,
                                  inside], cwd) or "{}")  # fmt: skip
        diags = [
            d
            for d in pyright.get("generalDiagnostics", [])
            if d["severity"] in ("error", "warning")
        ]
        conf = (
            ["-c", "pyproject.toml"]
            if "[tool.bandit" in (cwd / "pyproject.toml").read_text()
            else []
        )
        bandit = json.loads(
            run([str(bindir / "bandit"), *conf, "-r", inside, "-f", "json", "-q"], cwd) or "{}"
        )
        sev = Counter(r["issue_severity"].lower() for r in bandit.get("results", []))
        pairs = [
            ("coverage", crit["dev.coverage"]["display"].split(" ")[0], raw_cov),
            ("ruff", crit["dev.ruff"]["value"], len(ruff)),
            ("pyright", crit["dev.pyright"]["value"], len(diags)),
            ("bandit h/m/l", "/".join(str(crit["dev.security_scan"]["details"].get(k, 0))
                                      for k in ("high", "medium", "low")),
             f"{sev['high']}/{sev['medium']}/{sev['low']}"),
            ("unit tests", crit["dev.unit_tests"]["display"], "(session above)"),
        ]  # fmt: skip
        for name, mine, theirs in pairs:
            same = str(mine) == str(theirs) or theirs == "(session above)"
            ok &= same
            flag = "" if same else "DIFFERENT"
            print(f"{comp['name']:25} {name:12} {mine!s:>20} | {theirs!s:<20} {flag}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
