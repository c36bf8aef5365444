"""CSV export (docs/api.md, pipeline tools): filters, formula neutralising, a lossless
round trip."""

from __future__ import annotations

import csv
import io

from tests.support.api import API, assert_error, create_opp

FIELDS = (
    "source_url",
    "target_url",
    "anchor_text",
    "contact_email",
    "notes",
    "status",
    "lost_link",
)


def export(client, **query):
    r = client.get(f"{API}/opportunities/export", query=query)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/csv"
    return r


def parsed(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


def fill(client) -> list[dict]:
    made = [
        create_opp(
            client,
            source_url="https://a.example/post",
            target_url="https://mine.example/",
            anchor_text='=HYPERLINK("http://evil.example","x")',
            contact_email="ed@a.example",
            notes='line one\nline two, with "quotes"; and semicolons',
        ),
        create_opp(client, source_url="https://b.example/", anchor_text="-10% off", status="won"),
        create_opp(client, source_url="https://c.example/", notes="@mention +1", lost_link=True),
    ]
    return made


def test_formula_cells_are_neutralised(client):
    fill(client)
    rows = {r["source_url"]: r for r in parsed(export(client))}
    assert rows["https://a.example/post"]["anchor_text"].startswith("'=HYPERLINK(")
    assert rows["https://b.example/"]["anchor_text"] == "'-10% off"
    assert rows["https://c.example/"]["notes"] == "'@mention +1"
    assert rows["https://c.example/"]["lost_link"] == "true"


def test_a_formula_after_a_separator_is_quoted_and_neutralised(client, other_client):
    """Issue 21 #10: Excel in a `;` locale split `x;=cmd…;y` into a formula cell."""
    made = create_opp(
        client,
        source_url="https://d.example/",
        anchor_text="x;=cmd|' /C calc'!A0;y",
        notes="a,+1;@b,'-c",
    )
    body = export(client).get_data(as_text=True)
    assert "\"x;'=cmd|' /C calc'!A0;y\"" in body
    assert "\"a,'+1;'@b,''-c\"" in body
    for line in body.splitlines():  # no bare trigger after a separator, outside quotes
        for field in line.split('"')[::2]:
            assert not any(
                field[i] in ";," and field[i + 1] in "=+-@" for i in range(len(field) - 1)
            )
    r = other_client.post(
        f"{API}/opportunities/import", data=body.encode(), headers={"Content-Type": "text/csv"}
    )
    assert (r.json["created"], r.json["errors"]) == (1, []), r.json
    (copy,) = other_client.get(f"{API}/opportunities").json["items"]
    assert (copy["anchor_text"], copy["notes"]) == (made["anchor_text"], made["notes"])


def test_export_is_streamed_and_filtered_like_the_board(client):
    fill(client)
    response = export(client, status="won")
    assert response.is_streamed
    assert [r["source_url"] for r in parsed(response)] == ["https://b.example/"]
    assert [r["source_url"] for r in parsed(export(client, q="line TWO"))] == [
        "https://a.example/post"
    ]
    assert 'filename="opportunities.csv"' in response.headers["Content-Disposition"]


def test_an_export_imports_again_unchanged(client, other_client):
    made = fill(client)
    body = export(client).get_data()
    r = other_client.post(
        f"{API}/opportunities/import", data=body, headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 200, r.json
    assert (r.json["created"], r.json["errors"]) == (3, [])
    copies = other_client.get(f"{API}/opportunities").json["items"]
    assert sorted(tuple(c[f] for f in FIELDS) for c in copies) == sorted(
        tuple(m[f] for f in FIELDS) for m in made
    )
    again = client.post(
        f"{API}/opportunities/import", data=body, headers={"Content-Type": "text/csv"}
    )
    assert (again.json["created"], again.json["skipped"]) == (0, 3)


def test_an_empty_board_exports_the_header_only(client):
    assert parsed(export(client)) == []
    assert export(client).get_data(as_text=True).startswith("source_url,target_url,")


def test_export_needs_outreach_view_and_stays_in_its_site(client, other_client, app, site_key):
    from tests.support.signed import SignedTestClient

    fill(client)
    assert parsed(export(other_client)) == []
    nobody = SignedTestClient(app.test_client(), site_key, caps="")
    assert_error(nobody.get(f"{API}/opportunities/export"), 403, "outreach.view")


def test_an_export_of_several_pages_holds_every_card_once(client):
    rows = "".join(f"https://page{i}.example/p,anchor {i}\n" for i in range(2500))
    r = client.post(
        f"{API}/opportunities/import",
        data=("source_url,anchor_text\n" + rows).encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert r.json["created"] == 2500
    exported = parsed(export(client))
    assert len(exported) == 2500
    assert len({row["id"] for row in exported}) == 2500
    assert [int(row["id"]) for row in exported] == sorted(int(row["id"]) for row in exported)
