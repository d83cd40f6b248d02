"""The GitHub Actions workflows ``maturity init`` writes.

``component-quality-check.yml`` has two jobs. On a push to the default branch, ``report``
runs ``maturity run``, uploads its findings to code scanning and the JSON report as the
``maturity-report`` artifact, saves the facts that run kept for its commit in the Actions
cache (``.maturity/cache/commits/<sha>``) and, when
the secret or variable ``MATURITY_DATABASE_URL`` is set, stores the run in that team
database. On a pull request, ``check`` takes that report as the baseline (the newest
``maturity-report`` artifact of the default branch, or the team database's run at the
merge-base), restores the facts kept for the pull request's base commit, runs ``maturity
check --baseline --changed-since <base commit>`` (only what the pull request's changes
can affect is measured again; without kept facts everything is, with a warning), writes
the step summary, uploads SARIF to code scanning and keeps one sticky comment on the pull
request up to date. The job checks out the whole history (``fetch-depth: 0``): the base
commit must be there for ``--changed-since`` and the merge-base.

``staging-validation.yml`` is the rulebook's "On Staging Deployment": a manual run of
the Staging gate for one component.

Templates hold ``<<name>>`` placeholders (``{}`` and ``$`` belong to GitHub expressions
and the shell), filled by :func:`render`.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import PurePosixPath

from maturity.collectors.snapshot import SNAPSHOTS
from maturity.init.sharded import SHARDED_FILE, SHARDED_WORKFLOW, shard_values

QUALITY_FILE = ".github/workflows/component-quality-check.yml"
STAGING_FILE = ".github/workflows/staging-validation.yml"
REPORT_ARTIFACT = "maturity-report"  # the default branch's JSON report, file REPORT_FILE
REPORT_FILE = "maturity-report.json"
FACTS_DIR = SNAPSHOTS.as_posix()  # the facts each run keeps for its commit
FACTS_KEY = "maturity-facts"  # the Actions cache key prefix, then the commit
COMMENT_HEADER = "maturity"  # the sticky comment's identity: one comment per pull request

SETUP_STEPS = """\
    steps:
      - uses: actions/checkout@v4<<checkout>>
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install the project and maturity
        run: |
          python -m venv .venv
          .venv/bin/pip install -e . <<install>>
"""

# fork pull requests get a read-only token: no comment, no code scanning upload there
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"

QUALITY_WORKFLOW = """\
# Written by `maturity init`: the rulebook's "On Pull Request" workflow, and the report of
# the default branch that pull requests are compared with.
# A team database: set the secret (or variable) MATURITY_DATABASE_URL; pushes store their
# run there and pull requests take their baseline from it instead of the artifact.
name: Component Quality Check

on:
  push:
    branches: [<<branch>>]
  pull_request:

permissions:
  contents: read

# a new push to a pull request cancels its previous check; every push to the default
# branch keeps its own run (its report is the baseline of the pull requests based on it)
concurrency:
  group: maturity-${{ github.event.pull_request.number || github.sha }}
  cancel-in-progress: true

