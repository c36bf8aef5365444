"""The database goes away: JSON 503 everywhere it matters, never a 500 with a trace."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from service.app import create_app
from tests.reliability.faults import CuttableProxy
from tests.reliability.servers import Gunicorn
from tests.support.apps import METRICS_AUTH, app_config
from tests.support.databases import backend
from tests.support.processes import free_port, wait_for
from tests.support.signed import SignedHttpClient, SignedTestClient, SiteKey

UNSIGNED = {"/api/v1/openapi.json"}


def api_calls(app):
    """(method, path) for every signed /api/v1 route, ids filled with 1."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in UNSIGNED:
            continue
        path = re.sub(r"<(?:int:)?\w+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def assert_503(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.is_json and response.json["code"] == 503
    assert "Traceback" not in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


@pytest.fixture
def dead_app(tmp_path):
    """An app whose PostgreSQL URL points at a port nobody listens on."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone?connect_timeout=2"
    return create_app(app_config(url, None, None, tmp_path))


def test_probes_when_database_unreachable(dead_app):
    http = dead_app.test_client()
    assert http.get("/healthz").status_code == 200
    r = http.get("/readyz")
    assert r.status_code == 503 and r.is_json and r.json["code"] == 503
    assert http.get("/metrics", headers=METRICS_AUTH).status_code == 200
    assert http.get("/api/v1/openapi.json").status_code == 200


def test_every_api_route_answers_json_503_when_database_unreachable(dead_app):
    client = SignedTestClient(dead_app.test_client(), SiteKey(1, "ok_0123456789abcdef", "s"))
    calls = list(api_calls(dead_app))
    assert len(calls) >= 10
    for method, path in calls:
        body = {} if method in ("POST", "PATCH", "PUT") else None
        assert_503(client.request(method, path, json=body))


def test_database_failing_after_authentication_answers_503(app, engine, client):
    """The key checks pass, then every other statement fails as if the server went away."""
    created = client.post("/api/v1/opportunities", json={"source_url": "https://x.example/a"})
    assert created.status_code == 201

    def fail(conn, cursor, statement, params, context, executemany):
        if "api_keys" not in statement and "nonces" not in statement:
            raise OperationalError(
                statement, params, ConnectionError("server closed the connection")
            )

    event.listen(engine, "before_cursor_execute", fail)
    try:
        for method, path in api_calls(app):
            body = {} if method in ("POST", "PATCH", "PUT") else None
            r = client.request(method, path, json=body)
            if r.status_code == 422:  # body validation answers before any query runs
                continue
            if path == "/api/v1/site" and r.status_code == 200:
                continue  # the site was read with the key; an empty PATCH writes nothing
            assert_503(r)
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert client.get(f"/api/v1/opportunities/{created.json['id']}").status_code == 200


@pytest.mark.skipif(backend() != "postgres", reason="cuts a real PostgreSQL connection")
def test_gunicorn_survives_database_outage_and_recovers(database_url, app, site_key):
    """Cut the wire between gunicorn and PostgreSQL mid-run, then restore it."""
    target = make_url(database_url)
    proxy = CuttableProxy(target.host or "127.0.0.1", target.port or 5432)
    via_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with Gunicorn(via_proxy, workers=2) as server:
            http = SignedHttpClient(server.url, site_key)
            assert http.get("/api/v1/board").status_code == 200
            proxy.cut()
            for _ in range(6):
                r = http.get("/api/v1/board")
                assert r.status_code == 503 and r.json()["code"] == 503, r.text
            ready = http.http.get(server.url + "/readyz", timeout=10)
            assert ready.status_code == 503 and ready.json()["code"] == 503
            proxy.restore()
            wait_for(
                lambda: http.get("/api/v1/board").status_code == 200,
                60,
                why=lambda: "the service did not recover",
            )
            assert "Traceback" not in "".join(
                ln for ln in server.log().splitlines() if '"exc"' not in ln
            )
    finally:
        proxy.close()


def _kill_pooled_connection(engine, database_url) -> int:
    """Terminate the pool's (only) connection from another session; its backend pid."""
    with engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = create_engine(database_url, poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    admin.dispose()
    return pid


@pytest.mark.skipif(backend() != "postgres", reason="terminates a PostgreSQL backend")
def test_rested_connection_killed_by_the_server_is_replaced_unseen(database_url, monkeypatch):
    """A connection that rested in the pool is pinged before use and replaced if dead."""
    from service.db import engine as dbmodule

    engine = dbmodule.make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        pid = _kill_pooled_connection(engine, database_url)
        monkeypatch.setattr(dbmodule, "PING_AFTER_IDLE", 0.0)  # it rested long enough
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    finally:
        engine.dispose()


@pytest.mark.skipif(backend() != "postgres", reason="terminates a PostgreSQL backend")
def test_busy_connection_killed_fails_once_then_the_pool_recovers(database_url, monkeypatch):
    """A connection used moments ago is not pinged: one statement fails, the next works."""
    from service.db import engine as dbmodule

    engine = dbmodule.make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        pid = _kill_pooled_connection(engine, database_url)
        monkeypatch.setattr(dbmodule, "PING_AFTER_IDLE", 3600.0)
        with pytest.raises(OperationalError), engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    finally:
        engine.dispose()
