"""What a signed request costs the database, and the kept key secrets that keep it low
(service/api/key_secrets.py): revocation and re-sealing still seen at once."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from service.domain import sites
from service.domain.sending import limits
from service.models import ApiKey, Email, Site
from tests.support.api import API, assert_error
from tests.support.databases import backend
from tests.support.state import make_site, saved_cards

SITE = f"{API}/site"


@pytest.fixture(autouse=True)
def no_amortised_purge(monkeypatch):
    """One request in a hundred also purges old nonces (a DELETE): counted statements
    must not depend on that draw (CI once met it in the unmarked-view test)."""
    monkeypatch.setattr(sites.secrets, "randbelow", lambda n: 1)


@contextmanager
def checkouts(engine):
    """How many times the pool hands a connection out meanwhile (a list of one count)."""
    taken = [0]

    def count(*_args):
        taken[0] += 1

    event.listen(engine, "checkout", count)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", count)


@contextmanager
def statements(engine):
    """(first SQL word, ran in autocommit) of every statement the engine runs meanwhile
    (SQLite's BEGIN IMMEDIATE left out: it costs no round trip)."""
    seen = []

    def record(_conn, cursor, statement, _params, _context, _many):
        if statement != "BEGIN IMMEDIATE":  # psycopg's autocommit flag; sqlite3 has none
            seen.append((statement.split()[0], getattr(cursor.connection, "autocommit", None)))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_signed_read_of_the_site_costs_one_statement_on_postgresql(app, client):
    engine = app.extensions["outreach"].engine
    assert client.get(SITE).status_code == 200  # the key's secret is now kept
    with statements(engine) as seen, checkouts(engine) as taken:
        r = client.get(SITE)
    assert r.status_code == 200 and "sent_last_24h" in r.json["sending_state"]
    if engine.dialect.name == "postgresql":
        # Key check, nonce, site and the 24 h count beside it in one statement that
        # commits by itself (no BEGIN, COMMIT or ROLLBACK round trips), on one connection
        # (@reads_per_statement(beside=...)).
        assert seen == [("WITH", True)], seen
        assert taken == [1]
    else:  # SQLite: key and site, the nonce, the count (no round trips to save)
        assert [kind for kind, _ in seen] == ["SELECT", "INSERT", "SELECT"], seen


def test_the_24_hour_count_read_beside_the_site_is_the_sites_own(app, client, site_key, clock):
    """The count the check's statement reads for GET /site (PostgreSQL; the view's own
    query on SQLite) is limits.sent_last_24h: holding states, 24 hours, this site only."""
    rt, now = app.extensions["outreach"], clock.now()
    other = make_site(app)
    with rt.session_factory() as s:
        for site_id in (site_key.site_id, other.site_id):
            card = saved_cards(s, site_id, 1, f"c{site_id}", now)[0]
            for hours, state in ((1, "sent"), (23, "pending"), (25, "sent"), (2, "failed")):
                s.add(held_email(site_id, card.id, state, now - timedelta(hours=hours)))
        s.commit()
        expected = limits.sent_last_24h(s, s.get(Site, site_key.site_id), now)
    assert expected == 2
    assert client.get(SITE).json["sending_state"]["sent_last_24h"] == expected


def held_email(site_id: int, card_id: int, state: str, at) -> Email:
    return Email(
        site_id=site_id,
        opportunity_id=card_id,
        to_email="editor@held.example",
        to_normalized="editor@held.example",
        subject="Hello",
        text_body="Hi",
        reply_token=secrets.token_urlsafe(18),
        send_state=state,
        created_by=0,
        created_at=at,
    )


@pytest.mark.skipif(backend() != "postgres", reason="SQLite has no autocommit connection")
def test_an_unmarked_view_reads_in_a_transaction_of_its_own(app, client):
    """Only a @reads_per_statement view keeps the check's autocommit connection; any
    other view's statements run in a transaction at the default isolation level."""
    engine = app.extensions["outreach"].engine
    assert client.get(SITE).status_code == 200
    with statements(engine) as seen:
        r = client.get(f"{API}/templates")
    assert r.status_code == 200
    assert seen[0] == ("WITH", True), seen
    assert seen[1:] and all(autocommit is False for _, autocommit in seen[1:]), seen


def test_a_revoked_key_is_refused_although_its_secret_is_kept(app, client, site_key, clock):
    rt = app.extensions["outreach"]
    assert client.get(SITE).status_code == 200
    assert rt.key_secrets.get(site_key.key_id) is not None
    with rt.session_factory() as s:
        sites.revoke_key(s, site_key.key_id, clock.now())
        s.commit()
    assert_error(client.get(SITE), 401, "unknown or revoked")
    assert rt.key_secrets.get(site_key.key_id) is None


def test_a_key_sealed_again_meanwhile_still_signs(app, client, site_key):
    """Re-sealing (a new encryption key, `outreach keys reencrypt`) changes the stored
    value, not the secret: the request is checked again with the secret read afresh."""
    rt = app.extensions["outreach"]
    assert client.get(SITE).status_code == 200
    with rt.session_factory() as s:
        resealed = rt.secret_box.seal(site_key.secret)
        s.execute(update(ApiKey).where(ApiKey.id == site_key.key_id).values(secret_stored=resealed))
        s.commit()
    assert client.get(SITE).status_code == 200
    assert rt.key_secrets.get(site_key.key_id)[0] == resealed
    assert client.get(SITE).status_code == 200
