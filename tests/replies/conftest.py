"""Reply tests: the app takes Inbound Parse posts and forwards through the fake SendGrid."""

import pytest


@pytest.fixture
def app_settings(sending_app_settings):
    return sending_app_settings
