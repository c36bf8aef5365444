"""End to end: a real `outreach serve` process (SQLite) runs a 3-step sequence to completion."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.sequences.procs import ROOT
from tests.support.processes import free_port, stop, wait_for, wait_healthy
from tests.support.signed import SignedHttpClient, SiteKey

TO = "editor@blog.example.org"


def _cli(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def served(tmp_path, sendgrid):
    """`outreach serve` on a fresh SQLite file, scheduler every second, mail to the fake."""
    from tests.sequences.procs import scheduler_env

    env = scheduler_env(
        f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        sendgrid.host,
        tmp_path,
        OUTREACH_SCHEDULER_INTERVAL=1,
        OUTREACH_LOG_LEVEL="INFO",
    )
    env.pop("OUTREACH_SCHEDULER", None)  # `serve` turns it on by default
    _cli(env, "db", "upgrade")
    created = json.loads(
        _cli(env, "site", "create", "--name", "E2E", "--url", "https://e2e.example", "--json")
    )
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = SignedHttpClient(
        f"http://127.0.0.1:{port}",
        SiteKey(created["site_id"], created["key_id"], created["secret"]),
    )
    try:
        wait_healthy(
            client.base_url, proc, lambda: (tmp_path / "serve.log").read_text(errors="replace")
        )
        yield client
    finally:
        stop(proc)
        log.close()


def test_three_step_sequence_completes_in_order(served, sendgrid, tmp_path):
    client = served
    # Steps a second apart: no cooldown, no spacing (a CLI site spaces sends by a minute).
    pace = {"cooldown_hours": 0, "min_spacing_seconds": 0}
    assert client.patch("/api/v1/site", json=pace).status_code == 200
    ids = []
    for i in (1, 2, 3):
        r = client.post(
            "/api/v1/templates",
            json={
                "name": f"T{i}",
                "subject": f"Step {i}: {{{{domain}}}}",
                "body": f"Hello {i} {{{{url}}}}",
            },
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = client.post(
        "/api/v1/sequences",
        json={"name": "Quick", "steps": [{"template_id": t, "delay_hours": 0.0003} for t in ids]},
    )  # about one second apart
    assert r.status_code == 201, r.text
    opp = client.post("/api/v1/opportunities", json={"source_url": "https://blog.example.org/x"})
    oid = opp.json()["id"]
    started = time.monotonic()
    r = client.post(
        f"/api/v1/opportunities/{oid}/sequence", json={"sequence_id": r.json()["id"], "to": TO}
    )
    assert r.status_code == 201, r.text
    assert r.json()["current_step"] == 1

    def done():
        got = client.get(f"/api/v1/opportunities/{oid}/sequence").json()
        return got if got["status"] == "completed" else None

    try:
        final = wait_for(done, 120, every=0.3)
    except AssertionError:
        raise AssertionError((tmp_path / "serve.log").read_text()[-4000:]) from None
    assert time.monotonic() - started >= 2  # two delays of ~1.08 s, never early
    assert final["current_step"] == 3 and final["next_step_at"] is None
    # Steps 2 and 3 answer step 1's thread (docs/api.md, conversations).
    assert sendgrid.subjects_to(TO) == ["Step 1: blog.example.org"] + 2 * [
        "Re: Step 1: blog.example.org"
    ]
    history = client.get(f"/api/v1/opportunities/{oid}/emails").json()
    items = history["items"] if isinstance(history, dict) else history
    assert sorted(e["step"] for e in items) == [1, 2, 3]
    card = client.get(f"/api/v1/opportunities/{oid}").json()
    assert card["status"] == "reached" and card["emails_sent"] == 3
    assert card["sequence"]["status"] == "completed"
