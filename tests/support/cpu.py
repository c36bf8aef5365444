"""The CPU one call spends, for the tests that bound hostile input's cost."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


def cpu_seconds(call: Callable[..., Any], *args) -> tuple[Any, float]:
    """What call(*args) returns and the CPU this thread spent in it. CPU, not wall time:
    other work on a busy machine must not fail the test. The collector is held off
    meanwhile: late in the whole suite a full collection of the suite's own heap landed
    inside one read (1.2 s of CPU for a page that takes 0.2 s) and measured the suite."""
    gc.collect()
    gc.disable()
    try:
        started = time.thread_time()
        found = call(*args)
        return found, time.thread_time() - started
    finally:
        gc.enable()
