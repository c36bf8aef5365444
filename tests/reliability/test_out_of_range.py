"""Numbers the database cannot hold (found by the fuzzer): 404 for ids, 422 for values."""
from __future__ import annotations

import pytest

HUGE_IDS = [2**31, 3252802264814855, 2**63, 10**30]


@pytest.mark.parametrize("oid", HUGE_IDS)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_id_too_large_to_exist_is_404(client, oid, method):
    r = client.request(method, f"/api/v1/opportunities/{oid}",
                       json={} if method == "PATCH" else None)
    assert r.status_code == 404 and r.json["code"] == 404


@pytest.mark.parametrize("oid", HUGE_IDS)
def test_other_routes_with_huge_ids(client, oid):
    assert client.post(f"/api/v1/opportunities/{oid}/move",
                       json={"status": "won"}).status_code == 404
    assert client.put(f"/api/v1/opportunities/{oid}/notes",
                      json={"notes": "x"}).status_code == 404
    assert client.get(f"/api/v1/templates/{oid}").status_code == 404


def test_number_too_large_to_store_is_422(client):
    r = client.patch("/api/v1/site", json={"daily_limit": 10**30})
    assert r.status_code == 422, r.json
    assert r.json["errors"]
    assert client.get("/api/v1/site").json["daily_limit"] == 100
