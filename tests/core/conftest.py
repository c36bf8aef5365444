"""Fixtures of the core suite (signing, board, templates, site)."""

from __future__ import annotations

import pytest

from tests.support.signed import SignedTestClient


@pytest.fixture
def raw(app):
    """The unsigned Flask test client."""
    return app.test_client()


@pytest.fixture
def viewer(app, site_key, clock):
    """Site A's client with only outreach.view."""
    return SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view", user=5)
