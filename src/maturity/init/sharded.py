"""The sharded report workflow ``maturity init --shards N`` writes.

``maturity-sharded.yml`` measures the default branch on a matrix of N jobs, each
``maturity run --shard K/N`` uploading its bundle as an artifact, and a ``merge`` job
that downloads every bundle, runs ``maturity merge`` (one run, stored in the team database
when ``MATURITY_DATABASE_URL`` is set), saves the facts it kept for the commit (pull
requests' ``--changed-since`` carries them) and uploads the JSON report and the findings,
as the unsharded ``report`` job does. With it, the quality workflow keeps only its pull
request ``check`` job, whose baseline is this workflow's report.
"""

from __future__ import annotations

SHARDED_FILE = ".github/workflows/maturity-sharded.yml"
BUNDLE = "maturity-shard"  # artifact and directory name prefix: maturity-shard-<K>

SHARDED_WORKFLOW = """\
# Written by `maturity init --shards <<count>>`: the default branch's report, measured by
# <<count>> shard jobs (each `maturity run --shard K/<<count>>`) and merged into one run.
# A team database: set the secret (or variable) MATURITY_DATABASE_URL; the shards take
# each test's duration from its newest run to balance, and the merged run is stored there.
name: Maturity Report (sharded)

on:
  push:
    branches: [<<branch>>]
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: maturity-sharded-${{ github.sha }}
  cancel-in-progress: false

jobs:
  shard:
    name: Shard ${{ matrix.shard }} of <<count>>
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [<<shards>>]
<<setup>>      - name: Measure shard ${{ matrix.shard }} of <<count>>
        env:
          MATURITY_DATABASE_URL: ${{ secrets.MATURITY_DATABASE_URL || vars.MATURITY_DATABASE_URL }}
          SHARD: ${{ matrix.shard }}
        run: >
          .venv/bin/maturity run --no-progress --shard "$SHARD/<<count>>"
          --bundle "<<bundle>>-$SHARD"
      - name: Upload the shard's bundle
        uses: actions/upload-artifact@v4
        with:
          name: <<bundle>>-${{ matrix.shard }}
          path: <<bundle>>-${{ matrix.shard }}
          include-hidden-files: true
          if-no-files-found: error
          retention-days: 1

  merge:
    name: Merge the shards into one run
    needs: shard
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
<<setup>>      - name: Download every shard's bundle
        uses: actions/download-artifact@v4
        with:
          pattern: <<bundle>>-*
          path: maturity-shards
      - name: Merge (stored in the team database when one is set)
        env:
          MATURITY_DATABASE_URL: ${{ secrets.MATURITY_DATABASE_URL || vars.MATURITY_DATABASE_URL }}
        run: |
          store=--no-store
          if [ -n "$MATURITY_DATABASE_URL" ]; then store=--store; fi
          .venv/bin/maturity merge "$store" --json <<report>> --sarif maturity.sarif \\
            maturity-shards/<<bundle>>-*
<<save-facts>>      - name: Upload the findings to code scanning
        if: always() && hashFiles('maturity.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: maturity.sarif
          category: maturity
      - name: Upload the JSON report (the baseline of pull requests)
        if: always() && hashFiles('<<report>>') != ''
        uses: actions/upload-artifact@v4
        with:
          name: <<artifact>>
          path: <<report>>
"""


def shard_values(count: int) -> dict[str, str]:
    """The placeholders of the sharded workflow for ``count`` shards."""
    return {
        "count": str(count),
        "shards": ", ".join(str(k) for k in range(1, count + 1)),
        "bundle": BUNDLE,
    }
