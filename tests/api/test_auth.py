"""Every signature attack over real signed requests through the app (docs/api.md)."""

from __future__ import annotations

import json

import pytest

from service.config import MAX_BODY_BYTES
from service.domain import sites
from service.models import Opportunity
from tests.support.api import API, assert_error
from tests.support.signed import ALL_CAPS, SignedTestClient, SiteKey

BOARD = f"{API}/board"


def send(client: SignedTestClient, method, path, headers, body=b"", query=""):
    """Send exactly these headers/body (no re-signing)."""
    url = path + (f"?{query}" if query else "")
    return client.client.open(
        url, method=method, data=body, headers={"Content-Type": "application/json", **headers}
    )


def test_valid_request_passes(client):
    assert client.get(BOARD).status_code == 200


def test_replay_is_refused(client):
    headers = client.headers_for("GET", BOARD)
    assert send(client, "GET", BOARD, headers).status_code == 200
    assert_error(send(client, "GET", BOARD, headers), 401, "replay")


def test_replayed_write_changes_nothing(client, session):
    body = json.dumps({"source_url": "https://once.example/a"}).encode()
    headers = client.headers_for("POST", f"{API}/opportunities", body=body)
    assert send(client, "POST", f"{API}/opportunities", headers, body).status_code == 201
    # Same nonce, even with a new timestamp and a new valid signature, is a replay.
    body2 = json.dumps({"source_url": "https://once.example/b"}).encode()
    again = client.headers_for(
        "POST", f"{API}/opportunities", body=body2, nonce=headers["X-Outreach-Nonce"]
    )
    assert_error(send(client, "POST", f"{API}/opportunities", again, body2), 401, "replay")
    assert session.query(Opportunity).count() == 1


def test_same_nonce_is_fine_with_another_key(client, other_client):
    headers = client.headers_for("GET", BOARD)
    assert send(client, "GET", BOARD, headers).status_code == 200
    other = other_client.headers_for("GET", BOARD, nonce=headers["X-Outreach-Nonce"])
    assert send(other_client, "GET", BOARD, other).status_code == 200


def test_nonce_may_be_reused_after_the_replay_window(client, clock):
    headers = client.headers_for("GET", BOARD)
    assert send(client, "GET", BOARD, headers).status_code == 200
    clock.advance(seconds=599)
    late = client.headers_for("GET", BOARD, nonce=headers["X-Outreach-Nonce"])
    assert_error(send(client, "GET", BOARD, late), 401, "replay")
    clock.advance(seconds=2)
    later = client.headers_for("GET", BOARD, nonce=headers["X-Outreach-Nonce"])
    assert send(client, "GET", BOARD, later).status_code == 200


@pytest.mark.parametrize(
    "offset,ok", [(-301, False), (301, False), (-300, True), (300, True), (-100000, False)]
)
def test_timestamp_window(client, clock, offset, ok):
    now = int(clock.now().timestamp())
    r = client.get(BOARD, timestamp=now + offset)
    if ok:
        assert r.status_code == 200, r.json
    else:
        assert_error(r, 401, "timestamp")


def test_tampered_body(client):
    body = json.dumps({"source_url": "https://a.example/x"}).encode()
    headers = client.headers_for("POST", f"{API}/opportunities", body=body)
    evil = json.dumps({"source_url": "https://a.example/y"}).encode()
    assert_error(send(client, "POST", f"{API}/opportunities", headers, evil), 401, "does not match")


def test_tampered_path(client):
    headers = client.headers_for("GET", BOARD)
    assert_error(send(client, "GET", f"{API}/templates", headers), 401, "does not match")


def test_tampered_method(client):
    headers = client.headers_for("GET", f"{API}/templates")
    r = send(client, "POST", f"{API}/templates", headers, b"{}")
    assert_error(r, 401, "does not match")


def test_tampered_query(client):
    headers = client.headers_for("GET", f"{API}/opportunities", query="q=a")
    r = send(client, "GET", f"{API}/opportunities", headers, query="q=b")
    assert_error(r, 401, "does not match")
    # Dropping the query is tampering too.
    headers = client.headers_for("GET", f"{API}/opportunities", query="q=a")
    assert_error(send(client, "GET", f"{API}/opportunities", headers), 401)


def test_tampered_caps_header(client):
    headers = client.headers_for("GET", BOARD, caps="outreach.view")
    headers["X-Outreach-Caps"] = ALL_CAPS
    assert_error(send(client, "GET", BOARD, headers), 401, "does not match")


def test_tampered_user_header(client):
    headers = client.headers_for("GET", BOARD, user=5)
    headers["X-Outreach-User"] = "1"
    assert_error(send(client, "GET", BOARD, headers), 401, "does not match")


def test_tampered_timestamp_header(client):
    headers = client.headers_for("GET", BOARD)
    headers["X-Outreach-Timestamp"] = str(int(headers["X-Outreach-Timestamp"]) - 1)
    assert_error(send(client, "GET", BOARD, headers), 401, "does not match")


