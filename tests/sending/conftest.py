"""Sending fixtures: an app wired to a fake SendGrid over real sockets, and helpers."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from service.app import create_app
from tests.support.databases import wipe
from tests.support.fake_sendgrid import API_KEY, FakeSendGrid

API = "/api/v1"
INBOUND_TOKEN = "inbound-secret-token-123"
INBOUND_DOMAIN = "reply.outreach.test"


@pytest.fixture(scope="session")
def fake_sg():
    """One fake SendGrid for the run; emptied before each test."""
    fake = FakeSendGrid().start()
    yield fake
    fake.stop()


def sending_config(database_url, engine, clock, tmp_path, fake, **over) -> dict:
    """App config that sends through the real library to the fake."""
    config = {
        "TESTING": True, "DATABASE_URL": database_url, "ENGINE": engine, "CLOCK": clock,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_PATH": str(tmp_path / "outbox.jsonl"), "SCHEDULER_ENABLED": False,
        "SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.host, "SENDGRID_TIMEOUT": 2,
        "SENDGRID_WEBHOOK_PUBLIC_KEY": fake.public_key, "ALLOW_UNSIGNED_WEBHOOKS": False,
        "INBOUND_TOKEN": INBOUND_TOKEN, "INBOUND_DOMAIN": INBOUND_DOMAIN,
    }
    config.update(over)
    return config


@pytest.fixture
def app(engine, database_url, clock, tmp_path, fake_sg):
    """The app of the sending suite (overrides the root fixture)."""
    fake_sg.reset()
    application = create_app(sending_config(database_url, engine, clock, tmp_path, fake_sg))
    yield application
    wipe(engine)


class LiveServer:
    """The app on a real threaded WSGI server (werkzeug) in a background thread."""

    def __init__(self, application):
        self.server = make_server("127.0.0.1", 0, application, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


def create_opp(client, source_url="https://blog.example.org/post", **fields) -> dict:
    r = client.post(f"{API}/opportunities", json={"source_url": source_url, **fields})
    assert r.status_code == 201, r.json
    return r.json


def create_template(client, subject="Hi {{domain}}",
                    body="Hello,\n\nI saw {{url}} and thought of {{anchor_text}}.") -> dict:
    r = client.post(f"{API}/templates", json={"name": "Intro", "subject": subject, "body": body})
    assert r.status_code == 201, r.json
    return r.json


def send(client, opp_id, to="editor@blog.example.org", **body):
    payload = {"to": to, **body}
    if "template_id" not in payload and "subject" not in payload:
        payload.update(subject="Hello {{domain}}", body="I liked {{url}}.")
    return client.post(f"{API}/opportunities/{opp_id}/emails", json=payload)


def set_site(app, site_id, **values):
    """Change a site's settings directly (short transaction: SQLite locks on BEGIN)."""
    from service.models import Site

    with app.extensions["outreach"].session_factory() as s:
        site = s.get(Site, site_id)
        for name, value in values.items():
            setattr(site, name, value)
        s.commit()


def rows(app, model, *where, order_by=None) -> list:
    """Detached rows of a table, read in a short transaction."""
    from sqlalchemy import select

    with app.extensions["outreach"].session_factory() as s:
        query = select(model).where(*where).order_by(order_by if order_by is not None
                                                     else model.id)
        found = list(s.scalars(query))
        s.expunge_all()  # detached but loaded; the with-block ends the transaction
        return found


def webhook_url(live_server) -> str:
    return live_server.url + "/sendgrid/webhook"


def message_for(fake, email_id: int) -> dict:
    """The fake's stored request of one of our emails (by our custom arg)."""
    for msg in fake.messages:
        if msg["request"]["personalizations"][0]["custom_args"]["outreach_email_id"] == \
                str(email_id):
            return msg
    raise AssertionError(f"email {email_id} never reached the fake")


def sent_email(client, to="editor@blog.example.org", source_url=None, **fields) -> dict:
    """Create a card and send one email to it; return the email JSON."""
    opp = create_opp(client, source_url=source_url or f"https://{to.split('@')[1]}/p", **fields)
    r = send(client, opp["id"], to=to)
    assert r.status_code == 201, r.json
    return r.json


def email_json(client, email: dict) -> dict:
    history = client.get(f"{API}/opportunities/{email['opportunity_id']}/emails").json
    return next(e for e in history if e["id"] == email["id"])
