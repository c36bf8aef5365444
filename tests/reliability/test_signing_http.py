"""The signing attack list over real sockets against gunicorn (2 workers, shared nonces).

tests/api/test_auth.py covers each check through Flask's test client; here the same
attacks go through gunicorn's HTTP parser, raw bytes included, where proxies and servers
can change what the application sees.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from service.config import MAX_BODY_BYTES
from tests.support.processes import run_threads
from tests.support.signed import SignedTestClient

BOARD = "/api/v1/board"
OPPS = "/api/v1/opportunities"


def headers_for(key, method, path, query="", body=b"", **over):
    """Signed headers with the key (the wall clock, every capability, user 1)."""
    return SignedTestClient(None, key).headers_for(method, path, query, body, **over)


def raw_request(server, method: str, target: str, headers: dict | list, body: bytes = b""):
    """Send exactly these bytes over a fresh socket; return (status, headers, body)."""
    port = int(server.url.rsplit(":", 1)[1])
    items = headers.items() if isinstance(headers, dict) else headers
    lines = [f"{method} {target} HTTP/1.1".encode(), b"Host: 127.0.0.1", b"Connection: close"]
    for name, value in items:
        value = value if isinstance(value, bytes) else str(value).encode("utf-8")
        lines.append(name.encode() + b": " + value)
    if body and not any(n.lower() in ("content-length", "transfer-encoding") for n, _ in items):
        lines.append(f"Content-Length: {len(body)}".encode())
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def assert_json_error(status, headers, body, code):
    assert status == code, body[:300]
    assert headers.get("Content-Type", "").startswith("application/json"), headers
    assert json.loads(body)["code"] == code


def test_valid_raw_request_passes(gunicorn_server, http_key):
    status, _, body = raw_request(
        gunicorn_server, "GET", BOARD, headers_for(http_key, "GET", BOARD)
    )
    assert status == 200, body


def test_replay_refused_across_workers_even_when_simultaneous(gunicorn_server, http_key):
    """The same signed request raced over 8 connections: exactly one gets through."""
    signed = headers_for(http_key, "GET", BOARD)
    results, barrier = [], threading.Barrier(8)

    def fire():
        barrier.wait()
        results.append(raw_request(gunicorn_server, "GET", BOARD, signed)[0])

    run_threads(fire, [()] * 8)
    assert sorted(results) == [200] + [401] * 7


@pytest.mark.parametrize(
    "offset,ok",
    [(-301, False), (-290, True), (290, True), (301, False), (-86400, False), (10**9, False)],
)
def test_stale_and_future_timestamps(gunicorn_server, http_key, offset, ok):
    signed = headers_for(http_key, "GET", BOARD, timestamp=int(time.time()) + offset)
    status, headers, body = raw_request(gunicorn_server, "GET", BOARD, signed)
    if ok:
        assert status == 200
    else:
        assert_json_error(status, headers, body, 401)
        assert b"timestamp" in body.lower()


def test_tampered_body(gunicorn_server, http_key):
    body = json.dumps({"source_url": "https://a.example/"}).encode()
    signed = headers_for(http_key, "POST", OPPS, body=body)
    evil = body.replace(b"a.example", b"e.example")
    status, headers, out = raw_request(
        gunicorn_server, "POST", OPPS, {**signed, "Content-Type": "application/json"}, evil
    )
    assert_json_error(status, headers, out, 401)


@pytest.mark.parametrize(
    "sent",
    [
        "/api/v1/%62oard",  # percent-encoded letter: same route, different raw path
        "/api/v1/board/",  # trailing slash
        "/api/v1//board",  # doubled slash
        "/api/v1/./board",  # dot segment
    ],
)
def test_path_must_match_byte_for_byte(gunicorn_server, http_key, sent):
    signed = headers_for(http_key, "GET", BOARD)
    status, headers, body = raw_request(gunicorn_server, "GET", sent, signed)
    assert status in (401, 404, 308), body
    assert status != 200


@pytest.mark.parametrize(
    "signed_query,sent_query",
    [
        ("q=a", "q=b"),
        ("q=a&q=b", "q=b&q=a"),  # duplicated keys reordered
        ("q=a", "q=a&q=b"),  # a duplicate smuggled in
        ("q=a%20b", "q=a+b"),  # same value, other encoding
        ("", "q=a"),
    ],
)
def test_query_must_match_as_sent(gunicorn_server, http_key, signed_query, sent_query):
    signed = headers_for(http_key, "GET", BOARD, query=signed_query)
    status, headers, body = raw_request(gunicorn_server, "GET", f"{BOARD}?{sent_query}", signed)
    assert_json_error(status, headers, body, 401)


def test_duplicated_query_keys_signed_as_sent_pass(gunicorn_server, http_key):
    query = "q=a&q=b&q=%C3%A9"
    signed = headers_for(http_key, "GET", BOARD, query=query)
    assert raw_request(gunicorn_server, "GET", f"{BOARD}?{query}", signed)[0] == 200


def test_caps_escalation_refused(gunicorn_server, http_key):
    signed = headers_for(http_key, "DELETE", f"{OPPS}/1", caps="outreach.view")
    signed["X-Outreach-Caps"] = "outreach.view,outreach.delete"
    status, headers, body = raw_request(gunicorn_server, "DELETE", f"{OPPS}/1", signed)
    assert_json_error(status, headers, body, 401)


def test_duplicated_signed_headers_refused(gunicorn_server, http_key):
    """Two X-Outreach-Caps lines: a proxy might join them, the app must not trust either."""
    signed = headers_for(http_key, "GET", BOARD, caps="outreach.view")
    items = list(signed.items()) + [("X-Outreach-Caps", "outreach.settings")]
    status, _, body = raw_request(gunicorn_server, "GET", BOARD, items)
    assert status in (400, 401), body


@pytest.mark.parametrize(
    "header,value",
    [
        ("X-Outreach-User", "１２"),  # full-width digits
        ("X-Outreach-User", b"\xff\xfe"),  # not UTF-8 at all
        ("X-Outreach-Nonce", "nonce-with-é-and-more-chars"),
        ("X-Outreach-Key", b"ok_\xc3\xa9\xc3\xa9\xc3\xa9"),
        ("X-Outreach-Caps", "outreach.view,outreach.é"),
        ("X-Outreach-Timestamp", "１７００００００００"),
        ("X-Outreach-Signature", "v1=" + "é" * 64),
        ("X-Outreach-Signature", "v1=" + "0" * 4000),
    ],
)
def test_unicode_and_malformed_headers_are_401_json(gunicorn_server, http_key, header, value):
    signed = headers_for(http_key, "GET", BOARD)
    signed[header] = value
    status, headers, body = raw_request(gunicorn_server, "GET", BOARD, signed)
    assert_json_error(status, headers, body, 401)


@pytest.mark.parametrize(
    "extra,code",
    [
        ([(f"X-Pad-{i}", "x") for i in range(120)], 431),  # over limit_request_fields
        ([("X-Outreach-Signature", "v1=" + "0" * 10000)], 431),  # over limit_request_field_size
    ],
)
def test_header_abuse_refused_by_gunicorn_as_json(gunicorn_server, http_key, extra, code):
    """Refused by gunicorn's parser before the app runs, still in the JSON error shape."""
    items = list(headers_for(http_key, "GET", BOARD).items()) + extra
    status, headers, body = raw_request(gunicorn_server, "GET", BOARD, items)
    assert status in (400, code)
    assert_json_error(status, headers, body, status)


