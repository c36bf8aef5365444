"""Activity tests: replies arrive by Inbound Parse, so the app sends through the fake SendGrid."""

import pytest


@pytest.fixture
def app_settings(sending_app_settings):
    return sending_app_settings
