"""What a signed request costs the database, and the kept key secrets that keep it low
(service/api/key_secrets.py): revocation and re-sealing still seen at once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from service.domain import sites
from service.models import ApiKey
from tests.support.api import API, assert_error
from tests.support.databases import backend

SITE = f"{API}/site"


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


def test_a_signed_read_of_the_site_is_two_statements_without_a_transaction(
    app, client, monkeypatch
):
    monkeypatch.setattr(sites.secrets, "randbelow", lambda n: 1)  # no amortised purge
    engine = app.extensions["outreach"].engine
    assert client.get(SITE).status_code == 200  # the key's secret is now kept
    with statements(engine) as seen, checkouts(engine) as taken:
        r = client.get(SITE)
    assert r.status_code == 200 and "sent_last_24h" in r.json["sending_state"]
    if engine.dialect.name == "postgresql":
        # Key check, nonce and site in one statement, then the 24 h count; each commits
        # by itself (no BEGIN, COMMIT or ROLLBACK round trips), on one connection: the
        # view reads on the check's (@reads_per_statement).
        assert seen == [("WITH", True), ("SELECT", True)], seen
        assert taken == [1]
    else:  # SQLite: key and site, the nonce, the count (no round trips to save)
        assert [kind for kind, _ in seen] == ["SELECT", "INSERT", "SELECT"], seen


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
