"""Sending fixtures: an app wired to the fake SendGrid over real sockets, a live server."""

from __future__ import annotations

import pytest

from service.app import create_app
from tests.support.apps import LiveServer, sending_config
from tests.support.databases import wipe


@pytest.fixture
def app(engine, database_url, clock, tmp_path, fake_sg):
    """The app of the sending suite (overrides the root fixture)."""
    fake_sg.reset()
    application = create_app(sending_config(database_url, engine, clock, tmp_path, fake_sg))
    yield application
    wipe(engine)


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server
