"""Liveness and readiness probes (docs/api.md, command line)."""

from __future__ import annotations

from service.app import create_app
from tests.support.api import assert_error


def test_healthz_and_readyz(raw):
    r = raw.get("/healthz")
    assert r.status_code == 200 and r.is_json
    r = raw.get("/readyz")
    assert r.status_code == 200 and r.is_json


def _app_on(url, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SCHEDULER_ENABLED": False,
            "INSTANCE_PATH": str(tmp_path / "inst"),
            "OUTBOX_PATH": str(tmp_path / "outbox.jsonl"),
        }
    )


def test_readyz_503_when_postgres_is_unreachable(tmp_path):
    # A closed local port: connection refused at once.
    app = _app_on("postgresql+psycopg://nobody:pw@127.0.0.1:9/none?connect_timeout=2", tmp_path)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    err = assert_error(client.get("/readyz"), 503)
    assert "9" not in err["message"] and "nobody" not in err["message"]


def test_readyz_503_when_sqlite_path_is_unusable(tmp_path):
    # The database's folder is a regular file: no process (not even root) can open it.
    (tmp_path / "not-a-folder").write_text("x")
    app = _app_on(f"sqlite:///{tmp_path}/not-a-folder/db.sqlite3", tmp_path)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    err = assert_error(client.get("/readyz"), 503)
    assert "not-a-folder" not in err["message"]


def test_api_call_with_database_down_is_json(tmp_path):
    app = _app_on("postgresql+psycopg://nobody:pw@127.0.0.1:9/none?connect_timeout=2", tmp_path)
    r = app.test_client().get(
        "/api/v1/board",
        headers={
            "X-Outreach-Key": "ok_x",
            "X-Outreach-Timestamp": "1",
            "X-Outreach-Nonce": "n" * 16,
            "X-Outreach-User": "0",
            "X-Outreach-Signature": "v1=" + "0" * 64,
        },
    )
    assert r.is_json and r.status_code in (503, 500)
    assert "Traceback" not in r.get_data(as_text=True)
