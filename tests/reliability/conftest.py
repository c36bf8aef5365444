"""Reliability fixtures: the real service under gunicorn on the session's test database."""

from __future__ import annotations

import pytest

from tests.reliability.servers import Gunicorn
from tests.support.signed import SignedHttpClient
from tests.support.state import make_site


@pytest.fixture(scope="session")
def gunicorn_server(database_url):
    """Two sync workers on the migrated test database, for the whole session."""
    with Gunicorn(database_url, workers=2) as server:
        yield server


@pytest.fixture
def http_key(app):
    """A site registered in the shared database (wiped after the test by `app`)."""
    return make_site(app, "Reliability site", "https://rel.example")


@pytest.fixture
def http(gunicorn_server, http_key) -> SignedHttpClient:
    """A signed client over real sockets, every capability."""
    return SignedHttpClient(gunicorn_server.url, http_key)


def pytest_collection_modifyitems(config, items):
    """Long variants (@pytest.mark.slow) run only when asked: `-m slow` or OUTREACH_SLOW=1."""
    import os

    wanted = "slow" in (config.getoption("-m") or "") or os.environ.get("OUTREACH_SLOW") == "1"
    if wanted:
        return
    skip = pytest.mark.skip(reason="slow variant: run with -m slow or OUTREACH_SLOW=1")
    for item in items:
        if "slow" in item.keywords and "tests/reliability/" in str(item.fspath):
            item.add_marker(skip)
