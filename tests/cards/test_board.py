"""The board: move ordering within and between columns, search, pagination."""

from __future__ import annotations

import pytest

from tests.support.api import API, assert_error, column_ids, create_opp

OPPS = f"{API}/opportunities"
STATUSES = ("new", "queued", "reached", "won")


def _make(client, n, status="new", prefix="card"):
    return [
        create_opp(client, f"https://{prefix}{i}.example/", status=status)["id"] for i in range(n)
    ]


def _move(client, opp_id, status, position=None):
    body = {"status": status} if position is None else {"status": status, "position": position}
    r = client.post(f"{OPPS}/{opp_id}/move", json=body)
    assert r.status_code == 200, r.json
    return r.json


def _positions(client, status):
    cards = client.get(f"{API}/board").json["columns"][status]
    return [c["position"] for c in cards]


def test_empty_board_shape(client):
    r = client.get(f"{API}/board")
    assert r.json == {
        "columns": {s: [] for s in STATUSES},
        "counts": {s: 0 for s in STATUSES},
        "cursor": "0",
    }  # docs/api.md, opportunities and the board: the next delta's cursor


def test_new_cards_go_to_the_end(client):
    ids = _make(client, 3)
    assert column_ids(client, "new") == ids
    assert _positions(client, "new") == [0, 1, 2]


def test_move_within_a_column(client):
    a, b, c, d = _make(client, 4)
    _move(client, d, "new", 0)
    assert column_ids(client, "new") == [d, a, b, c]
    _move(client, d, "new", 2)
    assert column_ids(client, "new") == [a, b, d, c]
    _move(client, a, "new", 3)
    assert column_ids(client, "new") == [b, d, c, a]
    assert _positions(client, "new") == [0, 1, 2, 3]


def test_move_between_columns_at_a_position(client):
    a, b, c = _make(client, 3)
    x, y = _make(client, 2, "queued", "q")
    moved = _move(client, b, "queued", 1)
    assert moved["status"] == "queued" and moved["position"] == 1
    assert column_ids(client, "queued") == [x, b, y]
    assert column_ids(client, "new") == [a, c]
    assert _positions(client, "new") == [0, 1]
    assert _positions(client, "queued") == [0, 1, 2]


@pytest.mark.parametrize("src", STATUSES)
@pytest.mark.parametrize("dst", STATUSES)
def test_any_column_to_any_column(client, src, dst):
    (card,) = _make(client, 1, src)
    moved = _move(client, card, dst)
    assert moved["status"] == dst
    assert column_ids(client, dst) == [card]
    counts = client.get(f"{API}/board").json["counts"]
    assert counts == {s: int(s == dst) for s in STATUSES}


def test_move_without_position_goes_last(client):
    a, b = _make(client, 2)
    (w,) = _make(client, 1, "won", "w")
    _move(client, a, "won")
    assert column_ids(client, "won") == [w, a]


def test_position_is_clamped(client):
    a, b, c = _make(client, 3)
    moved = _move(client, a, "new", 999)
    assert moved["position"] == 2
    assert column_ids(client, "new") == [b, c, a]
    (q,) = _make(client, 1, "queued", "q")
    moved = _move(client, b, "queued", 50)
    assert moved["position"] == 1 and column_ids(client, "queued") == [q, b]


def test_move_validation(client):
    (a,) = _make(client, 1)
    err = assert_error(client.post(f"{OPPS}/{a}/move", json={"status": "lost"}), 422)
    assert "status" in err["errors"]
    err = assert_error(client.post(f"{OPPS}/{a}/move", json={}), 422)
    assert "status" in err["errors"]
    err = assert_error(client.post(f"{OPPS}/{a}/move", json={"status": "new", "position": -1}), 422)
    assert "position" in err["errors"]
    err = assert_error(
        client.post(f"{OPPS}/{a}/move", json={"status": "new", "position": "first"}), 422
    )
    assert "position" in err["errors"]
    err = assert_error(
        client.post(f"{OPPS}/{a}/move", json={"status": "new", "position": 1.5}), 422
    )
    assert "position" in err["errors"]


