"""Numbers the database cannot hold (found by the fuzzer): 404 for ids, 422 for values."""

from __future__ import annotations

import pytest

HUGE_IDS = [2**31, 3252802264814855, 2**63, 10**30]


@pytest.mark.parametrize("oid", HUGE_IDS)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_id_too_large_to_exist_is_404(client, oid, method):
    r = client.request(
        method, f"/api/v1/opportunities/{oid}", json={} if method == "PATCH" else None
    )
    assert r.status_code == 404 and r.json["code"] == 404


@pytest.mark.parametrize("oid", HUGE_IDS)
def test_other_routes_with_huge_ids(client, oid):
    assert (
        client.post(f"/api/v1/opportunities/{oid}/move", json={"status": "won"}).status_code == 404
    )
    assert client.put(f"/api/v1/opportunities/{oid}/notes", json={"notes": "x"}).status_code == 404
    assert client.get(f"/api/v1/templates/{oid}").status_code == 404


def test_number_too_large_to_store_is_422(client):
    r = client.patch("/api/v1/site", json={"daily_limit": 10**30})
    assert r.status_code == 422, r.json
    assert r.json["errors"]
    assert client.get("/api/v1/site").json["daily_limit"] == 100


# -- Hostile bodies from the attack review (finding 8): 400/422 JSON, nothing stored --------

DIGITS = "1" * 5000
DEEP = "[" * 100_000 + "]" * 100_000
BODY_ROUTES = [
    ("POST", "/api/v1/opportunities"),
    ("PATCH", "/api/v1/site"),
    ("POST", "/api/v1/templates"),
    ("POST", "/api/v1/templates/preview"),
    ("POST", "/api/v1/sequences"),
]


def _raw(client, method: str, path: str, body: str):
    return client.request(
        method, path, data=body.encode(), headers={"Content-Type": "application/json"}
    )


def _assert_json_error(r, codes=(400, 422)):
    assert r.status_code in codes, (r.status_code, r.get_data(as_text=True))
    assert r.json["code"] == r.status_code and r.json["message"]


@pytest.mark.parametrize("method,path", BODY_ROUTES)
@pytest.mark.parametrize(
    "body", [DEEP, '{"a":' * 50_000 + "1" + "}" * 50_000, '{"name": ' + "[" * 40 + "]" * 40 + "}"]
)
def test_deeply_nested_json_is_400(client, method, path, body):
    r = _raw(client, method, path, body)
    _assert_json_error(r, (400,))
    assert "deeper" in r.json["message"]


@pytest.mark.parametrize(
    "method,path,field",
    [
        ("POST", "/api/v1/opportunities", {"source_url": "https://x.example/\ud800"}),
        (
            "POST",
            "/api/v1/opportunities",
            {"source_url": "https://x.example/", "notes": "a\udfffb"},
        ),
        ("PATCH", "/api/v1/site", {"name": "\ud800"}),
        ("PATCH", "/api/v1/site", {"from_name": "x\udc00"}),
        ("POST", "/api/v1/templates", {"name": "t", "subject": "s\ud800", "body": "b"}),
        ("POST", "/api/v1/templates/preview", {"subject": "s", "body": "\ud83d"}),
        ("POST", "/api/v1/sequences", {"name": "\udbff", "steps": []}),
        ("POST", "/api/v1/opportunities", {"\ud800": 1}),
    ],
)
def test_lone_surrogate_in_any_text_is_400(client, method, path, field):
    r = client.request(method, path, json=field)
    _assert_json_error(r, (400,))
    assert "surrogate" in r.json["message"]
    assert client.get("/api/v1/opportunities").json["total"] == 0
    assert client.get("/api/v1/site").json["name"] == "Site A"


def test_a_surrogate_pair_is_text(client):
    r = client.post(
        "/api/v1/opportunities", json={"source_url": "https://x.example/", "notes": "\ud83d\ude00"}
    )
    assert r.status_code == 201 and r.json["notes"] == "😀"


@pytest.mark.parametrize(
    "body",
    [
        f'{{"daily_limit": {DIGITS}}}',
        f'{{"cooldown_hours": {DIGITS}}}',
        f'{{"daily_limit": -{DIGITS}}}',
        '{"cooldown_hours": NaN}',
        '{"daily_limit": Infinity}',
        f'{{"daily_limit": {DIGITS[:4000]}}}',
        '{"cooldown_hours": 1e999}',
        '{"daily_limit": 99999999999999999999}',
    ],
)
def test_huge_numbers_for_site_limits_are_refused(client, body):
    _assert_json_error(_raw(client, "PATCH", "/api/v1/site", body))
    site = client.get("/api/v1/site").json
    assert site["daily_limit"] == 100 and site["cooldown_hours"] == 24


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "/api/v1/templates/preview", '{"template_id": %s}'),
        (
            "POST",
            "/api/v1/templates/preview",
            '{"subject": "s", "body": "b", "opportunity_id": %s}',
        ),
        ("POST", "/api/v1/sequences", '{"name": "n", "steps": [{"template_id": %s}]}'),
    ],
)
@pytest.mark.parametrize("number", [DIGITS, DIGITS[:4000], str(2**63), str(2**31)])
def test_huge_ids_in_bodies_are_refused(client, method, path, body, number):
    _assert_json_error(_raw(client, method, path, body % number))


def test_huge_ids_in_send_and_enroll_bodies(client):
    opp = client.post("/api/v1/opportunities", json={"source_url": "https://x.example/"}).json
    bodies = {
        "emails": '{"to": "a@x.example", "template_id": N}',
        "sequence": '{"to": "a@x.example", "sequence_id": N}',
        "move": '{"status": "won", "position": N}',
    }
    for number in (DIGITS, DIGITS[:4000], str(2**63)):
        for route, body in bodies.items():
            _assert_json_error(
                _raw(
                    client,
                    "POST",
                    f"/api/v1/opportunities/{opp['id']}/{route}",
                    body.replace("N", number),
                )
            )
    assert client.get(f"/api/v1/opportunities/{opp['id']}").json["status"] == "new"


@pytest.mark.parametrize(
    "query",
    [
        {"from": "9999-12-31T23:59:59-23:59"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01T00:00:00+23:59"},
        {"to": "9999-12-31T23:59:59-23:59"},
        {"from": "0001-01-01", "to": "9999-12-31"},
    ],
)
def test_metrics_dates_at_the_edges_of_time(client, query):
    r = client.get("/api/v1/metrics", query=query)
    assert r.status_code in (200, 422), r.get_data(as_text=True)
    assert r.json.get("code", 200) == r.status_code
