"""Deliverability fixtures: the sending app with a public URL (unsubscribe links) and one
scheduler worker run by hand."""

from __future__ import annotations

import pytest

from service.worker.scheduler import Scheduler
from tests.support.apps import sending_settings

PUBLIC_URL = "https://outreach.example.net"


@pytest.fixture
def app_settings(sendgrid):
    return sending_settings(sendgrid, PUBLIC_URL=PUBLIC_URL)


@pytest.fixture
def scheduler(app):
    return Scheduler(app, owner="test-scheduler", kind="sequence-steps")
