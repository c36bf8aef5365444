""" "Use this contact" (docs/api.md §16): the card's contact becomes an address the reply
suggested, and nothing else."""

from __future__ import annotations

from tests.replies.test_conversations import _post
from tests.support.api import API, email_json, sent_email

REFERRAL = "I no longer run the blog. Please write to dana@acme.example, she handles it now."


def test_use_a_suggested_contact(client, app, fake_sg, live):
    email = sent_email(client)
    _post(app, fake_sg, live, email, text=REFERRAL)
    [reply] = email_json(client, email)["replies"]
    assert reply["suggested_contacts"] == ["dana@acme.example"]
    url = f"{API}/replies/{reply['id']}/use-contact"
    r = client.post(url, json={"email": "Dana@acme.example", "name": "Dana"}, caps="outreach.edit")
    assert r.status_code == 200, r.json
    assert (r.json["contact_email"], r.json["contact_name"]) == ("dana@acme.example", "Dana")
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["contact_email"] == "dana@acme.example"
    audit = client.get(f"{API}/audit", query={"opportunity_id": card["id"]}).json["items"]
    assert any(a["action"] == "opportunity.update" for a in audit)


def test_use_contact_refuses_other_addresses_and_needs_edit(client, app, fake_sg, live):
    email = sent_email(client)
    _post(app, fake_sg, live, email, text=REFERRAL)
    [reply] = email_json(client, email)["replies"]
    url = f"{API}/replies/{reply['id']}/use-contact"
    r = client.post(url, json={"email": "mallory@evil.example"})
    assert r.status_code == 422 and "suggest" in r.json["message"]
    assert client.post(url, json={"email": "not an address"}).status_code == 422
    r = client.post(url, json={"email": "dana@acme.example"}, caps="outreach.view")
    assert r.status_code == 403
    assert (
        client.post(f"{API}/replies/999999/use-contact", json={"email": "a@b.example"}).status_code
        == 404
    )
    card = client.get(f"{API}/opportunities/{email['opportunity_id']}").json
    assert card["contact_email"] != "mallory@evil.example"
