"""Configuration read from the environment (docs/api.md, configuration)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from service.net.dns_txt import resolver_address
from service.net.guard import configured_ports

MAX_BODY_BYTES = 1024 * 1024
# The checkout holding `service/` (a pip-installed copy has no pyproject.toml beside it).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


# Outside calls (SendGrid, SMTP, webhook POSTs) one scheduler process has in flight. Its one
# database thread prepares and records them in chunks of about half the pool (the answers
# come back in two waves), and each chunk's statements are shared by its steps: 8 threads
# sent 10,000 steps over two processes in ~88 s on 2 CPUs, 32 in ~43 s, and 64 took 4,000
# in 15-16 s where 32 took 17-19 s (4.8 against 5.6 ms of scheduler CPU a step; issue 28,
# bench/steps_fleet.py, RSS 97-98 MB in each case). A crash can leave that many steps
# `unknown` (never resent); SMTP keeps one connection a mailbox, webhooks one thread an
# endpoint, and mailbox reads a bound of their own (replies/mailbox_job.py).
SCHEDULER_CONCURRENCY = 64


def _count(name: str, default: int) -> int:
    """A whole number of at least 1 from the environment; ValueError names a bad one."""
    word = os.environ.get(name, "").strip() or str(default)
    if not word.isdigit() or int(word) < 1:
        raise ValueError(f"{name}: {word!r} is not a whole number of at least 1.")
    return int(word)


def default_instance_path() -> Path:
    """Where the SQLite file, the local outbox and the key file live; never the working
    directory by accident (a CLI run from elsewhere made a key file of its own there).

    OUTREACH_INSTANCE_PATH; else the folder of a SQLite OUTREACH_DATABASE_URL; else
    `instance/` of the checkout (or `<prefix>/var/outreach-instance` when installed).
    """
    configured = os.environ.get("OUTREACH_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    database = _sqlite_file(os.environ.get("OUTREACH_DATABASE_URL") or "")
    if database is not None:
        return database.parent
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "instance"
    return Path(sys.prefix) / "var" / "outreach-instance"


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (absolute), None for anything else."""
    try:
        parsed = make_url(url)
    except Exception:  # not a URL at all: the engine says so later, in its own words
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def from_environment() -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = default_instance_path()
    return {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("OUTREACH_DATABASE_URL")
        or f"sqlite:///{instance / 'outreach.sqlite3'}",
        "SECRET_KEY_ENCRYPTION": os.environ.get("OUTREACH_SECRET_KEY") or None,
        "SENDGRID_API_KEY": os.environ.get("SENDGRID_API_KEY") or None,
        "SENDGRID_API_HOST": (
            os.environ.get("SENDGRID_API_HOST") or "https://api.sendgrid.com"
        ).rstrip("/"),
        "SENDGRID_TIMEOUT": float(os.environ.get("SENDGRID_TIMEOUT", "10")),
        "SENDGRID_WEBHOOK_PUBLIC_KEY": os.environ.get("SENDGRID_WEBHOOK_PUBLIC_KEY") or None,
        "ALLOW_UNSIGNED_WEBHOOKS": _flag("OUTREACH_ALLOW_UNSIGNED_WEBHOOKS"),
        "INBOUND_TOKEN": os.environ.get("OUTREACH_INBOUND_TOKEN") or None,
        "METRICS_TOKEN": os.environ.get("OUTREACH_METRICS_TOKEN") or None,
        "METRICS_BIND": os.environ.get("OUTREACH_METRICS_BIND") or None,
        "PUBLIC_URL": (os.environ.get("OUTREACH_PUBLIC_URL") or "").rstrip("/") or None,
        "ALLOW_NO_UNSUBSCRIBE": _flag("OUTREACH_ALLOW_NO_UNSUBSCRIBE"),
        "INBOUND_DOMAIN": os.environ.get("OUTREACH_INBOUND_DOMAIN") or None,
        "OUTBOX_PATH": os.environ.get("OUTREACH_OUTBOX_PATH") or str(instance / "outbox.jsonl"),
        "SCHEDULER_ENABLED": _flag("OUTREACH_SCHEDULER", "0"),
        "SCHEDULER_INTERVAL": float(os.environ.get("OUTREACH_SCHEDULER_INTERVAL", "15")),
        "IMAP_INTERVAL": float(os.environ.get("OUTREACH_IMAP_INTERVAL", "60")),
        "SCHEDULER_CONCURRENCY": int(
            os.environ.get("OUTREACH_SCHEDULER_CONCURRENCY") or SCHEDULER_CONCURRENCY
        ),
        # Link checks: fetch private addresses too (local development and tests only), and
        # the per-request timeout (tests shorten it).
        "LINKCHECK_ALLOW_PRIVATE": _flag("OUTREACH_LINKCHECK_ALLOW_PRIVATE"),
        "LINKCHECK_TIMEOUT": float(os.environ.get("OUTREACH_LINKCHECK_TIMEOUT", "10")),
        # Link-check fetches at once in the whole fleet (docs/links.md, politeness).
        "LINKCHECK_CONCURRENCY": _count("OUTREACH_LINKCHECK_CONCURRENCY", 8),
        # Outbound webhooks: seconds per attempt (docs/api.md §17 says 10; tests shorten it).
        "WEBHOOK_TIMEOUT": float(os.environ.get("OUTREACH_WEBHOOK_TIMEOUT", "10")),
        # Outbound ports beyond 80/443 (and mail's): read by the guard at each connection,
        # checked here so a bad value stops the start.
        "OUTBOUND_PORTS": configured_ports(),
        "SIGNATURE_TOLERANCE": 300,
        "NONCE_TTL": 600,
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        # The resolver sender-domain proofs ask (host[:port]); unset: the system's.
        "DNS_RESOLVER": resolver_address(os.environ.get("OUTREACH_DNS_RESOLVER")),
        "SENDER_DOMAINS": tuple(
            d.strip() for d in os.environ.get("OUTREACH_SENDER_DOMAINS", "").split(",") if d.strip()
        ),
    }


def unsubscribe_problem(config) -> str | None:
    """Why this configuration must not send, or None: real mail needs unsubscribe links.

    Without OUTREACH_PUBLIC_URL no email can carry an unsubscribe link or a
    List-Unsubscribe header. The local outbox sends nothing, so it needs none; real mail
    (SendGrid) is refused unless the operator opts out explicitly.
    """
    if not config.get("SENDGRID_API_KEY") or config.get("PUBLIC_URL"):
        return None
    if config.get("ALLOW_NO_UNSUBSCRIBE"):
        return None
    return (
        "OUTREACH_PUBLIC_URL is not set, so real mail (SENDGRID_API_KEY is set) would go "
        "out without an unsubscribe link or List-Unsubscribe header: set OUTREACH_PUBLIC_URL "
        "to the service's public https address (or OUTREACH_ALLOW_NO_UNSUBSCRIBE=1 to send "
        "without, at your own risk)."
    )
