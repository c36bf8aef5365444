"""Tracking tests: the app takes signed Event Webhook batches from the fake SendGrid."""

import pytest


@pytest.fixture
def app_settings(sending_app_settings):
    return sending_app_settings
