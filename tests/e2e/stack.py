"""Bring up the real stack for browser tests: outreach serve + fake SendGrid + WordPress."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.processes import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "scripts" / "wp-stack.sh"
OUTREACH = Path(sys.executable).with_name("outreach")
CHROMIUM = os.environ.get("OUTREACH_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


INBOUND_TOKEN = "e2e-inbound-token"
INBOUND_DOMAIN = "inbound.example"


def missing_tools() -> list[str]:
    """What this machine lacks to run the browser tests (empty: all there)."""
    missing = [
        tool
        for tool in ("php", "mariadbd", "mariadb-install-db", "mariadb", "curl")
        if not shutil.which(tool) and not Path("/usr/sbin", tool).exists()
    ]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    if not Path("/usr/share/wordpress/wp-settings.php").exists():
        missing.append("wordpress (Debian package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip)")
    return missing


@dataclass
class Stack:
    """One running service + WordPress pair, with what tests need to reach them."""

    workdir: Path
    service_url: str = ""
    wp_url: str = ""
    site: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    service_proc: subprocess.Popen | None = None
    fake: object = None
    dns_resolver: tuple[str, int] | None = None  # (host, port) of the tests' DNS server
    oauth_url: str | None = None  # a fake OAuth provider: "Connect with Google" shows
    mail_certs: object = None  # the test CA the service trusts for SMTP and IMAP

    def service_env(self, fake) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
        inst = self.workdir / "service"
        env.update(
            {
                "OUTREACH_INSTANCE_PATH": str(inst),
                "OUTREACH_DATABASE_URL": f"sqlite:///{inst / 'outreach.sqlite3'}",
                "OUTREACH_SCHEDULER": "1",
                "OUTREACH_SCHEDULER_INTERVAL": "1",
                # the site is registered as http://127.0.0.1: its senders need listing
                "OUTREACH_SENDER_DOMAINS": "example.com,almaseo.example",
                # replies posted as Inbound Parse would (tests/e2e/test_conversations.py)
                "OUTREACH_INBOUND_TOKEN": INBOUND_TOKEN,
                "OUTREACH_INBOUND_DOMAIN": INBOUND_DOMAIN,
                # link checks fetch pages the tests serve on 127.0.0.1
                "OUTREACH_LINKCHECK_ALLOW_PRIVATE": "1",
                # ... every second (tests/e2e/test_links.py), below the usual floor
                "OUTREACH_LINKCHECK_MIN_HOURS": "0.0001",
                # the fake SendGrid needs no unsubscribe links
                "OUTREACH_ALLOW_NO_UNSUBSCRIBE": "1",
                "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost",
            }
        )
        if self.dns_resolver is not None:
            host, port = self.dns_resolver
            env["OUTREACH_DNS_RESOLVER"] = f"{host}:{port}"
        env.update(self.mail_env())
        if fake is not None:
            env.update(
                {
                    "SENDGRID_API_KEY": fake.api_key,
                    "SENDGRID_API_HOST": fake.host,
                    "SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key,
                }
            )
        return env

    def mail_env(self) -> dict:
        """Mailboxes on the tests' own servers (tests/e2e/test_mailboxes.py): the test CA
        trusted, loopback allowed (the outbound guard's test allowance), read every second."""
        from tests.support.mail import CLIENT_ID, CLIENT_SECRET, make_certs

        self.mail_certs = self.mail_certs or make_certs(self.workdir / "mail-certs")
        env = {
            "OUTREACH_MAIL_CA_FILE": str(self.mail_certs.ca_file),
            "OUTREACH_MAIL_ALLOW_PRIVATE": "1",
            "OUTREACH_IMAP_INTERVAL": "1",
            "OUTREACH_MAIL_TIMEOUT": "10",
        }
        if self.oauth_url:
            google = {
                "CLIENT_ID": CLIENT_ID,
                "CLIENT_SECRET": CLIENT_SECRET,
                "AUTHORIZE_URL": f"{self.oauth_url}/authorize",
                "TOKEN_URL": f"{self.oauth_url}/token",
            }
            env.update({f"OUTREACH_OAUTH_GOOGLE_{k}": v for k, v in google.items()})
        return env

    def start_service(self, fake) -> None:
        """Migrate a fresh SQLite, register the site, start `outreach serve`."""
        self.fake = fake
        (self.workdir / "service").mkdir(parents=True, exist_ok=True)
        env = self.service_env(fake)
        subprocess.run([str(OUTREACH), "db", "upgrade"], env=env, check=True, capture_output=True)
        out = subprocess.run(
            [
                str(OUTREACH),
                "site",
                "create",
                "--name",
                "E2E site",
                "--url",
                "http://127.0.0.1",
                "--json",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        self.site = json.loads(out)
        port = free_port()
        self.service_url = f"http://127.0.0.1:{port}"
        env["OUTREACH_PUBLIC_URL"] = self.service_url  # unsubscribe links point at it
        log = open(self.workdir / "service.log", "wb")  # noqa: SIM115 (lives with the process)
        self.service_proc = subprocess.Popen(
            [str(OUTREACH), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_healthy(
            self.service_url,
            self.service_proc,
            lambda: (self.workdir / "service.log").read_text(errors="replace"),
        )

    def start_wordpress(self) -> None:
        """Private MariaDB + WordPress copy + php -S, plugin active and configured."""
        wp_port, db_port = free_port(), free_port()
        self.wp_url = f"http://127.0.0.1:{wp_port}"
        self.env = {
            **os.environ,
            "WORKDIR": str(self.workdir / "wp-stack"),
            "WP_PORT": str(wp_port),
            "DB_PORT": str(db_port),
            "OUTREACH_URL": self.service_url,
            "OUTREACH_KEY_ID": self.site["key_id"],
            "OUTREACH_SECRET": self.site["secret"],
            "OUTREACH_POLL_SECONDS": "2",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        subprocess.run(
            ["bash", str(STACK), "up"], env=self.env, check=True, capture_output=True, timeout=180
        )

    def wp_eval(self, php: str, **env: str) -> str:
        """Run PHP inside the WordPress install (wp-load.php loaded); env overrides the stack's."""
        done = subprocess.run(
            ["bash", str(STACK), "eval", php],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"wp eval failed: {done.stderr}\n{done.stdout}")
        return done.stdout

    def add_network(self, db_name: str) -> dict:
        """A second WordPress (database db_name, same files and MariaDB) made a multisite.

        Returns the env overrides that make wp_eval run inside that network.
        """
        env = {"WP_DB_NAME": db_name}
        subprocess.run(
            ["bash", str(STACK), "network"],
            env={**self.env, **env},
            check=True,
            capture_output=True,
            timeout=180,
        )
        return {**env, "WP_MULTISITE": "1"}

    def audit_users(self, action: str, resource_id: int) -> list[int]:
        """Which WordPress user ids the service recorded for an action (the signed header)."""
        import sqlite3

        db = sqlite3.connect(
            f"file:{self.workdir / 'service' / 'outreach.sqlite3'}?mode=ro", uri=True
        )
        try:
            rows = db.execute(
                "SELECT user_id FROM audit_entries WHERE action = ? AND "
                "resource_id = ? ORDER BY id",
                (action, str(resource_id)),
            )
            return [row[0] for row in rows]
        finally:
            db.close()

    def stop(self) -> None:
        """Stop WordPress, MariaDB and the service (each by its own process id)."""
        if self.env:
            subprocess.run(
                ["bash", str(STACK), "down"], env=self.env, capture_output=True, timeout=60
            )
        if self.service_proc is not None:
            stop(self.service_proc, timeout=15)
