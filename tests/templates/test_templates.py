"""Templates: CRUD, placeholder validation, previews, escaping, plain text to HTML."""

from __future__ import annotations

import pytest

from service.models import Sequence, SequenceStep
from tests.support.api import API, assert_error, create_opp, create_template, preview

TPL = f"{API}/templates"
PREVIEW = f"{TPL}/preview"
XSS = "<script>alert(1)</script>"


def test_a_template_is_created_read_listed_changed_and_deleted(client, clock):
    t = create_template(client, name="Intro", subject="Hi", body="Hello")
    assert set(t) >= {"id", "name", "subject", "body", "created_at", "updated_at"}
    assert client.get(f"{TPL}/{t['id']}").json == t
    create_template(client, name="Another")
    assert [x["name"] for x in client.get(TPL).json] == ["Another", "Intro"]
    clock.advance(seconds=3)
    r = client.patch(f"{TPL}/{t['id']}", json={"subject": "Hello {{ domain }}"})
    assert r.status_code == 200 and r.json["subject"] == "Hello {{ domain }}"
    assert r.json["name"] == "Intro" and r.json["updated_at"] > t["updated_at"]
    assert client.delete(f"{TPL}/{t['id']}").status_code == 204
    assert_error(client.get(f"{TPL}/{t['id']}"), 404, "template")
    assert_error(client.delete(f"{TPL}/{t['id']}"), 404)
    assert_error(client.patch(f"{TPL}/{t['id']}", json={"name": "x"}), 404)


@pytest.mark.parametrize(
    "body,fields",
    [
        ({}, {"name", "subject", "body"}),
        ({"name": "", "subject": "s", "body": "b"}, {"name"}),
        ({"name": "n", "subject": "", "body": "b"}, {"subject"}),
        ({"name": "n", "subject": "s", "body": ""}, {"body"}),
        ({"name": "n" * 201, "subject": "s", "body": "b"}, {"name"}),
        ({"name": "n", "subject": "s", "body": "b", "id": 4}, {"id"}),
    ],
)
def test_an_invalid_template_names_each_field(client, body, fields):
    err = assert_error(client.post(TPL, json=body), 422)
    assert set(err["errors"]) == fields


@pytest.mark.parametrize("field", ["subject", "body"])
@pytest.mark.parametrize(
    "placeholder", ["{{last_name}}", "{{ company }}", "{{URL}}", "{{first name}}", "{{}}"]
)
def test_unknown_placeholder_is_422_naming_the_field(client, field, placeholder):
    values = {"name": "T", "subject": "Hi", "body": "Hello"}
    values[field] = f"x {placeholder} y"
    err = assert_error(client.post(TPL, json=values), 422)
    assert list(err["errors"]) == [field]
    assert "placeholder" in " ".join(err["errors"][field]).lower()
    assert client.get(TPL).json == []


def test_unknown_placeholder_on_patch(client):
    t = create_template(client)
    err = assert_error(client.patch(f"{TPL}/{t['id']}", json={"body": "{{nope}}"}), 422)
    assert "body" in err["errors"] and "nope" in err["errors"]["body"][0]
    assert client.get(f"{TPL}/{t['id']}").json["body"] == t["body"]


@pytest.mark.parametrize(
    "text",
    [
        "{{url}}",
        "{{ url }}",
        "{{  anchor_text}}",
        "{{target_url }}",
        "{{\tdomain\t}}",
        "{{url}} {{anchor_text}} {{target_url}} {{domain}}",
    ],
)
def test_known_placeholders_with_optional_spaces(client, text):
    create_template(client, subject=text, body=text)


def test_single_braces_are_plain_text(client):
    t = create_template(client, body="Use {url} or {{ url } as you like")
    assert t["body"] == "Use {url} or {{ url } as you like"


def test_preview_stored_template_with_opportunity(client):
    opp = create_opp(
        client,
        "https://www.blog.example.org/post",
        anchor_text="best tools",
        target_url="https://a.example/tools",
    )
    t = create_template(
        client,
        subject="About {{ domain }}",
        body='Hi,\n\nYour page {{url}} could link to {{target_url}} with "{{anchor_text}}".',
    )
    r = client.post(PREVIEW, json={"template_id": t["id"], "opportunity_id": opp["id"]})
    assert r.status_code == 200, r.json
    assert set(r.json) == {
        *("subject", "html", "text", "headers", "missing"),
        *("from_email", "from_name", "reply_to"),  # who it would come from (docs/api.md §15)
    }
    assert r.json["subject"] == "About blog.example.org"
    assert r.json["missing"] == []
    assert r.json["text"] == (
        "Hi,\n\nYour page https://www.blog.example.org/post could link to "
        'https://a.example/tools with "best tools".'
    )
    assert '<a href="https://www.blog.example.org/post"' in r.json["html"]
    assert '<a href="https://a.example/tools"' in r.json["html"]