def test_wrong_secret(client, site_key):
    bad = SiteKey(site_key.site_id, site_key.key_id, site_key.secret + "x")
    assert_error(client.get(BOARD, key=bad), 401, "does not match")


def test_unknown_key(client, site_key):
    bad = SiteKey(site_key.site_id, "ok_doesnotexist00", site_key.secret)
    assert_error(client.get(BOARD, key=bad), 401, "unknown or revoked")


def test_revocation_is_immediate(app, client, site_key, clock):
    assert client.get(BOARD).status_code == 200
    rt = app.extensions["outreach"]
    with rt.session_factory() as s:
        sites.revoke_key(s, site_key.key_id, clock.now())
        s.commit()
    assert_error(client.get(BOARD), 401, "unknown or revoked")


def test_rotation_overlap(app, client, site_key, clock):
    rt = app.extensions["outreach"]
    with rt.session_factory() as s:
        site = sites.get_site(s, site_key.site_id)
        new_id, new_secret = sites.add_key(s, rt.secret_box, site, clock.now())
        s.commit()
    new_key = SiteKey(site_key.site_id, new_id, new_secret)
    created = client.post(f"{API}/opportunities", json={"source_url": "https://r.example/"})
    assert created.status_code == 201
    # Both keys work and see the same site's data.
    for key in (site_key, new_key):
        r = client.get(BOARD, key=key)
        assert r.status_code == 200 and r.json["counts"]["new"] == 1
    with rt.session_factory() as s:
        sites.revoke_key(s, site_key.key_id, clock.now())
        s.commit()
    assert_error(client.get(BOARD, key=site_key), 401, "unknown or revoked")
    assert client.get(BOARD, key=new_key).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "X-Outreach-Key",
        "X-Outreach-Timestamp",
        "X-Outreach-Nonce",
        "X-Outreach-User",
        "X-Outreach-Signature",
    ],
)
def test_missing_header(client, header):
    headers = client.headers_for("GET", BOARD)
    del headers[header]
    assert_error(send(client, "GET", BOARD, headers), 401, f"missing {header}")


def test_absent_caps_header_counts_as_empty(client):
    headers = client.headers_for("GET", BOARD, caps="")
    del headers["X-Outreach-Caps"]
    # Authenticated (the empty caps were signed) but lacking outreach.view.
    assert_error(send(client, "GET", BOARD, headers), 403, "outreach.view")


def test_empty_caps_signed_as_empty_line(client):
    assert_error(client.get(BOARD, caps=""), 403, "outreach.view")


@pytest.mark.parametrize(
    "header,value",
    [
        ("X-Outreach-Timestamp", "abc"),
        ("X-Outreach-Timestamp", "1.5"),
        ("X-Outreach-Timestamp", ""),
        ("X-Outreach-User", "-1"),
        ("X-Outreach-User", "01"),
        ("X-Outreach-User", "abc"),
        ("X-Outreach-User", ""),
        ("X-Outreach-Caps", "outreach.view, x"),
        ("X-Outreach-Caps", ",outreach.view"),
        ("X-Outreach-Caps", "outreach.view,"),
        ("X-Outreach-Signature", "v2=" + "a" * 64),
        ("X-Outreach-Signature", "v1=" + "A" * 64),
        ("X-Outreach-Signature", "v1=" + "a" * 63),
        ("X-Outreach-Signature", "v1=xyz"),
        ("X-Outreach-Signature", "a" * 64),
        ("X-Outreach-Key", "k" * 65),
        ("X-Outreach-Key", "ok key\x01"),
    ],
)
def test_malformed_header(client, header, value):
    headers = client.headers_for("GET", BOARD)
    headers[header] = value
    body = assert_error(send(client, "GET", BOARD, headers), 401)
    assert header.lower() in body["message"].lower() or "missing" in body["message"].lower()


def test_several_signatures_one_valid(client):
    headers = client.headers_for("GET", BOARD)
    good = headers["X-Outreach-Signature"]
    headers["X-Outreach-Signature"] = f"v1={'0' * 64} {good} v1={'f' * 64}"
    assert send(client, "GET", BOARD, headers).status_code == 200


def test_several_signatures_none_valid(client):
    headers = client.headers_for("GET", BOARD)
    headers["X-Outreach-Signature"] = f"v1={'0' * 64} v1={'f' * 64}"
    assert_error(send(client, "GET", BOARD, headers), 401, "does not match")


def test_failed_signature_does_not_burn_the_nonce(client):
    headers = client.headers_for("GET", BOARD)
    good = headers["X-Outreach-Signature"]
    headers["X-Outreach-Signature"] = "v1=" + "0" * 64
    assert send(client, "GET", BOARD, headers).status_code == 401
    headers["X-Outreach-Signature"] = good
    assert send(client, "GET", BOARD, headers).status_code == 200