def test_order_survives_a_reload_and_many_moves(client):
    ids = _make(client, 6)
    expected = list(ids)
    for card, pos in [(ids[5], 0), (ids[0], 5), (ids[2], 1), (ids[3], 3), (ids[1], 0)]:
        _move(client, card, "new", pos)
        expected.remove(card)
        expected.insert(pos, card)
        assert column_ids(client, "new") == expected
    # Each card's own GET agrees with the board order.
    for index, card in enumerate(expected):
        assert client.get(f"{OPPS}/{card}").json["position"] == index


def test_status_changed_at_moves_only_on_status_change(client, clock):
    (a,) = _make(client, 1)
    before = client.get(f"{OPPS}/{a}").json
    clock.advance(seconds=5)
    same = _move(client, a, "new", 0)
    assert same["status_changed_at"] == before["status_changed_at"]
    clock.advance(seconds=5)
    moved = _move(client, a, "queued")
    assert moved["status_changed_at"] > before["status_changed_at"]


# --- search ---------------------------------------------------------------------------


@pytest.fixture
def searchable(client):
    return {
        "url": create_opp(client, "https://Coffee-Blog.example/Brewing")["id"],
        "anchor": create_opp(client, "https://a.example/1", anchor_text="Best ESPRESSO gear")["id"],
        "notes": create_opp(client, "https://b.example/2", notes="Editor loves espresso")["id"],
        "percent": create_opp(client, "https://c.example/3", anchor_text="100% free")["id"],
        "underscore": create_opp(client, "https://d.example/snake_case")["id"],
        "plain": create_opp(client, "https://e.example/other", anchor_text="tea")["id"],
        "unicode": create_opp(client, "https://f.example/", notes="Café über alles")["id"],
    }


@pytest.mark.parametrize(
    "q,keys",
    [
        ("espresso", {"anchor", "notes"}),
        ("ESPRESSO", {"anchor", "notes"}),
        ("coffee-blog", {"url"}),
        ("brewing", {"url"}),
        ("%", {"percent"}),
        ("100%", {"percent"}),
        ("_", {"underscore"}),
        ("e_c", {"underscore"}),
        ("nothing-like-this", set()),
        ("CAFÉ", {"unicode"}),
        ("ÜBER", {"unicode"}),
    ],
)
def test_search_board_and_list(client, searchable, q, keys):
    wanted = {searchable[k] for k in keys}
    assert set(column_ids(client, "new", q=q)) == wanted
    board = client.get(f"{API}/board", query={"q": q}).json
    assert board["counts"]["new"] == len(wanted)
    page = client.get(OPPS, query={"q": q}).json
    assert {c["id"] for c in page["items"]} == wanted and page["total"] == len(wanted)


def test_search_keeps_board_order(client, searchable):
    _move(client, searchable["notes"], "new", 0)
    assert column_ids(client, "new", q="espresso") == [searchable["notes"], searchable["anchor"]]


def test_blank_q_is_no_filter(client, searchable):
    assert client.get(f"{API}/board", query={"q": "  "}).json["counts"]["new"] == 7


def test_list_filters_by_status(client):
    new = _make(client, 2)
    won = _make(client, 1, "won", "w")
    page = client.get(OPPS, query={"status": "won"}).json
    assert [c["id"] for c in page["items"]] == won and page["total"] == 1
    page = client.get(OPPS, query={"status": "new"}).json
    assert {c["id"] for c in page["items"]} == set(new)
    err = assert_error(client.get(OPPS, query={"status": "lost"}), 422)
    assert "status" in err["errors"]


def test_pages_of_the_list_hold_every_card_once_newest_first(client):
    ids = _make(client, 7)
    seen = []
    for page in (1, 2, 3):
        body = client.get(OPPS, query={"page": page, "page_size": 3}).json
        assert body["total"] == 7 and body["page"] == page and body["page_size"] == 3
        seen += [c["id"] for c in body["items"]]
    assert len(seen) == 7 and set(seen) == set(ids)
    # Newest first.
    assert seen == sorted(ids, reverse=True)
    past = client.get(OPPS, query={"page": 9, "page_size": 3}).json
    assert past["items"] == [] and past["total"] == 7
    default = client.get(OPPS).json
    assert default["page"] == 1 and default["page_size"] == 50 and len(default["items"]) == 7


@pytest.mark.parametrize(
    "query,field",
    [
        ({"page": 0}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 501}, "page_size"),
        ({"page": "x"}, "page"),
    ],
)
def test_pagination_validation(client, query, field):
    err = assert_error(client.get(OPPS, query=query), 422)
    assert field in err["errors"]
