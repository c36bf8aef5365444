"""A real `outreach serve` over a socket, set up with the CLI (db upgrade, site create)."""

from __future__ import annotations

import http.client
import json
import secrets
from urllib.parse import urlsplit

import pytest
import requests

from service.config import MAX_BODY_BYTES
from service.signing import sign_headers
from tests.server.server import running_service
from tests.support.signed import SignedHttpClient, SiteKey, fresh_nonce

ENCRYPTION_KEY = "test passphrase " + secrets.token_hex(8)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with running_service(tmp_path_factory.mktemp("serve"), secret_key=ENCRYPTION_KEY) as svc:
        yield svc


@pytest.fixture
def wire(service):
    return SignedHttpClient(service.base_url, service.key)


def _raw_request(base_url, method, target, headers, body=b""):
    """Send exactly this request target (no client-side URL normalisation)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def test_board_round_trip(wire):
    r = wire.post(
        "/api/v1/opportunities",
        json={"source_url": "https://www.Wire.Example/p", "anchor_text": "über <tools>"},
    )
    assert r.status_code == 201, r.text
    card = r.json()
    assert card["domain"] == "wire.example"
    r = wire.post(f"/api/v1/opportunities/{card['id']}/move", json={"status": "queued"})
    assert r.status_code == 200 and r.json()["status"] == "queued"
    board = wire.get("/api/v1/board").json()
    assert [c["id"] for c in board["columns"]["queued"]] == [card["id"]]
    assert board["columns"]["queued"][0]["anchor_text"] == "über <tools>"
    for q in ("ÜBER", "über", "<TOOLS>"):
        r = wire.get("/api/v1/opportunities", query={"q": q, "page_size": 5})
        assert [c["id"] for c in r.json()["items"]] == [card["id"]], q
    assert wire.delete(f"/api/v1/opportunities/{card['id']}").status_code == 204
    assert wire.get(f"/api/v1/opportunities/{card['id']}").status_code == 404


def test_replay_over_the_wire(wire, service):
    headers = wire.headers_for("GET", "/api/v1/board")
    first = requests.get(service.base_url + "/api/v1/board", headers=headers, timeout=10)
    second = requests.get(service.base_url + "/api/v1/board", headers=headers, timeout=10)
    assert first.status_code == 200
    assert second.status_code == 401 and "replay" in second.json()["message"].lower()


def test_413_over_the_wire_with_content_length(service):
    body = b"x" * (MAX_BODY_BYTES + 1)
    try:
        r = requests.post(
            service.base_url + "/api/v1/opportunities",
            data=body,
            timeout=30,
            headers={"Content-Type": "application/json"},
        )
    except requests.ConnectionError:
        pytest.fail("the server dropped the connection instead of answering 413")
    assert r.status_code == 413 and r.json()["code"] == 413


def test_413_over_the_wire_chunked(service, wire):
    def chunks():
        for _ in range(17):
            yield b"x" * 65536

    headers = wire.headers_for("POST", "/api/v1/opportunities", body=b"")
    headers["Content-Type"] = "application/json"
    try:
        r = requests.post(
            service.base_url + "/api/v1/opportunities", data=chunks(), headers=headers, timeout=30
        )
    except requests.ConnectionError:
        pytest.fail("the server dropped the connection instead of answering 413")
    assert r.status_code == 413, r.text
    assert r.json()["code"] == 413


def _signed_get(wire, service, path: str, query: str = "") -> dict:
    """Signature headers of a GET of `path` and `query` exactly as given (a fresh nonce)."""
    return sign_headers(
        service.key.secret,
        service.key.key_id,
        "GET",
        path,
        query,
        b"",
        timestamp=wire._now(),
        nonce=fresh_nonce(),
        user=1,
        caps=wire.caps,
    )


def test_raw_path_with_percent_encoding_is_signed_as_sent(wire, service):
    card = wire.post("/api/v1/opportunities", json={"source_url": "https://pct.example/"}).json()
    assert card["id"] < 10
    raw_path = f"/api/v1/opportunities/%3{card['id']}"  # "%31" is "1", percent-encoded
    signed = _signed_get(wire, service, raw_path)
    status, body = _raw_request(service.base_url, "GET", raw_path, signed)
    assert status == 200, body
    assert body["id"] == card["id"]
    # Signing the decoded path instead of the bytes sent does not verify.
    decoded = f"/api/v1/opportunities/{card['id']}"
    wrong = _signed_get(wire, service, decoded)
    status, body = _raw_request(service.base_url, "GET", raw_path, wrong)
    assert status == 401, body
    wire.delete(f"/api/v1/opportunities/{card['id']}")


def test_raw_query_is_signed_as_sent(wire, service):
    query = "q=caf%C3%A9+%25&page_size=5"
    signed = _signed_get(wire, service, "/api/v1/opportunities", query)
    status, body = _raw_request(service.base_url, "GET", "/api/v1/opportunities?" + query, signed)
    assert status == 200, body
    assert body["page_size"] == 5


def test_errors_over_the_wire_are_json(service, wire):
    r = requests.get(service.base_url + "/nope", timeout=10)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/json")
    r = wire.request("PUT", "/api/v1/board")
    assert r.status_code == 405 and r.json()["code"] == 405
    r = wire.post("/api/v1/opportunities", data=b"{oops")
    assert r.status_code == 400 and r.json()["code"] == 400
    assert requests.get(service.base_url + "/readyz", timeout=10).status_code == 200


# --- CLI ------------------------------------------------------------------------------


def test_cli_list_never_shows_secrets(service):
    for args in (("site", "list"), ("site", "list", "--json")):
        out = service.cli(*args).stdout
        assert service.key.key_id in out
        assert service.key.secret not in out
    rows = json.loads(service.cli("site", "list", "--json").stdout)
    assert rows[0]["site_id"] == service.key.site_id
    assert rows[0]["keys"][0] == {
        "key_id": service.key.key_id,
        "created_at": rows[0]["keys"][0]["created_at"],
        "revoked": False,
    }
    assert "secret" not in json.dumps(rows).lower()


def test_cli_rotate_and_revoke_against_the_running_server(service):
    site = service.create_site("Rotating", "https://rot.example")
    out = json.loads(service.cli("site", "rotate-key", str(site.site_id), "--json").stdout)
    assert out["site_id"] == site.site_id and out["key_id"] != site.key_id
    new = SiteKey(site.site_id, out["key_id"], out["secret"])
    old_client = SignedHttpClient(service.base_url, site)
    new_client = SignedHttpClient(service.base_url, new)
    assert old_client.get("/api/v1/board").status_code == 200
    assert new_client.get("/api/v1/board").status_code == 200
    result = service.cli("site", "revoke-key", site.key_id)
    assert site.key_id in result.stdout
    r = old_client.get("/api/v1/board")
    assert r.status_code == 401 and "revoked" in r.json()["message"]
    assert new_client.get("/api/v1/board").status_code == 200
    rows = {r["site_id"]: r for r in json.loads(service.cli("site", "list", "--json").stdout)}
    keys = {k["key_id"]: k["revoked"] for k in rows[site.site_id]["keys"]}
    assert keys == {site.key_id: True, new.key_id: False}


def test_the_cli_says_not_found_for_unknown_keys_and_sites(service):
    r = service.cli("site", "revoke-key", "ok_nope", check=False)
    assert r.returncode != 0 and "not found" in r.stderr.lower()
    r = service.cli("site", "rotate-key", "999999", check=False)
    assert r.returncode != 0 and "not found" in r.stderr.lower()
    r = service.cli(
        "site",
        "create",
        "--name",
        "x",
        "--url",
        "https://x.example",
        "--daily-limit",
        "-1",
        check=False,
    )
    assert r.returncode != 0


def test_cli_human_output_prints_the_secret_once(service):
    r = service.cli("site", "create", "--name", "Human", "--url", "https://h.example")
    assert "secret:" in r.stdout and "never shown again" in r.stderr


def test_secrets_are_stored_encrypted(service):
    from sqlalchemy import create_engine, text

    url = service.database_url or f"sqlite:///{service.instance / 'outreach.sqlite3'}"
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT secret_stored FROM api_keys WHERE id = :k"), {"k": service.key.key_id}
        ).scalar_one()
    engine.dispose()
    assert stored.startswith("fernet:")
    assert service.key.secret not in stored


def test_parallel_replays_over_the_wire_accept_one(wire, service):
    from concurrent.futures import ThreadPoolExecutor

    payload = json.dumps({"source_url": "https://wire-race.example/"}).encode()
    headers = wire.headers_for("POST", "/api/v1/opportunities", body=payload)
    headers["Content-Type"] = "application/json"

    def post(_):
        return requests.post(
            service.base_url + "/api/v1/opportunities", data=payload, headers=headers, timeout=30
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(post, range(8)))
    assert codes == [201] + [401] * 7
    page = wire.get("/api/v1/opportunities", query={"q": "wire-race"}).json()
    assert page["total"] == 1
