"""The ``maturity`` command line: thin commands over the library.

Exit codes: 0 ok, 1 criteria failed, 2 usage or configuration error, 3 a criterion
could not be measured (and none failed), 4 the history database cannot be used, 5 GitHub
refused or could not be reached, 6 ``serve`` cannot listen: the address is in use, 7 a
workspace cannot be resolved, 8 shard bundles do not make one run (``merge``).
"""

from maturity.cli import (  # noqa: F401  (register commands)
    history,
    measure,
    production,
    serve,
    shards,
    staging,
    workflow,
)
from maturity.cli.app import TerminalProgress, app, main

__all__ = ["TerminalProgress", "app", "main"]
