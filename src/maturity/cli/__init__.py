"""The ``maturity`` command line: thin commands over the library.

Exit codes: 0 ok, 1 criteria failed, 2 usage or configuration error, 3 a criterion
could not be measured (and none failed), 4 the history database cannot be used.
"""

from maturity.cli import (  # noqa: F401  (register commands)
    history,
    measure,
    production,
    staging,
    workflow,
)
from maturity.cli.app import TerminalProgress, app, main

__all__ = ["TerminalProgress", "app", "main"]
