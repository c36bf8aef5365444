"""Charset labels that name no text encoding (issue 21, finding 6): `hex`, `zlib`, `rot13`,
`idna`, `undefined`... in a page's Content-Type or <meta>, or a bounce's part, read as
UTF-8 instead of failing (service/charsets.py); the Inbound Parse case is in
tests/replies/test_conversations.py."""

from __future__ import annotations

import email
from email import policy

import pytest

from service import charsets
from service.domain.reply_reading import read_bounce
from tests.links.pages import html
from tests.support.api import API, create_opp

BAD = ["hex", "zlib", "rot13", "idna", "undefined", "base64", "bz2", "uu", "x-no-such", ""]
TARGET = "https://a.example/product"
LIVE = f'<p>Grüße: <a href="{TARGET}">Köln</a></p>'


@pytest.mark.parametrize(
    "label,codec",
    [
        ("UTF-8", "utf_8"),
        (" Latin1 ", "cp1252"),
        ("us-ascii", "cp1252"),
        ("shift_jis", "cp932"),
        ("GB2312", "gb18030"),
        ("ks_c_5601-1987", "cp949"),
        ("iso-8859-8-i", "iso8859_8"),
        ("utf-16", "utf_16_le"),
        *[(label, None) for label in BAD],
        ("utf-7", None),  # a text codec to Python, not a web encoding
        ("replacement", None),
    ],
)
def test_only_whatwg_labels_name_a_codec(label, codec):
    assert charsets.text_codec(label) == codec


@pytest.mark.parametrize("label", BAD)
def test_a_bad_label_decodes_as_utf8(label):
    assert charsets.decode("Köln".encode(), label) == "Köln"
    assert charsets.decode(b"K\xf6ln", label) == "K\ufffdln"


@pytest.mark.parametrize("label", ["hex", "zlib", "rot13", "idna", "undefined"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_page_with_a_bad_label_is_checked(client, pages, label, where):
    if where == "header":
        route = html(LIVE, content_type=f"text/html; charset={label}")
    else:
        route = html(f'<meta charset="{label}">{LIVE}', content_type="text/html")
    pages.routes["/p"] = route
    opp = create_opp(client, source_url=pages.url("/p"), target_url=TARGET)
    r = client.post(f"{API}/opportunities/{opp['id']}/link-check")
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["anchor_text"], r.json["error"]) == ("live", "Köln", None)


@pytest.mark.parametrize("label", ["hex", "idna", "undefined"])
def test_a_bounce_part_with_a_bad_label_is_read(label):
    raw = (
        "From: MAILER-DAEMON@mx.example.net\nTo: b@send.example\nSubject: Undelivered\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset={label}\n\n"
        "<anna@example.org>: 550 5.1.1 User unknown\n"
    ).encode()
    message = email.message_from_bytes(raw, policy=policy.default)
    read_bounce(message)  # no exception: the part is read as UTF-8
