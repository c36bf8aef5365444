"""Insight tests: the app sends through the fake SendGrid, whose events feed the numbers."""

import pytest


@pytest.fixture
def app_settings(sending_app_settings):
    return sending_app_settings
