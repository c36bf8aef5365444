"""Project tests: the app sends through the fake SendGrid (reports count emails)."""

import pytest

from tests.support.api import API


@pytest.fixture
def app_settings(sending_app_settings):
    return sending_app_settings


def make_project(api_client, name="Acme", **fields) -> dict:
    r = api_client.post(f"{API}/projects", json={"name": name, **fields})
    assert r.status_code == 201, r.json
    return r.json
