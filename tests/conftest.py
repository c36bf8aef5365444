"""Shared fixtures: a migrated database per session, an app per test, signed clients."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet

from service.app import create_app
from service.clock import FrozenClock, SystemClock
from service.db import make_engine
from tests.support.apps import LiveServer, app_config, sending_settings
from tests.support.databases import backend, create_database, drop_database, wipe
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.signed import SignedTestClient, SiteKey
from tests.support.state import make_site

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
# One encryption key for the run: sites made by a test's app are read by the servers it
# starts (gunicorn, scheduler processes), each with its own instance folder.
os.environ.setdefault("OUTREACH_SECRET_KEY", Fernet.generate_key().decode())
# The suite's fake SendGrid needs no unsubscribe links (issue 21 #14: real mail without
# OUTREACH_PUBLIC_URL is refused); tests of that rule unset this.
os.environ.setdefault("OUTREACH_ALLOW_NO_UNSUBSCRIBE", "1")


def pytest_report_header(config):
    return f"outreach test database backend: {backend()}"


@pytest.fixture(scope="session")
def database_url():
    """One migrated database for the whole run (dropped at the end)."""
    url = create_database()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def fake_sg():
    """One fake SendGrid (real sockets) for the run; suites that use it reset it per test."""
    fake = FakeSendGrid().start()
    yield fake
    fake.stop()


@pytest.fixture
def clock():
    """A frozen clock starting at the real current time (signatures stay valid)."""
    return FrozenClock(SystemClock().now().replace(microsecond=0))


@pytest.fixture
def sendgrid(fake_sg):
    """The run's fake SendGrid, emptied for this test."""
    fake_sg.reset()
    return fake_sg


@pytest.fixture
def app_settings() -> dict:
    """What a suite's app adds to the test config (a suite's conftest overrides this)."""
    return {}


@pytest.fixture
def sending_app_settings(sendgrid) -> dict:
    """Settings of an app that sends through the real library to the fake SendGrid, with
    signed webhooks and Inbound Parse (suites that send use them as their app_settings)."""
    return sending_settings(sendgrid)


@pytest.fixture
def app(engine, database_url, clock, tmp_path, app_settings):
    """A fresh app on the shared database, emptied after each test."""
    application = create_app(app_config(database_url, engine, clock, tmp_path, **app_settings))
    yield application
    wipe(engine)


@pytest.fixture
def live(app):
    """The app on a real threaded WSGI server."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def raw(app):
    """The unsigned Flask test client."""
    return app.test_client()


@pytest.fixture
def session(app):
    """A session on the test database (for arranging and inspecting state)."""
    s = app.extensions["outreach"].session_factory()
    yield s
    s.close()


@pytest.fixture
def site_key(app) -> SiteKey:
    return make_site(app)


@pytest.fixture
def other_site_key(app) -> SiteKey:
    return make_site(app, "Site B", "https://b.example")


@pytest.fixture
def client(app, site_key, clock) -> SignedTestClient:
    """A client signed with site A's key and every capability."""
    return SignedTestClient(app.test_client(), site_key, clock)


@pytest.fixture
def other_client(app, other_site_key, clock) -> SignedTestClient:
    """A client of site B."""
    return SignedTestClient(app.test_client(), other_site_key, clock)


@pytest.fixture
def viewer(app, site_key, clock):
    """Site A's client with only outreach.view."""
    return SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view", user=5)
