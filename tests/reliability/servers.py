"""Run the real service under gunicorn for tests and benchmarks (sockets, not test clients)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.apps import METRICS_TOKEN
from tests.support.processes import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py wsgi:app` on a free port, with its own log file."""

    def __init__(
        self, database_url: str, workers: int = 2, env: dict | None = None, threads: int = 1
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="outreach-gunicorn-"))
        self.log_path = self.folder / "gunicorn.log"
        self.fault_dir = self.folder / "faults"  # for tests.reliability.faults.FaultPoint
        self.fault_dir.mkdir()
        self.env = {
            **os.environ,
            "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_INSTANCE_PATH": str(self.folder / "instance"),
            "OUTREACH_OUTBOX_PATH": str(self.folder / "outbox.jsonl"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            "PROMETHEUS_MULTIPROC_DIR": str(self.folder / "metrics"),
            "OUTREACH_FAULT_DIR": str(self.folder / "faults"),
            "OUTREACH_METRICS_TOKEN": METRICS_TOKEN,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        self.env.update(env or {})
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> Gunicorn:
        """Start and wait until /healthz answers."""
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_healthy(self.url, self.proc, self.log, timeout)
        except AssertionError:
            self.stop()
            raise
        return self

    def worker_pids(self) -> list[int]:
        """The pids of the current workers (children of the arbiter)."""
        import psutil

        return [c.pid for c in psutil.Process(self.proc.pid).children()]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the arbiter), then kill if it lingers."""
        if self.proc is not None:
            stop(self.proc, timeout=15, group=True)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
