"""The link-check and backlink routes, the site settings, and the rules a check applies."""

from __future__ import annotations

from sqlalchemy import select

from service.domain.links import checks
from service.models import AuditEntry, LinkCheck
from tests.links.pages import html
from tests.support.api import API, assert_error, create_opp, settings, site_values
from tests.support.signed import SignedTestClient
from tests.support.state import rows

TARGET = "https://a.example/product"
LIVE = f'<html><body><p>See <a href="{TARGET}?utm_source=x">the best tool</a></p></body></html>'


def check(client, opp_id):
    return client.post(f"{API}/opportunities/{opp_id}/link-check")


def card(client, pages, status="new", path="/p", body=LIVE):
    pages.routes[path] = html(body)
    opp = create_opp(client, source_url=pages.url(path), target_url=TARGET)
    if status != "new":
        r = client.post(f"{API}/opportunities/{opp['id']}/move", json={"status": status})
        assert r.status_code == 200, r.json
    return opp


def test_check_now_finds_a_live_link_and_keeps_the_history(client, pages):
    opp = card(client, pages)
    assert opp["link_status"] == "unchecked" and opp["origin"] == "manual"
    r = check(client, opp["id"])
    assert r.status_code == 200, r.json
    body = r.json
    assert body["status"] == "live" and body["http_status"] == 200 and body["error"] is None
    assert body["anchor_text"] == "the best tool" and body["final_url"] == pages.url("/p")
    assert body["href"].startswith(TARGET) and body["rel"] is None and body["noindex"] is False
    assert set(body) >= {"id", "opportunity_id", "checked_at", "duration_ms"}
    now = client.get(f"{API}/opportunities/{opp['id']}").json
    assert now["link_status"] == "live" and now["link_checked_at"] and now["status"] == "new"
    pages.routes["/p"] = html("<html><body>no links</body></html>")
    assert check(client, opp["id"]).json["status"] == "missing"
    history = client.get(f"{API}/opportunities/{opp['id']}/link-checks").json
    assert [c["status"] for c in history] == ["missing", "live"]


def test_only_the_newest_checks_of_a_card_are_kept(client, pages, session, monkeypatch):
    monkeypatch.setattr(checks, "KEPT", 3)
    opp, other = card(client, pages), card(client, pages, path="/q")
    assert check(client, other["id"]).status_code == 200
    ids = [check(client, opp["id"]).json["id"] for _ in range(5)]
    history = client.get(f"{API}/opportunities/{opp['id']}/link-checks").json
    assert [c["id"] for c in history] == ids[:-4:-1]
    kept = session.scalars(select(LinkCheck.id).order_by(LinkCheck.id)).all()
    assert len(kept) == 4 and kept[1:] == ids[2:]  # the other card's check stays


def test_an_unreachable_page_is_recorded_with_its_error(client, pages):
    opp = card(client, pages, body="x")
    pages.routes["/p"] = html("gone", status=410)
    body = check(client, opp["id"]).json
    assert (body["status"], body["http_status"], body["error"]) == ("unreachable", 410, "HTTP 410")


def test_a_live_check_moves_a_reached_card_to_won_and_shows_in_the_board_delta(client, pages):
    opp = card(client, pages, status="reached")
    cursor = client.get(f"{API}/board").json["cursor"]
    assert check(client, opp["id"]).json["status"] == "live"
    delta = client.get(f"{API}/board", query={"since": cursor}).json
    moved = next(c for c in delta["cards"] if c["id"] == opp["id"])
    assert moved["status"] == "won" and moved["link_status"] == "live"


def test_a_won_card_missing_twice_is_lost_and_moves_to_new(client, clock, pages):
    opp = card(client, pages, status="won", body="<p>nothing</p>")
    assert check(client, opp["id"]).json["status"] == "missing"
    still = client.get(f"{API}/opportunities/{opp['id']}").json
    assert still["status"] == "won" and still["lost_link"] is False  # one miss is not a loss
    clock.advance(hours=1)  # link_retry_hours: one miss per interval (test_misses.py)
    check(client, opp["id"])
    lost = client.get(f"{API}/opportunities/{opp['id']}").json
    assert lost["status"] == "new" and lost["lost_link"] is True


def test_a_check_of_another_sites_card_is_404(client, other_client, pages):
    opp = card(client, pages)
    assert_error(check(other_client, opp["id"]), 404)
    assert_error(other_client.get(f"{API}/opportunities/{opp['id']}/link-checks"), 404)
    assert_error(check(client, 999_999), 404)