def test_preview_without_opportunity_lists_missing(client):
    r = preview(client, "{{domain}}", "{{ url }} {{anchor_text}}")
    assert r.status_code == 200
    assert r.json["missing"] == ["domain", "url", "anchor_text"]
    assert "{{ url }}" in r.json["text"]


def test_preview_missing_names_only_empty_values(client):
    opp = create_opp(client, "https://x.example/")
    r = preview(client, "s", "{{url}} {{anchor_text}} {{target_url}}", opp["id"])
    assert r.json["missing"] == ["anchor_text", "target_url"]


def test_preview_validation(client):
    err = assert_error(client.post(PREVIEW, json={"subject": "only subject"}), 422)
    assert "template_id" in err["errors"]
    err = assert_error(client.post(PREVIEW, json={"subject": "", "body": "b"}), 422)
    assert "template_id" in err["errors"]  # as for a send: an empty subject is no subject
    err = assert_error(client.post(PREVIEW, json={"subject": "s", "body": "{{bogus}}"}), 422)
    assert "body" in err["errors"]
    assert_error(client.post(PREVIEW, json={"template_id": 999999}), 404)
    assert_error(
        client.post(PREVIEW, json={"subject": "s", "body": "b", "opportunity_id": 999999}), 404
    )


def test_values_are_escaped_in_html_and_raw_in_text(client):
    opp = create_opp(client, anchor_text=XSS)
    r = preview(client, "Re: {{anchor_text}}", "Anchor: {{anchor_text}}", opp["id"])
    assert r.status_code == 200
    assert XSS in r.json["text"]
    assert "<script>" not in r.json["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.json["html"]
    assert r.json["subject"] == f"Re: {XSS}"


def test_html_body_kept_as_html_with_escaped_values(client):
    opp = create_opp(client, anchor_text=f'{XSS} & "q"')
    body = '<p>Hello <b>there</b></p><p><a href="{{url}}">{{anchor_text}}</a></p>'
    r = preview(client, "s", body, opp["id"])
    html = r.json["html"]
    assert html.startswith("<p>Hello <b>there</b></p>")
    assert '<a href="https://blog.example.org/post">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in html
    assert "<script>" not in html
    # The text part is readable, with the raw value.
    assert "Hello there" in r.json["text"] and XSS in r.json["text"]
    assert "<p>" not in r.json["text"]


def test_plain_text_becomes_paragraphs_breaks_and_links(client):
    body = "Hi there,\n\nI read https://blog.example.org/post?a=1&b=2.\nGreat piece!\n\n\nThanks <3"
    r = preview(client, "s", body)
    html = r.json["html"]
    assert r.json["text"] == body
    assert html.count("<p") == 3
    assert "<br>" in html
    assert '<a href="https://blog.example.org/post?a=1&amp;b=2"' in html
    # The sentence's full stop is not part of the link.
    assert "b=2</a>." in html
    assert "Thanks &lt;3" in html


def test_one_inline_tag_keeps_the_paragraphs(client):
    body = "Hi,\n\nI read your post.\nGreat piece!\n\nCheers <b>me</b>"
    r = preview(client, "s", body)
    html = r.json["html"]
    assert html.count("<p") == 3 and "<br>" in html
    assert "Cheers <b>me</b></p>" in html
    assert r.json["text"] == "Hi,\n\nI read your post.\nGreat piece!\n\nCheers me"


def test_plain_text_with_html_looking_value_stays_plain(client):
    opp = create_opp(client, anchor_text="<b>bold</b>")
    r = preview(client, "s", "A: {{anchor_text}}", opp["id"])
    assert "&lt;b&gt;bold&lt;/b&gt;" in r.json["html"] and "<b>bold</b>" in r.json["text"]


def test_delete_template_used_by_a_sequence_is_409(client, session, site_key, clock):
    t = create_template(client)
    seq = Sequence(
        site_id=site_key.site_id, name="S", created_at=clock.now(), updated_at=clock.now()
    )
    seq.steps.append(SequenceStep(position=0, template_id=t["id"], delay_hours=72))
    session.add(seq)
    session.commit()
    assert_error(client.delete(f"{TPL}/{t['id']}"), 409, "sequence")
    assert client.get(f"{TPL}/{t['id']}").status_code == 200


def test_subject_stays_one_line(client):
    opp = create_opp(client, anchor_text="tools\r\nBcc: victim@example.com")
    r = preview(client, "About {{anchor_text}}", "b", opp["id"])
    assert "\n" not in r.json["subject"] and "\r" not in r.json["subject"]
    assert r.json["subject"].startswith("About tools")
