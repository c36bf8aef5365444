"""The app under test: its config on the session's database, and a live WSGI server for it."""

from __future__ import annotations

import threading

from werkzeug.serving import make_server

from tests.support.fake_sendgrid import API_KEY

INBOUND_TOKEN = "inbound-secret-token-123"
INBOUND_DOMAIN = "reply.outreach.test"
METRICS_TOKEN = "metrics-token-for-tests"
METRICS_AUTH = {"Authorization": f"Bearer {METRICS_TOKEN}"}  # GET /metrics on the API port


def app_config(database_url, engine, clock, tmp_path, **over) -> dict:
    """The session's database, the test's clock, no scheduler; nothing leaves the machine."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "ENGINE": engine,
        "CLOCK": clock,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_PATH": str(tmp_path / "outbox.jsonl"),
        "SCHEDULER_ENABLED": False,
        "SENDGRID_API_KEY": None,
        "SENDGRID_WEBHOOK_PUBLIC_KEY": None,
        "ALLOW_UNSIGNED_WEBHOOKS": False,
        "INBOUND_TOKEN": None,
        "INBOUND_DOMAIN": None,
        "METRICS_TOKEN": METRICS_TOKEN,
        **over,
    }


def sending_settings(fake, **over) -> dict:
    """What an app that sends adds to app_config: the real library to the fake SendGrid,
    signed webhooks, replies through Inbound Parse."""
    return {
        "SENDGRID_API_KEY": API_KEY,
        "SENDGRID_API_HOST": fake.host,
        "SENDGRID_TIMEOUT": 2,
        "SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key,
        "INBOUND_TOKEN": INBOUND_TOKEN,
        "INBOUND_DOMAIN": INBOUND_DOMAIN,
        **over,
    }


def sending_config(database_url, engine, clock, tmp_path, fake, **over) -> dict:
    """The whole config of an app that sends (sending_settings on app_config)."""
    return app_config(database_url, engine, clock, tmp_path, **sending_settings(fake, **over))


class LiveServer:
    """The app on a real threaded WSGI server (werkzeug) in a background thread."""

    def __init__(self, application):
        self.server = make_server("127.0.0.1", 0, application, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def webhook_url(live_server) -> str:
    """Where the live server takes Event Webhook batches."""
    return live_server.url + "/sendgrid/webhook"
