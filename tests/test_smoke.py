def test_board_empty(client):
    r = client.get("/api/v1/board")
    assert r.status_code == 200, r.json
    assert r.json["counts"] == {"new": 0, "queued": 0, "reached": 0, "won": 0}


def test_create_and_move(client):
    r = client.post("/api/v1/opportunities", json={"source_url": "https://www.Blog.Example.org/p",
                                                   "anchor_text": "tools"})
    assert r.status_code == 201, r.json
    assert r.json["domain"] == "blog.example.org"
    oid = r.json["id"]
    r = client.post(f"/api/v1/opportunities/{oid}/move", json={"status": "queued"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "queued"
    r = client.post("/api/v1/opportunities", json={"source_url": "https://www.Blog.Example.org/p"})
    assert r.status_code == 409 and r.json["id"] == oid
