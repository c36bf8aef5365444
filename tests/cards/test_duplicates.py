"""Duplicates as a person counts them: the same page under any spelling of its URL."""

from __future__ import annotations

import pytest

from service.domain.cards.duplicates import normalized
from tests.support.api import API, assert_error, create_opp

OPPS = f"{API}/opportunities"


@pytest.mark.parametrize(
    "variant",
    [
        "https://blog.example.org/post",
        "http://blog.example.org/post",
        "https://WWW.Blog.Example.org/post/",
        "https://blog.example.org:443/post#comments",
        "https://blog.example.org/post?utm_source=news&utm_medium=mail",
        "https://blog.example.org./post",
    ],
)
def test_spellings_of_one_page_are_one_page(variant):
    assert normalized(variant) == normalized("https://blog.example.org/post")


@pytest.mark.parametrize(
    "other",
    [
        "https://blog.example.org/Post",  # paths are case-sensitive
        "https://blog.example.org/post?id=2",
        "https://blog.example.org:8443/post",
        "https://news.blog.example.org/post",
        "https://blog.example.org/post/2",
    ],
)
def test_different_pages_stay_different(other):
    assert normalized(other) != normalized("https://blog.example.org/post")


def test_lookup_by_source_url_finds_the_same_page(client, other_client):
    first = create_opp(
        client, "https://www.blog.example.org/post/", target_url="https://a.example/1"
    )
    create_opp(client, "https://blog.example.org/other")
    create_opp(other_client, "https://blog.example.org/post")  # another site: never shown
    r = client.get(OPPS, query={"source_url": "http://blog.example.org/post?utm_source=x"})
    assert r.status_code == 200
    assert [c["id"] for c in r.json["items"]] == [first["id"]] and r.json["total"] == 1
    # A second card for the page with another target is allowed (the UI warns first) ...
    second = create_opp(client, "https://blog.example.org/post", target_url="https://a.example/2")
    r = client.get(OPPS, query={"source_url": "https://blog.example.org/post"})
    assert [c["id"] for c in r.json["items"]] == [first["id"], second["id"]]
    # ... the exact same pair is still the contract's 409, with the existing id.
    dup = client.post(
        OPPS,
        json={
            "source_url": "https://www.blog.example.org/post/",
            "target_url": "https://a.example/1",
        },
    )
    assert assert_error(dup, 409)["id"] == first["id"]


def test_lookup_follows_edits_and_deletes(client):
    card = create_opp(client, "https://old.example.org/p")
    client.patch(f"{OPPS}/{card['id']}", json={"source_url": "https://new.example.org/p"})
    assert client.get(OPPS, query={"source_url": "https://old.example.org/p"}).json["items"] == []
    found = client.get(OPPS, query={"source_url": "https://NEW.example.org/p/"}).json["items"]
    assert [c["id"] for c in found] == [card["id"]]
    client.delete(f"{OPPS}/{card['id']}")
    assert client.get(OPPS, query={"source_url": "https://new.example.org/p"}).json["total"] == 0


def test_the_migration_gives_existing_cards_their_key(tmp_path):
    from sqlalchemy import create_engine, text

    from service.domain.cards.duplicates import source_key
    from service.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = create_engine(url)
    stamp = "2026-01-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, name, url, daily_limit, cooldown_hours, "
                "timezone, lock_version, created_at, updated_at) VALUES "
                "(1, 'S', 'https://s.example', 100, 24, 'UTC', 0, :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO opportunities (id, site_id, status, source_url, domain, "
                "lost_link, notes, position, emails_sent, created_at, updated_at, "
                "status_changed_at) VALUES (7, 1, 'new', 'https://www.a.example/p/', "
                "'a.example', 0, '', 0, 0, :t, :t, :t)"
            ),
            {"t": stamp},
        )
    upgrade(url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT source_key FROM opportunities WHERE id = 7")) == source_key(
            "https://a.example/p"
        )
    engine.dispose()
