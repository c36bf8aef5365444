"""CSV import (docs/api.md, pipeline tools): real-shaped SEO-tool exports, row errors,
duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.domain.cards import changes as board_changes
from service.domain.cards.fields import METRIC_COLUMNS
from service.models import AuditEntry, BoardChange, Opportunity
from tests.support.api import API, assert_error, column_ids, create_opp

FIXTURES = Path(__file__).parent / "fixtures_import"
MIXED = "source_url\nhttps://caf\u00e9.example/\n".encode() + b"https://na\xefve.example/\n"
WIDE = (",".join(f"c{i}" for i in range(500)) + "\n" + "x," * 499 + "x\n").encode()


def upload(client, body: bytes | str, **query):
    """POST a CSV body (signed like any other) and return the response."""
    data = body.encode() if isinstance(body, str) else body
    return client.post(
        f"{API}/opportunities/import",
        data=data,
        query={k: str(v).lower() if isinstance(v, bool) else v for k, v in query.items()},
        headers={"Content-Type": "text/csv"},
    )


def cards(client) -> dict[str, dict]:
    """Live cards by source URL."""
    items = client.get(f"{API}/opportunities", query={"page_size": 500}).json["items"]
    return {c["source_url"]: c for c in items}


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "ahrefs_backlinks.csv",
            {
                "https://www.tools.example/best-seo": (
                    "https://competitor.example/guide",
                    "the SEO guide",
                ),
                "https://blog.example/old": ("https://competitor.example/", "Competitor"),
            },
        ),
        (
            "ahrefs_backlinks_utf16.csv",
            {"https://www.tools.example/best-seo": ("https://competitor.example/guide", None)},
        ),
        (
            "semrush_backlinks.csv",
            {
                "https://roundup.example/week-12": ("https://competitor.example/tool", "best tool"),
                "http://forum.example/t/42": ("https://competitor.example/", None),
            },
        ),
        (
            "semrush_backlink_gap.csv",
            {"https://news.example/": (None, None), "https://reviews.example/": (None, None)},
        ),
        (
            "moz_inbound_links.csv",
            {
                "https://directory.example/listing/12": (
                    "https://competitor.example/",
                    "Competitor Inc",
                )
            },
        ),
        ("moz_link_intersect.csv", {"https://magazine.example/": (None, None)}),
        ("ahrefs_link_intersect.csv", {"https://podcast.example/": (None, None)}),
    ],
)
def test_seo_tool_exports_become_cards(client, name, expected):
    r = upload(client, (FIXTURES / name).read_bytes())
    assert r.status_code == 200, r.json
    assert r.json["errors"] == []
    found = cards(client)
    assert r.json["created"] == len(found) >= len(expected)
    for source, (target, anchor) in expected.items():
        assert found[source]["target_url"] == target
        if anchor is not None:
            assert found[source]["anchor_text"] == anchor
        assert found[source]["status"] == "new"
    assert "source_url" in r.json["columns"].values()


def test_columns_answer_names_each_header_and_its_field(client):
    r = upload(client, (FIXTURES / "semrush_backlinks.csv").read_bytes())
    columns = r.json["columns"]
    assert columns["Source url"] == "source_url"
    assert columns["Target url"] == "target_url"
    assert columns["Anchor"] == "anchor_text"
    assert columns["Page ascore"] is None


def test_generic_columns_in_any_order_semicolons_crlf_bom_quoted_newlines(client):
    body = (
        "\ufeffNotes;Contact_Email;anchor text;Source URL;target_url\r\n"
        '"two\r\nlines";ed@blog.example;Great post;https://blog.example/a;https://mine.example/\r\n'
        ";;;https://blog.example/b;\r\n"
    )
    r = upload(client, body.encode())
    assert r.status_code == 200, r.json
    assert (r.json["created"], r.json["errors"]) == (2, [])
    a = cards(client)["https://blog.example/a"]
    assert a["notes"] == "two\r\nlines"
    assert a["contact_email"] == "ed@blog.example"
    assert a["anchor_text"] == "Great post"
    assert a["target_url"] == "https://mine.example/"
    assert a["origin"] == "import" and create_opp(client)["origin"] == "manual"


def test_bad_rows_are_reported_with_their_line_and_the_rest_is_created(client, session):
    body = (
        "source_url,contact_email,status\n"
        "https://ok.example/1,,\n"
        "not a url at all,,\n"
        "https://ok.example/2,nobody,\n"
        ',,"\n'
        'more"\n'
        "https://ok.example/3,,lost\n"
        "https://ok.example/4,a@b.example,won,surplus\n"
        "https://ok.example/5,,queued\n"
    )
    r = upload(client, body)
    assert r.status_code == 200, r.json
    assert r.json["created"] == 2
    lines = {e["line"]: e["message"] for e in r.json["errors"]}
    assert sorted(lines) == [3, 4, 5, 7, 8]
    assert "not a web address" in lines[3]
    assert "not an email address" in lines[4]
    assert "source URL" in lines[5] and "empty" in lines[5]
    assert "status must be one of" in lines[7]
    assert "header has 3 columns" in lines[8]
    assert column_ids(client, "queued") == [cards(client)["https://ok.example/5"]["id"]]
    assert session.query(AuditEntry).filter_by(action="opportunity.import").count() == 2


def test_each_imported_card_has_its_audit_entry_with_the_row_values(client):
    body = (
        "source_url,target_url,anchor_text,contact_email,notes,lost_link\n"
        "https://a.example/p,https://me.example/t,Best tools,ed@a.example,from Ahrefs,yes\n"
        "https://b.example/q,,,,,\n"
    )
    assert upload(client, body).json["created"] == 2
    found = cards(client)
    entries = {}
    for url, card in found.items():
        items = client.get(f"{API}/audit", query={"opportunity_id": card["id"]}).json["items"]
        assert [(i["action"], i["object_id"], i["user"]) for i in items] == [
            ("opportunity.import", str(card["id"]), 1)
        ]
        entries[url] = items[0]["changes"]
    assert entries["https://a.example/p"] == {
        "status": "new",
        "source_url": "https://a.example/p",
        "target_url": "https://me.example/t",
        "anchor_text": "Best tools",
        "contact_email": "ed@a.example",
        "contact_name": None,
        "lost_link": True,
        "notes": "from Ahrefs",
        "project_id": None,
        **dict.fromkeys(METRIC_COLUMNS),  # the SEO metrics (none in this file)
    }
    assert entries["https://b.example/q"]["target_url"] is None
    assert entries["https://b.example/q"]["lost_link"] is False


def test_a_row_of_500_cells_under_a_short_header_fails_alone(client):
    r = upload(
        client,
        "source_url,anchor\n" + "https://a.example/,x" + ",y" * 498 + "\nhttps://b.example/,z\n",
    )
    assert r.json["created"] == 1
    assert r.json["errors"] == [
        {"line": 2, "message": "This row has 500 cells but the header has 2 columns."}
    ]


def test_line_offset_numbers_lines_of_a_slice_as_in_the_whole_file(client):
    r = upload(client, "source_url\nhttps://ok.example/1\nbad\n", line_offset=1000)
    assert r.json["errors"] == [{"line": 1003, "message": r.json["errors"][0]["message"]}]


def test_dry_run_changes_nothing_and_reports_the_same_counts(client):
    create_opp(client, source_url="https://dup.example/p")
    body = "source_url\nhttps://dup.example/p/\nhttps://new.example/1\nhttps://new.example/1\nx\n"
    dry = upload(client, body, dry_run=True)
    assert dry.status_code == 200, dry.json
    assert len(cards(client)) == 1
    real = upload(client, body)
    assert real.json == dry.json
    assert (real.json["created"], real.json["skipped"], len(real.json["errors"])) == (1, 2, 1)
    assert len(cards(client)) == 2


def test_duplicates_follow_the_board_rule_and_update_fills_the_existing_card(client):
    card = create_opp(client, source_url="https://www.dup.example/post?utm_source=x")
    body = (
        "source_url,anchor_text,contact_email\nhttp://dup.example/post/,New anchor,a@dup.example\n"
    )
    skipped = upload(client, body)
    assert (skipped.json["created"], skipped.json["skipped"]) == (0, 1)
    updated = upload(client, body, on_duplicate="update")
    assert (updated.json["created"], updated.json["updated"]) == (0, 1)
    now = client.get(f"{API}/opportunities/{card['id']}").json
    assert (now["anchor_text"], now["contact_email"]) == ("New anchor", "a@dup.example")
    assert now["source_url"] == card["source_url"]
    again = upload(client, body, on_duplicate="update")
    assert (again.json["updated"], again.json["skipped"]) == (0, 1)


def test_imported_cards_go_to_the_end_of_the_column_in_file_order(client):
    first = create_opp(client, source_url="https://first.example/p")
    upload(client, "source_url\nhttps://a.example/\nhttps://b.example/\n", status="queued")
    upload(client, "source_url\nhttps://c.example/\n")
    found = cards(client)
    assert column_ids(client, "new") == [first["id"], found["https://c.example/"]["id"]]
    assert column_ids(client, "queued") == [
        found["https://a.example/"]["id"],
        found["https://b.example/"]["id"],
    ]
    positions = [found[u]["position"] for u in ("https://a.example/", "https://b.example/")]
    assert positions == [0, 1]


def test_board_deltas_carry_the_imported_cards(client):
    cursor = client.get(f"{API}/board").json["cursor"]
    upload(client, "source_url\nhttps://a.example/\nhttps://b.example/\n")
    delta = client.get(f"{API}/board", query={"since": cursor}).json
    assert sorted(c["source_url"] for c in delta["cards"]) == [
        "https://a.example/",
        "https://b.example/",
    ]


def test_an_import_past_the_log_limit_sends_older_cursors_the_whole_board(client, session):
    before = client.get(f"{API}/board").json["cursor"]
    upload(client, "source_url\nhttps://a.example/\n")
    small = client.get(f"{API}/board", query={"since": before}).json
    assert small["full"] is False and len(small["cards"]) == 1
    logged = session.scalar(select(func.count()).select_from(BoardChange))
    session.rollback()  # no read transaction left open across the import (SQLite)
    count = board_changes.LOG_AT_MOST + 1
    body = "source_url\n" + "".join(f"https://big{i}.example/\n" for i in range(count))
    assert upload(client, body).json["created"] == count
    assert session.scalar(select(func.count()).select_from(BoardChange)) == logged
    session.rollback()
    for cursor in (before, small["cursor"]):
        whole = client.get(f"{API}/board", query={"since": cursor}).json
        assert whole["full"] is True and whole["counts"]["new"] == count + 1
        assert len(whole["columns"]["new"]) == count + 1
    after = whole["cursor"]
    assert client.get(f"{API}/board", query={"since": after}).json["full"] is False
    create_opp(client, "https://c.example/")
    later = client.get(f"{API}/board", query={"since": after}).json
    assert later["full"] is False and [c["source_url"] for c in later["cards"]] == [
        "https://c.example/"
    ]


@pytest.mark.parametrize(
    "body, message",
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (b"source_url,anchor\r\n", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (
            "source_url\nhttps://caf\u00e9.example/\n".encode() + b"https://na\xefve.example/\n",
            "mixes encodings",
        ),
        (b"title,anchor\nx,y\n", "No column holds the linking page"),
        (
            (",".join(f"c{i}" for i in range(500)) + "\n" + "x," * 499 + "x\n").encode(),
            "500 columns",
        ),
    ],
)
def test_unusable_files_are_refused_whole_with_a_clear_message(client, session, body, message):
    r = upload(client, body)
    assert_error(r, 422, message)
    assert session.query(Opportunity).count() == 0


def test_windows_1252_text_is_read(client):
    r = upload(client, "source_url,anchor_text\nhttps://a.example/,caf\u00e9\n".encode("cp1252"))
    assert r.json["created"] == 1
    assert cards(client)["https://a.example/"]["anchor_text"] == "caf\u00e9"


def test_utf16_without_bom_is_read(client):
    r = upload(client, "source_url\thost\nhttps://a.example/\tx\n".encode("utf-16-le"))
    assert r.status_code == 200, r.json
    assert r.json["created"] == 1


def test_a_30_mb_file_is_refused_before_it_is_read(client, session):
    r = upload(client, b"source_url\n" + b"https://a.example/\n" * (30 * 2**20 // 19))
    assert_error(r, 413)
    assert session.query(Opportunity).count() == 0


def test_import_needs_outreach_edit_and_a_valid_signature_over_the_csv(client, viewer):
    assert_error(upload(viewer, "source_url\nhttps://a.example/\n"), 403, "outreach.edit")
    url, body, headers = client.prepare(
        "POST", f"{API}/opportunities/import", data=b"source_url\nhttps://a.example/\n"
    )
    r = client.client.open(url, method="POST", data=body + b"https://b.example/\n", headers=headers)
    assert_error(r, 401)


def test_unknown_query_values_are_422(client):
    assert_error(upload(client, "source_url\nhttps://a.example/\n", on_duplicate="merge"), 422)
    assert_error(upload(client, "source_url\nhttps://a.example/\n", status="lost"), 422)


def test_another_sites_cards_are_not_duplicates(client, other_client):
    create_opp(other_client, source_url="https://shared.example/p")
    r = upload(client, "source_url\nhttps://shared.example/p\n")
    assert r.json["created"] == 1


def test_update_never_makes_two_cards_with_the_same_source_and_target(client):
    a = create_opp(client, source_url="https://twin.example/p", target_url="https://mine.example/a")
    create_opp(client, source_url="https://twin.example/p", target_url="https://mine.example/b")
    body = "source_url,target_url\nhttps://twin.example/p/,https://mine.example/b\n"
    r = upload(client, body, on_duplicate="update")
    assert (r.json["updated"], r.json["created"]) == (0, 0)
    assert r.json["errors"] == [
        {"line": 2, "message": "Another card already has this source URL and target URL."}
    ]
    assert client.get(f"{API}/opportunities/{a['id']}").json["target_url"] == (
        "https://mine.example/a"
    )


def test_status_lost_link_and_contact_name_columns(client):
    body = (
        "source_url,status,lost_link,contact_name\n"
        "https://a.example/,Won,yes,Ann\n"
        "https://b.example/,,0,\n"
        "https://c.example/,new,maybe,\n"
    )
    r = upload(client, body, status="queued")
    assert r.json["columns"]["contact_name"] == "contact_name"
    assert r.json["created"] == 2
    assert r.json["errors"] == [{"line": 4, "message": "lost_link must be true or false."}]
    found = cards(client)
    assert (found["https://a.example/"]["status"], found["https://a.example/"]["lost_link"]) == (
        "won",
        True,
    )
    assert found["https://b.example/"]["status"] == "queued"