def test_request_line_too_long_is_json(gunicorn_server):
    status, headers, body = raw_request(gunicorn_server, "GET", BOARD + "?q=" + "a" * 9000, {})
    assert 400 <= status < 500
    assert_json_error(status, headers, body, status)


def test_huge_body_with_length_is_413_json(gunicorn_server, http_key):
    body = b"x" * (2 * MAX_BODY_BYTES)
    signed = headers_for(http_key, "POST", OPPS, body=body)
    status, headers, out = raw_request(
        gunicorn_server, "POST", OPPS, {**signed, "Content-Type": "application/json"}, body
    )
    assert_json_error(status, headers, out, 413)


def test_announced_huge_body_refused_without_reading_it(gunicorn_server, http_key):
    """Content-Length of 1 GiB and no body: 413 at once, not a 30 s wait for bytes."""
    signed = headers_for(http_key, "POST", OPPS, body=b"")
    started = time.monotonic()
    status, headers, out = raw_request(
        gunicorn_server, "POST", OPPS, {**signed, "Content-Length": str(1 << 30)}
    )
    assert_json_error(status, headers, out, 413)
    # Waiting for the body would last until gunicorn's worker timeout (30 s) kills the
    # worker, with no answer at all; the bound only has to tell the two apart.
    assert time.monotonic() - started < 20


def test_huge_chunked_body_is_413_json(gunicorn_server, http_key):
    chunk = b"y" * 65536
    payload = (
        b"".join(
            b"%x\r\n" % len(chunk) + chunk + b"\r\n"
            for _ in range((2 * MAX_BODY_BYTES) // len(chunk))
        )
        + b"0\r\n\r\n"
    )
    signed = headers_for(http_key, "POST", OPPS, body=b"")
    status, headers, out = raw_request(
        gunicorn_server,
        "POST",
        OPPS,
        {**signed, "Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        payload,
    )
    assert_json_error(status, headers, out, 413)


def test_server_keeps_serving_after_the_attacks(http):
    assert http.get(BOARD).status_code == 200