def test_check_now_needs_edit_and_the_history_needs_view(app, client, site_key, clock, pages):
    opp = card(client, pages)
    viewer = SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view")
    assert_error(check(viewer, opp["id"]), 403, "outreach.edit")
    assert viewer.get(f"{API}/opportunities/{opp['id']}/link-checks").status_code == 200
    nobody = SignedTestClient(app.test_client(), site_key, clock, caps="outreach.send")
    assert_error(nobody.get(f"{API}/opportunities/{opp['id']}/link-checks"), 403)


def test_a_manual_move_to_won_is_audited_as_the_user(app, client, pages):
    opp = card(client, pages, status="reached")
    check(client, opp["id"])
    moves = rows(app, AuditEntry, AuditEntry.action == "opportunity.move")
    assert moves[-1].changes["status"] == ["reached", "won"] and moves[-1].user_id == 1


def test_backlinks_are_added_listed_and_deleted(client, other_client):
    links = [
        {"source_url": "https://blog.example/a", "target_url": TARGET, "anchor_text": "tool"},
        {"source_url": "https://blog.example/b"},
        {"source_url": "https://blog.example/a", "target_url": TARGET},
    ]
    r = client.post(f"{API}/backlinks", json={"backlinks": links})
    assert r.status_code == 200 and r.json == {"created": 2, "existing": 1}
    r = client.post(f"{API}/backlinks", json={"backlinks": links[:1]})
    assert r.json == {"created": 0, "existing": 1}
    page = client.get(f"{API}/backlinks").json
    assert page["total"] == 2 and {b["status"] for b in page["items"]} == {"unchecked"}
    first = page["items"][-1]
    assert first["anchor_text"] == "tool" and first["checked_at"] is None
    assert first["lost_at"] is None and first["opportunity_id"] is None
    assert client.get(f"{API}/backlinks", query={"status": "live"}).json["total"] == 0
    assert other_client.get(f"{API}/backlinks").json["total"] == 0
    assert_error(other_client.delete(f"{API}/backlinks/{first['id']}"), 404)
    assert client.delete(f"{API}/backlinks/{first['id']}").status_code == 204
    assert client.get(f"{API}/backlinks").json["total"] == 1


def test_backlinks_input_is_validated(app, client, site_key, clock):
    too_many = [{"source_url": f"https://b.example/{i}"} for i in range(1001)]
    assert_error(client.post(f"{API}/backlinks", json={"backlinks": too_many}), 422)
    bad = [{"source_url": "ftp://b.example/x"}]
    assert_error(client.post(f"{API}/backlinks", json={"backlinks": bad}), 422)
    assert_error(client.post(f"{API}/backlinks", json={"backlinks": []}), 422)
    assert_error(client.get(f"{API}/backlinks", query={"status": "gone"}), 422)
    viewer = SignedTestClient(app.test_client(), site_key, clock, caps="outreach.view")
    ok = [{"source_url": "https://b.example/x"}]
    assert_error(viewer.post(f"{API}/backlinks", json={"backlinks": ok}), 403)
    assert_error(viewer.delete(f"{API}/backlinks/1"), 403)
    assert client.get(f"{API}/backlinks").json["total"] == 0  # nothing half-written


def test_site_settings_for_link_checks(client):
    names = ("link_check_reached_hours", "link_check_won_hours", "link_lost_after")
    assert site_values(client, *names, "link_retry_hours") == (24, 168, 2, 1)
    settings(client, link_check_reached_hours=0.5, link_check_won_hours=0, link_retry_hours=0.25)
    site = client.get(f"{API}/site").json
    assert site["link_check_reached_hours"] == 0.5 and site["link_check_won_hours"] == 0
    for bad in (
        {"link_check_reached_hours": -1},
        {"link_retry_hours": "soon"},
        {"link_lost_after": 1.5},
        {"link_lost_after": -1},
        {"link_check_won_hours": 10**9},
    ):
        assert_error(client.patch(f"{API}/site", json=bad), 422)


def test_check_now_answers_429_while_every_fetch_slot_is_taken(app, client, pages, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from service.domain.links import usecases as link_checks
    from service.models import LinkSlot

    opp = card(client, pages)
    monkeypatch.setattr(link_checks, "MANUAL_BUDGET", 0.5)
    runtime = app.extensions["outreach"]
    with runtime.session_factory() as s:  # every fetch slot of the fleet busy elsewhere
        held = datetime.now(UTC) + timedelta(minutes=1)
        slots = range(1, runtime.link_concurrency + 1)
        s.add_all([LinkSlot(id=i, holder="elsewhere", held_until=held) for i in slots])
        s.commit()
    r = check(client, opp["id"])
    assert_error(r, 429, "link-check slot")
    assert r.json["limit"] == "link_checks" and r.headers["Retry-After"]
    assert client.get(f"{API}/opportunities/{opp['id']}/link-checks").json == []
    assert pages.tracker.requests == []
