"""Shared fixtures: a migrated database per session, an app per test, signed clients."""
from __future__ import annotations

import os

import pytest

from service.app import create_app
from service.clock import FrozenClock, SystemClock
from service.db import make_engine
from service.domain import sites
from tests.support.databases import backend, create_database, drop_database, wipe
from tests.support.signed import SignedTestClient, SiteKey

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")


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


@pytest.fixture
def clock():
    """A frozen clock starting at the real current time (signatures stay valid)."""
    return FrozenClock(SystemClock().now().replace(microsecond=0))


@pytest.fixture
def app(engine, database_url, clock, tmp_path):
    """A fresh app on the shared database, emptied after each test."""
    application = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "ENGINE": engine, "CLOCK": clock,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_PATH": str(tmp_path / "outbox.jsonl"), "SCHEDULER_ENABLED": False,
        "SENDGRID_API_KEY": None, "SENDGRID_WEBHOOK_PUBLIC_KEY": None,
        "ALLOW_UNSIGNED_WEBHOOKS": False, "INBOUND_TOKEN": None, "INBOUND_DOMAIN": None,
    })
    yield application
    wipe(engine)


@pytest.fixture
def session(app):
    """A session on the test database (for arranging and inspecting state)."""
    s = app.extensions["outreach"].session_factory()
    yield s
    s.close()


def make_site(app, name="Site A", url="https://a.example", daily_limit=100) -> SiteKey:
    """Register a site with one key, as the CLI would."""
    rt = app.extensions["outreach"]
    with rt.session_factory() as s:
        site, key_id, secret = sites.create_site(s, rt.secret_box, name, url, rt.clock.now(),
                                                 daily_limit)
        s.commit()
        return SiteKey(site.id, key_id, secret)


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
