"""The `upperback` command: the guide in a terminal.

`main(argv, environ)` runs a command and returns its exit code without touching the process
state; `entrypoint()` is the console script, the only place that reads sys.argv and os.environ.
"""

from .app import app, entrypoint, main

__all__ = ["app", "entrypoint", "main"]
