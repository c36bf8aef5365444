"""Deliverability fixtures: the sending app with a public URL (unsubscribe links), a live
server for webhooks and one scheduler worker run by hand."""

from __future__ import annotations

import pytest

from service.app import create_app
from service.worker.scheduler import Scheduler
from tests.support.apps import LiveServer, sending_config
from tests.support.databases import wipe

PUBLIC_URL = "https://outreach.example.net"


@pytest.fixture
def app(engine, database_url, clock, tmp_path, fake_sg):
    fake_sg.reset()
    config = sending_config(database_url, engine, clock, tmp_path, fake_sg, PUBLIC_URL=PUBLIC_URL)
    application = create_app(config)
    yield application
    wipe(engine)


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def scheduler(app):
    return Scheduler(app, owner="test-scheduler")
