"""Armed fault-injection points for crash tests; inert unless OUTREACH_FAULT_DIR is set.

A test arms a point by creating `<dir>/<name>.armed`. The first process to reach the point
takes the file over (an atomic rename to `<name>.reached`, holding its pid), so exactly one
request stops there; it then waits to be killed. A test can so SIGKILL a process at a known
line instead of guessing with timers.
"""

from __future__ import annotations

import os
import time

_DIR = os.environ.get("OUTREACH_FAULT_DIR") or None
HOLD_SECONDS = 120.0  # a forgotten armed point must not hold a worker for ever


def reach(name: str) -> None:
    """Stop here if a test armed `name`; otherwise return at once."""
    if _DIR is None:
        return
    armed = os.path.join(_DIR, name + ".armed")
    reached = os.path.join(_DIR, name + ".reached")
    try:
        os.rename(armed, reached)
    except FileNotFoundError:
        return
    with open(reached, "w", encoding="ascii") as fh:
        fh.write(str(os.getpid()))
    deadline = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < deadline and os.path.exists(reached):
        time.sleep(0.05)
