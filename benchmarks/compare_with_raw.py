"""Check a `maturity run --json` report figure by figure against the raw tools.

For every component of the report it runs the raw tools on the component's own files and
prints both figures side by side: coverage (the report's own `coverage report` command,
run as printed on maturity's data file, and the same include/omit on a fresh plain
`coverage run -m pytest` of the suite), ruff, pyright, bandit and the number of Python
files, with the files of components nested inside it left out, and pytest's outcome
counts for the whole run. It
does not use maturity's code to decide what a component owns: nesting is read from the
paths in the report. A mismatch is printed as such and makes the exit code 1.

    .venv/bin/python benchmarks/compare_with_raw.py REPO REPORT.json [--python PY] [--tests P]
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def sh(argv: list[str], cwd: Path) -> str:
    """stdout of a command (its exit code is the tool's business)."""
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False).stdout


def under(path: str, directory: str) -> bool:
    """``path`` lies in ``directory`` (repo-relative posix)."""
    return directory in ("", ".") or path == directory or path.startswith(directory + "/")


def own(path: str, comp: str, paths: list[str]) -> bool:
    """``path`` is in ``comp`` and not in a component nested inside it."""
    nested = [p for p in paths if p != comp and under(p, comp)]
    return under(path, comp) and not any(under(path, n) for n in nested)


def rel(repo: Path, name: str) -> str:
    """A tool's file name, repo-relative."""
    p = Path(name)
    p = p if p.is_absolute() else repo / p
    return p.resolve().relative_to(repo).as_posix()


def raw_figures(repo: Path, py: str, comps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per component path: the raw tools' figures over its own files."""
    paths = [c["path"] for c in comps]
    roots = [p for p in paths if not any(p != q and under(p, q) for q in paths)]
    ruff = json.loads(sh([str(BIN / "ruff"), "check", "--output-format=json", "--exit-zero",
                          *roots], repo) or "[]")  # fmt: skip
    pyright = json.loads(sh([str(BIN / "pyright"), "--outputjson", "--pythonpath", py, *roots],
                            repo))["generalDiagnostics"]  # fmt: skip
    config = ["-c", "pyproject.toml"] if "[tool.bandit]" in _pyproject(repo) else []
    bandit = json.loads(sh([str(BIN / "bandit"), *config, "-r", *roots, "-f", "json", "-q",
                            "--exit-zero"], repo))["results"]  # fmt: skip
    out: dict[str, dict[str, Any]] = {}
    for comp in comps:
        path = comp["path"]
        mine = [d for d in pyright if d["severity"] in ("error", "warning")
                and d.get("file") and own(rel(repo, d["file"]), path, paths)]  # fmt: skip
        severities = Counter(b["issue_severity"].lower() for b in bandit
                             if own(rel(repo, b["filename"]), path, paths))  # fmt: skip
        files = [
            f
            for f in (repo / path).rglob("*.py")
            if "__pycache__" not in f.parts and own(rel(repo, str(f)), path, paths)
        ]
        errors = sum(d["severity"] == "error" for d in mine)
        out[path] = {
            "ruff": sum(own(rel(repo, d["filename"]), path, paths) for d in ruff),
            "pyright": (errors, len(mine) - errors),
            "bandit": (severities["high"], severities["medium"], severities["low"]),
            "files": len(files),
        }
    return out


def _pyproject(repo: Path) -> str:
    path = repo / "pyproject.toml"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def fresh_coverage(repo: Path, py: str, roots: list[str], tests: list[str]) -> Path:
    """An independent data file: the suite under plain ``coverage run`` (no contexts, no
    maturity plugin), combined when the repository's config writes parallel files."""
    data = repo / ".raw-compare" / ".coverage"
    data.parent.mkdir(exist_ok=True)
    for stale in data.parent.glob(".coverage*"):
        stale.unlink()
    sh([py, "-m", "coverage", "run", f"--source={','.join(roots)}", f"--data-file={data}",
        "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider"], repo)  # fmt: skip
    if not data.exists():
        sh([py, "-m", "coverage", "combine", f"--data-file={data}"], repo)
    return data


def coverage_total(repo: Path, py: str, command: str, data: Path | None = None) -> str:
    """TOTAL percentage of the report's printed ``coverage report`` command, on its data
    file or, given ``data``, on that one (same include and omit)."""
    argv = shlex.split(command)
    if data is not None:
        argv = [a if not a.startswith("--data-file=") else f"--data-file={data}" for a in argv]
    text = sh([py, "-m", "coverage", *argv[1:], "--no-skip-covered"], repo)
    match = re.search(r"^TOTAL\s.*?(\d+\.\d)%$", text, re.M)
    return match.group(1) + "%" if match else f"(no TOTAL: {text.strip()[-80:]!r})"


def main() -> int:
    """Print the side-by-side table; exit 1 on any mismatch."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--python", help="the repo's interpreter (default: its .venv)")
    parser.add_argument("--tests", nargs="*", default=["tests"], help="the unit test paths")
    args = parser.parse_args()
    repo = args.repo.resolve()
    py = args.python or str(repo / ".venv" / "bin" / "python")
    report = json.loads(args.report.read_text(encoding="utf-8"))
    comps = report["components"]
    raw = raw_figures(repo, py, comps)
    paths = [c["path"] for c in comps]
    roots = [p for p in paths if not any(p != q and under(p, q) for q in paths)]
    fresh = fresh_coverage(repo, py, roots, args.tests)
    bad = 0
    print(f"{'component':<14}{'figure':<13}{'maturity':>22}{'raw tool':>22}")
    for comp in comps:
        crit = {c["id"]: c for c in comp["criteria"]}
        r = raw[comp["path"]]
        rows = []
        if crit["dev.coverage"]["status"] != "error":
            ours = crit["dev.coverage"]["display"].split()[0]
            command = crit["dev.coverage"]["commands"][0]
            rows.append(("coverage", ours, coverage_total(repo, py, command)))
            rows.append(("cov. fresh", ours, coverage_total(repo, py, command, fresh)))
        rows.append(("ruff", crit["dev.ruff"]["value"], r["ruff"]))
        d = crit["dev.pyright"]["details"]
        rows.append(("pyright e/w", (d.get("errors"), d.get("warnings")), r["pyright"]))
        d = crit["dev.security_scan"]["details"]
        rows.append(("bandit h/m/l", (d.get("high"), d.get("medium"), d.get("low")), r["bandit"]))
        rows.append(("py files", crit["dev.documentation"]["details"].get("modules"), r["files"]))
        for name, ours, theirs in rows:
            same = str(ours) == str(theirs)
            bad += not same
            flag = "" if same else "   <-- differs"
            print(f"{comp['name']:<14}{name:<13}{ours!s:>22}{theirs!s:>22}{flag}")
    counts = Counter()
    summary = sh([py, "-m", "pytest", *args.tests, "-q", "-p", "no:cacheprovider"], repo)
    for n, word in re.findall(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?)", summary):
        counts[word.rstrip("s") if word == "errors" else word] += int(n)
    ours_counts = {k: v for k, v in report["tests"]["outcomes"].items() if v}
    same = ours_counts == dict(counts)
    bad += not same
    print(f"\npytest outcomes: maturity {ours_counts}  raw {dict(counts)}"
          f"{'' if same else '   <-- differs'}")  # fmt: skip
    print(f"\n{'all figures equal' if not bad else f'{bad} figure(s) differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
