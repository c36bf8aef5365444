"""A real `outreach serve` process for socket-level tests, set up through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.support.databases import backend, drop_database, empty_postgres_database
from tests.support.processes import free_port, stop, wait_healthy
from tests.support.signed import SiteKey


def outreach_command() -> list[str]:
    """The installed `outreach` console script (or the module as a fallback)."""
    script = Path(sys.executable).parent / "outreach"
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def empty_database_url(instance: Path) -> str | None:
    """A new, empty PostgreSQL database on the postgres backend; None means the default
    SQLite file in the instance folder (what a newcomer gets)."""
    return empty_postgres_database() if backend() == "postgres" else None


class Service:
    """Environment, CLI runner and server process of one throwaway installation."""

    def __init__(self, instance: Path, secret_key: str | None = None):
        self.instance = instance
        self.database_url = empty_database_url(instance)
        self.env = {
            **os.environ,
            "OUTREACH_INSTANCE_PATH": str(instance),
            "OUTREACH_SCHEDULER": "0",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        for name in ("OUTREACH_DATABASE_URL", "OUTREACH_SECRET_KEY", "SENDGRID_API_KEY"):
            self.env.pop(name, None)
        if self.database_url:
            self.env["OUTREACH_DATABASE_URL"] = self.database_url
        if secret_key:
            self.env["OUTREACH_SECRET_KEY"] = secret_key
        self.process = None
        self.base_url = None

    def cli(self, *args, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            outreach_command() + list(args),
            env=self.env,
            text=True,
            capture_output=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"outreach {' '.join(args)} failed: {result.stderr}")
        return result

    def create_site(self, name="Wire site", url="https://wire.example") -> SiteKey:
        out = json.loads(self.cli("site", "create", "--name", name, "--url", url, "--json").stdout)
        return SiteKey(out["site_id"], out["key_id"], out["secret"])

    def start(self) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = open(self.instance / "serve.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            outreach_command() + ["serve", "--host", "127.0.0.1", "--port", str(port)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.base_url, self.process, self.logs)

    def logs(self) -> str:
        return (self.instance / "serve.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process, timeout=15)
            self.log.close()
        if self.database_url:
            drop_database(self.database_url)


@contextmanager
def running_service(folder: Path, **options):
    """A migrated `outreach serve` with one site (`svc.key`), stopped on exit."""
    svc = Service(folder, **options)
    try:
        svc.cli("db", "upgrade")
        svc.key = svc.create_site()
        svc.start()
        yield svc
    finally:
        svc.stop()