jobs:
  report:
    name: Report of the default branch
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
<<setup>>      - name: Measure every component (stored in the team database when one is set)
        env:
          MATURITY_DATABASE_URL: ${{ secrets.MATURITY_DATABASE_URL || vars.MATURITY_DATABASE_URL }}
        run: |
          store=--no-store
          if [ -n "$MATURITY_DATABASE_URL" ]; then store=--store; fi
          .venv/bin/maturity run --no-progress "$store" --json <<report>> --sarif maturity.sarif
      - name: Upload the findings to code scanning (what pull requests' alerts compare with)
        if: always() && hashFiles('maturity.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: maturity.sarif
          category: maturity
<<save-facts>>      - name: Upload the JSON report (the baseline of pull requests)
        if: always() && hashFiles('<<report>>') != ''
        uses: actions/upload-artifact@v4
        with:
          name: <<artifact>>
          path: <<report>>

  check:
    name: Check components against their stage and the baseline
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      security-events: write
      actions: read
<<setup-full-history>>      - name: Fetch the default branch's latest report (the baseline)
        uses: dawidd6/action-download-artifact@v6
        with:
          workflow: <<workflow>>
          branch: ${{ github.event.repository.default_branch }}
          event: push
          name: <<artifact>>
          path: ${{ runner.temp }}/maturity-baseline
          if_no_artifact_found: warn
      - name: Restore the facts kept for the base commit (measure only what changed)
        uses: actions/cache/restore@v4
        with:
          path: <<facts>>/${{ github.event.pull_request.base.sha }}
          key: <<facts-key>>-${{ github.event.pull_request.base.sha }}
      - name: Check every component against its stage and the baseline
        env:
          MATURITY_DATABASE_URL: ${{ secrets.MATURITY_DATABASE_URL || vars.MATURITY_DATABASE_URL }}
          DEFAULT_BRANCH: ${{ github.event.repository.default_branch }}
          BASE_SHA: ${{ github.event.pull_request.base.sha }}
        run: |
          report="$RUNNER_TEMP/maturity-baseline/<<report>>"
          baseline=()
          if [ -n "$MATURITY_DATABASE_URL" ]; then
            baseline=(--baseline "origin/$DEFAULT_BRANCH")
          elif [ -f "$report" ]; then
            baseline=(--baseline "$report")
          else
            echo "::notice::No maturity report of $DEFAULT_BRANCH yet: no baseline to compare with."
          fi
          status=0
          .venv/bin/maturity check --no-progress --no-store "${baseline[@]}" \\
            --changed-since "$BASE_SHA" \\
            --json <<report>> --summary maturity-summary.md --sarif maturity.sarif \\
            || status=$?
          if [ -f maturity-summary.md ]; then cat maturity-summary.md >> "$GITHUB_STEP_SUMMARY"; fi
          exit "$status"
      - name: Upload the findings to code scanning
        if: always() && hashFiles('maturity.sarif') != '' && <<same-repository>>
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: maturity.sarif
          category: maturity
      - name: Comment the component table and regressions on the pull request
        if: always() && hashFiles('maturity-summary.md') != '' && <<same-repository>>
        uses: marocchino/sticky-pull-request-comment@v2
        with:
          header: <<comment-header>>
          path: maturity-summary.md
      - name: Upload the JSON report
        if: always() && hashFiles('<<report>>') != ''
        uses: actions/upload-artifact@v4
        with:
          name: maturity-pull-request-report
          path: <<report>>
"""

STAGING_WORKFLOW = """\
# Written by `maturity init`: the rulebook's "On Staging Deployment" workflow.
name: Staging Validation

on:
  workflow_dispatch:
    inputs:
      component:
        description: 'Component to validate'
        required: true

permissions:
  contents: read

jobs:
  validate:
    runs-on: ubuntu-latest
<<setup>>      - name: Run the Staging gate for the component
        env:
          COMPONENT: ${{ inputs.component }}
        run: >
          .venv/bin/maturity check --no-progress --no-store --require staging
          --component "$COMPONENT" --json maturity-staging.json
          --summary "$GITHUB_STEP_SUMMARY"
      - name: Upload the JSON report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: maturity-staging-${{ inputs.component }}
          path: maturity-staging.json
"""

_PLACEHOLDER = re.compile(r"<<([a-z-]+)>>")


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace every ``<<name>>``; a placeholder without a value is a bug, not output."""

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return _PLACEHOLDER.sub(value, template)


def setup_steps(install: str, full_history: bool = False) -> str:
    """Checkout, Python, and a venv with the project and maturity (``install``, a pip
    requirement, shell-quoted). ``full_history`` fetches every branch, so that the
    merge-base with the default branch can be found."""
    checkout = "\n        with:\n          fetch-depth: 0" if full_history else ""
    return _fill(SETUP_STEPS, {"checkout": checkout, "install": shlex.quote(install)})


SAVE_FACTS_STEP = """\
      - name: Save the facts kept for this commit (pull requests based on it carry them)
        if: always() && hashFiles(format('<<facts>>/{0}/meta.json', github.sha)) != ''
        uses: actions/cache/save@v4
        with:
          path: <<facts>>/${{ github.sha }}
          key: <<facts-key>>-${{ github.sha }}
"""


def render(install: str, branch: str, shards: int | None = None) -> dict[str, str]:
    """Each workflow's path (relative to the repository) and text, for a default branch
    ``branch`` and maturity installed from ``install``. With ``shards``, the default
    branch's report is measured by the sharded workflow (``init/sharded.py``) and the
    quality workflow keeps only its pull request check."""
    values = {
        "branch": json.dumps(branch),  # a JSON string is a YAML scalar whatever it holds
        "report": REPORT_FILE,
        "artifact": REPORT_ARTIFACT,
        "comment-header": COMMENT_HEADER,
        "workflow": PurePosixPath(QUALITY_FILE).name,  # whose push runs hold the baseline
        "same-repository": SAME_REPOSITORY,
        "facts": FACTS_DIR,
        "facts-key": FACTS_KEY,
    }
    values["save-facts"] = _fill(SAVE_FACTS_STEP, values)
    values["setup"] = setup_steps(install)
    # the pull request job needs the default branch's history for the merge-base
    values["setup-full-history"] = setup_steps(install, full_history=True)
    if shards is None:
        return {
            QUALITY_FILE: _fill(QUALITY_WORKFLOW, values),
            STAGING_FILE: _fill(STAGING_WORKFLOW, values),
        }
    values["workflow"] = PurePosixPath(SHARDED_FILE).name
    cut = QUALITY_WORKFLOW.index("  report:\n"), QUALITY_WORKFLOW.index("  check:\n")
    quality = QUALITY_WORKFLOW[: cut[0]] + QUALITY_WORKFLOW[cut[1] :]
    return {
        QUALITY_FILE: _fill(quality, values),
        STAGING_FILE: _fill(STAGING_WORKFLOW, values),
        SHARDED_FILE: _fill(SHARDED_WORKFLOW, values | shard_values(shards)),
    }
