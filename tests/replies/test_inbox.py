"""The Inbox (docs/api.md §16): every reply of the site, unread first then newest, filters,
the card and email beside each, the unread count; other sites' replies never appear."""

from __future__ import annotations

from tests.replies.test_conversations import _post
from tests.support.api import API, assert_error, sent_email


def _inbox(client, **query):
    r = client.get(f"{API}/replies", query=query, caps="outreach.view")
    assert r.status_code == 200, r.json
    return r.json


def test_inbox_lists_unread_first_then_newest_with_filters(client, app, fake_sg, live, clock):
    first = sent_email(client, source_url="https://one.example/a")
    second = sent_email(client, to="ed@two.example", source_url="https://two.example/b")
    _post(app, fake_sg, live, first, text="Sure, tell me more.", headers="Message-ID: <1@x>\n")
    clock.advance(minutes=5)
    auto = {
        "subject": "Out of office",
        "text": "I am out of the office.",
        "headers": "Message-ID: <2@x>\n",
    }
    _post(app, fake_sg, live, second, **auto)
    clock.advance(minutes=5)
    _post(app, fake_sg, live, first, text="Also: remove me.", headers="Message-ID: <3@x>\n")
    page = _inbox(client)
    kinds = [r["kind"] for r in page["items"]]
    assert kinds == ["unsubscribe_request", "auto_reply", "human"] and page["unread"] == 3
    human = page["items"][2]
    assert human["card"]["id"] == first["opportunity_id"] and human["card"]["domain"]
    assert human["email"] == {"id": first["id"], "subject": first["subject"], "to": first["to"]}
    client.post(f"{API}/replies/{page['items'][0]['id']}/read", caps="outreach.view")
    page = _inbox(client)
    assert [r["kind"] for r in page["items"]] == ["auto_reply", "human", "unsubscribe_request"]
    assert page["unread"] == 2
    assert [r["kind"] for r in _inbox(client, kind="auto_reply")["items"]] == ["auto_reply"]
    assert len(_inbox(client, unread="false")["items"]) == 1
    client.patch(f"{API}/replies/{human['id']}", json={"label": "interested"})
    assert [r["id"] for r in _inbox(client, label="interested")["items"]] == [human["id"]]
    assert len(_inbox(client, label="none")["items"]) == 2
    one = _inbox(client, page_size=1, page=2)
    assert (one["total"], len(one["items"])) == (3, 1)


def test_inbox_refuses_bad_filters_and_hides_other_sites(client, other_client, app, fake_sg, live):
    _post(app, fake_sg, live, sent_email(client), text="Yes please.")
    assert _inbox(client)["total"] == 1
    assert_error(client.get(f"{API}/replies", query={"kind": "spam"}), 422)
    assert_error(client.get(f"{API}/replies", query={"page_size": 1000}), 422)
    assert _inbox(other_client) == {
        "items": [],
        "total": 0,
        "page": 1,
        "page_size": 50,
        "unread": 0,
    }
