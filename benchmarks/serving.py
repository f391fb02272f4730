"""What the web benchmarks share: waiting for a server they started to answer."""

from __future__ import annotations

import subprocess
import time
import urllib.request


def wait_until_serving(
    server: subprocess.Popen[bytes], host: str, port: int, seconds: float = 30
) -> subprocess.Popen[bytes]:
    """The server, once GET /api/v1/health answers; killed, and the run ended, if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/api/v1/health", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")