@pytest.mark.parametrize(
    "nonce,ok",
    [
        ("a" * 15, False),
        ("a" * 16, True),
        ("Z" * 64, True),
        ("a" * 65, False),
        ("abc_DEF-123456789", True),
        ("abcdefghijklmno!", False),
        ("abcdefgh.jklmnopq", False),
        ("abcdefgh jklmnopq", False),
        ("abcdefghéjklmnopq", False),
        ("abcdefgh+jklmnopq", False),
    ],
)
def test_nonce_shapes(client, nonce, ok):
    headers = client.headers_for("GET", BOARD, nonce=nonce)
    r = send(
        client, "GET", BOARD, {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
    )
    if ok:
        assert r.status_code == 200, r.json
    else:
        assert_error(r, 401, "X-Outreach-Nonce")


def test_oversized_body_refused_before_auth(client):
    big = b"x" * (MAX_BODY_BYTES + 1)
    # No signature headers at all: the size check comes first.
    r = client.client.post(
        f"{API}/opportunities", data=big, headers={"Content-Type": "application/json"}
    )
    assert_error(r, 413, "1 MiB")


def test_oversized_signed_body_refused(client, session):
    big = json.dumps({"source_url": "https://a.example/", "notes": "n" * MAX_BODY_BYTES})
    r = client.post(f"{API}/opportunities", data=big.encode())
    assert_error(r, 413)
    assert session.query(Opportunity).count() == 0


def test_body_of_exactly_one_mib_is_not_413(client):
    prefix = b'{"source_url": "https://a.example/", "notes": "'
    body = prefix + b"n" * (MAX_BODY_BYTES - len(prefix) - 2) + b'"}'
    assert len(body) == MAX_BODY_BYTES
    r = client.post(f"{API}/opportunities", data=body)
    # Parsed and validated (notes over 20,000 characters), not refused for size.
    assert_error(r, 422)
    assert "notes" in r.json["errors"]


def test_oversized_chunked_body_refused(client):
    import io

    big = io.BytesIO(b"x" * (MAX_BODY_BYTES + 10))
    headers = client.headers_for("POST", f"{API}/opportunities", body=b"")
    r = client.client.post(
        f"{API}/opportunities",
        input_stream=big,
        headers={**headers, "Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_error(r, 413)


def test_openapi_document_is_unsigned(raw):
    r = raw.get(f"{API}/openapi.json")
    assert r.status_code == 200 and r.json["openapi"].startswith("3.")


def test_unsigned_api_call_is_401(raw):
    assert_error(raw.get(BOARD), 401, "missing")


def test_path_is_signed_exactly_as_sent(client):
    card = client.post(f"{API}/opportunities", json={"source_url": "https://p.example/"}).json
    encoded = f"{API}/opportunities/%3{card['id']}" if card["id"] < 10 else None
    assert encoded, "the first card of a fresh database has a one-digit id"
    headers = client.headers_for("GET", encoded)
    r = send(client, "GET", encoded, headers)
    assert r.status_code == 200 and r.json["id"] == card["id"]
    decoded = client.headers_for("GET", f"{API}/opportunities/{card['id']}")
    assert_error(send(client, "GET", encoded, decoded), 401, "does not match")


def test_query_is_signed_exactly_as_sent(client):
    create_q = "q=%41BC&page_size=2"
    headers = client.headers_for("GET", f"{API}/opportunities", query=create_q)
    assert send(client, "GET", f"{API}/opportunities", headers, query=create_q).status_code == 200
    # The same query decoded differently ("A" instead of "%41") is another string.
    headers = client.headers_for("GET", f"{API}/opportunities", query="q=ABC&page_size=2")
    assert_error(send(client, "GET", f"{API}/opportunities", headers, query=create_q), 401)


def test_no_replay_at_the_edge_of_both_windows(client, clock):
    # Signed 300 s in the future, replayed 600 s later: the timestamp is still within
    # 300 s of the clock, so the nonce must still be remembered at that very second.
    now = int(clock.now().timestamp())
    headers = client.headers_for("GET", BOARD, timestamp=now + 300)
    assert send(client, "GET", BOARD, headers).status_code == 200
    clock.advance(seconds=600)
    assert_error(send(client, "GET", BOARD, headers), 401, "replay")


def test_absolute_form_request_target_signs_the_path(client):
    # A proxy may forward "GET http://host/api/v1/board HTTP/1.1"; the path is what counts.
    headers = client.headers_for("GET", BOARD)
    r = client.client.get(
        BOARD,
        headers=headers,
        environ_overrides={
            "REQUEST_URI": "http://svc.example:8080" + BOARD,
            "RAW_URI": "http://svc.example:8080" + BOARD,
        },
    )
    assert r.status_code == 200, r.json


def test_purge_drops_only_nonces_past_the_window(app, client, clock, session, monkeypatch):
    from datetime import timedelta

    from service.domain import sites
    from service.domain.sites import purge_nonces
    from service.models import Nonce

    monkeypatch.setattr(sites.secrets, "randbelow", lambda n: 1)  # no amortised purge meanwhile
    client.get(BOARD)
    clock.advance(seconds=700)
    client.get(BOARD)
    removed = purge_nonces(session, clock.now() - timedelta(seconds=600))
    session.commit()
    assert removed == 1 and session.query(Nonce).count() == 1
    session.rollback()
