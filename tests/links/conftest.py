"""Fixtures for link checks: local page servers and an app allowed to fetch them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.domain.links.fetch import Fetcher
from service.domain.links.politeness import Gate
from tests.links.pages import PageServer, Tracker

TEST_TIMEOUT = 2.0  # seconds per request here (the service's default is 10)


@pytest.fixture
def app_settings():
    """Private addresses allowed (the pages are on 127.0.0.x), a short request timeout."""
    return {"LINKCHECK_ALLOW_PRIVATE": True, "LINKCHECK_TIMEOUT": TEST_TIMEOUT}


@pytest.fixture
def tracker():
    return Tracker()


@pytest.fixture
def pages(tracker):
    server = PageServer(tracker=tracker)
    yield server
    server.stop()


@pytest.fixture
def fetcher(app):
    """A fetcher allowed on 127.0.0.1 with the short timeout and no pacing per host (these
    tests fetch one local host many times; test_politeness keeps the real pacing)."""
    gate = Gate(app.extensions["outreach"].session_factory, spacing=timedelta(0))
    made = Fetcher(gate, allow_private=True, timeout=TEST_TIMEOUT)
    yield made
    made.close()
