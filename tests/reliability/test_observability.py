"""Request ids, JSON logs and GET /metrics (in-process and through gunicorn)."""

from __future__ import annotations

import json
import logging
import re
import time

import requests

from service import observability
from service.api import request_hooks
from tests.support.apps import METRICS_AUTH
from tests.support.processes import wait_for


def _sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == str(v) for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_request_id_generated_and_echoed(client):
    r = client.get("/api/v1/board")
    assert r.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-Id"])
    assert client.get("/api/v1/board").headers["X-Request-Id"] != r.headers["X-Request-Id"]


def test_request_id_honoured_when_plain_replaced_when_not(client):
    r = client.get("/api/v1/board", headers={"X-Request-Id": "lb-7f3a9c21.42"})
    assert r.headers["X-Request-Id"] == "lb-7f3a9c21.42"
    r = client.get("/api/v1/board", headers={"X-Request-Id": "bad id\twith<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-Id"])


def test_server_timing_says_the_service_time_of_every_answer(app, client):
    for r, wall in (
        _timed(lambda: client.get("/api/v1/board")),
        _timed(lambda: app.test_client().get("/api/v1/board")),  # 401: unsigned
    ):
        found = re.fullmatch(r"app;dur=(\d+\.\d\d)", r.headers["Server-Timing"])
        assert found, r.headers["Server-Timing"]
        assert 0 < float(found[1]) <= wall * 1000


def _timed(call):
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def test_errors_carry_a_request_id_too(app):
    plain = app.test_client()
    for r in (plain.get("/api/v1/board"), plain.get("/nope"), plain.post("/healthz")):
        assert r.status_code in (401, 404, 405) and r.is_json
        assert r.headers["X-Request-Id"]


def test_metrics_count_requests_by_route_template(app, client):
    plain = app.test_client()
    before = plain.get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    for _ in range(3):
        client.get("/api/v1/opportunities/987654")
    after = plain.get("/metrics", headers=METRICS_AUTH)
    assert after.status_code == 200
    assert after.headers["Content-Type"].startswith("text/plain")
    text = after.get_data(as_text=True)
    labels = {
        "route": "/api/v1/opportunities/<int:opportunity_id>",
        "method": "GET",
        "status": "404",
    }
    name = "outreach_http_requests_total"
    assert _sample(text, name, **labels) - _sample(before, name, **labels) == 3
    assert "987654" not in text  # raw paths never become label values
    assert "# TYPE outreach_http_request_duration_seconds histogram" in text


def test_metrics_api_for_other_features(app):
    plain = app.test_client()
    before = plain.get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    observability.count("outreach_sends_total", outcome="sent")
    observability.count("outreach_limit_hits_total", limit="daily_cap")
    observability.count("outreach_webhook_events_total", 5, type="open", result="stored")
    observability.gauge("outreach_scheduler_lag_seconds", 4.5)
    observability.count("outreach_sends_total", bogus="label")  # logged, never raised
    text = plain.get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)

    def delta(n, **lb):
        return _sample(text, n, **lb) - _sample(before, n, **lb)

    assert delta("outreach_sends_total", outcome="sent") == 1
    assert delta("outreach_limit_hits_total", limit="daily_cap") == 1
    assert delta("outreach_webhook_events_total", type="open", result="stored") == 5
    assert _sample(text, "outreach_scheduler_lag_seconds") == 4.5


def test_metrics_hold_no_site_data(app, client, site_key):
    client.post("/api/v1/opportunities", json={"source_url": "https://secret-prospect.example/x"})
    text = app.test_client().get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    assert "secret-prospect" not in text and site_key.key_id not in text
    assert site_key.secret not in text and "Site A" not in text


def test_json_formatter_includes_request_id(app):
    formatter = observability.JsonFormatter()
    with app.test_request_context("/x", headers={"X-Request-Id": "trace-12345678"}):
        request_hooks.begin_request()
        record = logging.LogRecord(
            "outreach.t", logging.INFO, __file__, 1, "hello %s", ("world",), None
        )
        record.email_id = 7
        line = json.loads(formatter.format(record))
    assert line["msg"] == "hello world" and line["request_id"] == "trace-12345678"
    assert line["level"] == "INFO" and line["email_id"] == 7


def test_gunicorn_logs_are_json_with_request_ids(gunicorn_server, http):
    r = http.get("/api/v1/board", headers={"X-Request-Id": "probe-abcdef123456"})
    assert r.status_code == 200 and r.headers["X-Request-Id"] == "probe-abcdef123456"
    wait_for(lambda: "probe-abcdef123456" in gunicorn_server.log(), 60, every=0.1)
    lines = [ln for ln in gunicorn_server.log().splitlines() if ln.strip()]
    entries = [json.loads(ln) for ln in lines]  # every line parses: nothing but JSON
    access = [e for e in entries if e.get("request_id") == "probe-abcdef123456"]
    assert access and access[0]["status"] == 200 and access[0]["path"] == "/api/v1/board"


def test_gunicorn_metrics_sum_all_workers(gunicorn_server, http):
    url = gunicorn_server.url + "/metrics"
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    before = _sample(
        requests.get(url, timeout=5, headers=METRICS_AUTH).text,
        "outreach_http_requests_total",
        **labels,
    )
    for _ in range(20):  # new connections spread over both workers
        assert requests.get(gunicorn_server.url + "/healthz", timeout=5).status_code == 200
    after = _sample(
        requests.get(url, timeout=5, headers=METRICS_AUTH).text,
        "outreach_http_requests_total",
        **labels,
    )
    assert after - before == 20
