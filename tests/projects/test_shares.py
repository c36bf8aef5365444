"""Share links of a project's report (docs/api.md §19): unforgeable, revocable, expiring;
a standalone page without login that shows links, never contacts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from service.models import Opportunity, ProjectShare
from tests.projects.conftest import make_project
from tests.projects.test_report import won_and_lost
from tests.support.api import API, assert_error, create_opp

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def share(client, project_id, **body):
    r = client.post(f"{API}/projects/{project_id}/shares", json=body)
    assert r.status_code == 201, r.json
    return r.json


def opened(raw, url, **query):
    """The page as a stranger opens it: no signature, no cookie, a fresh client."""
    return raw.get(urlsplit(url).path, query_string=query)


def test_a_share_link_shows_the_won_links_and_no_contact(client, raw, session):
    acme = make_project(client, "Acme", client="Acme Inc.")
    won, _lost = won_and_lost(client, session, acme["id"])
    client.patch(f"{API}/opportunities/{won['id']}",
                 json={"contact_email": "secret@won.example", "notes": "private note"})  # fmt: skip
    link = share(client, acme["id"])
    assert link["url"].startswith("http") and "/r/" in link["url"]
    token = link["url"].rsplit("/", 1)[1]
    stored = session.scalars(select(ProjectShare.token_hash)).all()
    session.rollback()  # SQLite: the test's read must not hold the only writer slot
    assert len(token) >= 43 and token not in stored  # only a hash is kept
    r = opened(raw, link["url"])
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert "https://won.example/p" in html and "Acme Inc." in html and "Site A" in html
    assert "secret@won.example" not in html and "private note" not in html
    assert "<svg" in html and "@media print" in html and "<script" not in html
    policy = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "unsafe" not in policy
    assert "http" not in policy.replace("https://", "")  # nothing from elsewhere
    assert r.headers["Referrer-Policy"] == "no-referrer"
    rows = list(csv.DictReader(io.StringIO(opened(raw, link["url"], format="csv").text)))
    assert [row["source_url"] for row in rows] == [
        "https://won.example/p",
        "https://lost.example/p",
    ]
    assert rows[0]["rel"] == "sponsored" and "contact_email" not in rows[0]
    listed = client.get(f"{API}/projects/{acme['id']}/shares").json
    assert [s["id"] for s in listed] == [link["id"]] and "url" not in listed[0]


def test_revoked_expired_and_forged_links_open_nothing(client, other_client, raw):
    acme = make_project(client)
    forever, brief = (
        share(client, acme["id"]),
        share(client, acme["id"], expires_at=(client.clock.now() + timedelta(hours=1)).isoformat()),
    )
    assert opened(raw, brief["url"]).status_code == 200
    assert_error(other_client.delete(f"{API}/projects/{acme['id']}/shares/{forever['id']}"), 404)
    assert client.delete(f"{API}/projects/{acme['id']}/shares/{forever['id']}").status_code == 204
    assert opened(raw, forever["url"]).status_code == 404
    assert opened(raw, forever["url"], format="csv").status_code == 404
    client.clock.advance(hours=2)
    assert opened(raw, brief["url"]).status_code == 404
    assert raw.get("/r/" + "A" * 43).status_code == 404
    past = (client.clock.now() - timedelta(minutes=1)).isoformat()
    r = client.post(f"{API}/projects/{acme['id']}/shares", json={"expires_at": past})
    assert_error(r, 422, "future")
    assert_error(other_client.post(f"{API}/projects/{acme['id']}/shares", json={}), 404)


def test_hostile_card_values_are_escaped(client, raw, session):
    acme = make_project(client, "<b>Acme</b>", client=HOSTILE)
    target = 'https://me.example/?q="><script>x</script>'
    values = {"project_id": acme["id"], "status": "won", "target_url": target}
    evil = create_opp(client, "https://evil.example/p", anchor_text=HOSTILE, **values)
    formula = create_opp(client, "https://f.example/p", anchor_text='=HYPERLINK("x")', **values)
    stamp = {"link_last_live_at": client.clock.now()}
    ids = [evil["id"], formula["id"]]
    session.execute(update(Opportunity).where(Opportunity.id.in_(ids)).values(**stamp))
    session.commit()
    url = share(client, acme["id"])["url"]
    html = opened(raw, url).get_data(as_text=True)
    assert "<script" not in html and "<img" not in html and "<b>Acme" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = list(csv.DictReader(io.StringIO(opened(raw, url, format="csv").text)))
    assert sorted(row["anchor_text"] for row in rows) == sorted([HOSTILE, '\'=HYPERLINK("x")'])
