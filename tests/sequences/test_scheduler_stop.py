"""`outreach scheduler` stops cleanly on SIGTERM, wherever in its loop the signal lands."""

from __future__ import annotations

import subprocess
import sys

from tests.sequences import procs

# SIGTERM raised inside the scheduler loop's turn, while it holds its job-store lock (the
# window a real signal can hit); the shim arms it once, on the first turn with due jobs.
SHIM = """
import signal, sys
from apscheduler.jobstores.memory import MemoryJobStore
original = MemoryJobStore.get_due_jobs
def get_due_jobs(self, now):
    due = original(self, now)
    if due and not getattr(MemoryJobStore, "armed_signal_sent", False):
        MemoryJobStore.armed_signal_sent = True
        signal.raise_signal(signal.SIGTERM)
    return due
MemoryJobStore.get_due_jobs = get_due_jobs
from service.cli import main
main(["scheduler"])
"""


def test_sigterm_inside_the_loops_turn_exits_0(database_url, sendgrid, tmp_path):
    env = procs.scheduler_env(database_url, sendgrid.host, tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SHIM],
        cwd=procs.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
